// Statistics on a hand-built register (tests/reports/scenario.ts). Every expected figure below is
// worked out by hand from the case list; "today" is Friday 2026-11-20.
//
//   case  intake      item (承诺时限)       due         what happened                         agent / mode
//   K     2026-09-28  临时救助 (10)        2026-10-16  handed up, still open                 王秀兰 代办
//   A     2026-10-20  临时救助 (10)        2026-11-03  decided 11-02; return visit 非常满意   王秀兰 代办
//   B     2026-10-26  养老参保 (5)         2026-11-02  decided 11-05 (late); 不满意 = 差评    王秀兰 代办
//   L     2026-10-27  临时救助 (10)        2026-11-10  decided 11-10; return visit not reached 李建国 领办
//   C     2026-11-02  医保参保 (3)         2026-11-05  decided 11-04; no return visit         王秀兰 代办
//   D     2026-11-03  临时救助 (10)        2026-11-17  handed up, still open                 王秀兰 代办
//   E     2026-11-05  养老参保 (5)         2026-11-12  decided 11-12; 非常不满意, later 基本满意 王秀兰 代办
//   F     2026-11-09  生育登记 (1)         2026-11-10  withdrawn 11-10                        王秀兰 代办
//   G     2026-11-10  高龄津贴             —           不予受理                               王秀兰 代办
//   H     2026-11-16  高龄津贴 (15)        2026-12-07  open                                  王秀兰 代办
//   I     2026-11-18  生育登记 (1)         2026-11-19  open                                  王秀兰 代办
//   J     2026-11-19  医保参保 (3)         2026-11-24  open                                  李建国 代办
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenario, type Scenario } from './scenario';
import { computeStatistics, listFigureCases } from '../../db/statistics';
import { COUNT_FIGURES, formatRate, periodLabel, quarterRange } from '../../domain/statistics';

let s: Scenario;
beforeAll(async () => {
  s = await buildScenario();
}, 120_000);
afterAll(() => s?.env.close());

const NOV = { from: '2026-11-01', to: '2026-11-30' };

