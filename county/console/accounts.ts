// Staff accounts of the county console: passwords under scrypt (memory-hard; ~64 MiB and ≥ 100 ms
// per check, see tests/county/accounts.test.ts), lockout after repeated failures, one-time
// passwords that must be changed at first sign-in, and the audit log every sensitive act writes to.
import { randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { uuidv7 } from '../../domain/ids';
import type { County } from '../db';
import { ROLES, type Account, type AuditKind, type Role } from './types';

const SCRYPT = { N: 1 << 16, r: 8, p: 1, maxmem: 160 * 1024 * 1024 } as const;
const KEY_LEN = 32;
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

function scrypt(pw: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(pw.normalize('NFC'), salt, KEY_LEN, opts, (e, k) => (e ? reject(e) : resolve(k))));
}

export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !key) return false;
  const want = Buffer.from(key, 'base64');
  const got = await scrypt(pw, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return got.length === want.length && timingSafeEqual(got, want);
}

// A hash that never matches, checked when the name is unknown so timing does not reveal which names exist.
let dummyHash: Promise<string> | null = null;

const PW_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** A one-time password: 14 characters without look-alikes (no 0/O, 1/l/I). */
export function oneTimePassword(): string {
  let s = '';
  for (let i = 0; i < 14; i++) s += PW_ALPHABET[randomInt(PW_ALPHABET.length)];
  return s;
}

/** Rules for a chosen password, in Chinese. */
export function passwordProblem(pw: string, name: string): string | null {
  if (pw.length < 10) return '新密码至少 10 位';
  if (pw.toLowerCase().includes(name.toLowerCase())) return '新密码不能包含登录名';
  if (/^(.)\1*$/.test(pw) || /^(0123456789|1234567890|abcdefghij)/i.test(pw)) return '新密码过于简单';
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((r) => r.test(pw)).length;
  if (kinds < 2) return '新密码至少包含字母、数字、符号中的两类';
  return null;
}

export type AccountRow = {
  id: string;
  name: string;
  display_name: string;
  role: Role;
  township_code: string | null;
  password_hash: string;
  must_change: number;
  disabled: number;
  failed_count: number;
  locked_until: string | null;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
};

export function townshipName(county: County, code: string | null): string | null {
  if (!code) return null;
  const r = county.db.prepare(`SELECT township_name FROM points WHERE substr(code, 1, 9) = ? LIMIT 1`).get(code) as { township_name: string } | undefined;
  return r?.township_name ?? `乡镇 ${code}`;
}

export function toAccount(county: County, r: AccountRow): Account {
  return {
    id: r.id,
    name: r.name,
    displayName: r.display_name,
    role: r.role,
    townshipCode: r.township_code,
    townshipName: townshipName(county, r.township_code),
    disabled: r.disabled === 1,
    lockedUntil: r.locked_until && r.locked_until > county.nowIso() ? r.locked_until : null,
    lastSignInAt: r.last_sign_in_at,
    createdAt: r.created_at,
  };
}

export function getAccountRow(county: County, id: string): AccountRow | null {
  return (county.db.prepare(`SELECT * FROM accounts WHERE id = ?`).get(id) as AccountRow | undefined) ?? null;
}

function checkRole(county: County, role: Role, townshipCode: string | null): void {
  if (!(role in ROLES)) throw new Error('未知的角色');
  if (role === 'township') {
    if (!townshipCode || !/^\d{9}$/.test(townshipCode)) throw new Error('乡镇工作人员必须指定所属乡镇（9 位乡镇代码）');
    const id = county.requireIdentity();
    if (!townshipCode.startsWith(id.code)) throw new Error(`乡镇 ${townshipCode} 不属于本县（${id.code}）`);
  } else if (townshipCode) {
    throw new Error('县中心账号不绑定乡镇');
  }
}

