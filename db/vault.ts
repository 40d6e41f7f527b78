// The encrypted register's lock: which state the data folder is in, and the only code that turns a
// PIN or the recovery code into the data key. Shells and the CLI open the register through here;
// tests that need no encryption may still open a plain Register directly.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Register } from './register';
import type { Clock } from './clock';
import { CIPHER, isPlainSqliteFile, openDatabase, vacuumInto } from './connection';
import { backupsDir, registerPath } from './dataDir';
import {
  backupKeyring,
  newDataKey,
  newRecoveryCode,
  normalizeRecoveryCode,
  readKeyring,
  unwrapKey,
  wrapKey,
  writeKeyring,
  type Keyring,
  type KeyringAgent,
  type KeyringPoint,
  type LockState,
} from './keyring';
import { PinThrottle, NO_LOCK, type MonoClock } from './pinThrottle';
import { AppError } from '../domain/errors';
import type { PointInfo } from '../domain/records';

/**
 * fresh: nothing yet (first-run setup); plain: a register from before encryption (converted at the
 * next sign-in); encrypted: keys.json beside an encrypted register.
 */
export type VaultState = 'fresh' | 'plain' | 'encrypted';

/** Electron's safeStorage, where the OS offers it (keychain, DPAPI, libsecret). */
export type OsKeyStore = { encrypt(b: Buffer): Buffer; decrypt(b: Buffer): Buffer };

export type VaultOptions = {
  dataDir: string;
  nativeBinding?: string;
  clock?: Clock;
  mono?: MonoClock;
  osKeyStore?: OsKeyStore | null;
};

export type Unlocked = { key: Buffer; agentId: string | null };

export class Vault {
  readonly throttle: PinThrottle;

  constructor(readonly opts: VaultOptions) {
    this.throttle = new PinThrottle(opts.mono);
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  state(): VaultState {
    const file = registerPath(this.dataDir);
    // A plain file wins over a keys.json beside it: a conversion cut short by a power failure is redone.
    if (isPlainSqliteFile(file)) return 'plain';
    if (readKeyring(this.dataDir)) return 'encrypted';
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) return 'fresh';
    throw new AppError('internal', `登记簿已加密，但找不到它的密钥文件（keys.json）：${this.dataDir}。请从备份恢复（备份旁边的 .keys.json 文件也要一起复制）。`);
  }

  keyring(): Keyring {
    const k = readKeyring(this.dataDir);
    if (!k) throw new AppError('internal', '找不到密钥文件（keys.json）');
    return k;
  }

  open(key: Buffer | undefined): Promise<Register> {
    fs.mkdirSync(this.dataDir, { recursive: true });
    // A new register gets CIPHER; an existing one keeps the scheme keys.json names.
    const cipher = key ? (readKeyring(this.dataDir)?.cipher ?? CIPHER) : undefined;
    return Register.open({ dataDir: this.dataDir, nativeBinding: this.opts.nativeBinding, clock: this.opts.clock, key, cipher, recordUpgradeBackup: true });
  }

  /**
   * First-run setup of an encrypted register: `setup` writes the point and its agents inside the
   * new register; every agent's PIN and a new recovery code then wrap the data key.
   */
  async create(
    setup: (reg: Register) => { agentIds: string[] },
    agents: { name: string; pin: string }[],
    point: (reg: Register) => PointInfo | null,
  ): Promise<{ reg: Register; recoveryCode: string; agentIds: string[] }> {
    if (this.state() !== 'fresh') throw new AppError('refused', '代办点已经设置过了');
    const key = newDataKey();
    const reg = await this.open(key);
    try {
      const { agentIds } = setup(reg);
      const recoveryCode = newRecoveryCode();
      const [recovery, ...wraps] = await Promise.all([wrapKey(key, recoveryCode), ...agents.map((a) => wrapKey(key, a.pin))]);
      const k: Keyring = {
        version: 1,
        cipher: reg.cipher,
        keyId: randomUUID(),
        point: publicPoint(point(reg)),
        agents: agentIds.map((id, i) => ({ id, name: agents[i].name, wrap: wraps[i] })),
        recovery,
        lockout: {},
      };
      this.addOsWrap(k, key);
      writeKeyring(this.dataDir, k);
      return { reg, recoveryCode, agentIds };
    } catch (e) {
      reg.close();
      for (const f of ['', '-wal', '-shm']) fs.rmSync(registerPath(this.dataDir) + f, { force: true });
      throw e;
    }
  }

