import { sql as m001 } from './001_register';
import { sql as m002 } from './002_sync';

// Numbered, append-only. A migration is never edited once released; add the next number instead.
export type Migration = { version: number; name: string; sql: string };

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'register', sql: m001 },
  { version: 2, name: 'sync', sql: m002 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
