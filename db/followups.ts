import type { Register } from './register';
import { uuidv7 } from '../domain/ids';
import { isPoorRating, type FollowupKind, type FollowupMethod, type Rating } from '../domain/vocab';
import { RECTIFICATION_WORKDAYS } from '../domain/deadlines';
import { AppError } from '../domain/errors';
import { chinaInstant } from './clock';
import { assertDate, checkStepDate } from '../domain/dateBounds';
import type { ChangeSpec } from './changes';

export type FollowupInput = {
  caseId: string;
  kind: FollowupKind;
  method: FollowupMethod;
  reached: boolean;
  rating?: Rating | null;
  efficiency?: Rating | null;
  serviceLevel?: Rating | null;
  attitude?: Rating | null;
  comment: string;
  date?: string;
};

/**
 * Records a feedback call or return visit. A late entry (work done on paper after the window
 * closed) is always accepted with its real date. A 差评 opens a rectification due in 15 working days.
 */
export function recordFollowup(reg: Register, f: FollowupInput, agentId: string): void {
  reg.tx(() => {
    const c = reg.db.prepare(`SELECT id, status, intake_date, decision_date FROM cases WHERE id = ?`).get(f.caseId) as
      | { id: string; status: string; intake_date: string; decision_date: string | null }
      | undefined;
    if (!c) throw new AppError('not_found', '找不到这件代办件');
    if (c.status === 'refusedIntake') throw new AppError('refused', '不予受理的申请不需要回访');
    const today = reg.today();
    const date = f.date ?? today;
    const after = [{ label: '受理日期', date: c.intake_date }, ...(f.kind === 'returnVisit' ? [{ label: '办结日期', date: c.decision_date }] : [])];
    assertDate(checkStepDate('回访日期', date, today, after));
    if (!f.reached && f.rating) throw new AppError('invalid_input', '未联系上申请人时不能登记满意度');
    if (f.kind === 'returnVisit' && f.reached && !f.rating) throw new AppError('invalid_input', '办结回访联系上申请人时，请登记好差评等级');
    const id = uuidv7(reg.clock.nowMs());
    const now = reg.nowIso();
    reg.writer.apply(followupSpec({ id, followup: f, date, today, now, agentId }), agentId);
    if (f.rating && isPoorRating(f.rating)) {
      const due = reg.calendar.addWorkdays(date, RECTIFICATION_WORKDAYS).date;
      reg.writer.apply(rectificationOpenSpec({ id: uuidv7(reg.clock.nowMs()), caseId: f.caseId, followupId: id, date, due, now, agentId }), agentId);
    }
  });
}

export function closeRectification(reg: Register, id: string, actionNote: string, date: string | undefined, agentId: string): string {
  return reg.tx(() => {
    const r = reg.db.prepare(`SELECT case_id, status, opened_date FROM rectifications WHERE id = ?`).get(id) as
      | { case_id: string; status: string; opened_date: string }
      | undefined;
    if (!r) throw new AppError('not_found', '找不到这条整改');
    if (r.status === 'closed') throw new AppError('refused', '这条整改已经完成');
    const d = date ?? reg.today();
    assertDate(checkStepDate('整改完成日期', d, reg.today(), [{ label: '差评日期', date: r.opened_date }]));
    reg.writer.apply(rectificationCloseSpec({ id, caseId: r.case_id, actionNote, date: d, now: reg.nowIso(), agentId }), agentId);
    return r.case_id;
  });
}

// Row builders: the changes above, and the demo seed (db/seed.ts), build their rows here, so a column
// added to a table is added in one place.

/** A new feedback call or return visit, dated `date` (recorded today or, later, on paper's date). */
export function followupSpec(a: {
  id: string;
  followup: Omit<FollowupInput, 'date'>;
  date: string;
  today: string;
  now: string;
  agentId: string;
}): ChangeSpec {
  const f = a.followup;
  return {
    table: 'followups',
    id: a.id,
    op: 'insert',
    fields: {
      case_id: f.caseId,
      kind: f.kind,
      method: f.method,
      reached: f.reached ? 1 : 0,
      rating: f.rating ?? null,
      efficiency: f.efficiency ?? null,
      service_level: f.serviceLevel ?? null,
      attitude: f.attitude ?? null,
      comment: f.comment,
      followed_at: a.date === a.today ? a.now : chinaInstant(a.date, '12:00'),
      follow_date: a.date,
      backfilled: a.date < a.today ? 1 : 0,
      agent_id: a.agentId,
      created_at: a.now,
      created_by: a.agentId,
    },
    action: 'followup.create',
    caseId: f.caseId,
    note: f.comment,
    eventData: { kind: f.kind, reached: f.reached, rating: f.rating ?? null },
  };
}

/** The rectification a 差评 opens, due `due`. */
export function rectificationOpenSpec(a: { id: string; caseId: string; followupId: string; date: string; due: string; now: string; agentId: string }): ChangeSpec {
  return {
    table: 'rectifications',
    id: a.id,
    op: 'insert',
    fields: {
      case_id: a.caseId,
      followup_id: a.followupId,
      opened_date: a.date,
      due_date: a.due,
      status: 'open',
      action_note: '',
      closed_date: null,
      closed_by: null,
      created_at: a.now,
      created_by: a.agentId,
      updated_at: a.now,
      updated_by: a.agentId,
    },
    action: 'rectification.open',
    caseId: a.caseId,
    note: `差评整改，限 ${a.due} 前完成`,
  };
}

export function rectificationCloseSpec(a: { id: string; caseId: string; actionNote: string; date: string; now: string; agentId: string }): ChangeSpec {
  return {
    table: 'rectifications',
    id: a.id,
    op: 'update',
    fields: { status: 'closed', action_note: a.actionNote, closed_date: a.date, closed_by: a.agentId, updated_at: a.now, updated_by: a.agentId },
    action: 'rectification.close',
    caseId: a.caseId,
    note: a.actionNote,
  };
}
