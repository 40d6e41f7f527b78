import { describe, expect, it, afterEach } from 'vitest';
import { openTestRegister, IDS, type TestEnv } from '../support/tempRegister';
import { AppError } from '../../domain/errors';
import { runDoctor } from '../../db/doctor';

let env: TestEnv;
afterEach(() => env?.close());

const applicant = (idNumber = IDS.zhangSan, name = '张三') => ({
  kind: 'person' as const,
  name,
  idNumber,
  phone: '13812345678',
  villageGroup: '第三村民小组',
  address: '红旗村三组12号',
});

async function intake(e: TestEnv, over: Record<string, unknown> = {}) {
  const item = await e.api.getCatalogItem({ code: 'MZ-0003' });
  return e.api.createCase({
    applicant: applicant(),
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
    ...over,
  });
}

describe('register: intake to return visit', () => {
  it('registers a case with a deferred material, a working-day due date and a readable case number', async () => {
    env = await openTestRegister({ date: '2026-09-30' });
    const item = await env.api.getCatalogItem({ code: 'MZ-0001' });
    const materials = item.materials.map((m) => ({
      ...m,
      state: m.name === '户口簿' ? ('deferred' as const) : ('both' as const),
      promisedDate: m.name === '户口簿' ? '2026-10-12' : null,
      custody: 'none' as const,
    }));
    const c = await env.api.createCase({ applicant: applicant(), itemCode: 'MZ-0001', handlingMode: 'proxy', materials });
    expect(c.caseNo).toBe('150822101201-20260930-001');
    // 30 working days after 2026-09-30: 10-01..10-07 off, 10-10 (Sat) a 调休 working day;
    // 10-08,09,10 (3), 12–16 (8), 19–23 (13), 26–30 (18), 11-02–06 (23), 09–13 (28), 16, 17 (30).
    expect(c.dueDate).toBe('2026-11-17');
    expect(c.status).toBe('accepted');
    expect(c.applicant.idNumberMasked).toBe('150822********0010');
    expect(c.applicant.sex).toBe('male');
    expect(c.materials.find((m) => m.name === '户口簿')?.state).toBe('deferred');
    expect(c.timeline[0].label).toBe('受理登记');
    expect(c.timeline[0].agentName).toBe('王秀兰');
    const second = await intake(env);
    expect(second.caseNo).toBe('150822101201-20260930-002');
    expect(second.applicant.id).toBe(c.applicant.id);
  });

  it('refuses a non-deferrable missing material with a message that says what to do', async () => {
    env = await openTestRegister();
    const item = await env.api.getCatalogItem({ code: 'MZ-0001' });
    const materials = item.materials.map((m, i) => ({ ...m, state: i === 0 ? ('missing' as const) : ('both' as const), custody: 'none' as const }));
    await expect(env.api.createCase({ applicant: applicant(), itemCode: 'MZ-0001', handlingMode: 'proxy', materials })).rejects.toThrow(/一次性告知/);
  });

  it('rejects a wrong ID number in Chinese and saves nothing', async () => {
    env = await openTestRegister();
    const before = env.reg.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number };
    await expect(intake(env, { applicant: applicant('150822198503150011') })).rejects.toThrow(/校验位/);
    const after = env.reg.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number };
    expect(after.n).toBe(before.n);
  });

  it('walks hand-up → decision → delivery → return visit with 差评 → rectification', async () => {
    env = await openTestRegister({ date: '2026-11-02' });
    const c = await intake(env);
    expect(c.allowedActions).toEqual(['handUp', 'decide', 'withdraw']);
    await expect(env.api.transitionCase({ id: c.id, action: 'deliver' })).rejects.toThrow(/不能执行“送达”/);
    env.clock.setChinaDate('2026-11-03');
    await env.api.transitionCase({ id: c.id, action: 'handUp', handedTo: '巴彦镇便民服务中心' });
    env.clock.setChinaDate('2026-11-10');
    const decided = await env.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved', note: '准予临时救助1500元' });
    expect(decided.status).toBe('decided');
    expect(decided.returnVisitDue).toBe('2026-11-24');
    const delivered = await env.api.transitionCase({ id: c.id, action: 'deliver', deliveryMethod: 'inPerson', deliveredTo: '张三' });
    expect(delivered.status).toBe('delivered');
    const rated = await env.api.recordFollowup({ caseId: c.id, kind: 'returnVisit', method: 'phone', reached: true, rating: 4, attitude: 4, comment: '跑了两趟' });
    expect(rated.rectifications).toHaveLength(1);
    // 15 working days after 2026-11-10.
    expect(rated.rectifications[0].dueDate).toBe('2026-12-01');
    expect(rated.returnVisitDue).toBeNull();
    const closed = await env.api.closeRectification({ id: rated.rectifications[0].id, actionNote: '已向申请人致歉，改为上门送达' });
    expect(closed.rectifications[0].status).toBe('closed');
    expect(closed.timeline.map((e) => e.label)).toEqual(['受理登记', '报送', '办结', '送达', '回访登记', '差评整改立项', '整改完成']);
    expect(runDoctor(env.reg).ok).toBe(true);
  });

  it('writes every change with its history event and outbox entry in a contiguous sequence', async () => {
    env = await openTestRegister();
    await intake(env);
    const events = env.reg.db.prepare('SELECT COUNT(*) AS n FROM events WHERE outbox_seq IS NOT NULL').get() as { n: number };
    const out = env.reg.db.prepare('SELECT COUNT(*) AS n, MAX(seq) AS hi FROM outbox').get() as { n: number; hi: number };
    expect(events.n).toBe(out.n);
    expect(out.hi).toBe(out.n);
    const payload = JSON.parse((env.reg.db.prepare(`SELECT payload FROM outbox WHERE entity = 'cases'`).get() as { payload: string }).payload);
    expect(payload.fields.case_no).toMatch(/^150822101201-/);
  });

  it('marks a paper record entered later as 补录 and counts its deadline from the real date', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    // 53 days back: beyond the 补录 window, so the agent confirms the date from the paper record.
    await expect(intake(env, { intakeDate: '2026-09-28' })).rejects.toThrow(/超过补录期限/);
    const c = await intake(env, { intakeDate: '2026-09-28', backfillConfirmed: true });
    expect(c.backfilled).toBe(true);
    expect(c.caseNo).toBe('150822101201-20260928-001');
    // MZ-0003: 10 working days after 2026-09-28 (09-29, 09-30, then 10-09 … 10-16 after the holiday).
    expect(c.dueDate).toBe('2026-10-16');
    expect(c.deadline).toBe('overdue');
    expect(c.timeline[0].label).toBe('补录受理');
  });

  it('finds a case by 2 characters, pinyin initials, full pinyin, ID tail, phone tail and case number', async () => {
    env = await openTestRegister();
    const c = await intake(env);
    await intake(env, { applicant: { ...applicant(IDS.liSi, '李四'), phone: '13998765432' } });
    const find = async (q: string) => (await env.api.searchCases({ q })).rows.map((r) => r.applicantName);
    expect(await find('张三')).toEqual(['张三']);
    expect(await find('zs')).toEqual(['张三']);
    expect(await find('zhangsan')).toEqual(['张三']);
    expect(await find('0010')).toEqual(['张三']);
    expect(await find('150010')).toEqual(['张三']);
    expect(await find('5432')).toEqual(['李四']);
    expect(await find('13812345678')).toEqual(['张三']);
    expect(await find(IDS.liSi)).toEqual(['李四']);
    expect(await find(c.caseNo)).toEqual(['张三']);
    expect(await find('临时救助')).toHaveLength(2);
  });

  it('turns a visit into a case and keeps the link both ways', async () => {
    env = await openTestRegister();
    const v = await env.api.createVisit({ visitorName: '王五', visitorPhone: '13512345678', channel: 'walkIn', category: 'errand', summary: '咨询高龄津贴怎么申请', handling: 'answered' });
    const item = await env.api.getCatalogItem({ code: 'MZ-0005' });
    const c = await env.api.convertVisitToCase({
      visitId: v.id,
      applicant: applicant(IDS.wangWu, '王五'),
      itemCode: item.code,
      handlingMode: 'proxy',
      materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
    });
    expect(c.visitId).toBe(v.id);
    const after = await env.api.getVisit({ id: v.id });
    expect(after.caseNo).toBe(c.caseNo);
    expect(after.handling).toBe('toCase');
    await expect(env.api.convertVisitToCase({ visitId: v.id, applicant: applicant(IDS.wangWu, '王五'), itemCode: item.code, handlingMode: 'proxy', materials: [] })).rejects.toThrow(/已经转为代办件/);
  });

  it('throttles wrong PINs and requires sign-in for changes', async () => {
    env = await openTestRegister();
    const { agents } = await env.api.getAppState({});
    await env.api.signOut({});
    await expect(intake(env)).rejects.toBeInstanceOf(AppError);
    for (let i = 0; i < 4; i++) await expect(env.api.signIn({ agentId: agents[1].id, pin: '0000' })).rejects.toThrow(/还可以再试/);
    await expect(env.api.signIn({ agentId: agents[1].id, pin: '0000' })).rejects.toThrow(/锁定/);
    await expect(env.api.signIn({ agentId: agents[1].id, pin: '5678' })).rejects.toThrow(/30 秒 后再试/);
    env.clock.ms += 31_000;
    expect((await env.api.signIn({ agentId: agents[1].id, pin: '5678' })).name).toBe('李建国');
  });
});

describe('catalog search', () => {
  it('finds items by the words villagers use (低保, 医保) as characters, initials or full pinyin', async () => {
    env = await openTestRegister();
    const codes = async (q: string) => (await env.api.searchCatalog({ q })).map((i) => i.code);
    expect(await codes('低保')).toContain('MZ-0001');
    expect((await codes('db'))[0]).toBe('MZ-0001');
    expect(await codes('dibao')).toEqual(['MZ-0001']);
    expect(await codes('医保')).toContain('YB-0001');
    expect(await codes('zdsh')).toEqual(['MZ-0001']);
    expect(await codes('社保卡')).toEqual(['RS-0003']);
  });
});
