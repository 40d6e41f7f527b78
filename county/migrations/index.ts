import type { Migration } from '../../db/migrations/index';
import { sql as c001 } from './001_county';
import { sql as c002 } from './002_devices';

// The county database's own numbered, append-only migrations (same rules as the village's).
export const COUNTY_MIGRATIONS: Migration[] = [
  { version: 1, name: 'county', sql: c001 },
  { version: 2, name: 'devices', sql: c002 },
];

export const COUNTY_SCHEMA_VERSION = COUNTY_MIGRATIONS[COUNTY_MIGRATIONS.length - 1].version;
