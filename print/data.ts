// What each print needs, gathered from the register through the db functions. Personal numbers
// are masked here, once (110105********002X, 138****5678); names and the unit name are in full.
import type { Register } from '../db/register';
import type { Db } from '../db/connection';
import type { SqlValue } from '../db/changes';
import { getPoint } from '../db/point';
import { getCaseDetail } from '../db/caseQueries';
import { computeStatistics, LATEST_RATING_SQL, listFigureCases, type StatCaseRow, type StatisticsResult } from '../db/statistics';
import { maskPhone } from '../domain/mask';
import { formatPhone } from '../domain/phone';
import { isOpen, type CaseStatus } from '../domain/caseStatus';
import { monthRange } from '../domain/statistics';
import {
  DECISIONS,
  DELIVERY_METHODS,
  HANDLING_MODES,
  RATINGS,
  VISIT_CATEGORIES,
  VISIT_CHANNELS,
  VISIT_HANDLINGS,
  labelOf,
  type Decision,
  type DeliveryMethod,
  type HandlingMode,
  type Rating,
  type VisitCategory,
  type VisitChannel,
  type VisitHandling,
} from '../domain/vocab';
import { chinaTime } from '../db/clock';
import { AppError } from '../domain/errors';
import type { CaseDetail, PointInfo } from '../domain/records';

export const PRINT_KINDS = {
  receipt: '受理回执',
  refusal: '不予受理告知书',
  caseRecord: '代办件记录',
  ledger: '行政服务代办记录',
  visitBook: '来信来访登记簿',
  monthlyStats: '月度统计表',
} as const;
export type PrintKind = keyof typeof PRINT_KINDS;
export const CASE_PRINTS: readonly PrintKind[] = ['receipt', 'refusal', 'caseRecord'];
export const MONTH_PRINTS: readonly PrintKind[] = ['ledger', 'visitBook', 'monthlyStats'];

export type PrintParams = { kind: PrintKind; caseId?: string; month?: string };

export function requirePoint(reg: Register): PointInfo {
  const p = getPoint(reg);
  if (!p) throw new AppError('not_initialized', '代办点尚未设置，请先完成首次设置');
  return p;
}

// ---- one case ----

export type CasePrintData = {
  point: PointInfo;
  today: string;
  c: CaseDetail;
  /** The agent who took the case in, with the phone villagers should call (in full: it is a work number). */
  agent: { name: string; phone: string };
  department: string;
};

export function casePrintData(reg: Register, caseId: string): CasePrintData {
  const point = requirePoint(reg);
  const detail = getCaseDetail(reg, caseId);
  // The case's own prints show the applicant as at intake, so a reprint matches what was signed.
  const c: CaseDetail = {
    ...detail,
    applicantName: detail.applicantAtIntake.name,
    phoneMasked: detail.applicantAtIntake.phoneMasked,
    applicant: { ...detail.applicant, name: detail.applicantAtIntake.name, phoneMasked: detail.applicantAtIntake.phoneMasked },
  };
  const a = reg.db
    .prepare(`SELECT g.name, g.phone, COALESCE(ci.department, '') AS department FROM cases c JOIN agents g ON g.id = c.agent_id
              LEFT JOIN catalog_items ci ON ci.code = c.item_code WHERE c.id = ?`)
    .get(caseId) as { name: string; phone: string; department: string };
  // Prints show the point's and the agent's work numbers grouped, as people read them aloud (domain/phone.ts).
  const shown = { ...point, consultPhone: formatPhone(point.consultPhone), complaintPhone: formatPhone(point.complaintPhone) };
  return { point: shown, today: reg.today(), c, agent: { name: a.name, phone: formatPhone(a.phone) }, department: a.department };
}

// ---- 行政服务代办记录 (monthly ledger) ----

export type LedgerRow = {
  seq: number;
  caseNo: string;
  intakeDate: string;
  applicantName: string;
  phoneMasked: string;
  itemName: string;
  mode: string;
  handedTo: string;
  dueDate: string;
  decisionDate: string;
  result: string;
  delivery: string;
  deliveryMethod: string;
  deliveredAt: string;
  rating: string;
  agentName: string;
};

