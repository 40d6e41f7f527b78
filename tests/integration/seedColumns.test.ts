// db/seed.ts builds its changes with the repositories' row builders (newCaseSpec, transitionSpec,
// followupSpec …) but fills some optional inputs itself. This test keeps the two in step: for
// every change both make (same table, operation and history action), the seed must write exactly the
// columns the repository writes — a column added to a repository's insert or update and forgotten in
// the seed (or the other way round) fails here, naming the table, the action and the columns.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChangeWriter, type ChangeSpec } from '../../db/changes';
import { seedDemo } from '../../db/seed';
import { IDS, openTestRegister, type TestEnv } from '../support/tempRegister';

type Shapes = Map<string, Set<string>>;

function record(into: Shapes) {
  const original = ChangeWriter.prototype.apply;
  return vi.spyOn(ChangeWriter.prototype, 'apply').mockImplementation(function (this: ChangeWriter, spec: ChangeSpec, agentId: string | null) {
    const key = `${spec.table} ${spec.op} ${spec.action}`;
    const cols = into.get(key) ?? new Set<string>();
    for (const f of Object.keys(spec.fields)) cols.add(f);
    into.set(key, cols);
    return original.call(this, spec, agentId);
  });
}

let envs: TestEnv[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const e of envs) e.close();
  envs = [];
});

describe('seed and repositories write the same columns', () => {
  it('for every kind of change both make', async () => {
    // The repositories, through the API as the screens call it.
    const repo: Shapes = new Map();
    const a = await openTestRegister({ date: '2026-11-02' });
    envs.push(a);
    record(repo);
    const item = await a.api.getCatalogItem({ code: 'MZ-0001' });
    const materials = item.materials.map((m) => ({
      ...m,
      state: m.name === '户口簿' ? ('deferred' as const) : ('both' as const),
      promisedDate: m.name === '户口簿' ? '2026-11-12' : null,
      custody: 'none' as const,
    }));
    const applicant = { kind: 'person' as const, name: '张三', idNumber: IDS.zhangSan, phone: '13812345678', villageGroup: '第三村民小组', address: '红旗村三组12号' };
    const visit = await a.api.createVisit({ visitorName: '王五', visitorPhone: '13512345678', channel: 'walkIn', category: 'errand', summary: '咨询低保', handling: 'answered' });
    const c = await a.api.createCase({ applicant, itemCode: item.code, handlingMode: 'proxy', materials, note: '', visitId: visit.id });
    await a.api.recordFollowup({ caseId: c.id, kind: 'feedback', method: 'phone', reached: true, comment: '已告知进度' });
    a.clock.setChinaDate('2026-11-03');
    await a.api.transitionCase({ id: c.id, action: 'handUp', handedTo: '巴彦镇便民服务中心' });
    a.clock.setChinaDate('2026-11-10');
    await a.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved', note: '准予' });
    await a.api.transitionCase({ id: c.id, action: 'deliver', deliveryMethod: 'inPerson', deliveredTo: '张三' });
    const rated = await a.api.recordFollowup({ caseId: c.id, kind: 'returnVisit', method: 'phone', reached: true, rating: 4, attitude: 4, comment: '跑了两趟' });
    await a.api.closeRectification({ id: rated.rectifications[0].id, actionNote: '已向申请人致歉' });
    const refused = await a.api.createCase({
      applicant: { ...applicant, name: '李四', idNumber: IDS.liSi },
      itemCode: item.code,
      handlingMode: 'proxy',
      materials: [],
      note: '',
      refuse: { reason: '不属于本事项受理范围' },
    });
    expect(refused.status).toBe('refusedIntake');
    vi.restoreAllMocks();

    // The seed.
    const seeded: Shapes = new Map();
    const b = await openTestRegister({ date: '2026-11-20', setup: false });
    envs.push(b);
    record(seeded);
    await seedDemo(b.reg, { cases: 300, years: 2, seed: 7 });
    vi.restoreAllMocks();

    const shared = [...repo.keys()].filter((k) => seeded.has(k));
    // The comparison covers the record kinds the seed creates and the usual case steps.
    for (const k of ['applicants insert applicant.create', 'cases insert case.create', 'case_materials insert material.create', 'visits insert visit.create', 'followups insert followup.create', 'cases update case.handUp']) {
      expect(shared, `both write “${k}”`).toContain(k);
    }
    const differences = shared
      .map((k) => {
        const r = repo.get(k)!;
        const s = seeded.get(k)!;
        const onlyRepo = [...r].filter((f) => !s.has(f));
        const onlySeed = [...s].filter((f) => !r.has(f));
        return onlyRepo.length || onlySeed.length ? `${k}: 仓库有而演示数据没有 [${onlyRepo.join(', ')}]；演示数据有而仓库没有 [${onlySeed.join(', ')}]` : '';
      })
      .filter(Boolean);
    expect(differences).toEqual([]);
  });
});
