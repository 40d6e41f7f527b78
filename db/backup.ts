import fs from 'node:fs';
import path from 'node:path';
import { Register } from './register';
import { CIPHER, isPlainSqliteFile, openDatabase, vacuumInto, type Cipher, type Db } from './connection';
import { assertNotFromFuture } from './migrate';
import { backupsDir, registerPath } from './dataDir';
import { normalizeRecoveryCode, parseKeyring, readKeyring, unwrapKey, writeKeyring, writeKeyringFile, backupKeyring, type Keyring } from './keyring';
import type { Vault } from './vault';
import { AppError } from '../domain/errors';
import type { BackupInfo, BackupInspection } from '../domain/records';
import { unitName } from '../domain/villageCode';

const KEEP_DAILY = 14;
const PREFIX = '代办通备份-';

function stamp(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** The key file a backup carries beside it: the wraps that open it on another laptop. */
export function backupKeyFile(file: string): string {
  return `${file}.keys.json`;
}

export type BackupOptions = {
  /** Our own folders (backups/, backups/daily) may be created; a folder the user chose must exist. */
  createDir?: boolean;
  agentId?: string | null;
  /** What the history records it as; default from the label (手动- manual, 每日- daily). */
  kind?: BackupKind;
};

/**
 * Kinds of backup the history records ('beforeRestore' is recorded with the restore, in the restored
 * register; 'preMigration' by Register.open after a schema upgrade).
 */
export type BackupKind = 'manual' | 'daily' | 'beforeRestore' | 'preMigration';

function kindOf(label: string): BackupKind {
  return label.startsWith('每日') ? 'daily' : label.startsWith('恢复前') ? 'beforeRestore' : 'manual';
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A consistent copy of the register in one file (VACUUM INTO: safe while the app keeps writing,
 * encrypted with the register's key), opened and integrity-checked before it counts as written,
 * with no -wal/-shm beside it, and its key file (wraps only) next to it.
 */
export async function backupTo(reg: Register, dir: string, label = '', opts: BackupOptions = {}): Promise<BackupInfo> {
  if (opts.createDir) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch {
      throw new AppError('invalid_input', `无法写入备份文件夹：${dir}`);
    }
  } else if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    // Never create it: on Linux /media/usb without the stick is a folder on the laptop's own disk.
    throw new AppError('invalid_input', `备份位置不存在：${dir}。请检查U盘是否插好、路径是否正确（程序不会自动创建这个文件夹，以免备份误存到本机硬盘）`);
  }
  const file = path.join(dir, `${PREFIX}${label}${stamp(reg.clock.nowMs())}.sqlite`);
  const tmp = `${file}.part`;
  const sidecars = (f: string) => ['-wal', '-shm', '-journal'].map((s) => f + s);
  for (const f of [tmp, ...sidecars(tmp)]) fs.rmSync(f, { force: true });
  try {
    try {
      vacuumInto(reg.db, tmp);
    } catch (e) {
      throw new AppError('invalid_input', `无法写入备份文件夹：${dir}（${e instanceof Error ? e.message.slice(0, 80) : ''}）`);
    }
    const check = openDatabase(tmp, { key: reg.dataKey ?? undefined, cipher: reg.cipher, nativeBinding: reg.nativeBinding, readonly: true });
    try {
      const ok = check.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new AppError('internal', '备份文件校验失败，请换一个位置重试');
    } finally {
      check.close();
    }
    fsyncFile(tmp);
    fs.renameSync(tmp, file);
  } finally {
    for (const f of [tmp, ...sidecars(tmp)]) fs.rmSync(f, { force: true });
  }
  if (reg.encrypted) {
    const k = readKeyring(reg.dataDir);
    if (k) writeKeyringFile(backupKeyFile(file), backupKeyring(k));
  }
  for (const f of sidecars(file)) fs.rmSync(f, { force: true });
  const bytes = fs.statSync(file).size;
  const kind = opts.kind ?? kindOf(label);
  // Accountability (issue 8): every copy of the register that leaves it is in the synced history — who,
  // when, what kind, whether to a folder the user chose (a USB stick) — not the path (it may name a person).
  // A backup made just before a restore is recorded with the restore: this register is about to be replaced.
  if (kind !== 'beforeRestore') {
    reg.tx(() => reg.writer.recordEvent({ entity: 'register', action: 'register.backup', eventData: { kind, chosenFolder: !opts.createDir, bytes } }, opts.agentId ?? null));
  }
  return { path: file, createdAt: reg.nowIso(), bytes };
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

/**
 * Once a day (on a timer while the app runs): keep the newest KEEP_DAILY automatic backups. The
 * laptop's own folder is created when missing; a second place (a USB stick) is used only when it
 * is there (`dir` given, `createDir` false).
 */
export async function dailyBackupIfDue(reg: Register, dir = path.join(backupsDir(reg.dataDir), 'daily'), createDir = true): Promise<BackupInfo | null> {
  if (!createDir && !(fs.existsSync(dir) && fs.statSync(dir).isDirectory())) return null;
  const today = reg.today().replace(/-/g, '');
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(`${PREFIX}每日-`) && f.endsWith('.sqlite')) : [];
  if (existing.some((f) => f.startsWith(`${PREFIX}每日-${today}`))) return null;
  const info = await backupTo(reg, dir, '每日-', { createDir });
  const all = fs.readdirSync(dir).filter((f) => f.startsWith(`${PREFIX}每日-`) && f.endsWith('.sqlite')).sort();
  for (const old of all.slice(0, Math.max(0, all.length - KEEP_DAILY))) {
    fs.rmSync(path.join(dir, old));
    fs.rmSync(backupKeyFile(path.join(dir, old)), { force: true });
  }
  return info;
}

export type RestoreSecret = { agentId?: string; pin?: string; recoveryCode?: string };

function missingKeyFile(kf: string): AppError {
  return new AppError('refused', `这份备份已加密，但旁边缺少它的密钥文件（${path.basename(kf)}）：请把备份文件和同名的 .keys.json 文件一起复制过来`);
}

/**
 * Looks at a backup file before a restore, without replacing anything: whose point it is and whether
 * this laptop's key opens it or a PIN of the backup's agents / its recovery code is needed (a backup
 * from another laptop of the point). A file this laptop cannot open is described from its key file.
 */
export function inspectBackup(reg: Register, file: string): BackupInspection {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new AppError('not_found', `找不到备份文件：${file}`);
  }
  if (!st.isFile()) throw new AppError('invalid_input', `${file} 不是文件：请选择备份文件本身（代办通备份-….sqlite）`);
  const info: BackupInfo = { path: file, createdAt: st.mtime.toISOString(), bytes: st.size };
  const encrypted = !isPlainSqliteFile(file);
  const fromDb = (key?: Buffer): BackupInspection | null => {
    let db: Db;
    try {
      db = openDatabase(file, { key, cipher: reg.cipher, nativeBinding: reg.nativeBinding, readonly: true });
    } catch {
      return null;
    }
    try {
      const r = db.prepare(`SELECT village_code, village_name, township_name, county_name FROM point WHERE id = 1`).get() as
        | { village_code: string; village_name: string; township_name: string; county_name: string }
        | undefined;
      const unit = r ? unitName({ countyName: r.county_name, townshipName: r.township_name, villageName: r.village_name }) : null;
      return { ...info, encrypted, needsSecret: false, pointCode: r?.village_code ?? null, unitName: unit, agents: [] };
    } catch {
      throw new AppError('invalid_input', '这个文件不是代办通的备份文件，或已损坏');
    } finally {
      db.close();
    }
  };
  if (!encrypted || reg.dataKey) {
    const opened = fromDb(encrypted ? (reg.dataKey ?? undefined) : undefined);
    if (opened) return opened;
    if (!encrypted) throw new AppError('invalid_input', '这个文件不是代办通的备份文件，或已损坏');
  }
  const kf = backupKeyFile(file);
  if (!fs.existsSync(kf)) {
    // An encrypted page looks like random bytes: not SQLite at all, or an encrypted backup without its key file.
    throw new AppError(
      'refused',
      `这个文件打不开：它不是代办通的备份文件，或是一份加密的备份而旁边缺少它的密钥文件（${path.basename(kf)}）。加密备份须与同名的 .keys.json 文件一起复制过来`,
    );
  }
  const k = parseKeyring(fs.readFileSync(kf, 'utf8'), kf);
  return {
    ...info,
    encrypted,
    needsSecret: true,
    pointCode: k.point?.villageCode ?? null,
    unitName: k.point?.unitName ?? null,
    agents: k.agents.map((a) => ({ id: a.id, name: a.name })),
  };
}

