// The statistics of domain/statistics.ts as SQL over the tables `cases` and `followups` (columns as
// in 001_register.ts), joined to `catalog_items` (部门) and `agents` (代办员) only for grouping.
// The county keeps the same table shapes plus a `point_code` column and calls these same functions
// with `extraWhere` (e.g. { sql: 'c.point_code = ?', params: [code] }), so its figures are the
// village's figures by construction. The cases table is always aliased `c`.
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';
import type { SqlValue } from './changes';
import { CASE_STATUSES, OPEN_STATUSES, type CaseStatus } from '../domain/caseStatus';
import { HANDLING_MODES, type HandlingMode, type Rating } from '../domain/vocab';
import {
  COUNT_FIGURES,
  emptyCounts,
  referenceDate,
  withRates,
  type CountFigure,
  type FigureCounts,
  type GroupBy,
  type StatFigures,
} from '../domain/statistics';

export type StatQuery = {
  from: string;
  to: string;
  today: string;
  groupBy?: GroupBy;
  /** An extra condition on `c` (the county's point filter); positional `?` parameters. */
  extraWhere?: { sql: string; params: SqlValue[] };
};

// The covering indexes these queries rely on are created by db/migrations/003_search_and_statistics.ts.

export type StatGroup = { key: string; label: string; figures: StatFigures };
export type StatisticsResult = {
  from: string;
  to: string;
  today: string;
  /** Reference date of the snapshot figures (超期未办结): min(to, today). */
  ref: string;
  totals: StatFigures;
  groupBy: GroupBy | null;
  groups: StatGroup[];
};

const statusList = (xs: readonly CaseStatus[]) => xs.map((s) => `'${s}'`).join(',');
// Written as an IN list (not `NOT IN`) so SQLite can use the (status, due_date) index.
const COUNTABLE = statusList((Object.keys(CASE_STATUSES) as CaseStatus[]).filter((s) => s !== 'withdrawn' && s !== 'refusedIntake'));

/** 1 when the case has at least one 办结回访 on record. */
export const HAS_RETURN_VISIT_SQL = `EXISTS (SELECT 1 FROM followups f WHERE f.case_id = c.id AND f.kind = 'returnVisit')`;
/** The case's rating: the latest one recorded on any follow-up (ties broken by the time-ordered id). */
export const LATEST_RATING_SQL = `(SELECT f.rating FROM followups f WHERE f.case_id = c.id AND f.rating IS NOT NULL ORDER BY f.followed_at DESC, f.id DESC LIMIT 1)`;

const INTAKE_IN = `c.intake_date BETWEEN @from AND @to`;
const COMPLETED = `c.decision_date BETWEEN @from AND @to`;
const DUE = `c.due_date BETWEEN @from AND @to AND c.status IN (${COUNTABLE}) AND (c.decision_date IS NOT NULL OR c.due_date < @today)`;
// The last clause follows from the others for any case whose status agrees with its dates (only a
// decided case has a decision date); it lets SQLite read just the open, the withdrawn and the
// later-decided cases through indexes instead of the whole history.
const OVERDUE_OPEN =
  `c.status <> 'refusedIntake' AND +c.intake_date <= @ref AND c.due_date < @ref AND (+c.decision_date IS NULL OR +c.decision_date > @ref) ` +
  `AND (c.withdrawn_at IS NULL OR c.withdrawn_at > @ref) AND (c.status IN (${statusList(OPEN_STATUSES)}) OR c.decision_date > @ref OR c.status = 'withdrawn')`;
const COMPLETED_LATE = `${COMPLETED} AND c.decision_date > c.due_date`;

/** domain/statistics.ts `countsIn`, as SQL conditions on `c` with the named parameters @from @to @today @ref. */
export const FIGURE_SQL: Record<CountFigure, string> = {
  accepted: `${INTAKE_IN} AND c.status <> 'refusedIntake'`,
  refused: `${INTAKE_IN} AND c.status = 'refusedIntake'`,
  due: DUE,
  dueCompleted: `${DUE} AND c.decision_date IS NOT NULL`,
  completed: COMPLETED,
  onTime: `${COMPLETED} AND c.decision_date <= c.due_date`,
  completedLate: COMPLETED_LATE,
  decidedSameDay: `${COMPLETED} AND c.decision_date = c.intake_date`,
  overdueOpen: OVERDUE_OPEN,
  overdue: `((${OVERDUE_OPEN}) OR (${COMPLETED_LATE}))`,
  returnVisited: `${COMPLETED} AND ${HAS_RETURN_VISIT_SQL}`,
  notReturnVisited: `${COMPLETED} AND NOT ${HAS_RETURN_VISIT_SQL}`,
  rated: `${COMPLETED} AND ${LATEST_RATING_SQL} IS NOT NULL`,
  satisfied: `${COMPLETED} AND ${LATEST_RATING_SQL} BETWEEN 1 AND 3`,
  poor: `${COMPLETED} AND ${LATEST_RATING_SQL} >= 4`,
};

