// A realistic synthetic village register for demos, tests and benchmarks (`daiban seed-demo`).
//
// Every record goes through the real ChangeWriter, so each one has its history event and its
// outbox entry exactly as if an agent had typed it. To be fast (100,000 cases in about a minute)
// the seed does not call the one-change-per-transaction db functions (they read and check the
// register at every step): it builds each change with the same row builders they use
// (newCaseSpec, transitionSpec … in db/cases.ts, db/applicants.ts, db/followups.ts, db/visits.ts),
// so a column added there is seeded too — many changes per transaction, with a simulated clock
// that walks through the years so that created_at, history times and HLC stamps look like the
// register grew day by day.
//
// The content is deterministic for a given seed, number of cases, span of years and "today".
import { randomFillSync } from 'node:crypto';
import type { Register } from './register';
import { Register as RegisterClass } from './register';
import { chinaDate, chinaInstant } from './clock';
import { setupPoint, getPoint, type SetupInput } from './point';
import { followupSpec, rectificationCloseSpec, rectificationOpenSpec } from './followups';
import { visitSpec, visitToCaseSpec, visitUpdateSpec } from './visits';
import { identityColumns, newApplicantSpec } from './applicants';
import { materialUpdateSpec, newCaseSpec, newMaterialSpec, transitionSpec } from './cases';
import { decodeHlc } from '../domain/hlc';
import { residentIdCheckChar } from '../domain/idNumber';
import { pinyinKeys } from '../domain/pinyin';
import { formatCaseNumber } from '../domain/caseNumber';
import { computeDueDate, RECTIFICATION_WORKDAYS } from '../domain/deadlines';
import { nextStatus, type CaseAction, type CaseStatus } from '../domain/caseStatus';
import {
  isPoorRating,
  type CustodyState,
  type Decision,
  type DeliveryMethod,
  type FollowupKind,
  type FollowupMethod,
  type HandlingMode,
  type MaterialState,
  type Rating,
  type VisitCategory,
  type VisitChannel,
  type VisitHandling,
} from '../domain/vocab';
import type { CatalogMaterial } from '../domain/records';

export type SeedOptions = {
  /** Number of cases (代办件) to add. */
  cases: number;
  /** PRNG seed; the same seed, size, span and "today" give the same register content. */
  seed?: number;
  /** How many years back the intake dates reach (default 3). */
  years?: number;
  /** Only this agent (by name) records everything; default: the whole duty roster. */
  agentName?: string;
  /** Called after each committed batch. */
  onProgress?: (done: number, total: number) => void;
};

export type SeedResult = {
  pointCreated: boolean;
  cases: number;
  applicantsCreated: number;
  visits: number;
  followups: number;
  rectifications: number;
  changes: number;
  from: string;
  to: string;
  byStatus: Partial<Record<CaseStatus, number>>;
  ms: number;
};

/** The demo point used when the register has not been set up yet. */
export const DEMO_SETUP: SetupInput = {
  villageCode: '150822101201',
  villageName: '红旗村',
  townshipName: '巴彦镇',
  countyName: '五原县',
  consultPhone: '0478-5211234',
  complaintPhone: '12345',
  agents: [
    { name: '王秀兰', phone: '13904781234', pin: '135246' },
    { name: '李建国', phone: '13604785678', pin: '246135' },
  ],
};

// ---------------------------------------------------------------- randomness

class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: small, fast, good enough for synthetic data. */
  next(): number {
    let t = (this.a = (this.a + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), 1 | t);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  weighted<T>(table: Weighted<T>): T {
    const r = this.next() * table.total;
    let lo = 0;
    let hi = table.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table.cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return table.values[lo];
  }
}

type Weighted<T> = { values: T[]; cum: number[]; total: number };
function weights<T>(entries: readonly (readonly [T, number])[]): Weighted<T> {
  let total = 0;
  const cum: number[] = [];
  for (const [, w] of entries) cum.push((total += w));
  return { values: entries.map(([v]) => v), cum, total };
}

