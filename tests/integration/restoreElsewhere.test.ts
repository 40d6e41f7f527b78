// Issue 8: "A backup restores on another laptop with any agent's PIN of that point or the recovery
// code." Laptop A makes a backup on a stick; laptop B (same point, set up on its own, so another data
// key) looks at it first (inspectBackup), is refused without a secret, with a wrong PIN and a wrong
// recovery code — nothing replaced — and restores it with the recovery code or an agent's PIN of A.
// Another point's backup is refused unless the agent confirms this laptop now serves that point.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Vault } from '../../db/vault';
import { createContext, type ServiceContext } from '../../api/context';
import { createDaibanApi } from '../../api/service';
import type { DaibanApi } from '../../api/contract';
import { DEMO_POINT, IDS, TestClock, tempDir } from '../support/tempRegister';

type Env = { dir: string; ctx: ServiceContext; api: DaibanApi };
const dirs: string[] = [];
let envs: Env[] = [];

afterEach(() => {
  for (const e of envs) if (e.ctx.isOpen) e.ctx.reg.close();
  envs = [];
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function laptop(): Env {
  const dir = tempDir();
  dirs.push(dir);
  const clock = new TestClock(Date.parse('2026-11-20T02:00:00Z'));
  const ctx = createContext({ vault: new Vault({ dataDir: dir, clock, mono: clock.monoMs }), initial: null, shell: 'web' });
  const env = { dir, ctx, api: createDaibanApi(ctx) };
  envs.push(env);
  return env;
}

async function intake(api: DaibanApi, name: string): Promise<void> {
  const item = (await api.searchCatalog({ q: '低保' }))[0];
  await api.createCase({
    applicant: { kind: 'person', name, idNumber: IDS.zhangSan, phone: '13912345678', villageGroup: '', address: '' },
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
  });
}

const B_SETUP = { ...DEMO_POINT, agents: [{ name: '赵新来', phone: '13704781111', pin: '802113' }] };

describe('restoring a backup made on another laptop', () => {
  it('asks for a PIN of that backup or its recovery code, refuses wrong ones without replacing anything, then restores', async () => {
    const a = laptop();
    const setupA = await a.api.setupPoint(DEMO_POINT);
    await intake(a.api, '孙备份');
    const stick = tempDir('daiban-stick-');
    dirs.push(stick);
    const backup = await a.api.backupNow({ dir: stick });

    const b = laptop();
    const setupB = await b.api.setupPoint(B_SETUP);
    await intake(b.api, '周本机');

    const seen = await b.api.inspectBackup({ path: backup.path });
    expect(seen).toMatchObject({ encrypted: true, needsSecret: true, pointCode: DEMO_POINT.villageCode, unitName: '五原县巴彦镇红旗村便民服务代办点' });
    expect(seen.agents.map((x) => x.name)).toEqual(['王秀兰', '李建国']);
    // This laptop's own backups need nothing more.
    expect((await b.api.inspectBackup({ path: (await b.api.backupNow({})).path })).needsSecret).toBe(false);

    await expect(b.api.restoreBackup({ path: backup.path, confirm: true })).rejects.toThrow(/另一把密钥.*王秀兰、李建国.*PIN，或输入恢复码/);
    await expect(b.api.restoreBackup({ path: backup.path, confirm: true, agentId: seen.agents[0].id, pin: B_SETUP.agents[0].pin })).rejects.toThrow(/PIN 不正确，备份未恢复/);
    await expect(b.api.restoreBackup({ path: backup.path, confirm: true, recoveryCode: setupB.recovery!.recoveryCode })).rejects.toThrow(/恢复码不正确，备份未恢复/);
    // Nothing was replaced: B still has its own case and its agent still signed in.
    expect((await b.api.searchCases({ q: '周本机' })).total).toBe(1);

    const r = await b.api.restoreBackup({ path: backup.path, confirm: true, recoveryCode: setupA.recovery!.recoveryCode.toLowerCase() });
    expect(r.safetyBackup).toMatch(/恢复前-/);
    // Signed out; A's agents' PINs open this laptop from now on, B's old PIN opens nothing.
    const st = await b.api.getAppState({});
    expect(st.agents.map((x) => x.name).sort()).toEqual(['李建国', '王秀兰'].sort());
    await b.api.signIn({ agentId: setupA.agents[1].id, pin: DEMO_POINT.agents[1].pin });
    expect((await b.api.searchCases({ q: '孙备份' })).total).toBe(1);
    expect((await b.api.searchCases({ q: '周本机' })).total).toBe(0);
  }, 120_000);

  it("opens another laptop's backup with an agent's PIN, and refuses another point's backup unless told this laptop now serves it", async () => {
    const other = laptop();
    const setupO = await other.api.setupPoint({ ...DEMO_POINT, villageCode: '150822101202', villageName: '胜利村' });
    await intake(other.api, '钱别村');
    const stick = tempDir('daiban-stick-');
    dirs.push(stick);
    const backup = await other.api.backupNow({ dir: stick });

    const b = laptop();
    await b.api.setupPoint(B_SETUP);
    const seen = await b.api.inspectBackup({ path: backup.path });
    expect(seen.pointCode).toBe('150822101202');
    expect(seen.unitName).toBe('五原县巴彦镇胜利村便民服务代办点');

    const pinOfO = { agentId: setupO.agents[0].id, pin: DEMO_POINT.agents[0].pin };
    await expect(b.api.restoreBackup({ path: backup.path, confirm: true, ...pinOfO })).rejects.toThrow(/这份备份属于代办点 150822101202.*不能恢复/);
    expect((await b.api.getAppState({})).point?.villageCode).toBe(DEMO_POINT.villageCode);
    await b.api.restoreBackup({ path: backup.path, confirm: true, ...pinOfO, servesPoint: '150822101202' });
    await b.api.signIn(pinOfO);
    expect((await b.api.getAppState({})).point?.villageCode).toBe('150822101202');
    expect((await b.api.searchCases({ q: '钱别村' })).total).toBe(1);
  }, 120_000);

  it('says what is wrong with a file that is not a backup, or an encrypted backup without its key file', async () => {
    const b = laptop();
    await b.api.setupPoint(B_SETUP);
    const stick = tempDir('daiban-stick-');
    dirs.push(stick);
    await expect(b.api.inspectBackup({ path: `${stick}/没有这个文件.sqlite` })).rejects.toThrow(/找不到备份文件/);
    fs.writeFileSync(`${stick}/note.txt`, '这不是备份');
    await expect(b.api.inspectBackup({ path: `${stick}/note.txt` })).rejects.toThrow(/不是代办通的备份文件/);
    const a = laptop();
    await a.api.setupPoint(DEMO_POINT);
    const backup = await a.api.backupNow({ dir: stick });
    fs.rmSync(`${backup.path}.keys.json`);
    await expect(b.api.inspectBackup({ path: backup.path })).rejects.toThrow(/缺少它的密钥文件/);
    await expect(b.api.restoreBackup({ path: backup.path, confirm: true, pin: '135246' })).rejects.toThrow(/缺少它的密钥文件/);
  }, 120_000);
});
