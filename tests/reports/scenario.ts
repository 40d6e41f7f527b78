// A small hand-built register whose November 2026 figures are worked out by hand in
// statistics.test.ts. Every case is entered on its real date (the clock is moved day by day), by
// the agent named, so the prints show what a real month would look like.
import { openTestRegister, IDS, type TestEnv } from '../support/tempRegister';
import type { CaseDetail } from '../../domain/records';
import type { Rating } from '../../domain/vocab';

export const TODAY = '2026-11-20';

// More valid ID numbers (check characters per GB 11643).
export const MORE_IDS = {
  zhaoLiu: '150822197811230018',
  sunQi: '150822200102280025',
  zhouBa: '150822195506060033',
};

type Who = 'wang' | 'li';

export type Scenario = { env: TestEnv; cases: Record<string, CaseDetail>; agents: Record<Who, string> };

const PEOPLE = [
  { name: '张三', idNumber: IDS.zhangSan, phone: '13812345678' },
  { name: '李四', idNumber: IDS.liSi, phone: '13998765432' },
  { name: '王五', idNumber: IDS.wangWu, phone: '13512345678' },
  { name: '赵六', idNumber: MORE_IDS.zhaoLiu, phone: '0478-5212345' },
  { name: '孙七', idNumber: MORE_IDS.sunQi, phone: '15047812345' },
  { name: '周八', idNumber: MORE_IDS.zhouBa, phone: '18647812345' },
];