describe('statistics: November 2026 worked out by hand', () => {
  it('counts every figure as defined', async () => {
    const r = await s.env.api.statistics(NOV);
    expect(r.ref).toBe('2026-11-20'); // the month is still running: snapshot as of today
    const t = r.totals;
    // 受理量: intake in November and not refused: C D E F H I J (F was withdrawn later; still accepted).
    expect(t.accepted).toBe(7);
    // 不予受理: G.
    expect(t.refused).toBe(1);
    // 应办结: due in November, not withdrawn/refused, decided or past due by today:
    // A(11-03) B(11-02) C(11-05) D(11-17) E(11-12) I(11-19) L(11-10). F withdrawn; J due 11-24 not yet due.
    expect(t.due).toBe(7);
    // of which decided: A B C E L.
    expect(t.dueCompleted).toBe(5);
    // 办结: decision date in November: A(11-02) B(11-05) C(11-04) E(11-12) L(11-10).
    expect(t.completed).toBe(5);
    // on or before due: A C E L; late: B.
    expect(t.onTime).toBe(4);
    expect(t.completedLate).toBe(1);
    // 超期未办结 as of 11-20: K(due 10-16) D(11-17) I(11-19). F is withdrawn, J/H not yet due.
    expect(t.overdueOpen).toBe(3);
    expect(t.overdue).toBe(4);
    // 回访: completed with a return visit: A B E L (L's call did not reach the applicant but was made); C not.
    expect(t.returnVisited).toBe(4);
    expect(t.notReturnVisited).toBe(1);
    // 评价 (latest rating per case): A 1, B 4, E 3 (5 first, 3 after rectification). L unrated.
    expect(t.rated).toBe(3);
    expect(t.satisfied).toBe(2);
    expect(t.poor).toBe(1);
    expect(formatRate(t.completionRate)).toBe('71.4%'); // 5/7
    expect(formatRate(t.onTimeRate)).toBe('80.0%'); // 4/5
    expect(formatRate(t.returnVisitRate)).toBe('80.0%'); // 4/5
    expect(formatRate(t.satisfactionRate)).toBe('66.7%'); // 2/3
  });

  it('takes the overdue snapshot at the end of a past period', async () => {
    // October: accepted A B L; K is due 10-16 and still open at 10-31; nothing decided in October.
    const oct = (await s.env.api.statistics({ from: '2026-10-01', to: '2026-10-31' })).totals;
    expect(oct).toMatchObject({ accepted: 3, refused: 0, due: 1, dueCompleted: 0, completed: 0, overdueOpen: 1, overdue: 1 });
    expect(oct.completionRate).toBe(0);
    expect(oct.onTimeRate).toBeNull();
    expect(formatRate(oct.onTimeRate)).toBe('—');
    // 11-01..11-03: at 11-03, B (due 11-02, decided only on 11-05) was overdue, and K.
    const early = (await s.env.api.statistics({ from: '2026-11-01', to: '2026-11-03' })).totals;
    expect(early.overdueOpen).toBe(2);
    // A was decided 11-02 within the range and on time.
    expect(early).toMatchObject({ completed: 1, onTime: 1, completedLate: 0 });
  });

  it('breaks the figures down by item, department, handling mode and agent', async () => {
    const byItem = await s.env.api.statistics({ ...NOV, groupBy: 'item' });
    const item = (code: string) => byItem.groups.find((g) => g.key === code)!.figures;
    // 临时救助: accepted D; due A D L; decided A L; overdue open D K.
    expect(item('MZ-0003')).toMatchObject({ accepted: 1, due: 3, dueCompleted: 2, completed: 2, onTime: 2, overdueOpen: 2, returnVisited: 2, rated: 1 });
    // 养老参保: accepted E; due B E; decided B (late) E; rated both, B poor.
    expect(item('RS-0001')).toMatchObject({ accepted: 1, due: 2, completed: 2, onTime: 1, completedLate: 1, overdue: 1, rated: 2, satisfied: 1, poor: 1 });
    expect(item('WJ-0001')).toMatchObject({ accepted: 2, due: 1, dueCompleted: 0, overdueOpen: 1 });
    expect(item('MZ-0005')).toMatchObject({ accepted: 1, refused: 1 });
    expect(byItem.groups.find((g) => g.key === 'MZ-0003')!.label).toBe('临时救助申请');
    // Totals are the same whichever way the table is cut.
    expect(byItem.totals).toEqual((await s.env.api.statistics(NOV)).totals);

    const byDept = await s.env.api.statistics({ ...NOV, groupBy: 'department' });
    // 乡镇人民政府 decides 临时救助 and 生育登记: accepted D F I; due A D L I; overdue open D K I.
    expect(byDept.groups.find((g) => g.label === '乡镇人民政府')!.figures).toMatchObject({ accepted: 3, due: 4, dueCompleted: 2, overdueOpen: 3 });

    const byMode = await s.env.api.statistics({ ...NOV, groupBy: 'mode' });
    expect(byMode.groups.map((g) => [g.label, g.figures.accepted, g.figures.completed])).toEqual([
      ['代办', 7, 4],
      ['领办', 0, 1],
    ]);

    const byAgent = await s.env.api.statistics({ ...NOV, groupBy: 'agent' });
    // 李建国 took L (decided in November) and J (accepted in November).
    expect(byAgent.groups.find((g) => g.label === '李建国')!.figures).toMatchObject({ accepted: 1, completed: 1, onTime: 1, returnVisited: 1, rated: 0 });
    expect(byAgent.groups.find((g) => g.label === '王秀兰')!.figures).toMatchObject({ accepted: 6, completed: 4 });
  });

  it('opens the list of cases behind each figure, and the lists agree with the counts', async () => {
    const list = (figure: (typeof COUNT_FIGURES)[number], extra = {}) => s.env.api.statisticsCases({ ...NOV, figure, limit: 200, ...extra });
    const overdue = await list('overdue');
    // Ordered by due date: K 10-16, B 11-02, D 11-17, I 11-19.
    expect(overdue.rows.map((r) => r.caseNo)).toEqual(['K', 'B', 'D', 'I'].map((k) => s.cases[k].caseNo));
    const poor = await list('poor');
    expect(poor.rows).toHaveLength(1);
    expect(poor.rows[0]).toMatchObject({ caseNo: s.cases.B.caseNo, applicantName: '李四', rating: 4, ratingComment: '跑了两趟才办好', rectification: 'open' });
    const guided = await list('completed', { group: { by: 'mode', key: 'guide' } });
    expect(guided.rows.map((r) => r.caseNo)).toEqual([s.cases.L.caseNo]);
    const totals = (await s.env.api.statistics(NOV)).totals;
    for (const f of COUNT_FIGURES) expect((await list(f)).total, f).toBe(totals[f]);
    // Paging.
    const page = await s.env.api.statisticsCases({ ...NOV, figure: 'accepted', offset: 5, limit: 5 });
    expect(page.total).toBe(7);
    expect(page.rows).toHaveLength(2);
  });

  it('lets the county reuse the same functions with an extra filter', () => {
    const db = s.env.reg.db;
    const li = computeStatistics(db, { ...NOV, today: '2026-11-20', extraWhere: { sql: 'c.agent_id = ?', params: [s.agents.li] } });
    expect(li.totals).toMatchObject({ accepted: 1, completed: 1 });
    const listed = listFigureCases(db, { ...NOV, today: '2026-11-20', figure: 'accepted', offset: 0, limit: 10, extraWhere: { sql: 'c.agent_id = ?', params: [s.agents.li] } });
    expect(listed.rows.map((r) => r.caseNo)).toEqual([s.cases.J.caseNo]);
  });

  it('names periods and refuses a reversed one in Chinese', async () => {
    expect(periodLabel('2026-11-01', '2026-11-30')).toBe('2026年11月');
    expect(periodLabel(quarterRange(2026, 4).from, quarterRange(2026, 4).to)).toBe('2026年第4季度');
    expect(periodLabel('2026-01-01', '2026-12-31')).toBe('2026年');
    expect(periodLabel('2026-11-03', '2026-11-20')).toBe('2026年11月3日至2026年11月20日');
    await expect(s.env.api.statistics({ from: '2026-12-01', to: '2026-11-01' })).rejects.toThrow(/开始日期不能晚于结束日期/);
  });

  it('requires a signed-in agent', async () => {
    await s.env.api.signOut({});
    await expect(s.env.api.statistics(NOV)).rejects.toThrow(/请先登录/);
    const { agents } = await s.env.api.getAppState({});
    await s.env.api.signIn({ agentId: agents[0].id, pin: '135246' });
  });
});
