import { sql as m001 } from './001_register';
import { sql as m002 } from './002_sync';
import { sql as m003 } from './003_search_and_statistics';
import { sql as m004 } from './004_devices';

// Numbered, append-only. A migration is never edited once released; add the next number instead.
export type Migration = { version: number; name: string; sql: string };

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'register', sql: m001 },
  { version: 2, name: 'sync', sql: m002 },
  { version: 3, name: 'search and statistics', sql: m003 },
  { version: 4, name: 'devices', sql: m004 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
