import type { Register } from './register';
import { uuidv7 } from '../domain/ids';
import { formatCaseNumber } from '../domain/caseNumber';
import { allowedActions, isOpen, nextStatus, OPEN_STATUSES, type CaseAction, type CaseStatus } from '../domain/caseStatus';
import { computeDueDate, deadlineState, dueSoonHorizon } from '../domain/deadlines';
import { feedbackDueDate, owesFeedback, owesReturnVisit, returnVisitDueDate } from '../domain/followupRules';
import { eventLabel } from '../domain/eventLabels';
import { maskPhone } from '../domain/mask';
import type { CustodyState, Decision, DeliveryMethod, HandlingMode, MaterialState, Rating } from '../domain/vocab';
import { AppError } from '../domain/errors';
import type { CaseDetail, CaseMaterial, CaseRow, Followup, Page, Rectification, TimelineEvent } from '../domain/records';
import { applicantMatch, getApplicantRow, toApplicant, upsertApplicant, type ApplicantInput } from './applicants';
import { getCatalogItem } from './catalog';
import { chinaInstant } from './clock';
import type { SqlValue } from './changes';

export type MaterialInput = {
  name: string;
  form: string;
  copies: number;
  required: boolean;
  deferrable: boolean;
  state: MaterialState;
  promisedDate?: string | null;
  custody: CustodyState;
};

export type CreateCaseInput = {
  applicant: ApplicantInput;
  itemCode: string;
  handlingMode: HandlingMode;
  intakeDate?: string;
  materials: MaterialInput[];
  note: string;
  refuse?: { reason: string };
  visitId?: string;
};

const RECEIVED: readonly MaterialState[] = ['original', 'copy', 'both'];

/** 容缺受理 rules: a missing required material must be deferrable and carry a promised date. */
function checkMaterials(materials: MaterialInput[], intakeDate: string): void {
  for (const m of materials) {
    if (m.state === 'deferred') {
      if (!m.deferrable) throw new AppError('invalid_input', `“${m.name}”不属于容缺材料，不能后补，请收齐后再受理`);
      if (!m.promisedDate) throw new AppError('invalid_input', `“${m.name}”选择了容缺后补，请填写承诺补交日期`);
      if (m.promisedDate < intakeDate) throw new AppError('invalid_input', `“${m.name}”的承诺补交日期不能早于受理日期`);
    }
    if (m.state === 'missing' && m.required) {
      throw new AppError(
        'invalid_input',
        `必需材料“${m.name}”缺少，不能受理。请一次性告知申请人补齐，或选择容缺后补（如允许），或作不予受理`,
      );
    }
  }
}

function nextCaseNo(reg: Register, villageCode: string, intakeDate: string): string {
  const row = reg.db
    .prepare(`INSERT INTO day_sequences(day, last) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`)
    .get(intakeDate) as { last: number };
  // The device letter comes from enrolment (sync/village/devices.ts); '' for a point's first laptop.
  const letter = reg.db.prepare(`SELECT value FROM meta WHERE key = 'case_letter'`).get() as { value: string } | undefined;
  return formatCaseNumber(villageCode, intakeDate, row.last, letter?.value ?? '');
}

export function villageCode(reg: Register): string {
  const p = reg.db.prepare(`SELECT village_code FROM point WHERE id = 1`).get() as { village_code: string } | undefined;
  if (!p) throw new AppError('not_initialized', '代办点尚未设置，请先完成首次设置');
  return p.village_code;
}