/** 结果 as the ledger writes it. */
export function resultText(status: CaseStatus, decision: Decision | null, dueDate: string, decisionDate: string | null, today: string): string {
  if (status === 'refusedIntake') return '不予受理';
  if (status === 'withdrawn') return '已撤回';
  if (decision) return `${DECISIONS[decision]}${decisionDate && decisionDate > dueDate ? '（超期）' : ''}`;
  if (status === 'returned') return today > dueDate ? '退回补正（超期）' : '退回补正';
  if (isOpen(status)) return today > dueDate ? '在办（超期）' : '在办';
  return '';
}

export type LedgerData = { point: PointInfo; today: string; month: string; from: string; to: string; rows: LedgerRow[] };

/** A point's cases narrowed by an extra condition (the county's `c.point_code = ?`); none in the village. */
export type PointFilter = { sql: string; params: SqlValue[] };

export function ledgerData(reg: Register, month: string): LedgerData {
  return ledgerDataFrom(reg.db, requirePoint(reg), reg.today(), month);
}

/** The ledger's rows from any register-shaped database (the village's, or the county's copy with `where`). */
export function ledgerDataFrom(db: Db, point: PointInfo, today: string, month: string, where?: PointFilter): LedgerData {
  const { from, to } = monthRange(month);
  const rows = db
    .prepare(
      `SELECT c.case_no, c.intake_date, c.item_name, c.handling_mode, c.handed_to, c.due_date, c.decision_date, c.decision,
              c.status, c.delivery_method, c.delivered_at, 
              COALESCE(NULLIF(c.intake_applicant_name, ''), a.name) AS applicant_name,
              CASE WHEN c.intake_applicant_name = '' THEN a.phone ELSE c.intake_applicant_phone END AS phone,
              g.name AS agent_name, ${LATEST_RATING_SQL} AS rating
       FROM cases c JOIN applicants a ON a.id = c.applicant_id JOIN agents g ON g.id = c.agent_id
       WHERE c.intake_date BETWEEN ? AND ?${where ? ` AND (${where.sql})` : ''} ORDER BY c.intake_date, c.case_no`,
    )
    .all(from, to, ...(where?.params ?? [])) as {
    case_no: string;
    intake_date: string;
    item_name: string;
    handling_mode: HandlingMode;
    handed_to: string;
    due_date: string;
    decision_date: string | null;
    decision: Decision | null;
    status: CaseStatus;
    delivery_method: DeliveryMethod | null;
    delivered_at: string | null;
    applicant_name: string;
    phone: string;
    agent_name: string;
    rating: Rating | null;
  }[];
  return {
    point,
    today,
    month,
    from,
    to,
    rows: rows.map((r, i) => ({
      seq: i + 1,
      caseNo: r.case_no,
      intakeDate: r.intake_date,
      applicantName: r.applicant_name,
      phoneMasked: r.phone ? maskPhone(r.phone) : '',
      itemName: r.item_name,
      mode: labelOf(HANDLING_MODES, r.handling_mode),
      handedTo: r.handed_to,
      dueDate: r.status === 'refusedIntake' ? '' : r.due_date,
      decisionDate: r.decision_date ?? '',
      result: resultText(r.status, r.decision, r.due_date, r.decision_date, today),
      delivery: r.delivery_method ? `${DELIVERY_METHODS[r.delivery_method]}${r.delivered_at ? `\n${r.delivered_at}` : ''}` : '',
      deliveryMethod: r.delivery_method ? DELIVERY_METHODS[r.delivery_method] : '',
      deliveredAt: r.delivered_at ?? '',
      rating: r.rating ? RATINGS[r.rating] : '',
      agentName: r.agent_name,
    })),
  };
}

// ---- 来信来访登记簿 ----

export type VisitBookRow = {
  seq: number;
  date: string;
  time: string;
  visitorName: string;
  visitorCount: number;
  phoneMasked: string;
  channel: string;
  category: string;
  summary: string;
  handling: string;
  outcome: string;
  settled: string;
  agentName: string;
};

export type VisitBookData = { point: PointInfo; today: string; month: string; from: string; to: string; rows: VisitBookRow[] };

export function visitBookData(reg: Register, month: string): VisitBookData {
  return visitBookDataFrom(reg.db, requirePoint(reg), reg.today(), month);
}

