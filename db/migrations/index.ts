import { sql as m001 } from './001_register';
import { sql as m002 } from './002_sync';
import { sql as m003 } from './003_search_and_statistics';
import { sql as m004 } from './004_supervision';
import { sql as m005 } from './005_drafts';
import { sql as m006 } from './006_case_applicant_at_intake';
import { sql as m007 } from './007_point_phones';
import { sql as m008 } from './008_devices';
import { sql as m009, run as r009 } from './009_history_chain';
import { sql as m010, run as r010 } from './010_compact_outbox';
import type { Db } from '../connection';

// Numbered, append-only. A migration is never edited once released; add the next number instead.
/** `run`, when present, follows the SQL in the same transaction (work SQL alone cannot do, e.g. hashing). */
export type Migration = { version: number; name: string; sql: string; run?: (db: Db) => void };

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'register', sql: m001 },
  { version: 2, name: 'sync', sql: m002 },
  { version: 3, name: 'search and statistics', sql: m003 },
  { version: 4, name: 'supervision', sql: m004 },
  { version: 5, name: 'drafts', sql: m005 },
  { version: 6, name: 'case applicant at intake', sql: m006 },
  { version: 7, name: 'point phones normalised', sql: m007 },
  { version: 8, name: 'devices', sql: m008 },
  { version: 9, name: 'history chain', sql: m009, run: r009 },
  { version: 10, name: 'compact outbox', sql: m010, run: r010 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
