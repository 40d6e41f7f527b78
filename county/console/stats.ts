// 统计 and 考评 at the county: the village's definitions, summed per point from the day table
// (statDays.ts) for the whole scope, townships and villages, and with the village's own queries
// (db/statistics.ts over the county's copy of the same tables, narrowed with extraWhere) by item,
// department, mode and agent.
import { computeStatistics, listFigureCases, type StatQuery } from '../../db/statistics';
import { addCalendarDays } from '../../domain/deadlines';
import { emptyCounts, monthRange, referenceDate, type GroupBy, type StatFigures } from '../../domain/statistics';
import { statisticsXlsx } from '../../print/xlsx';
import type { County } from '../db';
import { countyToday } from './cases';
import type { ConsoleParsed } from './contract';
import { inScope, notFound, scopeSql, type Scope } from './http';
import type { CountyStatCaseRow, CountyStatistics, Evaluation, EvaluationWeights, Page, WeeklyReport } from './types';
import { pointFigures, sumFigures } from './statDays';
import { pointRefs } from './views';

const VILLAGE_GROUPS: readonly string[] = ['item', 'department', 'mode', 'agent'];

function query(county: County, from: string, to: string, scope: Scope, groupBy?: GroupBy): StatQuery {
  const sc = scopeSql(scope, 'c.point_code');
  return { from, to, today: countyToday(county), groupBy, extraWhere: sc.sql === '1' ? undefined : { sql: sc.sql, params: sc.params } };
}

export function countyStatistics(county: County, i: ConsoleParsed<'statistics'>, scope: Scope, scopeLabel: string): CountyStatistics {
  if (i.from > i.to) throw new Error('开始日期不能晚于结束日期');
  const by = i.groupBy;
  const period = { from: i.from, to: i.to, today: countyToday(county) };
  const head = { ...period, ref: referenceDate(period), scopeLabel, groupBy: by ?? null };
  if (by && VILLAGE_GROUPS.includes(by)) {
    // By item, department, mode or agent: the village's grouped queries over the cases themselves.
    const base = computeStatistics(county.db, query(county, i.from, i.to, scope, by as GroupBy));
    return { ...head, totals: base.totals, groups: base.groups };
  }
  // The whole scope, by township or by village: sums of each point's day figures.
  const perPoint = pointFigures(county, period, scope);
  const totals = sumFigures(perPoint.values());
  if (by !== 'township' && by !== 'village') return { ...head, totals, groups: [] };
  const refs = pointRefs(county, scope);
  const groups = new Map<string, { label: string; codes: string[] }>();
  for (const p of refs) {
    const key = by === 'village' ? p.code : p.townshipCode;
    const g = groups.get(key) ?? { label: by === 'village' ? `${p.townshipName}${p.villageName}` : p.townshipName, codes: [] };
    g.codes.push(p.code);
    groups.set(key, g);
  }
  return {
    ...head,
    totals,
    groups: [...groups].map(([key, g]) => ({ key, label: g.label, figures: sumFigures(g.codes.map((c) => perPoint.get(c) ?? emptyCounts())) })),
  };
}

