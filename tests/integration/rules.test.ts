// Issue 10's rules through the service, as the renderer and the CLI call it.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestRegister, IDS, type TestEnv } from '../support/tempRegister';

let env: TestEnv;
afterEach(() => env?.close());

const applicant = (idNumber = IDS.zhangSan, name = '张三', phone = '13812345678') => ({
  kind: 'person' as const,
  name,
  idNumber,
  phone,
  villageGroup: '第三村民小组',
  address: '红旗村三组12号',
});

async function intake(e: TestEnv, over: Record<string, unknown> = {}, deferred?: { name: string; promisedDate: string | null }) {
  const item = await e.api.getCatalogItem({ code: 'MZ-0001' });
  return e.api.createCase({
    applicant: applicant(),
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) =>
      deferred && m.name === deferred.name
        ? { ...m, state: 'deferred' as const, promisedDate: deferred.promisedDate, custody: 'none' as const }
        : { ...m, state: 'both' as const, custody: 'none' as const },
    ),
    ...over,
  });
}

const countCases = (e: TestEnv) => (e.reg.db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;

describe('date bounds in the register', () => {
  it('refuses a 受理日期 of 1900-01-01 and a 来访日期 of 1950-01-01, saving nothing', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    await expect(intake(env, { intakeDate: '1900-01-01' })).rejects.toThrow(/受理日期 1900-01-01 太早：本代办点 2026-11-20 开始使用台账/);
    await expect(intake(env, { intakeDate: '1900-01-01', backfillConfirmed: true })).rejects.toThrow(/太早/);
    expect(countCases(env)).toBe(0);
    const visit = { visitorName: '王五', channel: 'walkIn' as const, category: 'consult' as const, summary: '咨询', handling: 'answered' as const };
    await expect(env.api.createVisit({ ...visit, visitDate: '1950-01-01' })).rejects.toThrow(/来访日期 1950-01-01 太早/);
    await expect(env.api.createVisit({ ...visit, visitDate: '2026-11-21' })).rejects.toThrow(/来访日期 2026-11-21 晚于今天/);
    // The statistics sheet no longer counts a case born overdue in 1900: it was never let in.
    expect((await env.api.searchCases({ q: '', overdue: true })).total).toBe(0);
  });

  it('a 补录 beyond 30 days needs the confirmation, which the history keeps', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    await expect(intake(env, { intakeDate: '2026-10-01' })).rejects.toThrow(/是 50 天前，超过补录期限（30 天）/);
    const c = await intake(env, { intakeDate: '2026-10-01', backfillConfirmed: true });
    expect(c.backfilled).toBe(true);
    expect(c.timeline[0].note).toContain('超过补录期限，代办员已对照纸质记录确认');
    const data = env.reg.db.prepare(`SELECT data_json FROM events WHERE case_id = ? AND action = 'case.createBackfilled'`).get(c.id) as { data_json: string };
    expect(JSON.parse(data.data_json).backfillConfirmed).toBe(true);
    const v = await env.api.createVisit({
      visitDate: '2026-09-01',
      backfillConfirmed: true,
      visitorName: '王五',
      channel: 'walkIn',
      category: 'consult',
      summary: '咨询',
      handling: 'answered',
    });
    expect(v.backfilled).toBe(true);
    const ev = env.reg.db.prepare(`SELECT note FROM events WHERE entity_id = ? AND action = 'visit.create'`).get(v.id) as { note: string };
    expect(ev.note).toContain('2026-09-01');
  });

  it('办结, 送达 and 回访 dates follow the step before them and never lie in the future', async () => {
    env = await openTestRegister({ date: '2026-11-02' });
    const c = await intake(env);
    env.clock.setChinaDate('2026-11-10');
    await expect(env.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved', date: '2026-11-11' })).rejects.toThrow(/办结日期 2026-11-11 晚于今天/);
    await expect(env.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved', date: '2026-11-01' })).rejects.toThrow(/办结日期 2026-11-01 早于受理日期（2026-11-02）/);
    await env.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved', date: '2026-11-06' });
    await expect(env.api.transitionCase({ id: c.id, action: 'deliver', deliveryMethod: 'inPerson', date: '2026-11-05' })).rejects.toThrow(/送达日期 2026-11-05 早于办结日期（2026-11-06）/);
    await expect(env.api.recordFollowup({ caseId: c.id, kind: 'returnVisit', method: 'phone', reached: true, rating: 5, date: '2026-11-04' })).rejects.toThrow(
      /回访日期 2026-11-04 早于办结日期/,
    );
  });

  it('a past 承诺补交日期 is refused with its reason at intake and when changed later', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    await expect(intake(env, {}, { name: '户口簿', promisedDate: '2026-11-19' })).rejects.toThrow(/“户口簿”的承诺补交日期 2026-11-19 已经过去/);
    const c = await intake(env, {}, { name: '户口簿', promisedDate: '2026-11-27' });
    const m = c.materials.find((x) => x.name === '户口簿')!;
    await expect(env.api.updateMaterial({ caseId: c.id, materialId: m.id, promisedDate: '2026-11-01' })).rejects.toThrow(/已经过去/);
    await expect(env.api.updateMaterial({ caseId: c.id, materialId: m.id, promisedDate: null })).rejects.toThrow(/承诺补交日期还没有填写/);
    const after = await env.api.getCase({ id: c.id });
    expect(after.materials.find((x) => x.name === '户口簿')!.promisedDate).toBe('2026-11-27');
  });
});

