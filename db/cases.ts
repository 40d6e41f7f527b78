// Writing cases: intake, status transitions, materials, and due dates after a calendar change.
// Reads (lists, search, detail) are in ./caseQueries.
import type { Register } from './register';
import { uuidv7 } from '../domain/ids';
import { formatCaseNumber } from '../domain/caseNumber';
import { nextStatus, OPEN_STATUSES, type CaseAction, type CaseStatus } from '../domain/caseStatus';
import { computeDueDate } from '../domain/deadlines';
import type { CustodyState, Decision, DeliveryMethod, HandlingMode, MaterialState } from '../domain/vocab';
import { AppError } from '../domain/errors';
import { getApplicantRow, upsertApplicant, type ApplicantInput } from './applicants';
import { getCatalogItem } from './catalog';
import { chinaInstant } from './clock';
import type { ChangeSpec, SqlValue } from './changes';
import type { WorkCalendar } from '../domain/workCalendar';
import { archiveOpenItems, getCaseDbRow, villageCode, type CaseDbRow } from './caseQueries';
import { archiveBlocker } from '../domain/archiveRule';
import { pointSince } from './point';
import { assertDate, backfillNeedsConfirmation, checkPromisedDate, checkRecordDate, checkStepDate, type EarlierStep } from '../domain/dateBounds';

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
  /** The agent confirmed a 补录 受理日期 older than the 补录 window (recorded in the history). */
  backfillConfirmed?: boolean;
  materials: MaterialInput[];
  note: string;
  refuse?: { reason: string };
  visitId?: string;
};

const RECEIVED: readonly MaterialState[] = ['original', 'copy', 'both'];