export function createCase(reg: Register, input: CreateCaseInput, agentId: string): string {
  const today = reg.today();
  const intakeDate = input.intakeDate ?? today;
  if (intakeDate > today) throw new AppError('invalid_input', '受理日期不能晚于今天');
  const item = getCatalogItem(reg, input.itemCode);
  if (!input.refuse) checkMaterials(input.materials, intakeDate);
  const backfilled = intakeDate < today;
  const code = villageCode(reg);

  return reg.tx(() => {
    const id = uuidv7(reg.clock.nowMs());
    const applicantId = upsertApplicant(reg, input.applicant, agentId, id);
    const due = computeDueDate(reg.calendar, {
      intakeDate,
      committedWorkdays: item.committedWorkdays,
      pauseOnWait: item.pauseOnWait,
      waitingWorkdays: 0,
    });
    const now = reg.nowIso();
    const status: CaseStatus = input.refuse ? 'refusedIntake' : 'accepted';
    const caseNo = nextCaseNo(reg, code, intakeDate);
    const action = input.refuse ? 'case.refuseIntake' : backfilled ? 'case.createBackfilled' : 'case.create';
    reg.writer.apply(
      {
        table: 'cases',
        id,
        op: 'insert',
        fields: {
          case_no: caseNo,
          applicant_id: applicantId,
          item_code: item.code,
          item_name: item.name,
          status,
          handling_mode: input.handlingMode,
          intake_date: intakeDate,
          intake_at: backfilled ? chinaInstant(intakeDate, '09:00') : now,
          backfilled: backfilled ? 1 : 0,
          committed_workdays: item.committedWorkdays,
          pause_on_wait: item.pauseOnWait ? 1 : 0,
          waiting_workdays: 0,
          due_date: due.dueDate,
          due_estimated: due.estimated ? 1 : 0,
          agent_id: agentId,
          refusal_reason: input.refuse?.reason ?? '',
          visit_id: input.visitId ?? null,
          note: input.note,
          created_at: now,
          created_by: agentId,
          updated_at: now,
          updated_by: agentId,
        },
        action,
        caseId: id,
        note: input.refuse?.reason ?? (backfilled ? `补录：实际受理日期 ${intakeDate}` : ''),
        eventData: { caseNo, item: item.name },
      },
      agentId,
    );
    input.materials.forEach((m, i) => {
      reg.writer.apply(
        {
          table: 'case_materials',
          id: uuidv7(reg.clock.nowMs()),
          op: 'insert',
          fields: {
            case_id: id,
            position: i + 1,
            name: m.name,
            form: m.form,
            copies: m.copies,
            required: m.required ? 1 : 0,
            can_defer: m.deferrable ? 1 : 0,
            state: m.state,
            promised_date: m.state === 'deferred' ? (m.promisedDate ?? null) : null,
            received_at: RECEIVED.includes(m.state) ? now : null,
            custody: m.custody,
            updated_at: now,
            updated_by: agentId,
          },
          action: 'material.create',
          caseId: id,
        },
        agentId,
      );
    });
    return id;
  });
}

type CaseDbRow = {
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
  note: string;
  created_at: string;
  created_by: string;
};

function getCaseDbRow(reg: Register, id: string): CaseDbRow {
  const r = reg.db.prepare(`SELECT * FROM cases WHERE id = ?`).get(id) as CaseDbRow | undefined;
  if (!r) throw new AppError('not_found', '找不到这件代办件');
  return r;
}

export type TransitionInput = {
  id: string;
  action: CaseAction;
  note: string;
  handedTo?: string;
  date?: string;
  decision?: Decision;
  deliveryMethod?: DeliveryMethod;
  deliveredTo?: string;
  reason?: string;
};

export function transitionCase(reg: Register, t: TransitionInput, agentId: string): void {
  reg.tx(() => {
    const c = getCaseDbRow(reg, t.id);
    const step = nextStatus(c.status, t.action);
    if (!step.ok) throw new AppError('refused', step.error);
    const today = reg.today();
    const date = t.date ?? today;
    if (date > today) throw new AppError('invalid_input', '日期不能晚于今天');
    if (date < c.intake_date) throw new AppError('invalid_input', `日期不能早于受理日期 ${c.intake_date}`);
    const f: Record<string, SqlValue> = { status: step.to };
    switch (t.action) {
      case 'handUp':
        if (!t.handedTo) throw new AppError('invalid_input', '请填写报送单位');
        f.handed_to = t.handedTo;
        f.handed_at = date;
        break;
      case 'returnForCorrection':
        f.returned_at = date;
        break;
      case 'resubmit': {
        const waited = c.returned_at ? reg.calendar.workdaysBetween(c.returned_at, date) : 0;
        f.waiting_workdays = c.waiting_workdays + waited;
        f.returned_at = null;
        f.handed_at = date;
        if (c.pause_on_wait) {
          const due = computeDueDate(reg.calendar, {
            intakeDate: c.intake_date,
            committedWorkdays: c.committed_workdays,
            pauseOnWait: true,
            waitingWorkdays: Number(f.waiting_workdays),
          });
          f.due_date = due.dueDate;
          f.due_estimated = due.estimated ? 1 : 0;
        }
        break;
      }
      case 'decide':
        if (!t.decision) throw new AppError('invalid_input', '请选择办理结果（准予或不予）');
        f.decision = t.decision;
        f.decision_date = date;
        f.decision_note = t.note;
        break;
      case 'deliver':
        if (!t.deliveryMethod) throw new AppError('invalid_input', '请选择送达方式');
        if (c.decision_date && date < c.decision_date) throw new AppError('invalid_input', '送达日期不能早于办结日期');
        f.delivery_method = t.deliveryMethod;
        f.delivered_at = date;
        f.delivered_to = t.deliveredTo ?? '';
        break;
      case 'archive':
        f.archived_at = date;
        break;
      case 'withdraw':
        if (!t.reason) throw new AppError('invalid_input', '请填写撤回原因');
        f.withdrawn_at = date;
        f.withdraw_reason = t.reason;
        break;
    }
    f.updated_at = reg.nowIso();
    f.updated_by = agentId;
    reg.writer.apply(
      {
        table: 'cases',
        id: c.id,
        op: 'update',
        fields: f,
        action: `case.${t.action}`,
        caseId: c.id,
        note: t.reason ?? t.note,
        eventData: { from: c.status, to: step.to, date, handedTo: t.handedTo, decision: t.decision, deliveryMethod: t.deliveryMethod },
      },
      agentId,
    );
  });
}

