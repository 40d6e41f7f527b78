// 统计口径 — the point's figures, defined once (domain.md, "Statistics, defined once").
//
// Every figure the app, the prints, the .xlsx export and (later) the county show is defined here,
// as a predicate on one case and a plain-Chinese sentence. db/statistics.ts turns exactly these
// predicates into SQL; tests/reports/statisticsDefinitions.test.ts checks on a random register
// that the SQL and the predicates below count the same cases.
//
// A statistics period is a closed range of China calendar dates [from, to]. Figures that are a
// snapshot ("still open and overdue") are taken at the reference date `ref` = min(to, today), so a
// past month's sheet printed again later shows the same overdue backlog it showed at month end.

import type { CaseStatus } from './caseStatus';
import type { Rating } from './vocab';

export type StatPeriod = { from: string; to: string; today: string };

/** The reference date of snapshot figures: the end of the period, or today while the period is running. */
export function referenceDate(p: StatPeriod): string {
  return p.to < p.today ? p.to : p.today;
}

/** What the definitions need to know about one case (all dates 'YYYY-MM-DD'). */
export type StatCase = {
  status: CaseStatus;
  intakeDate: string;
  dueDate: string;
  decisionDate: string | null;
  withdrawnAt: string | null;
  /** At least one 办结回访 (follow-up of kind returnVisit) is recorded, reached or not. */
  hasReturnVisit: boolean;
  /** The case's 好差评 rating: the latest rating recorded on any of its follow-ups; null if never rated. */
  latestRating: Rating | null;
};

/** The counted figures. Each is a number of cases. */
export const COUNT_FIGURES = [
  'accepted',
  'refused',
  'due',
  'dueCompleted',
  'completed',
  'onTime',
  'completedLate',
  'decidedSameDay',
  'overdueOpen',
  'overdue',
  'returnVisited',
  'notReturnVisited',
  'rated',
  'satisfied',
  'poor',
] as const;
export type CountFigure = (typeof COUNT_FIGURES)[number];

export const RATE_FIGURES = ['completionRate', 'onTimeRate', 'returnVisitRate', 'satisfactionRate', 'immediateRate'] as const;
export type RateFigure = (typeof RATE_FIGURES)[number];

export type FigureDef = { label: string; definition: string };

/** Labels and definitions, as printed under the monthly statistics sheet and shown as tooltips. */
export const FIGURE_DEFS: Record<CountFigure | RateFigure, FigureDef> = {
  accepted: { label: '受理量', definition: '受理日期在统计期内的代办件（含其后撤回的；不予受理的另计）' },
  refused: { label: '不予受理', definition: '受理日期在统计期内、登记为不予受理的申请' },
  due: {
    label: '应办结',
    definition: '承诺办结日期在统计期内的代办件（撤回、不予受理的不计；统计期未结束时，尚未到期的在办件不计）',
  },
  dueCompleted: { label: '应办已办结', definition: '应办结的代办件中已经办结（有办结日期）的' },
  completed: { label: '办结', definition: '办结日期在统计期内的代办件' },
  onTime: { label: '按时办结', definition: '统计期内办结、且办结日期不晚于承诺办结日期的代办件' },
  completedLate: { label: '超期办结', definition: '统计期内办结、但办结日期晚于承诺办结日期的代办件' },
  decidedSameDay: { label: '当日办结', definition: '统计期内办结、且办结日期就是受理日期的代办件（当场当日办结的即办件）' },
  overdueOpen: {
    label: '超期未办结',
    definition: '截至统计期末（统计期未结束时为今天）仍未办结、未撤回，且已过承诺办结日期的代办件',
  },
  overdue: { label: '超期', definition: '超期未办结 + 超期办结' },
  returnVisited: { label: '已回访', definition: '统计期内办结、且登记过办结回访的代办件' },
  notReturnVisited: { label: '未回访', definition: '统计期内办结、尚未登记办结回访的代办件' },
  rated: { label: '已评价', definition: '统计期内办结、且有好差评等级的代办件（每件按最后一次评价计一次）' },
  satisfied: { label: '满意', definition: '已评价中评为非常满意、满意或基本满意的' },
  poor: { label: '差评', definition: '已评价中评为不满意或非常不满意的' },
  completionRate: { label: '办结率', definition: '应办已办结 ÷ 应办结' },
  onTimeRate: { label: '按时办结率', definition: '按时办结 ÷ 办结' },
  returnVisitRate: { label: '回访率', definition: '已回访 ÷ 办结' },
  satisfactionRate: { label: '满意率', definition: '满意 ÷ 已评价' },
  immediateRate: { label: '即办率', definition: '当日办结 ÷ 办结（“能够当场当日办结的必须当场当日办结”）' },
};

/** Numerator and denominator of each rate. */
export const RATE_PARTS: Record<RateFigure, { num: CountFigure; den: CountFigure }> = {
  completionRate: { num: 'dueCompleted', den: 'due' },
  onTimeRate: { num: 'onTime', den: 'completed' },
  returnVisitRate: { num: 'returnVisited', den: 'completed' },
  satisfactionRate: { num: 'satisfied', den: 'rated' },
  immediateRate: { num: 'decidedSameDay', den: 'completed' },
};