  private addOsWrap(k: Keyring, key: Buffer): void {
    const os = this.opts.osKeyStore;
    if (!os) return;
    try {
      k.safeStorage = os.encrypt(key).toString('base64');
    } catch {
      // The OS store is a convenience; the PIN wraps are what counts.
    }
  }

  /**
   * The data key from the OS key store (Electron's safeStorage), when this laptop's OS account made
   * the wrap: lets the shell run sync and the daily backup before anyone signs in. The UI still
   * needs an agent's PIN (signIn always checks the PIN's own wrap).
   */
  unlockWithOs(): Buffer | null {
    const os = this.opts.osKeyStore;
    const k = readKeyring(this.dataDir);
    if (!os || !k?.safeStorage) return null;
    try {
      const key = os.decrypt(Buffer.from(k.safeStorage, 'base64'));
      return key.length === 32 ? key : null;
    } catch {
      return null;
    }
  }

  /** Adds the OS-bound wrap to an existing key file (the first Electron sign-in after setup in the browser shell or CLI). */
  ensureOsWrap(key: Buffer): void {
    const k = readKeyring(this.dataDir);
    if (!k || k.safeStorage || !this.opts.osKeyStore) return;
    this.addOsWrap(k, key);
    if (k.safeStorage) writeKeyring(this.dataDir, k);
  }

  /** The data key from an agent's PIN, throttled (the lockout survives clock changes and restarts). */
  async unlockWithPin(agentId: string, pin: string): Promise<Buffer> {
    const k = this.keyring();
    const agent = k.agents.find((a) => a.id === agentId);
    if (!agent) throw new AppError('refused', '这位代办员在本机还没有 PIN（可能已停用）：请由其他代办员登录后为其设置，或使用恢复码');
    const st = this.throttle.settle(agentId, k.lockout[agentId]);
    this.saveLock(agentId, st);
    this.throttle.assertMayTry(st);
    const key = await unwrapKey(agent.wrap, pin);
    if (!key) {
      const f = this.throttle.failure(agentId, st);
      this.saveLock(agentId, f.state);
      throw new AppError('refused', f.message);
    }
    this.saveLock(agentId, NO_LOCK);
    return key;
  }

  async unlockWithRecovery(code: string): Promise<Buffer> {
    const k = this.keyring();
    const id = '(recovery)';
    const st = this.throttle.settle(id, k.lockout[id]);
    this.saveLock(id, st);
    this.throttle.assertMayTry(st);
    const key = await unwrapKey(k.recovery, normalizeRecoveryCode(code));
    if (!key) {
      const f = this.throttle.failure(id, st);
      this.saveLock(id, f.state);
      throw new AppError('refused', f.message.replace('密码', '恢复码'));
    }
    this.saveLock(id, NO_LOCK);
    return key;
  }

  private saveLock(id: string, s: LockState): void {
    const k = this.keyring();
    const cur = k.lockout[id] ?? NO_LOCK;
    if (cur.failures === s.failures && cur.remainingMs === s.remainingMs) return;
    if (s.failures === 0 && s.remainingMs === 0) delete k.lockout[id];
    else k.lockout[id] = s;
    writeKeyring(this.dataDir, k);
  }

  /** Adds or replaces an agent's wrap (new agent, changed PIN, PIN reset with the recovery code). */
  async setAgentPin(key: Buffer, agent: { id: string; name: string }, pin: string): Promise<void> {
    const wrap = await wrapKey(key, pin);
    const k = this.keyring();
    const entry: KeyringAgent = { id: agent.id, name: agent.name, wrap };
    k.agents = [...k.agents.filter((a) => a.id !== agent.id), entry];
    delete k.lockout[agent.id];
    writeKeyring(this.dataDir, k);
  }

