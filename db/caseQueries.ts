// Reading cases: lists, search, one case's detail. Writes are in ./cases (createCase, transitionCase,
// updateMaterial, recomputeDueDates); both sides share the row shapes defined here.
import type { Register } from './register';
import { allowedActions, isOpen, type CaseStatus } from '../domain/caseStatus';
import { deadlineState } from '../domain/deadlines';
import { feedbackDueDate, owesFeedback, owesReturnVisit, returnVisitDueDate } from '../domain/followupRules';
import { eventLabel } from '../domain/eventLabels';
import { maskPhone } from '../domain/mask';
import type { CustodyState, Decision, DeliveryMethod, HandlingMode, MaterialState, Rating } from '../domain/vocab';
import { AppError } from '../domain/errors';
import type { CaseDetail, CaseMaterial, CaseRow, Followup, Page, Rectification, TimelineEvent } from '../domain/records';
import { getApplicantRow, toApplicant } from './applicants';
import { caseSearchPage, type CaseSearchFilters } from './caseSearch';
import type { SqlValue } from './changes';
import { archiveBlocker, type ArchiveOpenItems } from '../domain/archiveRule';

export function villageCode(reg: Register): string {
  const p = reg.db.prepare(`SELECT village_code FROM point WHERE id = 1`).get() as { village_code: string } | undefined;
  if (!p) throw new AppError('not_initialized', '代办点尚未设置，请先完成首次设置');
  return p.village_code;
}

export type CaseDbRow = {
  id: string;
  case_no: string;
  applicant_id: string;
  item_code: string;
  item_name: string;
  status: CaseStatus;
  handling_mode: HandlingMode;
  intake_date: string;
  backfilled: number;
  committed_workdays: number;
  pause_on_wait: number;
  waiting_workdays: number;
  due_date: string;
  due_estimated: number;
  agent_id: string;
  handed_to: string;
  handed_at: string | null;
  returned_at: string | null;
  decision: Decision | null;
  decision_date: string | null;
  decision_note: string;
  delivery_method: DeliveryMethod | null;
  delivered_at: string | null;
  delivered_to: string;
  withdraw_reason: string;
  refusal_reason: string;
  visit_id: string | null;
  intake_applicant_name: string;
  intake_applicant_phone: string;
  note: string;
  created_at: string;
  created_by: string;
};

export function getCaseDbRow(reg: Register, id: string): CaseDbRow {
  const r = reg.db.prepare(`SELECT * FROM cases WHERE id = ?`).get(id) as CaseDbRow | undefined;
  if (!r) throw new AppError('not_found', '找不到这件代办件');
  return r;
}

export const CASE_ROW_SELECT = `
  SELECT c.id, c.case_no, c.item_code, c.item_name, c.status, c.handling_mode, c.intake_date, c.due_date,
         c.due_estimated, c.decision_date, c.backfilled, a.name AS applicant_name, a.phone AS applicant_phone,
         g.name AS agent_name
  FROM cases c JOIN applicants a ON a.id = c.applicant_id JOIN agents g ON g.id = c.agent_id`;

export type CaseRowDb = {
  id: string;
  case_no: string;
  item_code: string;
  item_name: string;
  status: CaseStatus;
  handling_mode: HandlingMode;
  intake_date: string;
  due_date: string;
  due_estimated: number;
  decision_date: string | null;
  backfilled: number;
  applicant_name: string;
  applicant_phone: string;
  agent_name: string;
};

export function toCaseRow(reg: Register, r: CaseRowDb, today: string): CaseRow {
  return {
    id: r.id,
    caseNo: r.case_no,
    applicantName: r.applicant_name,
    phoneMasked: maskPhone(r.applicant_phone),
    itemCode: r.item_code,
    itemName: r.item_name,
    status: r.status,
    handlingMode: r.handling_mode,
    intakeDate: r.intake_date,
    dueDate: r.due_date,
    dueEstimated: r.due_estimated === 1,
    decisionDate: r.decision_date,
    deadline: isOpen(r.status) ? deadlineState(reg.calendar, r.due_date, today) : null,
    backfilled: r.backfilled === 1,
    agentName: r.agent_name,
  };
}

export type CaseSearch = CaseSearchFilters & { offset: number; limit: number };

export function searchCases(reg: Register, s: CaseSearch): Page<CaseRow> {
  const today = reg.today();
  const page = caseSearchPage<CaseRowDb>({ db: reg.db, today, calendar: reg.calendar }, s, CASE_ROW_SELECT);
  return { total: page.total, rows: page.rows.map((r) => toCaseRow(reg, r, today)) };
}

function agentName(reg: Register, id: string | null): string {
  if (!id) return '';
  const r = reg.db.prepare(`SELECT name FROM agents WHERE id = ?`).get(id) as { name: string } | undefined;
  return r?.name ?? '';
}

export function caseIdByNumber(reg: Register, caseNo: string): string {
  const r = reg.db.prepare(`SELECT id FROM cases WHERE case_no = ?`).get(caseNo.trim()) as { id: string } | undefined;
  if (!r) throw new AppError('not_found', `没有件号为 ${caseNo} 的代办件`);
  return r.id;
}

