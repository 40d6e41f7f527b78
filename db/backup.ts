import fs from 'node:fs';
import path from 'node:path';
import type { Register } from './register';
import { openDatabase, type Db } from './connection';
import { assertNotFromFuture } from './migrate';
import { backupsDir, registerPath } from './dataDir';
import { AppError } from '../domain/errors';
import type { BackupInfo } from '../domain/records';

const KEEP_DAILY = 14;
const PREFIX = '代办通备份-';

function stamp(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** SQLite's online backup API: a consistent copy even while the app keeps writing (never a file copy of a live WAL db). */
export async function backupTo(reg: Register, dir: string, label = ''): Promise<BackupInfo> {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    throw new AppError('invalid_input', `无法写入备份文件夹：${dir}`);
  }
  const file = path.join(dir, `${PREFIX}${label}${stamp(reg.clock.nowMs())}.sqlite`);
  await reg.db.backup(file);
  const check = openDatabase(file, { readonly: true });
  try {
    const ok = check.pragma('quick_check', { simple: true });
    if (ok !== 'ok') throw new AppError('internal', '备份文件校验失败，请换一个位置重试');
  } finally {
    check.close();
  }
  return { path: file, createdAt: reg.nowIso(), bytes: fs.statSync(file).size };
}

export function listBackups(reg: Register, dir = backupsDir(reg.dataDir)): BackupInfo[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => {
      const st = fs.statSync(path.join(dir, f));
      return { path: path.join(dir, f), createdAt: st.mtime.toISOString(), bytes: st.size };
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Once a day (on open or on a timer): keep the newest KEEP_DAILY automatic backups. */
export async function dailyBackupIfDue(reg: Register): Promise<BackupInfo | null> {
  const dir = path.join(backupsDir(reg.dataDir), 'daily');
  const today = reg.today().replace(/-/g, '');
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(`${PREFIX}每日-`)) : [];
  if (existing.some((f) => f.startsWith(`${PREFIX}每日-${today}`))) return null;
  const info = await backupTo(reg, dir, '每日-');
  const all = fs.readdirSync(dir).filter((f) => f.startsWith(`${PREFIX}每日-`)).sort();
  for (const old of all.slice(0, Math.max(0, all.length - KEEP_DAILY))) fs.rmSync(path.join(dir, old));
  return info;
}

/**
 * Replaces the register with a backup file. The file is checked first (a SQLite database, intact,
 * a 代办通 register of a version this program can open); the current register is backed up before
 * it is replaced. This closes `reg`; the caller reopens the register afterwards.
 */
export async function restoreFrom(reg: Register, file: string, opts: { check?: (candidate: Db) => void } = {}): Promise<{ safetyBackup: string }> {
  if (!fs.existsSync(file)) throw new AppError('not_found', `找不到备份文件：${file}`);
  let candidate;
  try {
    candidate = openDatabase(file, { readonly: true });
  } catch {
    throw new AppError('invalid_input', '这个文件不是代办通的备份文件');
  }
  try {
    let ok: unknown;
    try {
      ok = candidate.pragma('integrity_check', { simple: true });
    } catch {
      throw new AppError('invalid_input', '这个文件不是代办通的备份文件，或已损坏');
    }
    if (ok !== 'ok') throw new AppError('invalid_input', '备份文件已损坏，不能恢复');
    try {
      assertNotFromFuture(candidate);
    } catch (e) {
      throw new AppError('refused', e instanceof Error ? e.message : String(e));
    }
    const hasPoint = candidate.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'point'`).get();
    if (!hasPoint) throw new AppError('invalid_input', '这个文件不是代办通的备份文件');
    // e.g. a backup of another point (sync/village/devices.ts checkRestoreCandidate).
    opts.check?.(candidate);
  } finally {
    candidate.close();
  }
  const safety = await backupTo(reg, backupsDir(reg.dataDir), '恢复前-');
  // Closing checkpoints and removes the WAL, so the backup API then writes a clean file.
  reg.close();
  const src = openDatabase(file, { readonly: true });
  try {
    await src.backup(registerPath(reg.dataDir));
  } finally {
    src.close();
  }
  return { safetyBackup: safety.path };
}
