// New registers are encrypted with AEGIS-256; registers encrypted before (ChaCha20-Poly1305, the
// scheme keys.json names) still open, back up, restore and keep their scheme. The cipher is never
// guessed on a register with a WAL: keys.json (and a backup's key file) says which.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { Vault } from '../../db/vault';
import { createContext, type ServiceContext } from '../../api/context';
import { createDaibanApi } from '../../api/service';
import type { DaibanApi } from '../../api/contract';
import { registerPath } from '../../db/dataDir';
import { keyringPath, readKeyring, unwrapKey } from '../../db/keyring';
import { DEMO_POINT, IDS, TestClock, tempDir } from '../support/tempRegister';

type Env = { dir: string; ctx: ServiceContext; api: DaibanApi };
const dirs: string[] = [];
let envs: Env[] = [];
afterEach(() => {
  for (const e of envs) if (e.ctx.isOpen) e.ctx.reg.close();
  envs = [];
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function laptop(dir = tempDir()): Env {
  if (!dirs.includes(dir)) dirs.push(dir);
  const clock = new TestClock(Date.parse('2026-11-20T02:00:00Z'));
  const ctx = createContext({ vault: new Vault({ dataDir: dir, clock, mono: clock.monoMs }), initial: null, shell: 'web' });
  const env = { dir, ctx, api: createDaibanApi(ctx) };
  envs.push(env);
  return env;
}

async function intake(api: DaibanApi, name: string, idNumber: string = IDS.zhangSan): Promise<void> {
  const item = (await api.searchCatalog({ q: '低保' }))[0];
  await api.createCase({
    applicant: { kind: 'person', name, idNumber, phone: '13912345678', villageGroup: '', address: '' },
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
  });
}

describe('the register cipher', () => {
  it('is AEGIS-256 for a new register, named in keys.json and carried by its backups', async () => {
    const a = laptop();
    await a.api.setupPoint(DEMO_POINT);
    await intake(a.api, '吴新法');
    expect(readKeyring(a.dir)!.cipher).toBe('aegis');
    expect(a.ctx.reg.cipher).toBe('aegis');
    expect(a.ctx.reg.db.pragma('cipher', { simple: true })).toBe('aegis');
    const stick = tempDir('daiban-stick-');
    dirs.push(stick);
    const b = await a.api.backupNow({ dir: stick });
    expect(JSON.parse(fs.readFileSync(`${b.path}.keys.json`, 'utf8')).cipher).toBe('aegis');
  }, 60_000);

  it('keeps opening, backing up and restoring a register encrypted with ChaCha20 before', async () => {
    const a = laptop();
    const setup = await a.api.setupPoint(DEMO_POINT);
    await intake(a.api, '郑旧法');
    a.ctx.reg.close();
    // Turn it into what an earlier version wrote: the same key, ChaCha20-Poly1305, keys.json saying so.
    const k = readKeyring(a.dir)!;
    const key = (await unwrapKey(k.recovery, setup.recovery!.recoveryCode))!;
    const db = new Database(registerPath(a.dir));
    db.pragma(`cipher = 'aegis'`);
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = 'chacha20'`);
    db.pragma(`rekey = "x'${key.toString('hex')}'"`);
    db.close();
    fs.writeFileSync(keyringPath(a.dir), JSON.stringify({ ...k, cipher: 'chacha20' }));

    const again = laptop(a.dir);
    await again.api.signIn({ agentId: setup.agents[0].id, pin: DEMO_POINT.agents[0].pin });
    expect(again.ctx.reg.cipher).toBe('chacha20');
    expect(again.ctx.reg.db.pragma('cipher', { simple: true })).toBe('chacha20');
    expect((await again.api.searchCases({ q: '郑旧法' })).total).toBe(1);
    const stick = tempDir('daiban-stick-');
    dirs.push(stick);
    const backup = await again.api.backupNow({ dir: stick });
    expect(JSON.parse(fs.readFileSync(`${backup.path}.keys.json`, 'utf8')).cipher).toBe('chacha20');
    await intake(again.api, '王后来', IDS.liSi);

    // Its own backup restores here; on a new (AEGIS) laptop with the old PIN it restores too, keeping ChaCha20.
    await again.api.restoreBackup({ path: backup.path, confirm: true });
    await again.api.signIn({ agentId: setup.agents[0].id, pin: DEMO_POINT.agents[0].pin });
    expect((await again.api.searchCases({ q: '王后来' })).total).toBe(0);
    expect((await again.api.searchCases({ q: '郑旧法' })).total).toBe(1);

    const b = laptop();
    await b.api.setupPoint({ ...DEMO_POINT, agents: [{ name: '赵新来', phone: '13704781111', pin: '802113' }] });
    expect(b.ctx.reg.cipher).toBe('aegis');
    await b.api.restoreBackup({ path: backup.path, confirm: true, pin: DEMO_POINT.agents[1].pin });
    expect(readKeyring(b.dir)!.cipher).toBe('chacha20');
    await b.api.signIn({ agentId: setup.agents[1].id, pin: DEMO_POINT.agents[1].pin });
    expect(b.ctx.reg.cipher).toBe('chacha20');
    expect((await b.api.searchCases({ q: '郑旧法' })).total).toBe(1);
  }, 120_000);
});