export function listRectifications(reg: Register, where: string, params: SqlValue[]): Rectification[] {
  const today = reg.today();
  const rows = reg.db
    .prepare(
      `SELECT r.*, c.case_no, a.name AS applicant_name FROM rectifications r JOIN cases c ON c.id = r.case_id
       JOIN applicants a ON a.id = c.applicant_id ${where} ORDER BY r.due_date`,
    )
    .all(...params) as {
    id: string;
    case_id: string;
    case_no: string;
    applicant_name: string;
    opened_date: string;
    due_date: string;
    status: 'open' | 'closed';
    action_note: string;
    closed_date: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseNo: r.case_no,
    applicantName: r.applicant_name,
    openedDate: r.opened_date,
    dueDate: r.due_date,
    status: r.status,
    actionNote: r.action_note,
    closedDate: r.closed_date,
    overdue: r.status === 'open' && today > r.due_date,
  }));
}

/** What a case still owes before it may be archived (domain/archiveRule.ts). */
export function archiveOpenItems(reg: Register, caseId: string): ArchiveOpenItems {
  return {
    owedMaterials: reg.db
      .prepare(`SELECT name, promised_date AS promisedDate FROM case_materials WHERE case_id = ? AND state = 'deferred' ORDER BY position`)
      .all(caseId) as { name: string; promisedDate: string | null }[],
    openRectifications: reg.db.prepare(`SELECT due_date AS dueDate FROM rectifications WHERE case_id = ? AND status = 'open'`).all(caseId) as {
      dueDate: string;
    }[],
  };
}

export function getCaseDetail(reg: Register, id: string): CaseDetail {
  const today = reg.today();
  const c = getCaseDbRow(reg, id);
  const rowDb = reg.db.prepare(`${CASE_ROW_SELECT} WHERE c.id = ?`).get(id) as CaseRowDb;
  const applicant = toApplicant(getApplicantRow(reg, c.applicant_id));
  const materials = (
    reg.db.prepare(`SELECT * FROM case_materials WHERE case_id = ? ORDER BY position`).all(id) as {
      id: string;
      position: number;
      name: string;
      form: string;
      copies: number;
      required: number;
      can_defer: number;
      state: MaterialState;
      promised_date: string | null;
      received_at: string | null;
      custody: CustodyState;
    }[]
  ).map(
    (m): CaseMaterial => ({
      id: m.id,
      position: m.position,
      name: m.name,
      form: m.form,
      copies: m.copies,
      required: m.required === 1,
      deferrable: m.can_defer === 1,
      state: m.state,
      promisedDate: m.promised_date,
      receivedAt: m.received_at,
      custody: m.custody,
    }),
  );
  const followups = (
    reg.db
      .prepare(`SELECT f.*, g.name AS agent_name FROM followups f JOIN agents g ON g.id = f.agent_id WHERE f.case_id = ? ORDER BY f.followed_at`)
      .all(id) as {
      id: string;
      kind: Followup['kind'];
      method: Followup['method'];
      reached: number;
      rating: Rating | null;
      efficiency: Rating | null;
      service_level: Rating | null;
      attitude: Rating | null;
      comment: string;
      follow_date: string;
      agent_name: string;
    }[]
  ).map(
    (f): Followup => ({
      id: f.id,
      kind: f.kind,
      method: f.method,
      reached: f.reached === 1,
      rating: f.rating,
      efficiency: f.efficiency,
      serviceLevel: f.service_level,
      attitude: f.attitude,
      comment: f.comment,
      followDate: f.follow_date,
      agentName: f.agent_name,
    }),
  );
  const timeline = (
    reg.db
      .prepare(`SELECT e.id, e.at, e.action, e.note, g.name AS agent_name FROM events e LEFT JOIN agents g ON g.id = e.agent_id
                WHERE e.case_id = ? AND e.action NOT IN ('material.create', 'applicant.create') ORDER BY e.at, e.rowid`)
      .all(id) as { id: string; at: string; action: string; note: string; agent_name: string | null }[]
  ).map((e): TimelineEvent => ({ id: e.id, at: e.at, action: e.action, label: eventLabel(e.action), agentName: e.agent_name ?? '', note: e.note }));
  const hasFeedback = followups.some((f) => f.kind === 'feedback');
  const hasReturn = followups.some((f) => f.kind === 'returnVisit');
  return {
    ...toCaseRow(reg, rowDb, today),
    applicant,
    committedWorkdays: c.committed_workdays,
    waitingWorkdays: c.waiting_workdays,
    handedTo: c.handed_to,
    handedAt: c.handed_at,
    decision: c.decision,
    decisionNote: c.decision_note,
    deliveryMethod: c.delivery_method,
    deliveredAt: c.delivered_at,
    deliveredTo: c.delivered_to,
    withdrawReason: c.withdraw_reason,
    refusalReason: c.refusal_reason,
    note: c.note,
    visitId: c.visit_id,
    // A row written without the snapshot (older seeds, hand-made rows) falls back to the record.
    applicantAtIntake: c.intake_applicant_name
      ? { name: c.intake_applicant_name, phoneMasked: c.intake_applicant_phone ? maskPhone(c.intake_applicant_phone) : '' }
      : { name: applicant.name, phoneMasked: applicant.phoneMasked },
    materials,
    followups,
    rectifications: listRectifications(reg, 'WHERE r.case_id = ?', [id]),
    timeline,
    allowedActions: allowedActions(c.status),
    archiveBlockedReason: allowedActions(c.status).includes('archive') ? archiveBlocker(archiveOpenItems(reg, id)) : null,
    feedbackDue: owesFeedback(c.status, hasFeedback) ? feedbackDueDate(c.intake_date) : null,
    returnVisitDue: owesReturnVisit(c.status, hasReturn) && c.decision_date ? returnVisitDueDate(c.decision_date) : null,
    createdAt: c.created_at,
    createdByName: agentName(reg, c.created_by),
  };
}