/** 容缺受理 rules: a missing required material must be deferrable and carry a sane promised date. */
function checkMaterials(materials: MaterialInput[], intakeDate: string, today: string): void {
  for (const m of materials) {
    if (m.state === 'deferred') {
      if (!m.deferrable) throw new AppError('invalid_input', `“${m.name}”不属于容缺材料，不能后补，请收齐后再受理`);
      assertDate(checkPromisedDate(m.promisedDate, { today, intakeDate, materialName: m.name, backfillIntake: intakeDate < today }));
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

export function createCase(reg: Register, input: CreateCaseInput, agentId: string): string {
  const today = reg.today();
  const intakeDate = input.intakeDate ?? today;
  assertDate(checkRecordDate('受理日期', intakeDate, { today, pointSince: pointSince(reg), backfillConfirmed: input.backfillConfirmed }));
  const item = getCatalogItem(reg, input.itemCode);
  if (!input.refuse) checkMaterials(input.materials, intakeDate, today);
  const backfilled = intakeDate < today;
  const confirmed = backfillNeedsConfirmation(intakeDate, today);
  const code = villageCode(reg);

  return reg.tx(() => {
    const id = uuidv7(reg.clock.nowMs());
    const applicantId = upsertApplicant(reg, input.applicant, agentId, id);
    // The name and phone as at intake: this case's prints keep them whatever the record says later.
    const atIntake = getApplicantRow(reg, applicantId);
    const due = computeDueDate(reg.calendar, {
      intakeDate,
      committedWorkdays: item.committedWorkdays,
      pauseOnWait: item.pauseOnWait,
      waitingWorkdays: 0,
    });
    const now = reg.nowIso();
    const caseNo = nextCaseNo(reg, code, intakeDate);
    reg.writer.apply(
      newCaseSpec({
        id,
        caseNo,
        applicantId,
        atIntake: { name: atIntake.name, phone: atIntake.phone },
        item,
        handlingMode: input.handlingMode,
        intakeDate,
        backfilled,
        backfillConfirmed: confirmed,
        due,
        refusalReason: input.refuse?.reason ?? null,
        visitId: input.visitId ?? null,
        note: input.note,
        now,
        agentId,
      }),
      agentId,
    );
    input.materials.forEach((m, i) => {
      reg.writer.apply(newMaterialSpec({ id: uuidv7(reg.clock.nowMs()), caseId: id, position: i + 1, material: m, now, agentId }), agentId);
    });
    return id;
  });
}

const STEP_DATE_LABELS: Record<CaseAction, string> = {
  handUp: '报送日期',
  returnForCorrection: '退回日期',
  resubmit: '重新报送日期',
  decide: '办结日期',
  deliver: '送达日期',
  archive: '归档日期',
  withdraw: '撤回日期',
};

/** The dates a step's own date may not precede. */
function stepsBefore(c: CaseDbRow, action: CaseAction): EarlierStep[] {
  const intake = { label: '受理日期', date: c.intake_date };
  switch (action) {
    case 'returnForCorrection':
      return [intake, { label: '报送日期', date: c.handed_at }];
    case 'resubmit':
      return [intake, { label: '退回日期', date: c.returned_at }];
    case 'decide':
      return [intake, { label: '报送日期', date: c.handed_at }];
    case 'deliver':
      return [intake, { label: '办结日期', date: c.decision_date }];
    case 'archive':
      return [intake, { label: '办结日期', date: c.decision_date }, { label: '送达日期', date: c.delivered_at }];
    default:
      return [intake];
  }
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
    assertDate(checkStepDate(STEP_DATE_LABELS[t.action], date, today, stepsBefore(c, t.action)));
    if (t.action === 'archive') {
      const blocker = archiveBlocker(archiveOpenItems(reg, c.id));
      if (blocker) throw new AppError('refused', blocker);
    }
    reg.writer.apply(
      transitionSpec({
        c: {
          id: c.id,
          status: c.status,
          intakeDate: c.intake_date,
          committedWorkdays: c.committed_workdays,
          pauseOnWait: c.pause_on_wait === 1,
          waitingWorkdays: c.waiting_workdays,
          returnedAt: c.returned_at,
        },
        to: step.to,
        t: { ...t, date },
        calendar: reg.calendar,
        now: reg.nowIso(),
        agentId,
      }),
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
    const deferred = (u.state ?? m.state) === 'deferred';
    if (u.promisedDate !== undefined && deferred && u.promisedDate !== m.promised_date) {
      // A changed promise is a new promise: from today on (never silently blanked or back-dated).
      const intake = (reg.db.prepare(`SELECT intake_date FROM cases WHERE id = ?`).get(u.caseId) as { intake_date: string }).intake_date;
      assertDate(checkPromisedDate(u.promisedDate, { today: reg.today(), intakeDate: intake, materialName: m.name }));
      f.promised_date = u.promisedDate;
    }
    if (deferred && !(u.promisedDate !== undefined ? u.promisedDate : m.promised_date)) {
      throw new AppError('invalid_input', `“${m.name}”容缺后补，需要填写承诺补交日期`);
    }
    if (u.custody && u.custody !== m.custody) f.custody = u.custody;
    if (!Object.keys(f).length) return;
    reg.writer.apply(materialUpdateSpec({ caseId: u.caseId, materialId: u.materialId, name: m.name, from: m.state, fields: f, now: reg.nowIso(), agentId }), agentId);
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


// Row builders: the changes above, and the demo seed (db/seed.ts), build their rows here, so a column
// added to a table is added in one place.

/** A new case (accepted, or 不予受理 with a refusal reason), dated `intakeDate`. */
export function newCaseSpec(a: {
  id: string;
  caseNo: string;
  applicantId: string;
  /** The applicant's name and phone at intake: the case's prints keep them. */
  atIntake: { name: string; phone: string };
  item: { code: string; name: string; committedWorkdays: number; pauseOnWait: boolean };
  handlingMode: HandlingMode;
  intakeDate: string;
  backfilled: boolean;
  /** A 补录 beyond the window, confirmed against the paper record (said in the history). */
  backfillConfirmed: boolean;
  due: { dueDate: string; estimated: boolean };
  refusalReason: string | null;
  visitId: string | null;
  note: string;
  now: string;
  agentId: string;
}): ChangeSpec {
  const status: CaseStatus = a.refusalReason !== null ? 'refusedIntake' : 'accepted';
  return {
    table: 'cases',
    id: a.id,
    op: 'insert',
    fields: {
      case_no: a.caseNo,
      applicant_id: a.applicantId,
      intake_applicant_name: a.atIntake.name,
      intake_applicant_phone: a.atIntake.phone,
      item_code: a.item.code,
      item_name: a.item.name,
      status,
      handling_mode: a.handlingMode,
      intake_date: a.intakeDate,
      intake_at: a.backfilled ? chinaInstant(a.intakeDate, '09:00') : a.now,
      backfilled: a.backfilled ? 1 : 0,
      committed_workdays: a.item.committedWorkdays,
      pause_on_wait: a.item.pauseOnWait ? 1 : 0,
      waiting_workdays: 0,
      due_date: a.due.dueDate,
      due_estimated: a.due.estimated ? 1 : 0,
      agent_id: a.agentId,
      refusal_reason: a.refusalReason ?? '',
      visit_id: a.visitId,
      note: a.note,
      created_at: a.now,
      created_by: a.agentId,
      updated_at: a.now,
      updated_by: a.agentId,
    },
    action: a.refusalReason !== null ? 'case.refuseIntake' : a.backfilled ? 'case.createBackfilled' : 'case.create',
    caseId: a.id,
    note:
      a.refusalReason ??
      (a.backfilled ? `补录：实际受理日期 ${a.intakeDate}${a.backfillConfirmed ? '（超过补录期限，代办员已对照纸质记录确认）' : ''}` : ''),
    eventData: { caseNo: a.caseNo, item: a.item.name, ...(a.backfillConfirmed ? { backfillConfirmed: true } : {}) },
  };
}

/** One material of a new case's checklist, at `position` (1-based). */
export function newMaterialSpec(a: { id: string; caseId: string; position: number; material: MaterialInput; now: string; agentId: string }): ChangeSpec {
  const m = a.material;
  return {
    table: 'case_materials',
    id: a.id,
    op: 'insert',
    fields: {
      case_id: a.caseId,
      position: a.position,
      name: m.name,
      form: m.form,
      copies: m.copies,
      required: m.required ? 1 : 0,
      can_defer: m.deferrable ? 1 : 0,
      state: m.state,
      promised_date: m.state === 'deferred' ? (m.promisedDate ?? null) : null,
      received_at: RECEIVED.includes(m.state) ? a.now : null,
      custody: m.custody,
      updated_at: a.now,
      updated_by: a.agentId,
    },
    action: 'material.create',
    caseId: a.caseId,
  };
}

/**
 * A step of a case (报送, 退回补正, 重新报送, 办结, 送达, 归档, 撤回) to status `to` on `t.date`: the
 * columns the step sets. 重新报送 adds the working days spent waiting for the applicant and, when the
 * item pauses its clock meanwhile, moves the due date by them.
 */
export function transitionSpec(a: {
  c: { id: string; status: CaseStatus; intakeDate: string; committedWorkdays: number; pauseOnWait: boolean; waitingWorkdays: number; returnedAt: string | null };
  to: CaseStatus;
  t: Omit<TransitionInput, 'id' | 'date'> & { date: string };
  calendar: WorkCalendar;
  now: string;
  agentId: string;
}): ChangeSpec {
  const { c, t } = a;
  const date = t.date;
  const f: Record<string, SqlValue> = { status: a.to };
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
      const waited = c.returnedAt ? a.calendar.workdaysBetween(c.returnedAt, date) : 0;
      f.waiting_workdays = c.waitingWorkdays + waited;
      f.returned_at = null;
      f.handed_at = date;
      if (c.pauseOnWait) {
        const due = computeDueDate(a.calendar, {
          intakeDate: c.intakeDate,
          committedWorkdays: c.committedWorkdays,
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
  f.updated_at = a.now;
  f.updated_by = a.agentId;
  return {
    table: 'cases',
    id: c.id,
    op: 'update',
    fields: f,
    action: `case.${t.action}`,
    caseId: c.id,
    note: t.reason ?? t.note,
    eventData: { from: c.status, to: a.to, date, handedTo: t.handedTo, decision: t.decision, deliveryMethod: t.deliveryMethod },
  };
}

/** A change to one material (state, promised date, custody): only the changed columns. */
export function materialUpdateSpec(a: {
  caseId: string;
  materialId: string;
  name: string;
  from: MaterialState;
  fields: Record<string, SqlValue>;
  now: string;
  agentId: string;
}): ChangeSpec {
  return {
    table: 'case_materials',
    id: a.materialId,
    op: 'update',
    fields: { ...a.fields, updated_at: a.now, updated_by: a.agentId },
    action: 'material.update',
    caseId: a.caseId,
    eventData: { material: a.name, from: a.from, to: a.fields.state ?? a.from, custody: a.fields.custody },
  };
}