/** A new account with a one-time password (printed once, changed at first sign-in). */
export async function createAccount(
  county: County,
  input: { name: string; displayName?: string; role: Role; townshipCode?: string | null },
): Promise<{ row: AccountRow; password: string }> {
  const name = input.name.trim();
  if (!/^[A-Za-z0-9_.\u3400-\u9fff-]{2,40}$/.test(name)) throw new Error('登录名应为 2–40 个字（字母、数字、汉字）');
  const township = input.role === 'township' ? (input.townshipCode ?? null) : null;
  checkRole(county, input.role, township);
  if (county.db.prepare(`SELECT 1 FROM accounts WHERE name = ?`).get(name)) throw new Error(`登录名“${name}”已经有人使用`);
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  const now = county.nowIso();
  const id = uuidv7(county.clock.nowMs());
  county.db
    .prepare(
      `INSERT INTO accounts (id, name, display_name, role, township_code, password_hash, must_change, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    )
    .run(id, name, (input.displayName ?? '').trim() || name, input.role, township, hash, now, now);
  return { row: getAccountRow(county, id)!, password };
}

export function updateAccount(
  county: County,
  id: string,
  patch: { role?: Role; townshipCode?: string | null; disabled?: boolean; displayName?: string },
): AccountRow {
  const cur = getAccountRow(county, id);
  if (!cur) throw new Error('没有这个账号');
  const role = patch.role ?? cur.role;
  const township = role === 'township' ? (patch.townshipCode !== undefined ? patch.townshipCode : cur.township_code) : null;
  checkRole(county, role, township);
  const disabled = patch.disabled ?? cur.disabled === 1;
  // The county must never lose its last administrator.
  if (cur.role === 'admin' && (role !== 'admin' || disabled)) {
    const admins = (county.db.prepare(`SELECT COUNT(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0 AND id <> ?`).get(id) as { n: number }).n;
    if (admins === 0) throw new Error('这是唯一的管理员账号，不能停用或改为其他角色');
  }
  county.db
    .prepare(`UPDATE accounts SET role = ?, township_code = ?, disabled = ?, display_name = ?, updated_at = ? WHERE id = ?`)
    .run(role, township, disabled ? 1 : 0, patch.displayName?.trim() || cur.display_name, county.nowIso(), id);
  return getAccountRow(county, id)!;
}

export async function resetPassword(county: County, id: string): Promise<{ row: AccountRow; password: string }> {
  if (!getAccountRow(county, id)) throw new Error('没有这个账号');
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  county.db
    .prepare(`UPDATE accounts SET password_hash = ?, must_change = 1, failed_count = 0, locked_until = NULL, updated_at = ? WHERE id = ?`)
    .run(hash, county.nowIso(), id);
  return { row: getAccountRow(county, id)!, password };
}

export type SignInResult = { ok: true; row: AccountRow } | { ok: false; locked: boolean; message: string };

/** Checks a password; counts failures and locks the account for LOCK_MINUTES after MAX_FAILURES. */
export async function checkSignIn(county: County, name: string, password: string): Promise<SignInResult> {
  const row = county.db.prepare(`SELECT * FROM accounts WHERE name = ?`).get(name.trim()) as AccountRow | undefined;
  const wrong = { ok: false as const, locked: false, message: '登录名或密码不正确' };
  if (!row) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verifyPassword(password, await dummyHash);
    return wrong;
  }
  const now = county.nowIso();
  if (row.locked_until && row.locked_until > now) {
    return { ok: false, locked: true, message: `密码错误次数过多，账号已锁定，请在 ${LOCK_MINUTES} 分钟后再试或请管理员重置密码` };
  }
  const ok = await verifyPassword(password, row.password_hash);
  if (!ok) {
    const failed = row.failed_count + 1;
    const lock = failed >= MAX_FAILURES ? new Date(county.clock.nowMs() + LOCK_MINUTES * 60_000).toISOString() : null;
    county.db.prepare(`UPDATE accounts SET failed_count = ?, locked_until = ? WHERE id = ?`).run(lock ? 0 : failed, lock, row.id);
    if (lock) return { ok: false, locked: true, message: `密码连续错误 ${MAX_FAILURES} 次，账号已锁定 ${LOCK_MINUTES} 分钟` };
    return wrong;
  }
  if (row.disabled) return { ok: false, locked: false, message: '这个账号已被停用，请联系县中心管理员' };
  county.db.prepare(`UPDATE accounts SET failed_count = 0, locked_until = NULL, last_sign_in_at = ? WHERE id = ?`).run(now, row.id);
  return { ok: true, row: getAccountRow(county, row.id)! };
}

export async function changePassword(county: County, id: string, oldPassword: string, newPassword: string): Promise<AccountRow> {
  const row = getAccountRow(county, id);
  if (!row) throw new Error('没有这个账号');
  if (!(await verifyPassword(oldPassword, row.password_hash))) throw new Error('原密码不正确');
  const problem = passwordProblem(newPassword, row.name);
  if (problem) throw new Error(problem);
  if (await verifyPassword(newPassword, row.password_hash)) throw new Error('新密码不能与原密码相同');
  const hash = await hashPassword(newPassword);
  county.db.prepare(`UPDATE accounts SET password_hash = ?, must_change = 0, updated_at = ? WHERE id = ?`).run(hash, county.nowIso(), id);
  return getAccountRow(county, id)!;
}

/** The first administrator, created by `daiban county init` (or `county accounts add-admin` when none exists). */
export async function createFirstAdmin(county: County, name: string): Promise<{ row: AccountRow; password: string }> {
  const n = (county.db.prepare(`SELECT COUNT(*) AS n FROM accounts WHERE role = 'admin'`).get() as { n: number }).n;
  if (n > 0) throw new Error('已经有管理员账号；请由管理员在控制台“账号与审计”中添加账号');
  return createAccount(county, { name, displayName: '县中心管理员', role: 'admin' });
}

export function audit(county: County, kind: AuditKind, who: { id: string; name: string } | null, summary: string, ip = ''): void {
  county.db
    .prepare(`INSERT INTO audit_log (at, kind, account_id, user_name, summary, ip) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(county.nowIso(), kind, who?.id ?? null, who?.name ?? '', summary.slice(0, 500), ip.slice(0, 64));
}