async function delivered(e: TestEnv, deferred?: { name: string; promisedDate: string }) {
  const c = await intake(e, {}, deferred);
  await e.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved' });
  return e.api.transitionCase({ id: c.id, action: 'deliver', deliveryMethod: 'inPerson', deliveredTo: '张三' });
}

describe('archive rule and 今日', () => {
  it('refuses to archive while a 容缺 material is owed, and archives once it is received', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    const c = await delivered(env, { name: '户口簿', promisedDate: '2026-11-23' });
    expect(c.archiveBlockedReason).toContain('“户口簿”（承诺 2026-11-23 前补交）还没有补交');
    await expect(env.api.transitionCase({ id: c.id, action: 'archive' })).rejects.toThrow(/这件还不能归档：容缺材料“户口簿”/);
    const m = c.materials.find((x) => x.name === '户口簿')!;
    const received = await env.api.updateMaterial({ caseId: c.id, materialId: m.id, state: 'both' });
    expect(received.archiveBlockedReason).toBeNull();
    expect((await env.api.transitionCase({ id: c.id, action: 'archive' })).status).toBe('archived');
  });

  it('refuses to archive while a 差评 rectification is open', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    const c = await delivered(env);
    const rated = await env.api.recordFollowup({ caseId: c.id, kind: 'returnVisit', method: 'phone', reached: true, rating: 4, comment: '慢' });
    await expect(env.api.transitionCase({ id: c.id, action: 'archive' })).rejects.toThrow(/差评整改还没有完成/);
    await env.api.closeRectification({ id: rated.rectifications[0].id, actionNote: '已致歉' });
    expect((await env.api.transitionCase({ id: c.id, action: 'archive' })).status).toBe('archived');
  });

  it('今日 never counts an archived or withdrawn case (registers archived before the rule existed)', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    const a = await delivered(env, { name: '户口簿', promisedDate: '2026-11-21' });
    await env.api.recordFollowup({ caseId: a.id, kind: 'returnVisit', method: 'phone', reached: true, rating: 4, comment: '慢' });
    const b = await intake(env, { applicant: applicant(IDS.liSi, '李四') }, { name: '户口簿', promisedDate: '2026-11-21' });
    let t = await env.api.today({});
    expect(t.materialsDue.count).toBe(2);
    expect(t.rectificationsDue.count).toBe(1);
    // As an older version allowed: archived with the material still owed and the rectification open.
    env.reg.db.prepare(`UPDATE cases SET status = 'archived' WHERE id = ?`).run(a.id);
    await env.api.transitionCase({ id: b.id, action: 'withdraw', reason: '申请人不再办理' });
    t = await env.api.today({});
    expect(t.materialsDue.count).toBe(0);
    expect(t.materialsDue.rows).toEqual([]);
    expect(t.rectificationsDue.count).toBe(0);
    expect(t.returnVisitsDue.rows.map((r) => r.caseId)).not.toContain(a.id);
  });
});