/** The key that opens a backup: the register's own, or one unwrapped from the backup's key file. */
async function backupKey(reg: Register | null, file: string, secret: RestoreSecret): Promise<{ key: Buffer | null; cipher: Cipher; keyring: Keyring | null }> {
  if (isPlainSqliteFile(file)) return { key: null, cipher: reg?.cipher ?? CIPHER, keyring: null };
  if (reg?.dataKey) {
    try {
      // A backup file has no WAL beside it, so trying the register's key and scheme on it is harmless.
      openDatabase(file, { key: reg.dataKey, cipher: reg.cipher, nativeBinding: reg.nativeBinding, readonly: true }).close();
      return { key: reg.dataKey, cipher: reg.cipher, keyring: null };
    } catch {
      // Another key: the backup's key file below.
    }
  }
  const kf = backupKeyFile(file);
  if (!fs.existsSync(kf)) throw missingKeyFile(kf);
  const k = parseKeyring(fs.readFileSync(kf, 'utf8'), kf);
  let key: Buffer | null = null;
  if (secret.recoveryCode) key = await unwrapKey(k.recovery, normalizeRecoveryCode(secret.recoveryCode));
  else if (secret.pin) {
    const candidates = secret.agentId ? k.agents.filter((a) => a.id === secret.agentId) : k.agents;
    for (const a of candidates) {
      key = await unwrapKey(a.wrap, secret.pin);
      if (key) break;
    }
  } else {
    throw new AppError(
      'refused',
      `这份备份是用另一把密钥加密的（另一台电脑，或更早的密钥）：请输入备份时本代办点任一代办员（${k.agents.map((a) => a.name).join('、')}）的 PIN，或输入恢复码`,
    );
  }
  if (!key) {
    throw new AppError(
      'refused',
      secret.recoveryCode
        ? '恢复码不正确，备份未恢复：请输入这份备份所属代办点的恢复码（设置时打印、由乡镇保管的那一张）'
        : `PIN 不正确，备份未恢复：请输入备份时该代办员的 PIN（在做备份的那台电脑上用的 PIN，不一定是本机的）`,
    );
  }
  return { key, cipher: k.cipher, keyring: backupKeyring(k) };
}