/** `where` is a condition on the visits, aliased `v` (the county's `v.point_code = ?`). */
export function visitBookDataFrom(db: Db, point: PointInfo, today: string, month: string, where?: PointFilter): VisitBookData {
  const { from, to } = monthRange(month);
  const rows = db
    .prepare(
      `SELECT v.*, g.name AS agent_name, c.case_no FROM visits v JOIN agents g ON g.id = v.agent_id LEFT JOIN cases c ON c.id = v.case_id
       WHERE v.visit_date BETWEEN ? AND ?${where ? ` AND (${where.sql})` : ''} ORDER BY v.visited_at, v.id`,
    )
    .all(from, to, ...(where?.params ?? [])) as {
    visited_at: string;
    visit_date: string;
    visitor_name: string;
    visitor_count: number;
    visitor_phone: string;
    channel: VisitChannel;
    category: VisitCategory;
    summary: string;
    handling: VisitHandling;
    transferred_to: string;
    outcome: string;
    settled_date: string | null;
    agent_name: string;
    case_no: string | null;
  }[];
  return {
    point,
    today,
    month,
    from,
    to,
    rows: rows.map((r, i) => {
      const outcome = [
        r.transferred_to ? `转${r.transferred_to}` : '',
        r.case_no ? `代办件 ${r.case_no}` : '',
        r.outcome,
      ]
        .filter(Boolean)
        .join('；');
      return {
        seq: i + 1,
        date: r.visit_date,
        time: chinaTime(Date.parse(r.visited_at)),
        visitorName: r.visitor_name,
        visitorCount: r.visitor_count,
        phoneMasked: r.visitor_phone ? maskPhone(r.visitor_phone) : '',
        channel: labelOf(VISIT_CHANNELS, r.channel),
        category: labelOf(VISIT_CATEGORIES, r.category),
        summary: r.summary,
        handling: labelOf(VISIT_HANDLINGS, r.handling),
        outcome,
        settled: r.settled_date ? `已息访\n${r.settled_date}` : '未息访',
        agentName: r.agent_name,
      };
    }),
  };
}

// ---- monthly statistics sheet ----

export type MonthlyStatsData = {
  point: PointInfo;
  today: string;
  month: string;
  overall: StatisticsResult;
  byItem: StatisticsResult;
  byMode: StatisticsResult;
  byAgent: StatisticsResult;
  poor: StatCaseRow[];
  poorTotal: number;
  visits: { total: number; unsettled: number; byCategory: { category: string; n: number }[] };
};

export function monthlyStatsData(reg: Register, month: string): MonthlyStatsData {
  return monthlyStatsDataFrom(reg.db, requirePoint(reg), reg.today(), month);
}

/** `where` is a condition on a `point_code` column, written with the alias `x` (cases as c, visits as v). */
export function monthlyStatsDataFrom(db: Db, point: PointInfo, today: string, month: string, where?: PointFilter): MonthlyStatsData {
  const { from, to } = monthRange(month);
  const extraWhere = where ? { sql: where.sql.replaceAll('x.', 'c.'), params: where.params } : undefined;
  const q = { from, to, today, extraWhere };
  const poor = listFigureCases(db, { ...q, figure: 'poor', offset: 0, limit: 200 });
  const cats = db
    .prepare(
      `SELECT category, COUNT(*) AS n, SUM(settled_date IS NULL) AS open FROM visits v WHERE visit_date BETWEEN ? AND ?${where ? ` AND (${where.sql.replaceAll('x.', 'v.')})` : ''} GROUP BY category`,
    )
    .all(from, to, ...(where?.params ?? [])) as { category: VisitCategory; n: number; open: number }[];
  return {
    point,
    today,
    month,
    overall: computeStatistics(db, q),
    byItem: computeStatistics(db, { ...q, groupBy: 'item' }),
    byMode: computeStatistics(db, { ...q, groupBy: 'mode' }),
    byAgent: computeStatistics(db, { ...q, groupBy: 'agent' }),
    poor: poor.rows,
    poorTotal: poor.total,
    visits: {
      total: cats.reduce((s, c) => s + c.n, 0),
      unsettled: cats.reduce((s, c) => s + c.open, 0),
      byCategory: (Object.keys(VISIT_CATEGORIES) as VisitCategory[]).map((k) => ({
        category: VISIT_CATEGORIES[k],
        n: cats.find((c) => c.category === k)?.n ?? 0,
      })),
    },
  };
}

export function ratingLabel(r: Rating | null): string {
  return r ? RATINGS[r] : '';
}