export function updateMaterial(
  reg: Register,
  u: { caseId: string; materialId: string; state?: MaterialState; promisedDate?: string | null; custody?: CustodyState },
  agentId: string,
): void {
  reg.tx(() => {
    const m = reg.db.prepare(`SELECT * FROM case_materials WHERE id = ? AND case_id = ?`).get(u.materialId, u.caseId) as
      | { name: string; state: MaterialState; can_defer: number; promised_date: string | null; custody: CustodyState; received_at: string | null }
      | undefined;
    if (!m) throw new AppError('not_found', '找不到这份材料');
    const f: Record<string, SqlValue> = {};
    if (u.state && u.state !== m.state) {
      if (u.state === 'deferred' && !m.can_defer) throw new AppError('invalid_input', `“${m.name}”不属于容缺材料，不能后补`);
      f.state = u.state;
      if (RECEIVED.includes(u.state) && !m.received_at) f.received_at = reg.nowIso();
      if (u.state !== 'deferred') f.promised_date = null;
    }
    if (u.promisedDate !== undefined && (u.state ?? m.state) === 'deferred') f.promised_date = u.promisedDate;
    if ((u.state ?? m.state) === 'deferred' && !(f.promised_date ?? m.promised_date) && u.promisedDate === undefined) {
      throw new AppError('invalid_input', '容缺后补的材料需要填写承诺补交日期');
    }
    if (u.custody && u.custody !== m.custody) f.custody = u.custody;
    if (!Object.keys(f).length) return;
    f.updated_at = reg.nowIso();
    f.updated_by = agentId;
    reg.writer.apply(
      {
        table: 'case_materials',
        id: u.materialId,
        op: 'update',
        fields: f,
        action: 'material.update',
        caseId: u.caseId,
        eventData: { material: m.name, from: m.state, to: f.state ?? m.state, custody: f.custody },
      },
      agentId,
    );
  });
}

/** After a new holiday table arrives, open cases' due dates follow the calendar now in force. */
export function recomputeDueDates(reg: Register): number {
  const rows = reg.db
    .prepare(`SELECT id, intake_date, committed_workdays, pause_on_wait, waiting_workdays, due_date, due_estimated FROM cases WHERE status IN (${OPEN_STATUSES.map(() => '?').join(',')})`)
    .all(...OPEN_STATUSES) as {
    id: string;
    intake_date: string;
    committed_workdays: number;
    pause_on_wait: number;
    waiting_workdays: number;
    due_date: string;
    due_estimated: number;
  }[];
  // LOCAL-ONLY, on purpose outside the ChangeWriter: due_date/due_estimated are a cache of the
  // calendar in force, not a change anyone made. Every laptop and the county recompute them with the
  // same rule when a holiday table arrives; sending them would make every laptop of a point re-upload
  // every open case at each new calendar. Doctor's outbox-replay check skips these two columns.
  const upd = reg.db.prepare(`UPDATE cases SET due_date = ?, due_estimated = ? WHERE id = ?`);
  let changed = 0;
  reg.tx(() => {
    for (const r of rows) {
      const d = computeDueDate(reg.calendar, {
        intakeDate: r.intake_date,
        committedWorkdays: r.committed_workdays,
        pauseOnWait: r.pause_on_wait === 1,
        waitingWorkdays: r.waiting_workdays,
      });
      if (d.dueDate !== r.due_date || (d.estimated ? 1 : 0) !== r.due_estimated) {
        upd.run(d.dueDate, d.estimated ? 1 : 0, r.id);
        changed++;
      }
    }
  });
  return changed;
}

