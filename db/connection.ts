// One SQLite module for the whole product (village register, county database, tests, CLI):
// better-sqlite3-multiple-ciphers, better-sqlite3's API over SQLite3 Multiple Ciphers. With a key
// the whole file is encrypted page by page — tables, indexes, the FTS index, the WAL — with
// ChaCha20-Poly1305 (sqleet scheme): authenticated, so a changed byte is detected, and fast in
// software on the village laptops' CPUs that lack AES instructions (docs/security.md).
import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../domain/errors';

export type Db = Database.Database;
export type Statement<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

/**
 * SQLite3 Multiple Ciphers schemes we write. New village registers use AEGIS-256 (authenticated, like
 * ChaCha20-Poly1305, and several times cheaper per page on CPUs with AES instructions: the save
 * overhead of `npm run bench -- register`, docs/security.md "Measured"). Registers encrypted before
 * that, and the county database, stay ChaCha20-Poly1305 (sqleet): the cipher is not recorded in the
 * file, so it is kept in keys.json (and a backup's key file) and never guessed on a file with a WAL.
 */
export type Cipher = 'aegis' | 'chacha20';
export const CIPHER: Cipher = 'aegis';
/** What a key opens when nothing says otherwise (the county database, registers from before AEGIS). */
export const LEGACY_CIPHER: Cipher = 'chacha20';
export function isCipher(c: unknown): c is Cipher {
  return c === 'aegis' || c === 'chacha20';
}

export type OpenOptions = {
  /**
   * Path to a better_sqlite3.node built for another runtime (Electron's ABI). Tests and the CLI
   * under Node leave it unset and get the build npm made for Node.
   */
  nativeBinding?: string;
  readonly?: boolean;
  /** The 32-byte data key; without it the file is an ordinary (plain) SQLite database. */
  key?: Buffer;
  /** The scheme the file is (or is to be) encrypted with; LEGACY_CIPHER when not given. */
  cipher?: Cipher;
  /** Runs before anything can write to the file, e.g. refusing a database from a newer program. */
  check?: (db: Db) => void;
};

/** `PRAGMA key` with a raw 256-bit key (no passphrase KDF: the key is random already). */
export function applyKey(db: Db, key: Buffer, cipher: Cipher = LEGACY_CIPHER): void {
  db.pragma(`cipher = '${cipher}'`);
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** True for an unencrypted SQLite file (its first 16 bytes are SQLite's magic header). */
export function isPlainSqliteFile(file: string): boolean {
  if (!fs.existsSync(file) || fs.statSync(file).size < 16) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(16);
    fs.readSync(fd, b, 0, 16, 0);
    return b.equals(SQLITE_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const db = new Database(file, {
    nativeBinding: opts.nativeBinding,
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
  });
  try {
    if (opts.key) applyKey(db, opts.key, opts.cipher);
    try {
      // The first read decrypts page 1: a wrong key (or a plain reader on an encrypted file) fails here.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      if (e instanceof Error && /not a database|SQLITE_NOTADB/i.test(e.message)) {
        throw new AppError('refused', opts.key ? '密钥不对：这份登记簿不是用这个密钥加密的' : '这份登记簿已加密，需要先登录（PIN 或恢复码）才能打开');
      }
      throw e;
    }
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

/**
 * A consistent, compact copy of an open database in one file (no -wal beside it), encrypted with
 * the same key as the source. (SQLite's online backup API refuses encrypted sources in SQLite3MC,
 * and VACUUM INTO keeps the source's cipher and key.) The target must not exist yet.
 */
export function vacuumInto(db: Db, file: string): void {
  db.prepare('VACUUM INTO ?').run(file);
}
