import path from 'node:path';
import fs from 'node:fs';
import { vacuumInto, type Db } from './connection';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index';

export class SchemaFromFutureError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `这个数据库由更新版本的代办通创建（数据结构版本 ${found}），当前程序只支持到版本 ${supported}。` +
        '请先升级代办通再打开。数据没有被改动。',
    );
    this.name = 'SchemaFromFutureError';
  }
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Refuse before touching anything: a newer program may have changed what rows mean. */
export function assertNotFromFuture(db: Db, migrations: Migration[] = MIGRATIONS): void {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const v = schemaVersion(db);
  if (v > latest) throw new SchemaFromFutureError(v, latest);
}

/**
 * Applies pending migrations, each in its own transaction together with its user_version bump,
 * so a crash leaves the database at a whole version. A database that already has data is backed
 * up (SQLite online backup) before the first pending migration.
 */
export async function migrate(
  db: Db,
  opts: { backupDir?: string; migrations?: Migration[] } = {},
): Promise<{ from: number; to: number; backup: string | null }> {
  const migrations = opts.migrations ?? MIGRATIONS;
  assertNotFromFuture(db, migrations);
  const from = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > from);
  let backup: string | null = null;
  if (pending.length && from > 0 && opts.backupDir) {
    fs.mkdirSync(opts.backupDir, { recursive: true });
    backup = path.join(opts.backupDir, `升级前备份-v${from}-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
    // VACUUM INTO: the copy carries the register's encryption (the backup API refuses an encrypted source).
    vacuumInto(db, backup);
  }
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      db.pragma(`user_version = ${Number(m.version)}`);
    })();
  }
  return { from, to: schemaVersion(db), backup };
}

export { LATEST_SCHEMA_VERSION };
