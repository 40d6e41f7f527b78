// The one case-search builder: the village's 代办件 search (db/caseQueries.ts) and the county's
// 全县台账 (county/console/cases.ts) build their WHERE, ORDER BY and page from here. The search kinds
// (2-character names, pinyin initials / full pinyin, ID number or its last 4–6, phone or its last 4,
// case number, item names) and the filters (status, item, agent, intake dates, overdue / due soon)
// are written once; a caller adds its own conditions through `extra` (the county's township or
// village scope, 督办) and may replace how applicant names are matched (the county's name index).
import type { Db } from './connection';
import type { SqlValue } from './changes';
import { applicantMatch, type ApplicantMatchers } from './applicants';
import { OPEN_STATUSES, type CaseStatus } from '../domain/caseStatus';
import { dueSoonHorizon } from '../domain/deadlines';
import type { WorkCalendar } from '../domain/workCalendar';

export type CaseSearchFilters = {
  q: string;
  status?: CaseStatus[];
  itemCode?: string;
  agentId?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  dueSoon?: boolean;
};

export type SqlPart = { sql: string; params: SqlValue[] };

export type CaseSearchContext = {
  db: Db;
  today: string;
  calendar: WorkCalendar;
  /** Other SQL for the name and pinyin matches (db/applicants.ts applicantMatch): the county's indexes. */
  matchers?: ApplicantMatchers;
  /** More conditions on the cases row `c`, ANDed (the county's scope and 督办 filter). */
  extra?: SqlPart[];
};

const CASE_NO = /^\d{12}-|^\d{20,}/;
const CHINESE = /^[\u3400-\u9fff]+$/;

/** `c.case_no` range for a (partial) case number typed with or without its dashes. */
function caseNoPrefix(q: string): SqlPart {
  const norm = q.replace(/-/g, '');
  const withDashes = norm.length >= 12 ? `${norm.slice(0, 12)}-${norm.slice(12, 20)}${norm.length > 20 ? '-' + norm.slice(20) : ''}` : q;
  return { sql: `c.case_no >= ? AND c.case_no < ? || '~'`, params: [withDashes, withDashes] };
}

export function caseSearchWhere(ctx: CaseSearchContext, s: CaseSearchFilters): { where: string; params: SqlValue[] } {
  const { today } = ctx;
  const conds: string[] = [];
  const params: SqlValue[] = [];
  const add = (p: SqlPart) => {
    conds.push(p.sql);
    params.push(...p.params);
  };
  for (const e of ctx.extra ?? []) add(e);
  const q = s.q.trim();
  if (q) {
    if (CASE_NO.test(q)) add(caseNoPrefix(q));
    else {
      const m = applicantMatch(q, today, ctx.matchers);
      // Chinese text may also name an item: match it through the catalog's codes (indexed), not by scanning cases.
      const itemCodes =
        CHINESE.test(q) && q.length >= 2
          ? (ctx.db.prepare(`SELECT code FROM catalog_items WHERE instr(name, ?) > 0`).all(q) as { code: string }[]).map((r) => r.code)
          : [];
      if (m) {
        const items = itemCodes.length ? ` OR c.item_code IN (${itemCodes.map(() => '?').join(',')})` : '';
        add({ sql: `(c.applicant_id IN (SELECT a.id FROM applicants a WHERE ${m.sql})${items})`, params: [...m.params, ...itemCodes] });
      }
    }
  }
  if (s.status?.length) add({ sql: `c.status IN (${s.status.map(() => '?').join(',')})`, params: s.status });
  // With a deadline filter the (status, due_date) index is the selective one; '+' keeps the planner off cases_item.
  if (s.itemCode) add({ sql: s.overdue || s.dueSoon ? `+c.item_code = ?` : `c.item_code = ?`, params: [s.itemCode] });
  if (s.agentId) add({ sql: `c.agent_id = ?`, params: [s.agentId] });
  if (s.from) add({ sql: `c.intake_date >= ?`, params: [s.from] });
  if (s.to) add({ sql: `c.intake_date <= ?`, params: [s.to] });
  const open = `c.status IN (${OPEN_STATUSES.map((x) => `'${x}'`).join(',')})`;
  if (s.overdue && s.dueSoon) add({ sql: `${open} AND c.due_date <= ?`, params: [dueSoonHorizon(ctx.calendar, today)] });
  else if (s.overdue) add({ sql: `${open} AND c.due_date < ?`, params: [today] });
  else if (s.dueSoon) add({ sql: `${open} AND c.due_date >= ? AND c.due_date <= ?`, params: [today, dueSoonHorizon(ctx.calendar, today)] });
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

/** Deadline lists show the most urgent first; everything else the newest intake first. */
export function caseSearchOrder(s: CaseSearchFilters): string {
  return s.overdue || s.dueSoon ? 'c.due_date ASC, c.case_no' : 'c.intake_date DESC, c.case_no DESC';
}

export type CaseSearchPage<R> = { total: number; totalCapped: boolean; rows: R[] };

/**
 * One page of a search: the rows (`select` ends with `FROM cases c …joins`, no WHERE) and how many
 * match in all. The page is chosen on the cases alone (index entries where the filters allow) and
 * only its rows are joined to their applicant, agent and the rest: joining every match before the
 * sort would cost a lookup per match, tens of thousands for a county-wide deadline list.
 * With `countCap` the count stops there (`totalCapped` says there are more): counting every match of
 * a broad filter over a whole county costs more than the page; the first cap+1 matches, in order,
 * then give both the count and the page in one pass.
 */
export function caseSearchPage<R>(
  ctx: CaseSearchContext,
  s: CaseSearchFilters & { offset: number; limit: number },
  select: string,
  opts: { countCap?: number } = {},
): CaseSearchPage<R> {
  const { where, params } = caseSearchWhere(ctx, s);
  const order = caseSearchOrder(s);
  const cap = opts.countCap;
  if (cap !== undefined && s.offset + s.limit <= cap + 1) {
    const ids = ctx.db.prepare(`SELECT c.rowid FROM cases c ${where} ORDER BY ${order} LIMIT ?`).pluck().all(...params, cap + 1) as number[];
    const pageIds = ids.slice(s.offset, s.offset + s.limit);
    const rows = pageIds.length ? (ctx.db.prepare(`${select} WHERE c.rowid IN (${pageIds.map(() => '?').join(',')}) ORDER BY ${order}`).all(...pageIds) as R[]) : [];
    return { total: Math.min(ids.length, cap), totalCapped: ids.length > cap, rows };
  }
  const n = cap
    ? (ctx.db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM cases c ${where} LIMIT ?)`).get(...params, cap + 1) as { n: number }).n
    : (ctx.db.prepare(`SELECT COUNT(*) AS n FROM cases c ${where}`).get(...params) as { n: number }).n;
  const rows = ctx.db
    .prepare(`${select} WHERE c.rowid IN (SELECT c.rowid FROM cases c ${where} ORDER BY ${order} LIMIT ? OFFSET ?) ORDER BY ${order}`)
    .all(...params, s.limit, s.offset) as R[];
  const capped = cap !== undefined && n > cap;
  return { total: capped ? cap : n, totalCapped: capped, rows };
}