/**
 * For counting, the cases are read in four index-friendly passes; every figure's predicate implies
 * its pass's condition, so SUM(figure) over the pass equals COUNT(figure) over the register.
 * 超期 is the sum of its two disjoint parts (an open case has no decision by @ref; a late one
 * was decided by @to ≤ … — see the definitions test).
 */
const PASSES: { where: string; figures: CountFigure[]; ratings?: boolean }[] = [
  { where: INTAKE_IN, figures: ['accepted', 'refused'] },
  { where: DUE, figures: ['due', 'dueCompleted'] },
  { where: COMPLETED, figures: ['completed', 'onTime', 'completedLate', 'decidedSameDay', 'returnVisited', 'notReturnVisited', 'rated', 'satisfied', 'poor'], ratings: true },
  { where: OVERDUE_OPEN, figures: ['overdueOpen'] },
];

/** The column each breakdown groups on (a department is the catalog's, looked up per item). */
export const GROUP_KEY_SQL: Record<GroupBy, string> = {
  item: 'c.item_code',
  department: `COALESCE((SELECT ci.department FROM catalog_items ci WHERE ci.code = c.item_code), '')`,
  mode: 'c.handling_mode',
  agent: 'c.agent_id',
};
// What SQL groups by: raw columns only, so the passes need no joins; labels are added afterwards.
// The unary + keeps SQLite from walking a whole (item/agent) index just to get groups in order.
const RAW_KEY: Record<GroupBy, string> = { item: '+c.item_code', department: '+c.item_code', mode: '+c.handling_mode', agent: '+c.agent_id' };

type Labels = { item(code: string): string; department(code: string): string; agent(id: string): string };

