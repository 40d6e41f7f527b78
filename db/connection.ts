import Database from 'better-sqlite3';

export type Db = Database.Database;

export type OpenOptions = {
  /**
   * Path to a better_sqlite3.node built for another runtime (Electron's ABI). Tests and the CLI
   * under Node leave it unset and get the build npm made for Node.
   */
  nativeBinding?: string;
  readonly?: boolean;
  /** Runs before anything can write to the file, e.g. refusing a database from a newer program. */
  check?: (db: Database.Database) => void;
};

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const db = new Database(file, {
    nativeBinding: opts.nativeBinding,
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
  });
  try {
    opts.check?.(db);
  } catch (e) {
    db.close();
    throw e;
  }
  // Switching to WAL rewrites the file header, so it comes after the check.
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  // FULL: a power cut right after "已保存" must not lose the case (village power is unreliable).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