export function countyStatisticsCases(county: County, i: ConsoleParsed<'statisticsCases'>, scope: Scope): Page<CountyStatCaseRow> {
  let s = scope;
  let group: { by: GroupBy; key: string } | undefined;
  if (i.group?.by === 'village' || i.group?.by === 'township') {
    const code = i.group.key;
    const narrowed = i.group.by === 'village' ? { townshipCode: code.slice(0, 9), pointCode: code } : { townshipCode: code, pointCode: null };
    if (!inScope(scope, narrowed.pointCode ?? `${code}000`) || !/^\d+$/.test(code)) throw notFound();
    s = narrowed;
  } else if (i.group) group = { by: i.group.by as GroupBy, key: i.group.key };
  const q = query(county, i.from, i.to, s);
  const r = listFigureCases(county.db, { ...q, figure: i.figure, group, offset: i.offset, limit: i.limit });
  const ids = r.rows.map((x) => x.id);
  const points = new Map(
    ids.length
      ? (county.db.prepare(`SELECT c.id, c.point_code, p.village_name FROM cases c LEFT JOIN points p ON p.code = c.point_code WHERE c.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as {
          id: string;
          point_code: string;
          village_name: string | null;
        }[]).map((x) => [x.id, x])
      : [],
  );
  return {
    total: r.total,
    rows: r.rows.map((x) => ({
      id: x.id,
      caseNo: x.caseNo,
      pointCode: points.get(x.id)?.point_code ?? '',
      villageName: points.get(x.id)?.village_name ?? '',
      applicantName: x.applicantName,
      itemName: x.itemName,
      handlingMode: x.handlingMode,
      status: x.status,
      intakeDate: x.intakeDate,
      dueDate: x.dueDate,
      decisionDate: x.decisionDate,
      agentName: x.agentName,
      rating: x.rating,
    })),
  };
}

export async function countyStatisticsXlsx(county: County, i: ConsoleParsed<'statisticsXlsx'>, scope: Scope, unitName: string): Promise<Buffer> {
  const today = countyToday(county);
  const overall = computeStatistics(county.db, query(county, i.from, i.to, scope));
  const groups: Partial<Record<GroupBy, ReturnType<typeof computeStatistics>['groups']>> = {};
  for (const g of ['item', 'department', 'mode'] as GroupBy[]) groups[g] = computeStatistics(county.db, query(county, i.from, i.to, scope, g)).groups;
  const poor = listFigureCases(county.db, { ...query(county, i.from, i.to, scope), figure: 'poor', offset: 0, limit: 5000 }).rows;
  return statisticsXlsx({ unitName, today, overall, groups, poor });
}

// ---- 考评 ----
const DEFAULT_WEIGHTS: EvaluationWeights = { onTimeRate: 30, overdue: 20, returnVisitRate: 15, satisfactionRate: 25, immediateRate: 10 };

export function getWeights(county: County): EvaluationWeights {
  const r = county.db.prepare(`SELECT value FROM settings WHERE key = 'evaluation_weights'`).get() as { value: string } | undefined;
  return r ? { ...DEFAULT_WEIGHTS, ...(JSON.parse(r.value) as Partial<EvaluationWeights>) } : DEFAULT_WEIGHTS;
}

export function setWeights(county: County, w: EvaluationWeights): EvaluationWeights {
  const sum = Object.values(w).reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new Error('权重之和必须大于 0');
  county.db
    .prepare(`INSERT INTO settings (key, value) VALUES ('evaluation_weights', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
    .run(JSON.stringify(w));
  return getWeights(county);
}

/** Score 0–100: weighted rates (a missing rate counts as full marks: nothing to hold against the point); 超期 costs per case. */
export function score(f: StatFigures, w: EvaluationWeights): number {
  const total = w.onTimeRate + w.overdue + w.returnVisitRate + w.satisfactionRate + w.immediateRate;
  const imm = (f as StatFigures & { immediateRate?: number | null }).immediateRate ?? null;
  const part = (r: number | null) => (r === null ? 1 : r);
  const overduePart = Math.max(0, 1 - f.overdue / Math.max(1, f.accepted || 1));
  const s =
    w.onTimeRate * part(f.onTimeRate) + w.overdue * overduePart + w.returnVisitRate * part(f.returnVisitRate) + w.satisfactionRate * part(f.satisfactionRate) + w.immediateRate * part(imm);
  return Math.round((s / total) * 1000) / 10;
}

export function evaluation(county: County, month: string, scope: Scope): Evaluation {
  const weights = getWeights(county);
  const m = monthRange(month);
  const warned = new Set((county.db.prepare(`SELECT point_code FROM warnings WHERE month = ?`).all(month) as { point_code: string }[]).map((r) => r.point_code));
  const towns = new Map<string, Evaluation['townships'][number]>();
  const perPoint = pointFigures(county, { ...m, today: countyToday(county) }, scope);
  for (const p of pointRefs(county, scope)) {
    const figures = sumFigures([perPoint.get(p.code) ?? emptyCounts()]);
    let t = towns.get(p.townshipCode);
    if (!t) towns.set(p.townshipCode, (t = { code: p.townshipCode, name: p.townshipName, rows: [] }));
    t.rows.push({ ...p, figures, score: score(figures, weights), rankInTownship: 0, redFlag: false, lagging: false, warned: warned.has(p.code) });
  }
  for (const t of towns.values()) {
    t.rows.sort((a, b) => b.score - a.score || b.figures.accepted - a.figures.accepted);
    t.rows.forEach((r, i) => {
      r.rankInTownship = i + 1;
      // 流动红旗: the township's best point that did some work this month (never a lagging one); lagging: below 60.
      r.lagging = r.score < 60;
      r.redFlag = i === 0 && r.figures.accepted + r.figures.completed > 0 && !r.lagging;
    });
  }
  return { month, weights, townships: [...towns.values()] };
}

/** 周上报: per village of a township, for the week (Mon–Sun) containing weekOf. */
export function weeklyReport(county: County, townshipCode: string, weekOf: string, scope: Scope): WeeklyReport {
  if (!inScope(scope, `${townshipCode}000`) && !(scope.townshipCode === townshipCode)) throw notFound();
  const dow = (new Date(`${weekOf}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addCalendarDays(weekOf, -dow);
  const to = addCalendarDays(from, 6);
  const refs = pointRefs(county, { townshipCode, pointCode: scope.pointCode });
  const perPoint = pointFigures(county, { from, to, today: countyToday(county) }, { townshipCode, pointCode: scope.pointCode });
  const rows = refs.map((p) => {
    const f = perPoint.get(p.code) ?? emptyCounts();
    const open = (county.db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE point_code = ? AND status IN ('accepted','handedUp','returned') AND intake_date <= ?`).get(p.code, to) as { n: number }).n;
    return { ...p, open, overdue: f.overdueOpen, newCases: f.accepted, completed: f.completed, poor: f.poor };
  });
  return { townshipCode, townshipName: refs[0]?.townshipName ?? townshipCode, from, to, rows };
}