// ---- reading ----

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

export type CaseSearch = {
  q: string;
  status?: CaseStatus[];
  itemCode?: string;
  agentId?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  dueSoon?: boolean;
  offset: number;
  limit: number;
};

export function caseSearchWhere(reg: Register, s: CaseSearch): { where: string; params: SqlValue[] } {
  const today = reg.today();
  const conds: string[] = [];
  const params: SqlValue[] = [];
  const q = s.q.trim();
  if (q) {
    if (/^\d{12}-/.test(q) || /^\d{20,}/.test(q)) {
      const norm = q.replace(/-/g, '');
      const withDashes = norm.length >= 12 ? `${norm.slice(0, 12)}-${norm.slice(12, 20)}${norm.length > 20 ? '-' + norm.slice(20) : ''}` : q;
      conds.push(`c.case_no >= ? AND c.case_no < ? || '~'`);
      params.push(withDashes, withDashes);
    } else {
      const m = applicantMatch(q, today);
      // Chinese text may also name an item: match it through the catalog's codes (indexed), not by scanning cases.
      const itemCodes =
        /^[\u3400-\u9fff]+$/.test(q) && q.length >= 2
          ? (reg.db.prepare(`SELECT code FROM catalog_items WHERE instr(name, ?) > 0`).all(q) as { code: string }[]).map((r) => r.code)
          : [];
      if (m) {
        const items = itemCodes.length ? ` OR c.item_code IN (${itemCodes.map(() => '?').join(',')})` : '';
        conds.push(`(c.applicant_id IN (SELECT a.id FROM applicants a WHERE ${m.sql})${items})`);
        params.push(...m.params, ...itemCodes);
      }
    }
  }
  if (s.status?.length) {
    conds.push(`c.status IN (${s.status.map(() => '?').join(',')})`);
    params.push(...s.status);
  }
  if (s.itemCode) {
    // With a deadline filter the (status, due_date) index is the selective one; '+' keeps the planner off cases_item.
    conds.push(s.overdue || s.dueSoon ? `+c.item_code = ?` : `c.item_code = ?`);
    params.push(s.itemCode);
  }
  if (s.agentId) {
    conds.push(`c.agent_id = ?`);
    params.push(s.agentId);
  }
  if (s.from) {
    conds.push(`c.intake_date >= ?`);
    params.push(s.from);
  }
  if (s.to) {
    conds.push(`c.intake_date <= ?`);
    params.push(s.to);
  }
  const open = `c.status IN (${OPEN_STATUSES.map((x) => `'${x}'`).join(',')})`;
  if (s.overdue && s.dueSoon) {
    conds.push(`${open} AND c.due_date <= ?`);
    params.push(dueSoonHorizon(reg.calendar, today));
  } else if (s.overdue) {
    conds.push(`${open} AND c.due_date < ?`);
    params.push(today);
  } else if (s.dueSoon) {
    conds.push(`${open} AND c.due_date >= ? AND c.due_date <= ?`);
    params.push(today, dueSoonHorizon(reg.calendar, today));
  }
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

export function searchCases(reg: Register, s: CaseSearch): Page<CaseRow> {
  const today = reg.today();
  const { where, params } = caseSearchWhere(reg, s);
  const total = (reg.db.prepare(`SELECT COUNT(*) AS n FROM cases c ${where}`).get(...params) as { n: number }).n;
  const order = s.overdue || s.dueSoon ? 'c.due_date ASC, c.case_no' : 'c.intake_date DESC, c.case_no DESC';
  const rows = reg.db.prepare(`${CASE_ROW_SELECT} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, s.limit, s.offset) as CaseRowDb[];
  return { total, rows: rows.map((r) => toCaseRow(reg, r, today)) };
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
    materials,
    followups,
    rectifications: listRectifications(reg, 'WHERE r.case_id = ?', [id]),
    timeline,
    allowedActions: allowedActions(c.status),
    feedbackDue: owesFeedback(c.status, hasFeedback) ? feedbackDueDate(c.intake_date) : null,
    returnVisitDue: owesReturnVisit(c.status, hasReturn) && c.decision_date ? returnVisitDueDate(c.decision_date) : null,
    createdAt: c.created_at,
    createdByName: agentName(reg, c.created_by),
  };
}