function labels(db: Db): Labels {
  const items = new Map(
    (prepare(db, `SELECT code, name, department FROM catalog_items`).all() as { code: string; name: string; department: string }[]).map((r) => [r.code, r]),
  );
  const agents = new Map((prepare(db, `SELECT id, name FROM agents`).all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
  return {
    item: (code) => items.get(code)?.name ?? code,
    department: (code) => items.get(code)?.department ?? '',
    agent: (id) => agents.get(id) ?? '',
  };
}

function groupOf(by: GroupBy | undefined, rawKey: string, l: Labels): { key: string; label: string } {
  switch (by) {
    case undefined:
      return { key: '', label: '' };
    case 'item':
      return { key: rawKey, label: l.item(rawKey) };
    case 'department': {
      const d = l.department(rawKey);
      return { key: d, label: d || '（未填部门）' };
    }
    case 'mode':
      return { key: rawKey, label: HANDLING_MODES[rawKey as HandlingMode] ?? rawKey };
    case 'agent':
      return { key: rawKey, label: l.agent(rawKey) || '（未知代办员）' };
  }
}

function named(q: StatQuery) {
  return { from: q.from, to: q.to, today: q.today, ref: referenceDate(q) };
}

function extra(q: StatQuery): { sql: string; params: SqlValue[] } {
  return q.extraWhere ? { sql: ` AND (${q.extraWhere.sql})`, params: q.extraWhere.params } : { sql: '', params: [] };
}

// Prepared statements are cached per connection: the statistics screen asks the same queries often.
const stmtCache = new WeakMap<Db, Map<string, Statement<unknown[]>>>();
function prepare(db: Db, sql: string): Statement<unknown[]> {
  let m = stmtCache.get(db);
  if (!m) stmtCache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) {
    s = db.prepare<unknown[]>(sql);
    m.set(sql, s);
  }
  return s;
}

function passSql(pass: (typeof PASSES)[number], key: string, extraSql: string): string {
  const sum = (f: CountFigure, cond: string) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${f}`;
  if (!pass.ratings) {
    return `SELECT ${key} AS gkey, ${pass.figures.map((f) => sum(f, FIGURE_SQL[f])).join(', ')}
            FROM cases c WHERE ${pass.where}${extraSql} GROUP BY gkey`;
  }
  // Each completed case's follow-up facts are looked up once (materialized), not once per figure.
  const sums = pass.figures.map((f) =>
    sum(f, FIGURE_SQL[f].replaceAll(LATEST_RATING_SQL, 'c.latest_rating').replaceAll(HAS_RETURN_VISIT_SQL, 'c.has_rv')),
  );
  return `WITH x AS MATERIALIZED (
            SELECT ${key} AS gkey, c.decision_date, c.due_date, c.intake_date, ${LATEST_RATING_SQL} AS latest_rating, ${HAS_RETURN_VISIT_SQL} AS has_rv
            FROM cases c WHERE ${pass.where}${extraSql})
          SELECT gkey, ${sums.join(', ')} FROM x c GROUP BY gkey`;
}

/** Every figure for the period, overall and (with groupBy) per group. Totals are the sums of the groups. */
export function computeStatistics(db: Db, q: StatQuery): StatisticsResult {
  const key = q.groupBy ? RAW_KEY[q.groupBy] : `''`;
  const x = extra(q);
  const l = labels(db);
  const groups = new Map<string, { label: string; counts: FigureCounts }>();
  for (const pass of PASSES) {
    const rows = prepare(db, passSql(pass, key, x.sql)).all(...x.params, named(q)) as ({ gkey: string } & Record<CountFigure, number>)[];
    for (const r of rows) {
      const g = groupOf(q.groupBy, r.gkey, l);
      let e = groups.get(g.key);
      if (!e) groups.set(g.key, (e = { label: g.label, counts: emptyCounts() }));
      for (const f of pass.figures) e.counts[f] += r[f] ?? 0;
    }
  }
  const totals = emptyCounts();
  for (const e of groups.values()) {
    e.counts.overdue = e.counts.overdueOpen + e.counts.completedLate;
    for (const f of COUNT_FIGURES) totals[f] += e.counts[f];
  }
  const out: StatGroup[] = q.groupBy
    ? [...groups.entries()]
        .map(([k, e]) => ({ key: k, label: e.label, figures: withRates(e.counts) }))
        .sort((a, b) => b.figures.accepted - a.figures.accepted || b.figures.completed - a.figures.completed || a.label.localeCompare(b.label, 'zh-CN'))
    : [];
  return { from: q.from, to: q.to, today: q.today, ref: referenceDate(q), totals: withRates(totals), groupBy: q.groupBy ?? null, groups: out };
}

export type StatCaseRow = {
  id: string;
  caseNo: string;
  applicantName: string;
  itemCode: string;
  itemName: string;
  department: string;
  handlingMode: HandlingMode;
  status: CaseStatus;
  intakeDate: string;
  dueDate: string;
  decisionDate: string | null;
  agentName: string;
  rating: Rating | null;
  /** The comment given with the rating (for the 差评 list). */
  ratingComment: string;
  /** 差评整改: 'open' while any rectification is open, 'closed' when all are done, null if none. */
  rectification: 'open' | 'closed' | null;
};

const ORDER: Partial<Record<CountFigure, string>> = {
  overdueOpen: 'c.due_date, c.case_no',
  overdue: 'c.due_date, c.case_no',
  due: 'c.due_date, c.case_no',
  dueCompleted: 'c.due_date, c.case_no',
};

/** The cases behind one figure (optionally within one group), in pages. */
export function listFigureCases(
  db: Db,
  q: StatQuery & { figure: CountFigure; group?: { by: GroupBy; key: string }; offset: number; limit: number },
): { total: number; rows: StatCaseRow[] } {
  const x = extra(q);
  let where = `WHERE ${FIGURE_SQL[q.figure]}${x.sql}`;
  const params: SqlValue[] = [...x.params];
  if (q.group) {
    where += ` AND ${GROUP_KEY_SQL[q.group.by]} = ?`;
    params.push(q.group.key);
  }
  const joins = `LEFT JOIN catalog_items ci ON ci.code = c.item_code LEFT JOIN agents g ON g.id = c.agent_id`;
  const total = (prepare(db, `SELECT COUNT(*) AS n FROM cases c ${joins} ${where}`).get(...params, named(q)) as { n: number }).n;
  const order = ORDER[q.figure] ?? (['accepted', 'refused'].includes(q.figure) ? 'c.intake_date, c.case_no' : 'c.decision_date, c.case_no');
  const rows = prepare(
    db,
    `SELECT c.id, c.case_no, c.item_code, c.item_name, c.handling_mode, c.status, c.intake_date, c.due_date, c.decision_date,
            COALESCE(NULLIF(c.intake_applicant_name, ''), a.name, '') AS applicant_name, COALESCE(ci.department, '') AS department, COALESCE(g.name, '') AS agent_name,
            ${LATEST_RATING_SQL} AS rating,
            (SELECT f.comment FROM followups f WHERE f.case_id = c.id AND f.rating IS NOT NULL ORDER BY f.followed_at DESC, f.id DESC LIMIT 1) AS rating_comment,
            (SELECT CASE WHEN SUM(r.status = 'open') > 0 THEN 'open' WHEN COUNT(*) > 0 THEN 'closed' END FROM rectifications r WHERE r.case_id = c.id) AS rect
     FROM cases c LEFT JOIN applicants a ON a.id = c.applicant_id ${joins} ${where}
     ORDER BY ${order} LIMIT ? OFFSET ?`,
  ).all(...params, q.limit, q.offset, named(q)) as {
    id: string;
    case_no: string;
    item_code: string;
    item_name: string;
    handling_mode: HandlingMode;
    status: CaseStatus;
    intake_date: string;
    due_date: string;
    decision_date: string | null;
    applicant_name: string;
    department: string;
    agent_name: string;
    rating: Rating | null;
    rating_comment: string | null;
    rect: 'open' | 'closed' | null;
  }[];
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      caseNo: r.case_no,
      applicantName: r.applicant_name,
      itemCode: r.item_code,
      itemName: r.item_name,
      department: r.department,
      handlingMode: r.handling_mode,
      status: r.status,
      intakeDate: r.intake_date,
      dueDate: r.due_date,
      decisionDate: r.decision_date,
      agentName: r.agent_name,
      rating: r.rating,
      ratingComment: r.rating_comment ?? '',
      rectification: r.rect,
    })),
  };
}
