// One phone rule for the point's and the agents' phones, and one name per agent on the roster.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestRegister, DEMO_POINT, IDS, type TestEnv } from '../support/tempRegister';
import { openDatabase } from '../../db/connection';
import { migrate, schemaVersion } from '../../db/migrate';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../db/migrations/index';
import { registerPath } from '../../db/dataDir';
import { getPoint } from '../../db/point';
import { casePrintData } from '../../print/data';
import { tempDir } from '../support/tempRegister';

let env: TestEnv | undefined;
afterEach(() => {
  env?.close();
  env = undefined;
});

const setup = (over: Partial<typeof DEMO_POINT> = {}) => ({ ...DEMO_POINT, ...over });

describe('the point phones', () => {
  it('stores phones typed at setup normalised, accepts 12345 as 投诉电话, and prints them grouped', async () => {
    env = await openTestRegister({ setup: false });
    await env.api.setupPoint(
      setup({
        consultPhone: '139 0478 1234',
        complaintPhone: '12345',
        agents: [{ name: '王秀兰', phone: '139-0478-5678', pin: '1234' }],
      }),
    );
    const p = getPoint(env.reg)!;
    expect(p.consultPhone).toBe('13904781234');
    expect(p.complaintPhone).toBe('12345');
    expect(env.reg.db.prepare(`SELECT phone FROM agents`).get()).toEqual({ phone: '13904785678' });

    const item = await env.api.getCatalogItem({ code: 'MZ-0003' });
    const c = await env.api.createCase({
      applicant: { kind: 'person', name: '张三', idNumber: IDS.zhangSan, phone: '0478 8412345 转 801', villageGroup: '', address: '' },
      itemCode: item.code,
      handlingMode: 'proxy',
      materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
    });
    const d = casePrintData(env.reg, c.id);
    expect(d.point.consultPhone).toBe('139 0478 1234');
    expect(d.point.complaintPhone).toBe('12345');
    expect(d.agent.phone).toBe('139 0478 5678');
    expect(env.reg.db.prepare(`SELECT phone FROM applicants`).get()).toEqual({ phone: '0478-8412345-801' });
  });

  it('refuses a wrong point phone naming the field, and saves nothing', async () => {
    env = await openTestRegister({ setup: false });
    await expect(env.api.setupPoint(setup({ complaintPhone: '1234' }))).rejects.toThrow(/^投诉电话不正确：手机号码应为11位数字/);
    expect(getPoint(env.reg)).toBeNull();
    await expect(env.api.setupPoint(setup({ agents: [{ name: '王秀兰', phone: '12345', pin: '1234' }] }))).rejects.toThrow(
      /代办员“王秀兰”的手机不正确：12345 是政务服务热线/,
    );
    expect(getPoint(env.reg)).toBeNull();
  });

  it('normalises phones changed after setup', async () => {
    env = await openTestRegister();
    const agents = (await env.api.getAppState({})).agents;
    await env.api.signIn({ agentId: agents[0].id, pin: '1234' });
    const p = await env.api.updatePoint({ consultPhone: '(0478) 841 2345', complaintPhone: '１２３４５' });
    expect(p.consultPhone).toBe('0478-8412345');
    expect(p.complaintPhone).toBe('12345');
    await expect(env.api.updatePoint({ consultPhone: '0478' })).rejects.toThrow(/^咨询电话不正确/);
    expect(getPoint(env.reg)!.consultPhone).toBe('0478-8412345');
  });

  it('normalises point phones stored as typed before the rule (migration)', async () => {
    const dir = tempDir();
    const db = openDatabase(registerPath(dir));
    try {
      const mine = MIGRATIONS.find((m) => m.name === 'point phones normalised')!;
      await migrate(db, { migrations: MIGRATIONS.filter((m) => m.version < mine.version) });
      const insert = db.prepare(
        `INSERT OR REPLACE INTO point (id, village_code, village_name, township_name, county_name, consult_phone, complaint_phone, created_at, updated_at)
         VALUES (1, '150822101201', '红旗村', '巴彦镇', '五原县', ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      );
      const cases: [string, string][] = [
        ['139 0478 1234', '13904781234'],
        ['0478 8412345', '0478-8412345'],
        ['(010)62345678', '010-62345678'],
        [' 12345 ', '12345'],
        ['0478-8412345-801', '0478-8412345-801'],
        ['问村委会', '问村委会'],
        ['', ''],
      ];
      // One row at a time (the point table holds a single row): write it as an older program did, then upgrade.
      for (const [typed, stored] of cases) {
        insert.run(typed, typed);
        db.pragma(`user_version = ${mine.version - 1}`);
        await migrate(db, { migrations: MIGRATIONS.filter((m) => m.version <= mine.version) });
        expect(db.prepare(`SELECT consult_phone AS c, complaint_phone AS k FROM point`).get(), typed).toEqual({ c: stored, k: stored });
      }
      await migrate(db);
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });
});

describe('agent names', () => {
  it('refuses two agents with one name at setup, and sets up nothing', async () => {
    env = await openTestRegister({ setup: false });
    const twins = setup({ agents: [{ name: '王秀兰', phone: '', pin: '1234' }, { name: ' 王秀兰', phone: '', pin: '5678' }] });
    await expect(env.api.setupPoint(twins)).rejects.toThrow('值班表上已经有一位“王秀兰”。登录界面和台账靠姓名区分代办员，请加上区分，例如“王秀兰（二组）”');
    expect(getPoint(env.reg)).toBeNull();
    const ok = await env.api.setupPoint(setup({ agents: [{ name: '王秀兰', phone: '', pin: '1234' }, { name: '王秀兰（二组）', phone: '', pin: '5678' }] }));
    expect(ok.agents.map((a) => a.name)).toEqual(['王秀兰', '王秀兰（二组）']);
  });

  it('refuses adding an agent whose name is already on the roster, stopped agents included', async () => {
    env = await openTestRegister();
    const [wang, li] = (await env.api.getAppState({})).agents;
    await env.api.signIn({ agentId: wang.id, pin: '1234' });
    await expect(env.api.addAgent({ name: '王秀兰', phone: '', pin: '4321' })).rejects.toThrow(/已经有一位“王秀兰”/);
    // Full-width letters or stray spaces do not make a different name.
    await expect(env.api.addAgent({ name: '王 秀兰', phone: '', pin: '4321' })).rejects.toThrow(/已经有一位/);
    await env.api.setAgentActive({ agentId: li.id, active: false });
    await expect(env.api.addAgent({ name: '李建国', phone: '', pin: '4321' })).rejects.toThrow('已停用的代办员也算');
    const added = await env.api.addAgent({ name: '李建国（二组）', phone: '136 0478 0000', pin: '4321' });
    expect(added.name).toBe('李建国（二组）');
    expect((await env.api.getAppState({})).agents).toHaveLength(3);
  });
});