export async function buildScenario(): Promise<Scenario> {
  const env = await openTestRegister({ date: '2026-09-28' });
  const { agents } = await env.api.getAppState({});
  const ids: Record<Who, string> = { wang: agents[0].id, li: agents[1].id };
  const pins: Record<Who, string> = { wang: '135246', li: '246135' };
  let current: Who = 'wang';
  const as = async (who: Who) => {
    if (current !== who) {
      await env.api.signIn({ agentId: ids[who], pin: pins[who] });
      current = who;
    }
  };
  const on = (date: string) => env.clock.setChinaDate(date);
  const cases: Record<string, CaseDetail> = {};

  const intake = async (
    key: string,
    date: string,
    itemCode: string,
    person: number,
    opts: { who?: Who; mode?: 'guide' | 'proxy' | 'transfer' | 'supervise'; refuse?: string; defer?: { name: string; until: string } } = {},
  ) => {
    on(date);
    await as(opts.who ?? 'wang');
    const item = await env.api.getCatalogItem({ code: itemCode });
    const p = PEOPLE[person];
    const c = await env.api.createCase({
      applicant: { kind: 'person', name: p.name, idNumber: p.idNumber, phone: p.phone, villageGroup: '第三村民小组', address: '红旗村三组' },
      itemCode,
      handlingMode: opts.mode ?? 'proxy',
      materials: item.materials.map((m) =>
        opts.defer && m.name === opts.defer.name
          ? { ...m, state: 'deferred' as const, promisedDate: opts.defer.until, custody: 'none' as const }
          : { ...m, state: 'both' as const, custody: 'held' as const },
      ),
      refuse: opts.refuse ? { reason: opts.refuse } : undefined,
    });
    cases[key] = c;
    return c;
  };
  const act = async (key: string, date: string, input: Record<string, unknown>, who: Who = 'wang') => {
    on(date);
    await as(who);
    cases[key] = await env.api.transitionCase({ id: cases[key].id, ...(input as { action: 'handUp' }) });
  };
  const visit = async (key: string, date: string, rating: Rating | null, reached = true, kind: 'returnVisit' | 'rectification' = 'returnVisit', comment = '') => {
    on(date);
    await as('wang');
    cases[key] = await env.api.recordFollowup({ caseId: cases[key].id, kind, method: 'phone', reached, rating, comment });
  };

  // K: 2026-09-28 临时救助, due 10-16, never finished (overdue since October).
  await intake('K', '2026-09-28', 'MZ-0003', 3);
  await act('K', '2026-09-29', { action: 'handUp', handedTo: '巴彦镇便民服务中心' });
  // A: 10-20 临时救助 (10 working days) → due 11-03; decided 11-02 (on time); 非常满意.
  await intake('A', '2026-10-20', 'MZ-0003', 0);
  await act('A', '2026-10-21', { action: 'handUp', handedTo: '巴彦镇便民服务中心' });
  await act('A', '2026-11-02', { action: 'decide', decision: 'approved', note: '准予临时救助1500元' });
  await act('A', '2026-11-03', { action: 'deliver', deliveryMethod: 'inPerson', deliveredTo: '张三' });
  await visit('A', '2026-11-06', 1);
  // B: 10-26 养老保险参保登记 (5) → due 11-02; decided 11-05 (late); 不满意 → 差评.
  await intake('B', '2026-10-26', 'RS-0001', 1);
  await act('B', '2026-10-27', { action: 'handUp', handedTo: '县社会保险事业管理局' });
  await act('B', '2026-11-05', { action: 'decide', decision: 'approved' });
  await visit('B', '2026-11-09', 4, true, 'returnVisit', '跑了两趟才办好');
  // L: 10-27 临时救助, 领办 by 李建国 → due 11-10; decided 11-10 (on time); return visit, not reached.
  await intake('L', '2026-10-27', 'MZ-0003', 2, { who: 'li', mode: 'guide' });
  await act('L', '2026-11-10', { action: 'decide', decision: 'refused', note: '家庭收入超过救助标准' }, 'li');
  await visit('L', '2026-11-12', null, false);
  // C: 11-02 医保参保登记 (3) → due 11-05; decided 11-04 (on time); no return visit.
  await intake('C', '2026-11-02', 'YB-0001', 4);
  await act('C', '2026-11-04', { action: 'decide', decision: 'approved' });
  // D: 11-03 临时救助 → due 11-17; handed up 11-04, still open (overdue at 11-20).
  await intake('D', '2026-11-03', 'MZ-0003', 5, { defer: { name: '户口簿', until: '2026-11-10' } });
  await act('D', '2026-11-04', { action: 'handUp', handedTo: '巴彦镇便民服务中心' });
  // E: 11-05 养老保险参保登记 → due 11-12; decided 11-12 (on time); 非常不满意, then after
  // rectification 基本满意 — the latest rating counts.
  await intake('E', '2026-11-05', 'RS-0001', 3);
  await act('E', '2026-11-06', { action: 'handUp', handedTo: '县社会保险事业管理局' });
  await act('E', '2026-11-12', { action: 'decide', decision: 'approved' });
  await visit('E', '2026-11-13', 5, true, 'returnVisit', '态度不好');
  await visit('E', '2026-11-18', 3, true, 'rectification', '已道歉，基本满意');
  // F: 11-09 生育登记 (1) → due 11-10; withdrawn 11-10.
  await intake('F', '2026-11-09', 'WJ-0001', 4);
  await act('F', '2026-11-10', { action: 'withdraw', reason: '申请人自行到镇里办理' });
  // G: 11-10 高龄津贴, 不予受理.
  await intake('G', '2026-11-10', 'MZ-0005', 2, { refuse: '申请人未满80周岁，不符合高龄津贴申领条件' });
  // H: 11-16 高龄津贴 (15) → due 12-07; open.
  await intake('H', '2026-11-16', 'MZ-0005', 5);
  // I: 11-18 生育登记 (1) → due 11-19; open (overdue at 11-20).
  await intake('I', '2026-11-18', 'WJ-0001', 0);
  // J: 11-19 医保参保登记 by 李建国 (3) → due 11-24; open, not yet due.
  await intake('J', '2026-11-19', 'YB-0001', 1, { who: 'li' });

  // Visits for the 来信来访登记簿.
  on('2026-11-11');
  await as('wang');
  await env.api.createVisit({ visitorName: '刘大爷', visitorPhone: '13704781111', channel: 'walkIn', category: 'consult', summary: '咨询高龄津贴的申领条件和需要的材料', handling: 'answered', outcome: '已当场告知条件和材料清单', settledDate: '2026-11-11' });
  on('2026-11-17');
  await env.api.createVisit({ visitorName: '陈某某', visitorPhone: '15904782222', visitorCount: 3, channel: 'phone', category: 'dispute', summary: '反映邻里宅基地边界纠纷，要求村里出面调解', handling: 'transferred', transferredTo: '巴彦镇综治中心', outcome: '已转镇综治中心' });

  on(TODAY);
  await as('wang');
  return { env, cases, agents: ids };
}
