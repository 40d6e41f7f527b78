// 统计 at county size: the figures of domain/statistics.ts for a period, per point, summed from the
// day table kept by county migration 007 (stat_days: each figure on the one date of a case it is
// counted on) instead of reading every case of the period. 超期未办结 is a snapshot at the reference
// date, not a sum of days: it is counted with the village's own SQL (db/statistics.ts FIGURE_SQL)
// over the two small partial indexes that hold every column it reads. The results equal
// computeStatistics over the same cases (tests/county/statDays.test.ts).
import { FIGURE_SQL } from '../../db/statistics';
import { COUNT_FIGURES, emptyCounts, referenceDate, withRates, type CountFigure, type FigureCounts, type StatFigures, type StatPeriod } from '../../domain/statistics';
import type { County } from '../db';
import { scopeSql, type Scope } from './http';

/** The statuses of the partial index cases_overdue_open (written exactly as its WHERE, so SQLite uses it). */
const OPEN_OR_WITHDRAWN = `c.status IN ('accepted','handedUp','returned','withdrawn')`;

// stat_days column sums as figures; 应办结 adds the undecided cases only once their date has passed.
const DAY_SUMS: Record<Exclude<CountFigure, 'overdueOpen' | 'overdue'>, string> = {
  accepted: 'SUM(accepted)',
  refused: 'SUM(refused)',
  due: 'SUM(due_decided) + SUM(CASE WHEN day < @today THEN due_undecided ELSE 0 END)',
  dueCompleted: 'SUM(due_decided)',
  completed: 'SUM(completed)',
  onTime: 'SUM(on_time)',
  completedLate: 'SUM(completed_late)',
  decidedSameDay: 'SUM(decided_same_day)',
  returnVisited: 'SUM(return_visited)',
  notReturnVisited: 'SUM(completed) - SUM(return_visited)',
  rated: 'SUM(rated)',
  satisfied: 'SUM(satisfied)',
  poor: 'SUM(poor)',
};

/**
 * Every counted figure for the period, per point in the scope (points without any are absent).
 * `overdue`: 超期未办结 per point at the period's reference date, when the caller has it already.
 */
export function pointFigures(county: County, p: StatPeriod, scope: Scope, overdue?: Map<string, number>): Map<string, FigureCounts> {
  const named = { from: p.from, to: p.to, today: p.today, ref: referenceDate(p) };
  const out = new Map<string, FigureCounts>();
  const get = (code: string) => {
    let c = out.get(code);
    if (!c) out.set(code, (c = emptyCounts()));
    return c;
  };
  const sp = scopeSql(scope, 'point_code');
  const sums = Object.entries(DAY_SUMS).map(([f, sql]) => `${sql} AS ${f}`);
  const days = county.db
    .prepare(`SELECT point_code, ${sums.join(', ')} FROM stat_days WHERE day BETWEEN @from AND @to AND ${sp.sql} GROUP BY point_code`)
    .all(...sp.params, named) as ({ point_code: string } & Record<string, number | null>)[];
  for (const r of days) {
    const c = get(r.point_code);
    for (const f of Object.keys(DAY_SUMS)) c[f as CountFigure] = r[f] ?? 0;
  }
  for (const [code, n] of overdue ?? overdueOpenByPoint(county, named.ref, scope)) get(code).overdueOpen = n;
  for (const c of out.values()) c.overdue = c.overdueOpen + c.completedLate;
  return out;
}

/**
 * 超期未办结 per point on the reference date. Such a case is either still open or withdrawn (first
 * part), or was decided after that date and so after its promised date (second part): each part is
 * read from its own partial index, the definition itself (FIGURE_SQL.overdueOpen) unchanged.
 */
export function overdueOpenByPoint(county: County, ref: string, scope: Scope): Map<string, number> {
  const sc = scopeSql(scope, 'c.point_code');
  const rows = county.db
    .prepare(
      `SELECT point_code, SUM(n) AS n FROM (
         SELECT c.point_code, COUNT(*) AS n FROM cases c INDEXED BY cases_overdue_open
         WHERE ${OPEN_OR_WITHDRAWN} AND ${FIGURE_SQL.overdueOpen} AND ${sc.sql} GROUP BY c.point_code
         UNION ALL
         SELECT c.point_code, COUNT(*) AS n FROM cases c INDEXED BY cases_decided_late
         WHERE decision_date > due_date AND c.decision_date > @ref AND NOT (${OPEN_OR_WITHDRAWN}) AND ${FIGURE_SQL.overdueOpen} AND ${sc.sql} GROUP BY c.point_code
       ) GROUP BY point_code`,
    )
    .all(...sc.params, ...sc.params, { ref }) as { point_code: string; n: number }[];
  return new Map(rows.map((r) => [r.point_code, r.n]));
}

/** The sum of some points' figures, with the rates. */
export function sumFigures(counts: Iterable<FigureCounts>): StatFigures {
  const t = emptyCounts();
  for (const c of counts) for (const f of COUNT_FIGURES) t[f] += c[f];
  return withRates(t);
}

/** The scope's figures for the period (totals of pointFigures). */
export function scopeFigures(county: County, p: StatPeriod, scope: Scope, overdue?: Map<string, number>): StatFigures {
  return sumFigures(pointFigures(county, p, scope, overdue).values());
}