describe('a known ID number typed with another name', () => {
  it('asks which is true; 保留 keeps the stored name, 更正 corrects it in the history; each case prints the name as at its intake', async () => {
    env = await openTestRegister({ date: '2026-10-15' });
    const first = await intake(env);
    // Last month's ledger as signed.
    const { ledgerData, casePrintData } = await import('../../print/data');
    const signed = ledgerData(env.reg, '2026-10').rows.map((r) => [r.applicantName, r.phoneMasked]);
    expect(signed).toEqual([['张三', '138****5678']]);

    env.clock.setChinaDate('2026-11-20');
    const typo = { applicant: applicant(IDS.zhangSan, '张叁', '13912345678') };
    await expect(intake(env, typo)).rejects.toThrow(/已登记为“张三”，这次填写的是“张叁”。请确认/);
    expect(countCases(env)).toBe(1);

    const kept = await intake(env, { applicant: { ...typo.applicant, nameChoice: 'keep' } });
    expect(kept.applicant.name).toBe('张三');
    expect(kept.applicantAtIntake.name).toBe('张三');
    expect(kept.applicantAtIntake.phoneMasked).toBe('139****5678');

    const corrected = await intake(env, { applicant: { ...typo.applicant, nameChoice: 'correct' } });
    expect(corrected.applicant.name).toBe('张叁');
    expect(corrected.timeline.find((e) => e.label === '更正申请人姓名')?.note).toBe('申请人姓名由“张三”更正为“张叁”（代办员确认档案姓名有误）');

    // The earlier case and last month's ledger still read as they were signed.
    expect((await env.api.getCase({ id: first.id })).applicant.name).toBe('张叁');
    expect(casePrintData(env.reg, first.id).c.applicant.name).toBe('张三');
    expect(casePrintData(env.reg, first.id).c.applicant.phoneMasked).toBe('138****5678');
    expect(ledgerData(env.reg, '2026-10').rows.map((r) => [r.applicantName, r.phoneMasked])).toEqual(signed);
    expect(ledgerData(env.reg, '2026-11').rows.map((r) => r.applicantName)).toEqual(['张三', '张叁']);
  });

  it('the same name typed with spaces is not a conflict', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    await intake(env);
    const again = await intake(env, { applicant: applicant(IDS.zhangSan, ' 张 三 ') });
    expect(again.applicant.name).toBe('张三');
  });
});

describe('visit → case', () => {
  it('keeps the visitor phone without retyping it, on the applicant and on the case as at intake', async () => {
    env = await openTestRegister({ date: '2026-11-20' });
    const v = await env.api.createVisit({ visitorName: '王五', visitorPhone: '135 1234 5678', channel: 'walkIn', category: 'errand', summary: '咨询', handling: 'answered' });
    const item = await env.api.getCatalogItem({ code: 'MZ-0005' });
    const c = await env.api.convertVisitToCase({
      visitId: v.id,
      applicant: { kind: 'person', name: '王五', idNumber: IDS.wangWu, phone: '', villageGroup: '', address: '' },
      itemCode: item.code,
      handlingMode: 'proxy',
      materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
    });
    expect(c.applicant.phoneMasked).toBe('135****5678');
    expect(c.applicantAtIntake.phoneMasked).toBe('135****5678');
    expect(c.phoneMasked).toBe('135****5678');
  });
});
