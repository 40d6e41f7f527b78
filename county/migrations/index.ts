import type { Migration } from '../../db/migrations/index';
import { sql as c001 } from './001_county';
import { sql as c002 } from './002_console';
import { sql as c003 } from './003_case_applicant_at_intake';
import { sql as c004 } from './004_devices';
import { sql as c005 } from './005_console_search';
import { sql as c006 } from './006_change_history';

// The county database's own numbered, append-only migrations (same rules as the village's).
export const COUNTY_MIGRATIONS: Migration[] = [
  { version: 1, name: 'county', sql: c001 },
  { version: 2, name: 'console', sql: c002 },
  { version: 3, name: 'case applicant at intake', sql: c003 },
  { version: 4, name: 'devices', sql: c004 },
  { version: 5, name: 'console search', sql: c005 },
  { version: 6, name: 'change history', sql: c006 },
];

export const COUNTY_SCHEMA_VERSION = COUNTY_MIGRATIONS[COUNTY_MIGRATIONS.length - 1].version;