/**
 * Replaces the register with a backup file. The file is checked first (a SQLite database, intact,
 * a 代办通 register of a version this program can open); the current register is backed up before
 * it is replaced. This closes `reg` and returns the restored register, open. A plain backup restored
 * into an encrypted register is encrypted with the register's key; a backup with another key brings
 * its key file along (its agents' PINs and its recovery code open it from now on).
 */
export async function restoreFrom(
  reg: Register | null,
  file: string,
  opts: {
    vault?: Vault | null;
    secret?: RestoreSecret;
    agentId?: string | null;
    dataDir?: string;
    /** Refuses a candidate (another point's backup…) before anything is replaced. */
    check?: (candidate: Db) => void;
    /** Runs once on the restored register before it is handed back. */
    afterRestore?: (restored: Register) => void;
  } = {},
): Promise<{ reg: Register; safetyBackup: string | null }> {
  if (!fs.existsSync(file)) throw new AppError('not_found', `找不到备份文件：${file}`);
  const dataDir = reg?.dataDir ?? opts.dataDir ?? opts.vault?.dataDir;
  if (!dataDir) throw new Error('restoreFrom: no data folder');
  const nativeBinding = reg?.nativeBinding ?? opts.vault?.opts.nativeBinding;
  const { key, cipher, keyring } = await backupKey(reg, file, opts.secret ?? {});
  let candidate;
  try {
    candidate = openDatabase(file, { key: key ?? undefined, cipher, nativeBinding, readonly: true });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('invalid_input', '这个文件不是代办通的备份文件');
  }
  const staging = `${registerPath(dataDir)}.restoring`;
  for (const f of [staging, `${staging}-journal`]) fs.rmSync(f, { force: true });
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
    vacuumInto(candidate, staging);
  } catch (e) {
    fs.rmSync(staging, { force: true });
    throw e;
  } finally {
    candidate.close();
  }
  // A plain backup into an encrypted register: encrypt the staged copy with the register's key.
  const finalKey = key ?? reg?.dataKey ?? null;
  if (!key && reg?.dataKey) {
    const s = openDatabase(staging, { nativeBinding });
    try {
      s.pragma('journal_mode = DELETE');
      s.pragma(`cipher = '${reg.cipher}'`);
      s.pragma(`rekey = "x'${reg.dataKey.toString('hex')}'"`);
    } finally {
      s.close();
    }
  }
  const safety = reg ? await backupTo(reg, backupsDir(dataDir), '恢复前-', { createDir: true, agentId: opts.agentId }) : null;
  const clock = reg?.clock ?? opts.vault?.opts.clock;
  // Closing checkpoints and removes the WAL; the staged file then takes the register's place.
  reg?.close();
  const target = registerPath(dataDir);
  for (const f of [`${target}-wal`, `${target}-shm`]) fs.rmSync(f, { force: true });
  if (keyring && opts.vault) writeKeyring(dataDir, keyring);
  fs.renameSync(staging, target);
  const open = () => Register.open({ dataDir, clock, nativeBinding, key: finalKey ?? undefined, cipher: finalKey ? cipher : undefined });
  let restored = await open();
  if (opts.afterRestore) {
    // e.g. a new device identity (sync/village/devices.ts): the register caches its device id, so reopen.
    try {
      opts.afterRestore(restored);
    } finally {
      restored.close();
    }
    restored = await open();
  }
  // The restore is the restored register's first event under its (new) identity, chained and synced.
  const name = path.basename(file);
  // Our own file names only (a renamed file could carry a person's name).
  const data = { backupName: name.startsWith(PREFIX) ? name.slice(0, 120) : '', safetyBackup: safety !== null, otherKey: keyring !== null };
  restored.tx(() => restored.writer.recordEvent({ entity: 'register', action: 'register.restore', eventData: data }, opts.agentId ?? null));
  return { reg: restored, safetyBackup: safety?.path ?? null };
}
