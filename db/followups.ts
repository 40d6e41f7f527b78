import type { Register } from './register';
import { uuidv7 } from '../domain/ids';
import { isPoorRating, type FollowupKind, type FollowupMethod, type Rating } from '../domain/vocab';
import { RECTIFICATION_WORKDAYS } from '../domain/deadlines';
import { AppError } from '../domain/errors';
import { chinaInstant } from './clock';
import { assertDate, checkStepDate } from '../domain/dateBounds';

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
    reg.writer.apply(
      {
        table: 'followups',
        id,
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
          followed_at: date === today ? now : chinaInstant(date, '12:00'),
          follow_date: date,
          backfilled: date < today ? 1 : 0,
          agent_id: agentId,
          created_at: now,
          created_by: agentId,
        },
        action: 'followup.create',
        caseId: f.caseId,
        note: f.comment,
        eventData: { kind: f.kind, reached: f.reached, rating: f.rating ?? null },
      },
      agentId,
    );
    if (f.rating && isPoorRating(f.rating)) {
      const due = reg.calendar.addWorkdays(date, RECTIFICATION_WORKDAYS).date;
      reg.writer.apply(
        {
          table: 'rectifications',
          id: uuidv7(reg.clock.nowMs()),
          op: 'insert',
          fields: {
            case_id: f.caseId,
            followup_id: id,
            opened_date: date,
            due_date: due,
            status: 'open',
            action_note: '',
            closed_date: null,
            closed_by: null,
            created_at: now,
            created_by: agentId,
            updated_at: now,
            updated_by: agentId,
          },
          action: 'rectification.open',
          caseId: f.caseId,
          note: `差评整改，限 ${due} 前完成`,
        },
        agentId,
      );
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
    reg.writer.apply(
      {
        table: 'rectifications',
        id,
        op: 'update',
        fields: { status: 'closed', action_note: actionNote, closed_date: d, closed_by: agentId, updated_at: reg.nowIso(), updated_by: agentId },
        action: 'rectification.close',
        caseId: r.case_id,
        note: actionNote,
      },
      agentId,
    );
    return r.case_id;
  });
}
