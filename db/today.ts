import type { Register } from './register';
import { CLOSED_STATUSES, COMPLETED_STATUSES, OPEN_STATUSES } from '../domain/caseStatus';
import { dueSoonHorizon, FEEDBACK_WITHIN_DAYS, RETURN_VISIT_WITHIN_DAYS, addCalendarDays } from '../domain/deadlines';
import { feedbackDueDate, returnVisitDueDate } from '../domain/followupRules';
import type { FollowupDueRow, MaterialDueRow, TodaySummary } from '../domain/records';
import { openNotices } from './countyNotices';
import { CASE_ROW_SELECT, listRectifications, toCaseRow, type CaseRowDb } from './caseQueries';

const inList = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');
const OPEN = inList(OPEN_STATUSES);
// The daily lists are about what is still to be done: an archived (closed) or withdrawn case never
// appears on them, whatever it may have left behind (archiving is refused while anything is owed).
const CLOSED = inList(CLOSED_STATUSES);
const DONE = inList(COMPLETED_STATUSES.filter((s) => !CLOSED_STATUSES.includes(s)));
export const OWED_WINDOW_DAYS = 90;

/**
 * The agent's daily check (日查询). Everything is computed from the register at the moment of
 * asking — no task records are stored, so nothing goes stale and nothing piles up.
 */
export function todaySummary(reg: Register, limit: number): TodaySummary {
  const today = reg.today();
  const horizon = dueSoonHorizon(reg.calendar, today);
  const db = reg.db;
  const count = (sql: string, ...p: (string | number)[]) => (db.prepare(sql).get(...p) as { n: number }).n;

  const overdueWhere = `WHERE c.status IN (${OPEN}) AND c.due_date < ?`;
  const soonWhere = `WHERE c.status IN (${OPEN}) AND c.due_date >= ? AND c.due_date <= ?`;
  const rows = (where: string, ...p: string[]) =>
    (db.prepare(`${CASE_ROW_SELECT} ${where} ORDER BY c.due_date, c.case_no LIMIT ?`).all(...p, limit) as CaseRowDb[]).map((r) =>
      toCaseRow(reg, r, today),
    );

  const matWhere = `FROM case_materials m JOIN cases c ON c.id = m.case_id JOIN applicants a ON a.id = c.applicant_id
    WHERE m.state = 'deferred' AND c.status NOT IN (${CLOSED}) AND m.promised_date <= ?`;
  const materials = (
    db.prepare(`SELECT c.id AS case_id, c.case_no, a.name, m.name AS material, m.promised_date ${matWhere} ORDER BY m.promised_date LIMIT ?`).all(horizon, limit) as {
      case_id: string;
      case_no: string;
      name: string;
      material: string;
      promised_date: string;
    }[]
  ).map(
    (r): MaterialDueRow => ({
      caseId: r.case_id,
      caseNo: r.case_no,
      applicantName: r.name,
      materialName: r.material,
      promisedDate: r.promised_date,
      overdue: r.promised_date < today,
    }),
  );

  // Owed feedback: open, none given, and the one-week window ends within the next two days or has passed.
  const fbLatestIntake = addCalendarDays(today, 2 - FEEDBACK_WITHIN_DAYS);
  const fbWhere = `FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.status IN (${OPEN}) AND c.intake_date <= ?
    AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.case_id = c.id AND f.kind = 'feedback')`;
  const feedback = (
    db.prepare(`SELECT c.id, c.case_no, a.name, c.item_name, c.intake_date ${fbWhere} ORDER BY c.intake_date LIMIT ?`).all(fbLatestIntake, limit) as {
      id: string;
      case_no: string;
      name: string;
      item_name: string;
      intake_date: string;
    }[]
  ).map((r): FollowupDueRow => {
    const due = feedbackDueDate(r.intake_date);
    return { caseId: r.id, caseNo: r.case_no, applicantName: r.name, itemName: r.item_name, kind: 'feedback', dueDate: due, overdue: due < today };
  });

  const rvLatestDecision = addCalendarDays(today, 2 - RETURN_VISIT_WITHIN_DAYS);
  // Owed return visits of the last OWED_WINDOW_DAYS only: older misses stay in the 回访率 statistics but no longer
  // pile up on the daily list (and the query stays on the decision_date index instead of every completed case).
  const rvEarliestDecision = addCalendarDays(today, -OWED_WINDOW_DAYS);
  const rvWhere = `FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE +c.status IN (${DONE}) AND c.decision_date <= ? AND c.decision_date >= '${rvEarliestDecision}'
    AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.case_id = c.id AND f.kind = 'returnVisit')`;
  const returnVisits = (
    db.prepare(`SELECT c.id, c.case_no, a.name, c.item_name, c.decision_date ${rvWhere} ORDER BY c.decision_date LIMIT ?`).all(rvLatestDecision, limit) as {
      id: string;
      case_no: string;
      name: string;
      item_name: string;
      decision_date: string;
    }[]
  ).map((r): FollowupDueRow => {
    const due = returnVisitDueDate(r.decision_date);
    return { caseId: r.id, caseNo: r.case_no, applicantName: r.name, itemName: r.item_name, kind: 'returnVisit', dueDate: due, overdue: due < today };
  });

  const rect = listRectifications(reg, `WHERE r.status = 'open' AND c.status NOT IN (${CLOSED})`, []);

  return {
    today,
    countyNotices: openNotices(reg, limit),
    overdue: { count: count(`SELECT COUNT(*) AS n FROM cases c ${overdueWhere}`, today), rows: rows(overdueWhere, today) },
    dueSoon: { count: count(`SELECT COUNT(*) AS n FROM cases c ${soonWhere}`, today, horizon), rows: rows(soonWhere, today, horizon) },
    materialsDue: { count: count(`SELECT COUNT(*) AS n ${matWhere}`, horizon), rows: materials },
    feedbackDue: { count: count(`SELECT COUNT(*) AS n ${fbWhere}`, fbLatestIntake), rows: feedback },
    returnVisitsDue: { count: count(`SELECT COUNT(*) AS n ${rvWhere}`, rvLatestDecision), rows: returnVisits },
    rectificationsDue: { count: rect.length, rows: rect.slice(0, limit) },
  };
}