// Row ids: UUIDv7 like domain/ids.ts, but from a pooled random buffer (one syscall per 1,024 ids).
const pool = Buffer.alloc(16 * 1024);
let poolAt = pool.length;
function fastUuidv7(ms: number): string {
  if (poolAt >= pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  let t = Math.max(0, Math.floor(ms));
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------- dates (day numbers, UTC arithmetic)

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const dn = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / DAY_MS;
const ds = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** Instant (ms) of a China-local day number plus seconds after midnight. */
const instant = (day: number, secs: number) => day * DAY_MS - CHINA_OFFSET_MS + secs * 1000;

// ---------------------------------------------------------------- vocabularies of a village in 五原县

const SURNAMES = weights<string>([
  ['王', 72], ['李', 70], ['张', 68], ['刘', 54], ['陈', 40], ['杨', 32], ['赵', 30], ['黄', 18], ['周', 18], ['吴', 16],
  ['徐', 14], ['孙', 16], ['胡', 13], ['朱', 12], ['高', 14], ['林', 8], ['何', 9], ['郭', 14], ['马', 16], ['罗', 7],
  ['梁', 8], ['宋', 8], ['郑', 7], ['谢', 6], ['韩', 9], ['唐', 6], ['冯', 7], ['于', 8], ['董', 8], ['程', 6],
  ['曹', 7], ['袁', 5], ['邓', 5], ['许', 6], ['傅', 3], ['沈', 4], ['曾', 4], ['彭', 4], ['吕', 5], ['苏', 5],
  ['卢', 4], ['蒋', 4], ['蔡', 4], ['贾', 6], ['丁', 5], ['魏', 6], ['薛', 5], ['叶', 3], ['阎', 4], ['余', 3],
  ['潘', 3], ['杜', 5], ['戴', 3], ['夏', 3], ['钟', 3], ['汪', 3], ['田', 6], ['任', 5], ['姜', 4], ['范', 4],
  ['方', 3], ['石', 4], ['姚', 4], ['谭', 2], ['廖', 2], ['邹', 2], ['熊', 2], ['金', 3], ['陆', 3], ['郝', 6],
  ['孔', 3], ['白', 6], ['崔', 4], ['康', 4], ['毛', 3], ['邱', 2], ['秦', 3], ['江', 2], ['史', 4], ['顾', 2],
  ['侯', 4], ['邵', 2], ['孟', 4], ['龙', 2], ['万', 2], ['段', 3], ['雷', 3], ['钱', 2], ['汤', 2], ['尹', 3],
  ['常', 4], ['武', 5], ['乔', 4], ['贺', 4], ['包', 4], ['乌', 2], ['樊', 3], ['霍', 3], ['单', 2], ['仇', 1],
  ['欧阳', 1.2], ['司马', 0.5], ['上官', 0.4], ['诸葛', 0.3], ['东方', 0.3], ['皇甫', 0.3], ['尉迟', 0.2], ['公孙', 0.2],
  ['慕容', 0.2], ['令狐', 0.2], ['宇文', 0.2], ['司徒', 0.2],
]);
const MALE_CHARS = '建国军明伟强刚勇平志文华林海峰春福贵宝成东杰波斌涛鹏辉龙永德俊亮新利生学忠义胜荣富根山金玉俊喜旺库存'.split('');
const FEMALE_CHARS = '秀兰英芳丽玲娟霞红梅艳燕萍敏静翠凤琴桂珍云莲淑婷慧娜雪丹花香月荣兰巧玉美金春'.split('');
// Mongolian names of Inner Mongolia (no surname in the Han sense).
const MONGOLIAN_MALE = ['巴特尔', '苏和', '额尔敦', '孟和', '朝鲁', '巴雅尔', '那顺', '宝音', '达来', '布和'];
const MONGOLIAN_FEMALE = ['其其格', '乌日娜', '斯琴', '萨仁', '托娅', '高娃', '乌云', '娜仁', '阿拉坦', '图雅'];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八'];

// Item mix of a farming village: 低保, 养老保险 and 医保 dominate.
const ITEM_WEIGHT: Record<string, number> = {
  'MZ-0001': 13, 'MZ-0002': 2, 'MZ-0003': 5, 'MZ-0004': 3, 'MZ-0005': 4, 'CL-0001': 3,
  'RS-0001': 9, 'RS-0002': 9, 'RS-0003': 5, 'RS-0004': 2, 'YB-0001': 13, 'YB-0002': 5, 'YB-0003': 6,
  'WJ-0001': 2, 'WJ-0002': 1, 'NY-0001': 6, 'NY-0002': 2, 'NY-0003': 2, 'NY-0004': 2, 'ZJ-0001': 1,
  'TY-0001': 1, 'JY-0001': 2, 'SJ-0001': 1, 'SC-0001': 1, 'SC-0002': 0.5, 'LY-0001': 0.5,
};
// Plausible applicant ages per item.
const ITEM_AGES: Record<string, [number, number]> = {
  'MZ-0005': [80, 95], 'RS-0002': [60, 85], 'JY-0001': [18, 22], 'WJ-0001': [22, 38], 'WJ-0002': [49, 75],
  'SC-0001': [22, 58], 'SC-0002': [25, 65], 'TY-0001': [24, 80], 'RS-0004': [18, 50], 'RS-0001': [18, 59],
};
const HANDUP_DELAY = weights<number>([[0, 40], [1, 35], [2, 20], [3, 5]]);
const MATERIAL_STATE = weights<MaterialState>([['both', 60], ['copy', 25], ['original', 15]]);
const HANDLING = weights<HandlingMode>([['proxy', 62], ['guide', 24], ['transfer', 10], ['supervise', 4]]);
const FEEDBACK_METHOD = weights<FollowupMethod>([['phone', 78], ['wechat', 10], ['sms', 6], ['inPerson', 6]]);
const RETURN_METHOD = weights<FollowupMethod>([['phone', 70], ['home', 18], ['inPerson', 8], ['wechat', 4]]);
const RATING = weights<Rating>([[1, 52], [2, 34], [3, 9], [4, 3.5], [5, 1.5]]);
const DELIVERY = weights<DeliveryMethod>([['inPerson', 45], ['agentVisit', 25], ['selfCollect', 15], ['electronic', 10], ['mail', 5]]);
const VISIT_CATEGORY = weights<VisitCategory>([['consult', 40], ['errand', 22], ['help', 10], ['report', 11], ['complaint', 6], ['dispute', 11]]);
const VISIT_CHANNEL = weights<VisitChannel>([['walkIn', 55], ['phone', 30], ['mobileService', 8], ['online', 5], ['letter', 2]]);
const VISIT_HANDLING: Record<VisitCategory, Weighted<VisitHandling>> = {
  consult: weights([['answered', 90], ['transferred', 10]]),
  errand: weights([['answered', 55], ['escorted', 25], ['transferred', 20]]),
  help: weights([['answered', 40], ['transferred', 40], ['escorted', 20]]),
  complaint: weights([['transferred', 50], ['assistedComplaint', 30], ['answered', 20]]),
  report: weights([['transferred', 60], ['answered', 40]]),
  dispute: weights([['mediated', 70], ['transferred', 20], ['escorted', 10]]),
};
const VISIT_SUMMARY: Record<VisitCategory, string[]> = {
  consult: ['咨询城乡居民养老保险缴费档次', '咨询低保申请条件', '咨询医保缴费时间和标准', '咨询高龄津贴申领条件', '咨询耕地地力保护补贴发放时间', '咨询残疾人证办理流程', '咨询社保卡补办', '咨询宅基地申请政策'],
  errand: ['来办理医保参保登记', '来办理养老保险待遇领取', '来申请临时救助', '来办理社保卡申领', '来申请低保', '来办理耕地补贴申报'],
  help: ['家中老人生病住院，请求帮助申请救助', '房屋漏雨，请求协调维修', '请求帮助联系镇卫生院上门体检', '孩子上学有困难，请求帮助申请资助'],
  complaint: ['反映低保评议不公开', '反映补贴迟迟未到账', '反映镇里办事要求材料反复', '反映村道路灯长期不亮'],
  report: ['反映村内道路破损', '反映灌溉渠堵塞', '反映自来水水压不足', '反映垃圾清运不及时', '反映冬季取暖用煤价格'],
  dispute: ['邻里宅基地边界纠纷', '土地流转租金纠纷', '家庭赡养纠纷', '邻里排水纠纷', '承包地界址纠纷'],
};
const REFUSE_REASONS = [
  '申请人家庭人均收入超过当地保障标准，不符合申请条件，已书面告知',
  '申请人非本村户籍，已告知到户籍所在地申请',
  '该事项不属于代办点代办范围，已告知到县政务服务中心办理',
  '申请人已享受同类待遇，不能重复申请',
];
const WITHDRAW_REASONS = ['申请人主动撤回申请', '申请人已自行到县政务服务中心办理', '申请人家庭情况发生变化，不再申请'];
const NOT_CORRECTED = '申请人未按期补正材料，主动撤回';
const APPROVED_NOTES = ['准予', '审核通过，准予办理', '已办结，证件已制发', '准予，待遇次月起发放'];
const REFUSED_NOTES = ['经入户核查，家庭收入超过保障标准，不予批准', '不符合申领条件，不予办理', '材料不实，不予批准'];
const FEEDBACK_COMMENTS = ['已告知办理进度', '材料已报送镇便民服务中心，正在审核', '已电话告知申请人正在办理', '告知申请人预计办结时间'];
const GOOD_COMMENTS = ['', '', '办事方便，不用跑腿', '代办员很热情', '满意', '很快就办好了'];
const FAIR_COMMENTS = ['还行，时间稍长', '基本满意'];
const POOR_COMMENTS = ['办理时间太长，跑了两趟', '材料要求没有一次说清楚', '等了很久没人告知进度', '态度不好'];
const RECT_NOTES = [
  '已电话向申请人致歉并说明办理进度',
  '已上门解释政策，申请人表示理解',
  '已协调镇便民服务中心加快办理，结果已送达',
  '已完善一次性告知单，补充材料清单',
];

// ---------------------------------------------------------------- plans

type Person = {
  name: string;
  idNumber: string;
  birthDate: string;
  birthYear: number;
  sex: 'male' | 'female';
  phone: string;
  group: string;
  address: string;
  id: string | null;
};

type Item = { code: string; name: string; department: string; decidedAt: string; committedWorkdays: number; pauseOnWait: boolean; materials: CatalogMaterial[] };

type MatPlan = {
  name: string;
  form: string;
  copies: number;
  required: boolean;
  deferrable: boolean;
  state: MaterialState;
  promised: string | null;
  custody: CustodyState;
  id: string;
};

type VisitPlan = {
  date: string;
  backfilled: boolean;
  name: string;
  phone: string;
  count: number;
  channel: VisitChannel;
  category: VisitCategory;
  summary: string;
  handling: VisitHandling;
  transferredTo: string;
  outcome: string;
  settled: string | null;
  id: string;
};

type CasePlan = {
  person: Person;
  item: Item;
  mode: HandlingMode;
  intake: string;
  refuse: string | null;
  materials: MatPlan[];
  visit: VisitPlan | null;
  // state while executing
  id: string;
  status: CaseStatus;
  returnedAt: string | null;
  waiting: number;
  decisionDate: string | null;
  rectId: string;
};

type Ev =
  | { k: 'intake'; c: CasePlan }
  | { k: 'move'; c: CasePlan; action: CaseAction; date: string; handedTo?: string; decision?: Decision; note?: string; method?: DeliveryMethod; to?: string; reason?: string }
  | { k: 'followup'; c: CasePlan; date: string; kind: FollowupKind; method: FollowupMethod; reached: boolean; rating: Rating | null; comment: string }
  | { k: 'rectClose'; c: CasePlan; date: string; note: string }
  | { k: 'material'; c: CasePlan; date: string; m: MatPlan; state: MaterialState }
  | { k: 'visit'; v: VisitPlan }
  | { k: 'settle'; v: VisitPlan; date: string; outcome: string };

type Scheduled = { t: number; seq: number; agent: string; ev: Ev };

/** Simulated wall clock the seeding register runs on. */
class SimClock {
  ms = 0;
  nowMs = () => this.ms;
}

/**
 * Adds `opts.cases` synthetic cases (with applicants, materials, follow-ups, rectifications and
 * visits) to the register, all through the ChangeWriter. Sets up the demo point first when the
 * register has none (reported in `pointCreated`).
 */
export async function seedDemo(reg: Register, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const total = opts.cases;
  if (!Number.isInteger(total) || total < 0 || total > 5_000_000) throw new Error('演示代办件数量应为 0 到 5000000 之间的整数');
  const years = opts.years ?? 3;
  if (!Number.isInteger(years) || years < 1 || years > 30) throw new Error('演示数据的年数应为 1 到 30 之间的整数');
  const rng = new Rng(opts.seed ?? 20261122);

  // The seed ends "now" on the caller's clock; the simulated clock never passes it, so the
  // caller's next change still sorts after every seeded one.
  const endMs = reg.clock.nowMs() - 1000;
  const todayN = dn(chinaDate(endMs));
  const startN = todayN - Math.round(years * 365.25) + 1;

  const sim = new SimClock();
  sim.ms = instant(startN - 1, 9 * 3600);
  const sreg = await RegisterClass.open({ dataDir: reg.dataDir, clock: sim, key: reg.dataKey ?? undefined, cipher: reg.cipher, nativeBinding: reg.nativeBinding });
  try {
    let pointCreated = false;
    if (!getPoint(sreg)) {
      setupPoint(sreg, DEMO_SETUP);
      pointCreated = true;
    }
    const point = getPoint(sreg)!;
    const countyCode = point.villageCode.slice(0, 6);
    const township = point.townshipName;
    const county = point.countyName;

    let agents = sreg.db.prepare(`SELECT id, name FROM agents WHERE active = 1 ORDER BY created_at, id`).all() as { id: string; name: string }[];
    if (opts.agentName) {
      agents = agents.filter((a) => a.name === opts.agentName);
      if (!agents.length) throw new Error(`没有名为“${opts.agentName}”的在岗代办员`);
    }
    if (!agents.length) throw new Error('没有在岗的代办员，无法生成演示数据');

    const items = (
      sreg.db
        .prepare(`SELECT code, name, department, decided_at, committed_workdays, pause_on_wait, materials_json FROM catalog_items WHERE active = 1 ORDER BY code`)
        .all() as { code: string; name: string; department: string; decided_at: string; committed_workdays: number; pause_on_wait: number; materials_json: string }[]
    ).map(
      (r): Item => ({
        code: r.code,
        name: r.name,
        department: r.department,
        decidedAt: r.decided_at,
        committedWorkdays: r.committed_workdays,
        pauseOnWait: r.pause_on_wait === 1,
        materials: JSON.parse(r.materials_json) as CatalogMaterial[],
      }),
    );
    if (!items.length) throw new Error('事项目录为空，无法生成演示数据');
    const itemTable = weights(items.map((it) => [it, ITEM_WEIGHT[it.code] ?? 1] as const));
    const cal = sreg.calendar;
    const W = (date: string, n: number) => cal.addWorkdays(date, n).date;

    const unit = (department: string) =>
      department.startsWith('县') ? county + department.slice(1) : department.startsWith('乡镇') ? township + department.slice(2) : department;

    // ---- people
    const issued = new Set<string>();
    const people: Person[] = [];
    const randomName = (male: boolean): string => {
      if (rng.chance(0.02)) return rng.pick(male ? MONGOLIAN_MALE : MONGOLIAN_FEMALE);
      const chars = male ? MALE_CHARS : FEMALE_CHARS;
      return rng.weighted(SURNAMES) + rng.pick(chars) + (rng.chance(0.72) ? rng.pick(chars) : '');
    };
    const newPerson = (intakeYear: number, ages: [number, number]): Person => {
      const male = rng.chance(0.5);
      const name = randomName(male);
      const loY = Math.max(1935, intakeYear - ages[1]);
      const hiY = Math.min(2008, intakeYear - ages[0]);
      const y = loY <= hiY ? rng.int(loY, hiY) : Math.min(2008, Math.max(1935, intakeYear - 40));
      const m = rng.int(1, 12);
      const d = rng.int(1, new Date(Date.UTC(y, m, 0)).getUTCDate());
      const birth = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
      let idNumber = '';
      for (;;) {
        const seq = rng.int(0, 99) * 10 + (male ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]));
        const first17 = `${countyCode}${birth}${String(seq).padStart(3, '0')}`;
        idNumber = first17 + residentIdCheckChar(first17);
        if (!issued.has(idNumber)) break;
      }
      issued.add(idNumber);
      const group = rng.int(1, 8);
      const p: Person = {
        name,
        idNumber,
        birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
        birthYear: y,
        sex: male ? 'male' : 'female',
        phone: rng.chance(0.96) ? mobile() : '',
        group: `第${NUMERALS[group - 1]}村民小组`,
        address: `${point.villageName}${NUMERALS[group - 1]}组${rng.int(1, 80)}号`,
        id: null,
      };
      people.push(p);
      return p;
    };

    // ---- intake dates: working days mostly, a few weekend days (流动服务, 补录 of weekend visits)
    const intakes: number[] = [];
    while (intakes.length < total) {
      const d = rng.int(startN, todayN);
      if (cal.isWorkday(ds(d)) || rng.chance(0.05)) intakes.push(d);
    }
    intakes.sort((a, b) => a - b);

    // ---- scheduling
    const events: Scheduled[] = [];
    let seq = 0;
    const dutyAgent = (day: number) => (agents.length === 1 || rng.chance(0.8) ? agents[Math.floor(day / 7) % agents.length] : rng.pick(agents)).id;
    const workSecs = () => rng.int(8 * 3600 + 1800, 17 * 3600 + 1800);
    const todayStart = instant(todayN, 0);
    /**
     * Schedules an event for business date `date`, entered no earlier than day `notBefore` and
     * after `after` (the instant of the event it depends on). Returns its instant, or null when it
     * would lie in the future (then it and everything depending on it is left out).
     */
    const schedule = (ev: Ev, date: string, after: number | null, notBefore = 0): number | null => {
      if (after === null) return null;
      const day = Math.max(dn(date), notBefore);
      if (day > todayN) return null;
      let t = instant(day, workSecs());
      // Today only up to "now": squeeze the working hours into the part of today that has passed.
      if (day === todayN && t > endMs) t = todayStart + Math.floor(((t - todayStart) / DAY_MS) * (endMs - todayStart));
      if (t <= after) t = after + rng.int(2, 40) * 60_000;
      if (t > endMs) return null;
      events.push({ t, seq: seq++, agent: dutyAgent(day), ev });
      return t;
    };

    let visitsPlanned = 0;
    const mobile = () => `1${rng.pick(['3', '5', '8', '7', '9', '3', '5', '8'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    const planVisit = (date: string, name: string | null, phone: string | null, category: VisitCategory): VisitPlan => {
      const forCase = name !== null;
      if (name === null) {
        // Half the callers are villagers already in the register; the others only leave a name.
        const known = people.length > 20 && rng.chance(0.5) ? rng.pick(people) : null;
        name = known ? known.name : randomName(rng.chance(0.5));
        phone = known ? known.phone : rng.chance(0.85) ? mobile() : '';
      }
      const handling = forCase ? 'answered' : rng.weighted(VISIT_HANDLING[category]);
      const settleNow = category === 'consult' || category === 'errand' || handling === 'answered' || rng.chance(0.3);
      visitsPlanned++;
      return {
        date,
        backfilled: false,
        name,
        phone: phone ?? '',
        count: category === 'dispute' || category === 'complaint' ? rng.pick([1, 1, 2, 2, 3, 5]) : 1,
        channel: forCase ? 'walkIn' : rng.weighted(VISIT_CHANNEL),
        category,
        summary: rng.pick(VISIT_SUMMARY[category]),
        handling,
        transferredTo:
          handling === 'transferred'
            ? rng.pick([`${township}便民服务中心`, `${township}司法所`, `${township}派出所`, `${township}农业综合服务站`, `${county}信访局`, `${county}医疗保障局`])
            : '',
        outcome: forCase ? '当场登记为代办件' : settleNow ? rng.pick(['已当场答复', '已告知办理流程和所需材料', '已转相关单位并告知来访人']) : '',
        settled: settleNow ? date : null,
        id: '',
      };
    };

    for (let i = 0; i < total; i++) {
      const d0 = intakes[i];
      const intake = ds(d0);
      const year = Number(intake.slice(0, 4));
      const item = rng.weighted(itemTable);
      const ages = ITEM_AGES[item.code] ?? [18, 88];
      let person: Person | null = null;
      if (people.length > 20 && rng.chance(0.3)) {
        for (let tries = 0; tries < 3 && !person; tries++) {
          const p = rng.pick(people);
          const age = year - p.birthYear;
          if (age >= ages[0] && age <= ages[1]) person = p;
        }
      }
      person ??= newPerson(year, ages);

      const refuse = rng.chance(0.025) ? rng.pick(REFUSE_REASONS) : null;
      const fromVisit = !refuse && d0 < todayN && rng.chance(0.04);
      const backfill = !refuse && !fromVisit && d0 < todayN && rng.chance(0.06);
      const entryN = backfill ? Math.min(todayN, d0 + rng.int(1, 10)) : d0;

      // Materials: everything required is received; one deferrable may be promised later (容缺).
      const deferIdx = !refuse && rng.chance(0.16) ? rng.pick(item.materials.map((m, j) => (m.required && m.deferrable ? j : -1)).filter((j) => j >= 0).concat([-1])) : -1;
      const materials = item.materials.map((m, j): MatPlan => {
        let state: MaterialState;
        if (j === deferIdx) state = 'deferred';
        else if (refuse && m.required && rng.chance(0.3)) state = 'missing';
        else if (!m.required) state = rng.chance(0.5) ? 'notNeeded' : 'copy';
        else state = rng.weighted(MATERIAL_STATE);
        return {
          name: m.name,
          form: m.form,
          copies: m.copies,
          required: m.required,
          deferrable: m.deferrable,
          state,
          promised: state === 'deferred' ? ds(d0 + rng.int(3, 10)) : null,
          custody: state === 'original' && rng.chance(0.5) ? 'held' : 'none',
          id: '',
        };
      });

      const c: CasePlan = {
        person,
        item,
        mode: rng.weighted(HANDLING),
        intake,
        refuse,
        materials,
        visit: null,
        id: '',
        status: 'accepted',
        returnedAt: null,
        waiting: 0,
        decisionDate: null,
        rectId: '',
      };

      let tIntake: number | null;
      if (fromVisit) {
        c.visit = planVisit(intake, person.name, person.phone, 'errand');
        const tv = schedule({ k: 'visit', v: c.visit }, intake, 0);
        tIntake = schedule({ k: 'intake', c }, intake, tv);
      } else {
        tIntake = schedule({ k: 'intake', c }, intake, 0, entryN);
      }
      if (refuse || tIntake === null) continue;

      // Deferred material arrives mostly on time, sometimes late.
      const deferred = materials.find((m) => m.state === 'deferred');
      let arrivalN = -1;
      if (deferred) {
        const r = rng.next();
        arrivalN = Math.max(d0 + 1, dn(deferred.promised!) + (r < 0.75 ? -rng.int(0, 3) : r < 0.92 ? rng.int(1, 10) : rng.int(11, 40)));
      }

      // The main chain: 报送 → (退回补正 → 补正后重新报送) → 办结 → 送达 → 归档, or 撤回.
      const chain: Ev[] = [];
      const dates: string[] = [];
      const push = (ev: Ev, date: string) => {
        chain.push(ev);
        dates.push(date);
      };
      let last = intake;
      let waited = 0;
      let withdrawn = false;
      const recentN = todayN - 365;
      if (c.mode !== 'guide') {
        const handUp = W(intake, rng.weighted(HANDUP_DELAY));
        push({ k: 'move', c, action: 'handUp', date: handUp, handedTo: item.decidedAt === '乡镇' || rng.chance(0.5) ? `${township}便民服务中心` : unit(item.department) }, handUp);
        last = handUp;
        if (rng.chance(0.07)) {
          const ret = W(handUp, rng.int(2, 6));
          push({ k: 'move', c, action: 'returnForCorrection', date: ret, note: '材料不全，退回补正' }, ret);
          if (rng.chance(0.15)) {
            const w = W(ret, rng.int(15, 30));
            push({ k: 'move', c, action: 'withdraw', date: w, reason: NOT_CORRECTED }, w);
            withdrawn = true;
          } else {
            const resub = W(ret, rng.int(2, 8));
            waited = cal.workdaysBetween(ret, resub);
            push({ k: 'move', c, action: 'resubmit', date: resub, note: '申请人已补齐材料' }, resub);
            last = resub;
          }
        }
      }
      if (!withdrawn) {
        const due = computeDueDate(cal, { intakeDate: intake, committedWorkdays: item.committedWorkdays, pauseOnWait: item.pauseOnWait, waitingWorkdays: waited }).dueDate;
        const late = rng.chance(0.08);
        let decision = late
          ? W(due, rng.int(1, 15))
          : W(intake, Math.max(1, Math.round(item.committedWorkdays * (0.25 + 0.75 * rng.next()))) + (item.pauseOnWait ? waited : 0));
        if (decision <= last) decision = W(last, rng.int(1, 3));
        if (arrivalN >= 0 && dn(decision) <= arrivalN) decision = W(ds(arrivalN), rng.int(1, 3));
        const withdrawAt = rng.chance(0.03) ? ds(d0 + rng.int(1, 12)) : null;
        const stuck = d0 > recentN && rng.chance(0.02);
        if (withdrawAt && withdrawAt < decision && withdrawAt > last) {
          push({ k: 'move', c, action: 'withdraw', date: withdrawAt, reason: rng.pick(WITHDRAW_REASONS) }, withdrawAt);
          withdrawn = true;
        } else if (!stuck) {
          const approved = rng.chance(0.91);
          push({ k: 'move', c, action: 'decide', date: decision, decision: approved ? 'approved' : 'refused', note: rng.pick(approved ? APPROVED_NOTES : REFUSED_NOTES) }, decision);
          c.decisionDate = decision;
          if (rng.chance(0.96)) {
            const delivered = ds(dn(decision) + rng.int(0, 6));
            push({ k: 'move', c, action: 'deliver', date: delivered, method: rng.weighted(DELIVERY), to: rng.chance(0.9) ? person.name : '家属代收' }, delivered);
            if (rng.chance(0.85)) {
              const archived = ds(dn(delivered) + rng.int(7, 60));
              push({ k: 'move', c, action: 'archive', date: archived }, archived);
            }
          }
        }
      }
      let t: number | null = tIntake;
      let tDecision: number | null = null;
      const endOfOpen = withdrawn ? dates[dates.length - 1] : c.decisionDate;
      for (let j = 0; j < chain.length; j++) {
        t = schedule(chain[j], dates[j], t, entryN);
        const ev = chain[j];
        if (ev.k === 'move' && ev.action === 'decide') tDecision = t;
      }

      // Branches that depend only on the intake: the deferred material, the one-week progress feedback.
      if (deferred && arrivalN >= 0 && (!endOfOpen || ds(arrivalN) < endOfOpen)) {
        schedule({ k: 'material', c, date: ds(arrivalN), m: deferred, state: rng.chance(0.5) ? 'both' : 'copy' }, ds(arrivalN), tIntake, entryN);
      }
      if (rng.chance(0.9)) {
        const fb = ds(d0 + (rng.chance(0.93) ? rng.int(1, 7) : rng.int(8, 14)));
        if (!endOfOpen || fb < endOfOpen) {
          const reached = rng.chance(0.96);
          schedule({ k: 'followup', c, date: fb, kind: 'feedback', method: rng.weighted(FEEDBACK_METHOD), reached, rating: null, comment: reached ? rng.pick(FEEDBACK_COMMENTS) : '电话未接通' }, fb, tIntake, entryN);
        }
      }

      // After the decision: the two-week return visit with its 好差评 rating, and for a 差评 the rectification.
      if (c.decisionDate && tDecision !== null && rng.chance(0.95)) {
        let rv = ds(dn(c.decisionDate) + (rng.chance(0.94) ? rng.int(2, 14) : rng.int(15, 30)));
        let reached = rng.chance(0.93);
        let tRv: number | null = tDecision;
        if (!reached) {
          tRv = schedule({ k: 'followup', c, date: rv, kind: 'returnVisit', method: 'phone', reached: false, rating: null, comment: '电话未接通' }, rv, tRv, entryN);
          rv = ds(dn(rv) + rng.int(1, 3));
          reached = rng.chance(0.8);
        }
        if (reached) {
          const rating = rng.weighted(RATING);
          const comment = rating <= 2 ? rng.pick(GOOD_COMMENTS) : rating === 3 ? rng.pick(FAIR_COMMENTS) : rng.pick(POOR_COMMENTS);
          tRv = schedule({ k: 'followup', c, date: rv, kind: 'returnVisit', method: rng.weighted(RETURN_METHOD), reached: true, rating, comment }, rv, tRv, entryN);
          if (isPoorRating(rating) && tRv !== null) {
            const r = rng.next();
            if (r < 0.96) {
              const close = W(rv, r < 0.88 ? rng.int(2, 14) : rng.int(16, 25));
              const tClose = schedule({ k: 'rectClose', c, date: close, note: rng.pick(RECT_NOTES) }, close, tRv, entryN);
              const again = ds(dn(close) + rng.int(0, 2));
              schedule(
                { k: 'followup', c, date: again, kind: 'rectification', method: 'phone', reached: true, rating: rng.pick([1, 2, 2, 3] as const), comment: '整改后回访，申请人表示认可' },
                again,
                tClose,
                entryN,
              );
            }
          }
        }
      }
    }

    // Other visits and calls of the 来信来访登记簿.
    const extraVisits = Math.max(0, Math.round(total * 0.3) - visitsPlanned);
    for (let i = 0; i < extraVisits; i++) {
      let d = rng.int(startN, todayN);
      if (!cal.isWorkday(ds(d)) && rng.chance(0.8)) d = Math.min(todayN, d + 2);
      const date = ds(d);
      const v = planVisit(date, null, null, rng.weighted(VISIT_CATEGORY));
      const entry = d < todayN && rng.chance(0.05) ? Math.min(todayN, d + rng.int(1, 5)) : d;
      v.backfilled = entry > d;
      const tv = schedule({ k: 'visit', v }, date, 0, entry);
      if (!v.settled && rng.chance(0.85)) {
        const s = ds(d + rng.int(1, 30));
        schedule({ k: 'settle', v, date: s, outcome: v.category === 'dispute' ? '经调解双方达成一致，已息访' : '已办理完毕并答复来访人，已息访' }, s, tv, entry);
      }
    }

    events.sort((a, b) => a.t - b.t || a.seq - b.seq);

    // ---------------------------------------------------------------- writing
    const w = sreg.writer;
    const db = sreg.db;
    const nowIso = () => new Date(sim.ms).toISOString();
    const today = () => chinaDate(sim.ms);
    const daySeq = db.prepare(`INSERT INTO day_sequences(day, last) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`);
    const existingApplicant = db.prepare(`SELECT id FROM applicants WHERE id_number = ?`);
    const pinyinCache = new Map<string, { full: string; initials: string }>();
    const keys = (name: string) => {
      let k = pinyinCache.get(name);
      if (!k) pinyinCache.set(name, (k = pinyinKeys(name)));
      return k;
    };
    const counts = { applicants: 0, visits: 0, followups: 0, rectifications: 0, changes: 0 };
    const apply = (spec: Parameters<typeof w.apply>[0], agentId: string) => {
      w.apply(spec, agentId);
      counts.changes++;
    };

    const applicantId = (p: Person, agentId: string, caseId: string): string => {
      if (p.id) return p.id;
      const found = existingApplicant.get(p.idNumber) as { id: string } | undefined;
      if (found) return (p.id = found.id);
      const id = fastUuidv7(sim.ms);
      const now = nowIso();
      apply(
        newApplicantSpec({
          id,
          kind: 'person',
          name: p.name,
          keys: keys(p.name),
          villageGroup: p.group,
          address: p.address,
          identity: identityColumns({ resident: { id18: p.idNumber, birthDate: p.birthDate, sex: p.sex }, phone: p.phone }),
          now,
          agentId,
          caseId,
        }),
        agentId,
      );
      counts.applicants++;
      return (p.id = id);
    };

    const doIntake = (c: CasePlan, agentId: string) => {
      const now = nowIso();
      const backfilled = c.intake < today();
      const id = fastUuidv7(sim.ms);
      c.id = id;
      const applicant = applicantId(c.person, agentId, id);
      const due = computeDueDate(cal, { intakeDate: c.intake, committedWorkdays: c.item.committedWorkdays, pauseOnWait: c.item.pauseOnWait, waitingWorkdays: 0 });
      const caseNo = formatCaseNumber(point.villageCode, c.intake, (daySeq.get(c.intake) as { last: number }).last);
      c.status = c.refuse ? 'refusedIntake' : 'accepted';
      apply(
        newCaseSpec({
          id,
          caseNo,
          applicantId: applicant,
          atIntake: { name: c.person.name, phone: c.person.phone },
          item: c.item,
          handlingMode: c.mode,
          intakeDate: c.intake,
          backfilled,
          backfillConfirmed: false,
          due,
          refusalReason: c.refuse,
          visitId: c.visit ? c.visit.id : null,
          note: '',
          now,
          agentId,
        }),
        agentId,
      );
      c.materials.forEach((m, i) => {
        m.id = fastUuidv7(sim.ms);
        apply(newMaterialSpec({ id: m.id, caseId: id, position: i + 1, material: { ...m, promisedDate: m.promised }, now, agentId }), agentId);
      });
      if (c.visit) {
        apply(visitToCaseSpec({ visitId: c.visit.id, caseId: id, now, agentId }), agentId);
      }
    };

    const doMove = (e: Extract<Ev, { k: 'move' }>, agentId: string) => {
      const c = e.c;
      const step = nextStatus(c.status, e.action);
      if (!step.ok) throw new Error(`演示数据生成出错：${step.error}`);
      const spec = transitionSpec({
        c: {
          id: c.id,
          status: c.status,
          intakeDate: c.intake,
          committedWorkdays: c.item.committedWorkdays,
          pauseOnWait: c.item.pauseOnWait,
          waitingWorkdays: c.waiting,
          returnedAt: c.returnedAt,
        },
        to: step.to,
        t: {
          action: e.action,
          date: e.date,
          handedTo: e.handedTo,
          decision: e.decision ?? (e.action === 'decide' ? 'approved' : undefined),
          note: e.note ?? '',
          deliveryMethod: e.method ?? (e.action === 'deliver' ? 'inPerson' : undefined),
          deliveredTo: e.to,
          reason: e.reason,
        },
        calendar: cal,
        now: nowIso(),
        agentId,
      });
      apply(spec, agentId);
      if (e.action === 'returnForCorrection') c.returnedAt = e.date;
      if (e.action === 'resubmit') {
        c.waiting = Number(spec.fields.waiting_workdays);
        c.returnedAt = null;
      }
      c.status = step.to;
    };

    const doFollowup = (e: Extract<Ev, { k: 'followup' }>, agentId: string) => {
      const now = nowIso();
      const id = fastUuidv7(sim.ms);
      const near = (r: Rating | null): Rating | null => (r === null ? null : (Math.min(5, Math.max(1, r + rng.pick([-1, 0, 0, 0, 1]))) as Rating));
      apply(
        followupSpec({
          id,
          followup: {
            caseId: e.c.id,
            kind: e.kind,
            method: e.method,
            reached: e.reached,
            rating: e.rating,
            efficiency: near(e.rating),
            serviceLevel: near(e.rating),
            attitude: near(e.rating),
            comment: e.comment,
          },
          date: e.date,
          today: today(),
          now,
          agentId,
        }),
        agentId,
      );
      counts.followups++;
      if (e.rating && isPoorRating(e.rating)) {
        const due = cal.addWorkdays(e.date, RECTIFICATION_WORKDAYS).date;
        e.c.rectId = fastUuidv7(sim.ms);
        apply(rectificationOpenSpec({ id: e.c.rectId, caseId: e.c.id, followupId: id, date: e.date, due, now, agentId }), agentId);
        counts.rectifications++;
      }
    };

    const doRectClose = (e: Extract<Ev, { k: 'rectClose' }>, agentId: string) => {
      apply(rectificationCloseSpec({ id: e.c.rectId, caseId: e.c.id, actionNote: e.note, date: e.date, now: nowIso(), agentId }), agentId);
    };

    const doMaterial = (e: Extract<Ev, { k: 'material' }>, agentId: string) => {
      apply(
        materialUpdateSpec({
          caseId: e.c.id,
          materialId: e.m.id,
          name: e.m.name,
          from: 'deferred',
          fields: { state: e.state, received_at: nowIso(), promised_date: null },
          now: nowIso(),
          agentId,
        }),
        agentId,
      );
      e.m.state = e.state;
    };

    const doVisit = (v: VisitPlan, agentId: string) => {
      const now = nowIso();
      v.id = fastUuidv7(sim.ms);
      const hhmm = new Date(sim.ms + CHINA_OFFSET_MS).toISOString().slice(11, 16);
      apply(
        visitSpec({
          id: v.id,
          visit: {
            visitorName: v.name,
            visitorPhone: v.phone,
            visitorCount: v.count,
            channel: v.channel,
            category: v.category,
            summary: v.summary,
            handling: v.handling,
            transferredTo: v.transferredTo,
            outcome: v.outcome,
            settledDate: v.settled,
          },
          date: v.date,
          visitedAt: v.backfilled ? chinaInstant(v.date, hhmm) : now,
          today: today(),
          now,
          agentId,
          keys: keys(v.name),
          backfillConfirmed: false,
        }),
        agentId,
      );
      counts.visits++;
    };

    const doSettle = (e: Extract<Ev, { k: 'settle' }>, agentId: string) => {
      apply(visitUpdateSpec({ id: e.v.id, fields: { outcome: e.outcome, settled_date: e.date }, note: e.outcome, now: nowIso(), agentId }), agentId);
    };

    const BATCH = 4000;
    let done = 0;
    for (let at = 0; at < events.length; at += BATCH) {
      const slice = events.slice(at, at + BATCH);
      sreg.tx(() => {
        for (const s of slice) {
          sim.ms = s.t;
          const e = s.ev;
          switch (e.k) {
            case 'intake':
              doIntake(e.c, s.agent);
              done++;
              break;
            case 'move':
              doMove(e, s.agent);
              break;
            case 'followup':
              doFollowup(e, s.agent);
              break;
            case 'rectClose':
              doRectClose(e, s.agent);
              break;
            case 'material':
              doMaterial(e, s.agent);
              break;
            case 'visit':
              doVisit(e.v, s.agent);
              break;
            case 'settle':
              doSettle(e, s.agent);
              break;
          }
        }
      });
      opts.onProgress?.(done, total);
    }

    const byStatus: Partial<Record<CaseStatus, number>> = {};
    for (const r of db.prepare(`SELECT status, COUNT(*) AS n FROM cases GROUP BY status`).all() as { status: CaseStatus; n: number }[]) byStatus[r.status] = r.n;

    // The caller's own connection: the calendar may have arrived with the demo point, and its
    // HLC must continue after the seeded changes.
    reg.reloadCalendar();
    const hlc = db.prepare(`SELECT value FROM meta WHERE key = 'hlc'`).get() as { value: string } | undefined;
    if (hlc) reg.writer.observeHlc(decodeHlc(hlc.value));

    return {
      pointCreated,
      cases: total,
      applicantsCreated: counts.applicants,
      visits: counts.visits,
      followups: counts.followups,
      rectifications: counts.rectifications,
      changes: counts.changes,
      from: ds(startN),
      to: ds(todayN),
      byStatus,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    sreg.close();
  }
}