const within = (d: string | null, p: StatPeriod) => d !== null && d >= p.from && d <= p.to;

/**
 * The definitions themselves: does case `c` count in `figure` for period `p`?
 * db/statistics.ts holds the same predicates as SQL (see FIGURE_SQL there).
 */
export function countsIn(figure: CountFigure, c: StatCase, p: StatPeriod): boolean {
  const ref = referenceDate(p);
  const completedInPeriod = within(c.decisionDate, p);
  switch (figure) {
    case 'accepted':
      return within(c.intakeDate, p) && c.status !== 'refusedIntake';
    case 'refused':
      return within(c.intakeDate, p) && c.status === 'refusedIntake';
    case 'due':
      return (
        within(c.dueDate, p) &&
        c.status !== 'withdrawn' &&
        c.status !== 'refusedIntake' &&
        (c.decisionDate !== null || c.dueDate < p.today)
      );
    case 'dueCompleted':
      return countsIn('due', c, p) && c.decisionDate !== null;
    case 'completed':
      return completedInPeriod;
    case 'onTime':
      return completedInPeriod && c.decisionDate! <= c.dueDate;
    case 'completedLate':
      return completedInPeriod && c.decisionDate! > c.dueDate;
    case 'decidedSameDay':
      return completedInPeriod && c.decisionDate === c.intakeDate;
    case 'overdueOpen':
      return (
        c.status !== 'refusedIntake' &&
        c.intakeDate <= ref &&
        c.dueDate < ref &&
        (c.decisionDate === null || c.decisionDate > ref) &&
        (c.withdrawnAt === null || c.withdrawnAt > ref)
      );
    case 'overdue':
      return countsIn('overdueOpen', c, p) || countsIn('completedLate', c, p);
    case 'returnVisited':
      return completedInPeriod && c.hasReturnVisit;
    case 'notReturnVisited':
      return completedInPeriod && !c.hasReturnVisit;
    case 'rated':
      return completedInPeriod && c.latestRating !== null;
    case 'satisfied':
      return completedInPeriod && c.latestRating !== null && c.latestRating <= 3;
    case 'poor':
      return completedInPeriod && c.latestRating !== null && c.latestRating >= 4;
  }
}

export type FigureCounts = Record<CountFigure, number>;
export type StatFigures = FigureCounts & Record<RateFigure, number | null>;

export function emptyCounts(): FigureCounts {
  return Object.fromEntries(COUNT_FIGURES.map((f) => [f, 0])) as FigureCounts;
}

/** A rate as a fraction 0..1, or null when the denominator is 0 (shown as “—”, never as 0% or 100%). */
export function rate(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

/** Adds the rates to a set of counts. */
export function withRates(c: FigureCounts): StatFigures {
  const out = { ...c } as StatFigures;
  for (const r of RATE_FIGURES) out[r] = rate(c[RATE_PARTS[r].num], c[RATE_PARTS[r].den]);
  return out;
}

/** Counts every figure for a list of cases with the predicates above (the reference implementation). */
export function countCases(cases: readonly StatCase[], p: StatPeriod): StatFigures {
  const c = emptyCounts();
  for (const x of cases) for (const f of COUNT_FIGURES) if (countsIn(f, x, p)) c[f]++;
  return withRates(c);
}

/** "85.7%"; "—" when there is nothing to divide by. One decimal, as on the paper sheets. */
export function formatRate(r: number | null): string {
  if (r === null) return '—';
  return `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}

export const GROUP_BYS = { item: '事项', department: '部门', mode: '办理方式', agent: '代办员' } as const;
export type GroupBy = keyof typeof GROUP_BYS;

// ---- periods the statistics screen offers ----

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 'YYYY-MM' → [first, last] day of that month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDay(y, m))}` };
}

/** Quarter 1..4 of a year. */
export function quarterRange(year: number, q: number): { from: string; to: string } {
  const m1 = (q - 1) * 3 + 1;
  return { from: `${year}-${pad(m1)}-01`, to: `${year}-${pad(m1 + 2)}-${pad(lastDay(year, m1 + 2))}` };
}

export function yearRange(year: number): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** "2026年11月", "2026年第4季度", "2026年", or "2026年11月1日至2026年11月20日". */
export function periodLabel(from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  if (fy === ty && fd === 1) {
    if (fm === 1 && tm === 12 && td === 31) return `${fy}年`;
    if (fm === tm && td === lastDay(ty, tm)) return `${fy}年${fm}月`;
    if ((fm - 1) % 3 === 0 && tm === fm + 2 && td === lastDay(ty, tm)) return `${fy}年第${(fm - 1) / 3 + 1}季度`;
  }
  return `${fy}年${fm}月${fd}日至${ty}年${tm}月${td}日`;
}
