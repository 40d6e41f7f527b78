import fs from 'node:fs';
import { readHolidayTables } from './holidayTables';
import type { Db } from './connection';
import { LEGACY_CIPHER, openDatabase, type Cipher } from './connection';
import { assertNotFromFuture, migrate, schemaVersion } from './migrate';
import { ChangeWriter } from './changes';
import { chinaDate, systemClock, type Clock } from './clock';
import { backupsDir, registerPath } from './dataDir';
import { uuidv7 } from '../domain/ids';
import { createWorkCalendar, type HolidayTable, type WorkCalendar } from '../domain/workCalendar';

export type RegisterOptions = {
  dataDir: string;
  nativeBinding?: string;
  clock?: Clock;
  /** The data key of an encrypted register (db/vault.ts unwraps it at sign-in); absent: a plain file. */
  key?: Buffer;
  /**
   * Record the backup a schema upgrade took as a history event (synced). The shells' opening path
   * (db/vault.ts) sets it; a register being restored must not (it records nothing before it becomes
   * a new device), nor do tests that compare an upgraded register row by row.
   */
  recordUpgradeBackup?: boolean;
  /** Its cipher (keys.json says which); LEGACY_CIPHER when not given. */
  cipher?: Cipher;
};

/** An open village register: the database, its single writer and the calendar in force. */
export class Register {
  readonly writer: ChangeWriter;
  private cal: WorkCalendar;

  private constructor(
    readonly db: Db,
    readonly dataDir: string,
    readonly deviceId: string,
    readonly clock: Clock,
    /** Kept for backups (VACUUM INTO copies carry it) and for checking them; never leaves the process. */
    readonly dataKey: Buffer | null,
    readonly nativeBinding: string | undefined,
    /** The scheme `dataKey` encrypts with (backups made with VACUUM INTO keep it). */
    readonly cipher: Cipher,
  ) {
    this.writer = new ChangeWriter(db, deviceId, () => clock.nowMs());
    this.cal = createWorkCalendar(this.loadHolidayTables());
  }

  static async open(opts: RegisterOptions): Promise<Register> {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const db = openDatabase(registerPath(opts.dataDir), {
      nativeBinding: opts.nativeBinding,
      key: opts.key,
      cipher: opts.cipher,
      check: (d) => assertNotFromFuture(d),
    });
    try {
      const upgrade = await migrate(db, { backupDir: backupsDir(opts.dataDir) });
      let row = db.prepare(`SELECT value FROM meta WHERE key = 'device_id'`).get() as { value: string } | undefined;
      if (!row) {
        db.prepare(`INSERT INTO meta(key, value) VALUES ('device_id', ?)`).run(uuidv7());
        row = db.prepare(`SELECT value FROM meta WHERE key = 'device_id'`).get() as { value: string };
      }
      const reg = new Register(db, opts.dataDir, row.value, opts.clock ?? systemClock, opts.key ?? null, opts.nativeBinding, opts.cipher ?? LEGACY_CIPHER);
      if (upgrade.backup && opts.recordUpgradeBackup) {
        const data = { kind: 'preMigration', fromVersion: upgrade.from, toVersion: upgrade.to };
        reg.tx(() => reg.writer.recordEvent({ entity: 'register', action: 'register.backup', eventData: data }, null));
      }
      return reg;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  get encrypted(): boolean {
    return this.dataKey !== null;
  }

  get calendar(): WorkCalendar {
    return this.cal;
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  nowIso(): string {
    return new Date(this.clock.nowMs()).toISOString();
  }

  today(): string {
    return chinaDate(this.clock.nowMs());
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  loadHolidayTables(): HolidayTable[] {
    return readHolidayTables(this.db);
  }

  /** Called after holiday tables change (setup, or a new table from the county). */
  reloadCalendar(): void {
    this.cal = createWorkCalendar(this.loadHolidayTables());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
