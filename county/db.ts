// The county centre's database: its identity and key, points and devices, every point's records,
// the import log and the messages going back down. One file, `county.sqlite`, in the county's data folder.
import { readHolidayTables } from '../db/holidayTables';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../db/connection';
import { countyKeyFromEnv } from '../db/countyKey';
import { migrate } from '../db/migrate';
import { systemClock, type Clock } from '../db/clock';
import { decodeHlc, encodeHlc, receiveHlc, tickHlc, type Hlc } from '../domain/hlc';
import { createWorkCalendar, type HolidayTable, type WorkCalendar } from '../domain/workCalendar';
import { COUNTY_MIGRATIONS } from './migrations/index';

/** Page cache of each county connection, in KiB (256 MB). */
export const COUNTY_CACHE_KIB = 256 * 1024;

export type CountyIdentity = { code: string; name: string; public_key: string; private_key: string; created_at: string };

export function countyDbPath(dataDir: string): string {
  return path.join(dataDir, 'county.sqlite');
}

/** Where the county keeps its data: --data-dir, else DAIBAN_COUNTY_DIR. Never the village's folder by accident. */
export function resolveCountyDir(explicit?: string | null): string | null {
  if (explicit) return path.resolve(explicit);
  const env = process.env.DAIBAN_COUNTY_DIR;
  return env ? path.resolve(env) : null;
}

export class County {
  private hlc: Hlc | null;
  private cal: WorkCalendar | null = null;

  private constructor(
    readonly db: Db,
    readonly dataDir: string,
    readonly clock: Clock,
    /** The key the database was opened with: a second connection (the import worker) needs it too. */
    readonly key: Buffer | undefined,
  ) {
    const r = db.prepare(`SELECT value FROM meta WHERE key = 'hlc'`).get() as { value: string } | undefined;
    this.hlc = r ? decodeHlc(r.value) : null;
  }

  static async open(opts: { dataDir: string; clock?: Clock; key?: Buffer }): Promise<County> {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    // Encrypted with the key the county's IT keeps outside the data folder (db/countyKey.ts); its
    // pre-migration backups (VACUUM INTO) carry the same key.
    const key = opts.key ?? countyKeyFromEnv(opts.dataDir);
    const db = openDatabase(countyDbPath(opts.dataDir), { key });
    try {
      await migrate(db, { migrations: COUNTY_MIGRATIONS, backupDir: path.join(opts.dataDir, 'backups') });
      // The whole county is gigabytes: SQLite's default 2 MB page cache would re-read (and decrypt)
      // the same index pages on every console request.
      db.pragma(`cache_size = -${COUNTY_CACHE_KIB}`);
      // Statistics for the query planner where they are missing or stale (new indexes after an
      // upgrade, a county grown tenfold): SQLite samples a few thousand rows per index.
      db.pragma('optimize = 0x10002');
      return new County(db, opts.dataDir, opts.clock ?? systemClock, key);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /**
   * Another connection to a county database that is already open and migrated (the import worker's,
   * county/importWorker.ts): no migration, no backup.
   */
  static attach(opts: { dataDir: string; key?: Buffer; clock: Clock }): County {
    const db = openDatabase(countyDbPath(opts.dataDir), { key: opts.key });
    db.pragma(`cache_size = -${COUNTY_CACHE_KIB}`);
    return new County(db, opts.dataDir, opts.clock, opts.key);
  }

  identity(): CountyIdentity | null {
    return (this.db.prepare(`SELECT * FROM county WHERE id = 1`).get() as CountyIdentity | undefined) ?? null;
  }

  requireIdentity(): CountyIdentity {
    const c = this.identity();
    if (!c) throw new Error('县级中心尚未初始化，请先运行 daiban county init');
    return c;
  }

  nowIso(): string {
    return new Date(this.clock.nowMs()).toISOString();
  }

  private node(): string {
    return `county${this.identity()?.code ?? ''}`;
  }

  private saveHlc(): void {
    if (this.hlc) {
      this.db
        .prepare(`INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
        .run(encodeHlc(this.hlc));
    }
  }

  /** The county's clock for its own changes (decisions, messages). */
  nextHlc(): string {
    // Another process (the server and a CLI command) may have moved the clock: never go back.
    const saved = this.db.prepare(`SELECT value FROM meta WHERE key = 'hlc'`).get() as { value: string } | undefined;
    if (saved && (!this.hlc || saved.value > encodeHlc(this.hlc))) this.hlc = decodeHlc(saved.value);
    this.hlc = tickHlc(this.hlc, this.clock.nowMs(), this.node());
    this.saveHlc();
    return encodeHlc(this.hlc);
  }

  /** Moves the county clock past a timestamp received from a village. */
  observeHlc(s: string): void {
    // The import worker's connection moves the clock too: start from the later of the two.
    const saved = this.db.prepare(`SELECT value FROM meta WHERE key = 'hlc'`).get() as { value: string } | undefined;
    if (saved && (!this.hlc || saved.value > encodeHlc(this.hlc))) this.hlc = decodeHlc(saved.value);
    this.hlc = receiveHlc(this.hlc, decodeHlc(s), this.clock.nowMs(), this.node());
    this.saveHlc();
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  holidayTables(): HolidayTable[] {
    return readHolidayTables(this.db);
  }

  get calendar(): WorkCalendar {
    this.cal ??= createWorkCalendar(this.holidayTables());
    return this.cal;
  }

  reloadCalendar(): void {
    this.cal = null;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