  /** A deactivated agent's PIN opens nothing any more. */
  removeAgent(agentId: string): void {
    const k = this.keyring();
    k.agents = k.agents.filter((a) => a.id !== agentId);
    delete k.lockout[agentId];
    writeKeyring(this.dataDir, k);
  }

  /** Keeps the sign-in screen's copy of the point's public identity current. */
  setPoint(info: PointInfo | null): void {
    const point = publicPoint(info);
    const k = this.keyring();
    if (JSON.stringify(k.point) === JSON.stringify(point)) return;
    k.point = point;
    writeKeyring(this.dataDir, k);
  }

  /** The key file to put beside a backup (wraps only). */
  backupKeyring(): Keyring | null {
    const k = readKeyring(this.dataDir);
    return k ? backupKeyring(k) : null;
  }

  /**
   * Converts a plain register (from before encryption) at its first sign-in: an encrypted copy is
   * made and verified, keys.json written, the copy put in place, then the plain file and every
   * plain backup are removed. `reg` is closed; the encrypted register is returned.
   */
  async convertPlain(
    reg: Register,
    agent: { id: string; name: string; pin: string },
    point: PointInfo | null,
  ): Promise<{ reg: Register; recoveryCode: string; removed: string[] }> {
    const file = registerPath(this.dataDir);
    const tmp = `${file}.encrypting`;
    for (const f of [tmp, `${tmp}-journal`]) fs.rmSync(f, { force: true });
    const counts = (db: Register['db']) =>
      ['cases', 'applicants', 'events', 'outbox'].map((t) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n).join(',');
    const before = counts(reg.db);
    vacuumInto(reg.db, tmp);
    const key = newDataKey();
    const c = openDatabase(tmp, { nativeBinding: this.opts.nativeBinding });
    try {
      c.pragma('journal_mode = DELETE');
      c.pragma(`cipher = '${CIPHER}'`);
      c.pragma(`rekey = "x'${key.toString('hex')}'"`);
    } finally {
      c.close();
    }
    const check = openDatabase(tmp, { key, cipher: CIPHER, nativeBinding: this.opts.nativeBinding, readonly: true });
    try {
      if (check.pragma('integrity_check', { simple: true }) !== 'ok' || counts(check) !== before) {
        throw new AppError('internal', '加密后的登记簿校验未通过，原登记簿保持不变');
      }
    } finally {
      check.close();
    }
    if (isPlainSqliteFile(tmp)) throw new AppError('internal', '加密失败，原登记簿保持不变');
    const recoveryCode = newRecoveryCode();
    const [recovery, wrap] = await Promise.all([wrapKey(key, recoveryCode), wrapKey(key, agent.pin)]);
    const k: Keyring = {
      version: 1,
      cipher: CIPHER,
      keyId: randomUUID(),
      point: publicPoint(point),
      agents: [{ id: agent.id, name: agent.name, wrap }],
      recovery,
      lockout: {},
    };
    this.addOsWrap(k, key);
    reg.close();
    // keys.json first: if the power fails before the rename, the plain register is still there and
    // the next sign-in converts it again (a keys.json beside a plain file is replaced).
    writeKeyring(this.dataDir, k);
    fs.renameSync(tmp, file);
    const removed: string[] = [];
    for (const f of [`${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.rmSync(f);
    for (const b of plainBackups(backupsDir(this.dataDir))) {
      fs.rmSync(b);
      removed.push(b);
    }
    return { reg: await this.open(key), recoveryCode, removed };
  }
}

/** Only the point's public identity goes into keys.json (no phone numbers, no settings). */
function publicPoint(p: PointInfo | null): KeyringPoint | null {
  if (!p) return null;
  return { villageCode: p.villageCode, villageName: p.villageName, townshipName: p.townshipName, countyName: p.countyName, unitName: p.unitName };
}

/** Every unencrypted SQLite file under a backups folder (daily, manual, pre-migration, pre-restore). */
export function plainBackups(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...plainBackups(p));
    else if (e.name.endsWith('.sqlite') && isPlainSqliteFile(p)) out.push(p);
  }
  return out;
}
