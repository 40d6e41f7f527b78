// The register at rest: what a thief with the laptop's disk or a lost USB stick can read. Every
// test reads raw bytes of real files and looks for what an agent typed in.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Vault } from '../../db/vault';
import { Register } from '../../db/register';
import { createContext, type ServiceContext } from '../../api/context';
import { createDaibanApi } from '../../api/service';
import type { DaibanApi } from '../../api/contract';
import { backupTo, dailyBackupIfDue } from '../../db/backup';
import { backupsDir, registerPath } from '../../db/dataDir';
import { migrate } from '../../db/migrate';
import { MIGRATIONS } from '../../db/migrations/index';
import { isPlainSqliteFile } from '../../db/connection';
import { keyringPath } from '../../db/keyring';
import { DEMO_POINT, IDS, TestClock, tempDir } from '../support/tempRegister';

const NAME = '赵秘密';
const PHONE = '13912345678';
const ID = IDS.zhangSan;

type Env = { dir: string; vault: Vault; ctx: ServiceContext; api: DaibanApi; clock: TestClock };
const dirs: string[] = [];
let open: Env[] = [];

afterEach(() => {
  for (const e of open) if (e.ctx.isOpen) e.ctx.reg.close();
  open = [];
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function shell(dir: string, clock = new TestClock(Date.parse('2026-11-20T02:00:00Z'))): Env {
  const vault = new Vault({ dataDir: dir, clock, mono: clock.monoMs });
  const ctx = createContext({ vault, initial: null, shell: 'web' });
  const env = { dir, vault, ctx, api: createDaibanApi(ctx), clock };
  open.push(env);
  return env;
}

async function intake(api: DaibanApi): Promise<void> {
  const item = (await api.searchCatalog({ q: '低保' }))[0];
  await api.createCase({
    applicant: { kind: 'person', name: NAME, idNumber: ID, phone: PHONE, villageGroup: '', address: '红旗村三组' },
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
  });
}

/** Every needle as UTF-8 bytes (the name also as UTF-16, as FTS or a careless export might hold it). */
function leaks(file: string): string[] {
  const bytes = fs.readFileSync(file);
  const found: string[] = [];
  for (const n of [NAME, PHONE, ID, ID.slice(-6)]) {
    if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) found.push(n);
  }
  return found;
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('the register at rest', () => {
  it('keeps no name, ID number or phone readable in the register, its WAL or any backup', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const env = shell(dir);
    const setup = await env.api.setupPoint(DEMO_POINT);
    expect(setup.encrypted).toBe(true);
    expect(setup.recovery?.recoveryCode).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){4}$/);
    await intake(env.api);

    // The WAL holds the intake before a checkpoint: read it while the register is open.
    const wal = `${registerPath(dir)}-wal`;
    expect(fs.statSync(wal).size).toBeGreaterThan(0);
    expect(leaks(wal)).toEqual([]);
    expect(leaks(registerPath(dir))).toEqual([]);
    expect(isPlainSqliteFile(registerPath(dir))).toBe(false);

    // Every backup kind: manual (to a stick), daily, pre-restore, pre-migration.
    const stick = tempDir('daiban-stick-');
    dirs.push(stick);
    const manual = await env.api.backupNow({ dir: stick });
    const daily = await dailyBackupIfDue(env.ctx.reg);
    expect(daily).not.toBeNull();
    await env.api.restoreBackup({ path: manual.path, confirm: true });
    await env.api.signIn({ agentId: setup.agents[0].id, pin: DEMO_POINT.agents[0].pin });
    const preMigration = await migrate(env.ctx.reg.db, { backupDir: backupsDir(dir), migrations: [...MIGRATIONS, { version: 999, name: 'test', sql: 'CREATE TABLE t999(x)' }] });
    expect(preMigration.backup).not.toBeNull();
    const kinds = allFiles(dir).filter((f) => f.endsWith('.sqlite'));
    expect(kinds.some((f) => f.includes('每日-'))).toBe(true);
    expect(kinds.some((f) => f.includes('恢复前-'))).toBe(true);
    expect(kinds.some((f) => f.includes('升级前备份'))).toBe(true);
    for (const f of [...allFiles(dir), ...allFiles(stick)]) expect({ f, leaks: leaks(f) }).toEqual({ f, leaks: [] });
    // The key file holds names of agents and wraps, nothing of the villagers.
    expect(fs.readFileSync(keyringPath(dir), 'utf8')).not.toMatch(/13904781234|0478/);
    // No -wal/-shm beside the backup on the stick.
    expect(fs.readdirSync(stick).sort()).toEqual([path.basename(manual.path), `${path.basename(manual.path)}.keys.json`].sort());
  }, 120_000);

  it('opens nothing with a wrong PIN, and nothing without a key', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = shell(dir);
    const st = await a.api.setupPoint(DEMO_POINT);
    await intake(a.api);
    a.ctx.reg.close();

    const b = shell(dir);
    const locked = await b.api.getAppState({});
    expect(locked.registerLocked).toBe(true);
    expect(locked.agents.map((x) => x.name)).toEqual(DEMO_POINT.agents.map((x) => x.name));
    await expect(b.api.signIn({ agentId: st.agents[0].id, pin: '999999' })).rejects.toThrow(/密码不正确/);
    expect(b.ctx.isOpen).toBe(false);
    await expect(b.api.searchCases({})).rejects.toThrow(/请先登录/);
    await expect(Register.open({ dataDir: dir })).rejects.toThrow(/已加密/);
    const me = await b.api.signIn({ agentId: st.agents[1].id, pin: DEMO_POINT.agents[1].pin });
    expect(me.name).toBe('李建国');
    expect((await b.api.searchCases({ q: NAME.slice(0, 2) })).total).toBe(1);
  }, 60_000);

  it('with every PIN forgotten, the recovery code opens the register and sets a new PIN', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = shell(dir);
    const st = await a.api.setupPoint(DEMO_POINT);
    await intake(a.api);
    a.ctx.reg.close();

    const b = shell(dir);
    const agentId = st.agents[0].id;
    await expect(b.api.recoverWithCode({ recoveryCode: 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', agentId, newPin: '802113' })).rejects.toThrow(/恢复码不正确/);
    await expect(b.api.recoverWithCode({ recoveryCode: st.recovery!.recoveryCode, agentId, newPin: '111111' })).rejects.toThrow(/同一个数字/);
    // Typed back from paper: lower case, spaces instead of dashes.
    const typed = st.recovery!.recoveryCode.toLowerCase().replace(/-/g, ' ');
    expect((await b.api.recoverWithCode({ recoveryCode: typed, agentId, newPin: '802113' })).name).toBe('王秀兰');
    expect((await b.api.searchCases({})).total).toBe(1);
    b.ctx.reg.close();

    const c = shell(dir);
    await expect(c.api.signIn({ agentId, pin: DEMO_POINT.agents[0].pin })).rejects.toThrow(/密码不正确/);
    expect((await c.api.signIn({ agentId, pin: '802113' })).name).toBe('王秀兰');
  }, 60_000);

  it('changing a PIN re-wraps the key; deactivating an agent removes their wrap', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = shell(dir);
    const st = await a.api.setupPoint(DEMO_POINT);
    const [wang, li] = st.agents;
    await a.api.changePin({ oldPin: DEMO_POINT.agents[0].pin, newPin: '507913' });
    await a.api.setAgentActive({ agentId: li.id, active: false });
    a.ctx.reg.close();

    const b = shell(dir);
    await expect(b.api.signIn({ agentId: wang.id, pin: DEMO_POINT.agents[0].pin })).rejects.toThrow(/密码不正确/);
    await expect(b.api.signIn({ agentId: li.id, pin: DEMO_POINT.agents[1].pin })).rejects.toThrow(/没有 PIN/);
    await b.api.signIn({ agentId: wang.id, pin: '507913' });
    await expect(b.api.setAgentActive({ agentId: li.id, active: true })).rejects.toThrow(/新的 PIN/);
    await b.api.setAgentActive({ agentId: li.id, active: true, pin: '468024' });
    b.ctx.reg.close();
    const c = shell(dir);
    expect((await c.api.signIn({ agentId: li.id, pin: '468024' })).name).toBe('李建国');
  }, 90_000);

  it('keeps the lockout when the clock is moved or the program restarted', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const a = shell(dir);
    const st = await a.api.setupPoint(DEMO_POINT);
    a.ctx.reg.close();
    const b = shell(dir);
    const id = st.agents[0].id;
    for (let i = 0; i < 5; i++) await expect(b.api.signIn({ agentId: id, pin: '000000' })).rejects.toThrow(/密码不正确/);
    await expect(b.api.signIn({ agentId: id, pin: DEMO_POINT.agents[0].pin })).rejects.toThrow(/30 秒 后再试/);
    b.clock.ms += 7 * 24 * 3600_000;
    await expect(b.api.signIn({ agentId: id, pin: DEMO_POINT.agents[0].pin })).rejects.toThrow(/后再试/);
    // A restart (new process, new monotonic clock) does not clear it either.
    const c = shell(dir);
    await expect(c.api.signIn({ agentId: id, pin: DEMO_POINT.agents[0].pin })).rejects.toThrow(/后再试/);
    c.clock.mono += 10_000;
    await expect(c.api.signIn({ agentId: id, pin: DEMO_POINT.agents[0].pin })).rejects.toThrow(/后再试/);
    c.clock.mono += 21_000;
    expect((await c.api.signIn({ agentId: id, pin: DEMO_POINT.agents[0].pin })).name).toBe('王秀兰');
  }, 60_000);

  it('converts a plain register at the first sign-in: verified, plain file and plain backups gone, user told', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // A register from before encryption, with a case and plain backups.
    const clock = new TestClock(Date.parse('2026-11-20T02:00:00Z'));
    const plain = await Register.open({ dataDir: dir, clock });
    const pctx = createContext({ initial: plain, shell: 'web', open: () => Register.open({ dataDir: dir, clock }) });
    const papi = createDaibanApi(pctx);
    const st = await papi.setupPoint(DEMO_POINT);
    await intake(papi);
    await backupTo(plain, backupsDir(dir), '手动-', { createDir: true });
    await dailyBackupIfDue(plain);
    expect(allFiles(dir).filter((f) => f.endsWith('.sqlite') && leaks(f).length > 0).length).toBeGreaterThanOrEqual(2);
    plain.close();

    const env = shell(dir, clock);
    env.ctx.setRegister(await env.vault.open(undefined));
    expect((await env.api.getAppState({})).encrypted).toBe(false);
    const me = await env.api.signIn({ agentId: st.agents[0].id, pin: DEMO_POINT.agents[0].pin });
    expect(me.recovery?.removedPlainCopies).toBe(2);
    expect(me.recovery?.recoveryCode).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){4}$/);
    expect((await env.api.searchCases({ q: NAME.slice(0, 2) })).total).toBe(1);
    expect((await env.api.getAppState({})).encrypted).toBe(true);
    await env.api.backupNow({});
    for (const f of allFiles(dir)) expect({ f, leaks: leaks(f) }).toEqual({ f, leaks: [] });
    expect(fs.existsSync(`${registerPath(dir)}.encrypting`)).toBe(false);
    env.ctx.reg.close();

    // The colleague's PIN wraps the key once the register is open (their first sign-in after the conversion).
    const again = shell(dir, clock);
    await again.api.signIn({ agentId: st.agents[0].id, pin: DEMO_POINT.agents[0].pin });
    await again.api.signIn({ agentId: st.agents[1].id, pin: DEMO_POINT.agents[1].pin });
    again.ctx.reg.close();
    const third = shell(dir, clock);
    expect((await third.api.signIn({ agentId: st.agents[1].id, pin: DEMO_POINT.agents[1].pin })).name).toBe('李建国');
  }, 120_000);
});
