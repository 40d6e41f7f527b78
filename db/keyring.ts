// The key file next to the encrypted register (`keys.json`). It holds what the sign-in screen needs
// before the register can be opened — the point's public identity and the agents' names — and the
// register's random data key wrapped (AES-256-GCM) under each active agent's PIN, under the
// recovery code, and (Electron, where the OS offers it) under the OS's safeStorage. No personal data
// of villagers, no phone numbers, no PIN hashes: without a PIN or the recovery code it opens nothing.
import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes, randomInt, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { AppError } from '../domain/errors';
import { isCipher, LEGACY_CIPHER, type Cipher } from './connection';

export const KEYRING_FILE = 'keys.json';
export const DATA_KEY_BYTES = 32;

/**
 * scrypt cost for PINs and the recovery code. N = 2^17, r = 8 needs 128 MiB per guess (memory-hard:
 * a GPU cannot run thousands at once) and takes ~0.3–0.9 s on the 2-core build machine
 * (`npm run bench -- register` prints it). Stored in every wrap, so it can be raised later.
 */
export const KDF = { N: 2 ** 17, r: 8, p: 1 } as const;
const MAXMEM = 256 * 1024 * 1024;

export type KdfParams = { N: number; r: number; p: number };

/** The data key encrypted under a key derived from a secret (PIN or recovery code). */
export type Wrap = { kdf: 'scrypt'; N: number; r: number; p: number; salt: string; iv: string; tag: string; ct: string };

export type KeyringAgent = { id: string; name: string; wrap: Wrap };

/** Failed PIN attempts, counted without trusting the wall clock (see db/pinThrottle.ts). */
export type LockState = { failures: number; remainingMs: number };

export type KeyringPoint = {
  villageCode: string;
  villageName: string;
  townshipName: string;
  countyName: string;
  unitName: string;
};

export type Keyring = {
  version: 1;
  /** SQLite3 Multiple Ciphers scheme of register.sqlite and its backups. */
  cipher: Cipher;
  /** Random id of this data key: a backup's key file and the register's must name the same key. */
  keyId: string;
  point: KeyringPoint | null;
  agents: KeyringAgent[];
  recovery: Wrap;
  /** The data key encrypted by Electron's safeStorage (OS keychain / DPAPI), base64; absent elsewhere. */
  safeStorage?: string;
  lockout: Record<string, LockState>;
};

export function keyringPath(dataDir: string): string {
  return path.join(dataDir, KEYRING_FILE);
}

function scrypt(secret: string, salt: Buffer, p: KdfParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: MAXMEM };
  return new Promise((resolve, reject) =>
    scryptCb(secret.normalize('NFKC'), salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function wrapKey(dataKey: Buffer, secret: string, params: KdfParams = KDF): Promise<Wrap> {
  const salt = randomBytes(16);
  const kek = await scrypt(secret, salt, params);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  const ct = Buffer.concat([c.update(dataKey), c.final()]);
  return {
    kdf: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
}

/** The data key, or null when the secret is wrong (the GCM tag does not verify). */
export async function unwrapKey(w: Wrap, secret: string): Promise<Buffer | null> {
  if (w.kdf !== 'scrypt') return null;
  const kek = await scrypt(secret, Buffer.from(w.salt, 'base64'), { N: w.N, r: w.r, p: w.p });
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(w.iv, 'base64'));
    d.setAuthTag(Buffer.from(w.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(w.ct, 'base64')), d.final()]);
  } catch {
    return null;
  }
}

// Recovery code: 25 characters from an alphabet without look-alikes (no 0/O, 1/I/L), in groups of 5
// so it can be read out and typed back from paper: 125 bits.
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function newRecoveryCode(): string {
  const chars = Array.from({ length: 25 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return [0, 5, 10, 15, 20].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** What a person types back: spaces, dashes and case do not matter; O and I/L read as 0 and 1 are mapped back. */
export function normalizeRecoveryCode(s: string): string {
  const c = s.toUpperCase().replace(/[\s\-－—_]/g, '');
  return [0, 5, 10, 15, 20].map((i) => c.slice(i, i + 5)).filter(Boolean).join('-');
}

export function readKeyring(dataDir: string): Keyring | null {
  const file = keyringPath(dataDir);
  if (!fs.existsSync(file)) return null;
  return parseKeyring(fs.readFileSync(file, 'utf8'), file);
}

export function parseKeyring(text: string, where: string): Keyring {
  let k: Keyring;
  try {
    k = JSON.parse(text) as Keyring;
  } catch {
    throw new AppError('internal', `密钥文件已损坏，无法读取：${where}`);
  }
  if (k.version !== 1 || !Array.isArray(k.agents) || !k.recovery) throw new AppError('internal', `密钥文件格式不正确：${where}`);
  k.lockout ??= {};
  k.cipher ??= LEGACY_CIPHER;
  if (!isCipher(k.cipher)) throw new AppError('internal', `密钥文件中的加密方式（${String(k.cipher).slice(0, 20)}）本程序不认识：${where}`);
  return k;
}

/** Atomic replace (write, fsync, rename): a power cut leaves the old or the new key file, never half. */
export function writeKeyring(dataDir: string, k: Keyring): void {
  writeKeyringFile(keyringPath(dataDir), k);
}

export function writeKeyringFile(file: string, k: Keyring): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(k, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** The key file a backup carries beside it: wraps only (no lockout counters, no OS-bound wrap). */
export function backupKeyring(k: Keyring): Keyring {
  return { ...k, safeStorage: undefined, lockout: {} };
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}
