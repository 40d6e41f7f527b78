import type { Register } from './register';
import { uuidv7 } from '../domain/ids';
import { pinyinKeys } from '../domain/pinyin';
import { parsePhone } from '../domain/phone';
import { maskPhone } from '../domain/mask';
import type { VisitCategory, VisitChannel, VisitHandling } from '../domain/vocab';
import { AppError } from '../domain/errors';
import type { Page, Visit } from '../domain/records';
import { chinaInstant, chinaTime } from './clock';
import type { SqlValue } from './changes';
import { assertDate, backfillNeedsConfirmation, checkRecordDate, checkStepDate } from '../domain/dateBounds';
import { pointSince } from './point';

export type VisitInput = {
  visitDate?: string;
  /** The agent confirmed a 补录 来访日期 older than the 补录 window (recorded in the history). */
  backfillConfirmed?: boolean;
  visitTime?: string;
  visitorName: string;
  visitorPhone: string;
  visitorCount: number;
  channel: VisitChannel;
  category: VisitCategory;
  summary: string;
  handling: VisitHandling;
  transferredTo: string;
  outcome: string;
  settledDate?: string | null;
};

type VisitRow = {
  id: string;
  visited_at: string;
  visit_date: string;
  backfilled: number;
  visitor_name: string;
  visitor_phone: string;
  visitor_count: number;
  channel: VisitChannel;
  category: VisitCategory;
  summary: string;
  handling: VisitHandling;
  transferred_to: string;
  outcome: string;
  settled_date: string | null;
  case_id: string | null;
  case_no: string | null;
  agent_name: string;
};

const VISIT_SELECT = `SELECT v.*, c.case_no, g.name AS agent_name FROM visits v
  LEFT JOIN cases c ON c.id = v.case_id JOIN agents g ON g.id = v.agent_id`;

function toVisit(r: VisitRow): Visit {
  return {
    id: r.id,
    visitedAt: r.visited_at,
    visitDate: r.visit_date,
    backfilled: r.backfilled === 1,
    visitorName: r.visitor_name,
    visitorPhoneMasked: maskPhone(r.visitor_phone),
    visitorCount: r.visitor_count,
    channel: r.channel,
    category: r.category,
    summary: r.summary,
    handling: r.handling,
    transferredTo: r.transferred_to,
    outcome: r.outcome,
    settledDate: r.settled_date,
    caseId: r.case_id,
    caseNo: r.case_no,
    agentName: r.agent_name,
  };
}

export function getVisit(reg: Register, id: string): Visit {
  const r = reg.db.prepare(`${VISIT_SELECT} WHERE v.id = ?`).get(id) as VisitRow | undefined;
  if (!r) throw new AppError('not_found', '找不到这条来访登记');
  return toVisit(r);
}

export function createVisit(reg: Register, v: VisitInput, agentId: string): string {
  const today = reg.today();
  const date = v.visitDate ?? today;
  assertDate(checkRecordDate('来访日期', date, { today, pointSince: pointSince(reg), backfillConfirmed: v.backfillConfirmed }));
  if (v.settledDate) assertDate(checkStepDate('息访日期', v.settledDate, today, [{ label: '来访日期', date }]));
  const confirmed = backfillNeedsConfirmation(date, today);
  let phone = '';
  if (v.visitorPhone) {
    const p = parsePhone(v.visitorPhone);
    if (!p.ok) throw new AppError('invalid_input', p.error);
    phone = p.value.phone;
  }
  if (v.handling === 'transferred' && !v.transferredTo) throw new AppError('invalid_input', '处理方式为转办时，请填写转办单位');
  const nowMs = reg.clock.nowMs();
  const visitedAt = v.visitTime ? chinaInstant(date, v.visitTime) : date === today ? new Date(nowMs).toISOString() : chinaInstant(date, '09:00');
  const k = pinyinKeys(v.visitorName);
  const id = uuidv7(nowMs);
  const now = reg.nowIso();
  reg.tx(() =>
    reg.writer.apply(
      {
        table: 'visits',
        id,
        op: 'insert',
        fields: {
          visited_at: visitedAt,
          visit_date: date,
          backfilled: date < today ? 1 : 0,
          visitor_name: v.visitorName,
          name_pinyin: k.full,
          name_initials: k.initials,
          visitor_phone: phone,
          applicant_id: null,
          visitor_count: v.visitorCount,
          channel: v.channel,
          category: v.category,
          summary: v.summary,
          handling: v.handling,
          transferred_to: v.transferredTo,
          outcome: v.outcome,
          settled_date: v.settledDate ?? null,
          case_id: null,
          agent_id: agentId,
          created_at: now,
          created_by: agentId,
          updated_at: now,
          updated_by: agentId,
        },
        action: 'visit.create',
        note: confirmed ? `补录：实际来访日期 ${date}（超过补录期限，代办员已对照纸质记录确认）` : '',
        eventData: confirmed ? { backfillConfirmed: true } : undefined,
      },
      agentId,
    ),
  );
  return id;
}

export function updateVisit(
  reg: Register,
  u: { id: string; handling?: VisitHandling; transferredTo?: string; outcome?: string; settledDate?: string | null },
  agentId: string,
): void {
  reg.tx(() => {
    const cur = reg.db.prepare(`SELECT * FROM visits WHERE id = ?`).get(u.id) as VisitRow | undefined;
    if (!cur) throw new AppError('not_found', '找不到这条来访登记');
    const f: Record<string, SqlValue> = {};
    if (u.handling !== undefined && u.handling !== cur.handling) f.handling = u.handling;
    if (u.transferredTo !== undefined && u.transferredTo !== cur.transferred_to) f.transferred_to = u.transferredTo;
    if (u.outcome !== undefined && u.outcome !== cur.outcome) f.outcome = u.outcome;
    if (u.settledDate !== undefined && u.settledDate !== cur.settled_date) {
      if (u.settledDate) assertDate(checkStepDate('息访日期', u.settledDate, reg.today(), [{ label: '来访日期', date: cur.visit_date }]));
      f.settled_date = u.settledDate;
    }
    if (!Object.keys(f).length) return;
    reg.writer.apply(
      { table: 'visits', id: u.id, op: 'update', fields: { ...f, updated_at: reg.nowIso(), updated_by: agentId }, action: 'visit.update', note: u.outcome ?? '' },
      agentId,
    );
  });
}

/** Inside the case-creating transaction: link both ways so each screen shows the other. */
export function linkVisitToCase(reg: Register, visitId: string, caseId: string, agentId: string): void {
  const cur = reg.db.prepare(`SELECT case_id FROM visits WHERE id = ?`).get(visitId) as { case_id: string | null } | undefined;
  if (!cur) throw new AppError('not_found', '找不到这条来访登记');
  if (cur.case_id) throw new AppError('conflict', '这条来访已经转为代办件');
  reg.writer.apply(
    {
      table: 'visits',
      id: visitId,
      op: 'update',
      fields: { case_id: caseId, handling: 'toCase', updated_at: reg.nowIso(), updated_by: agentId },
      action: 'visit.toCase',
      caseId,
    },
    agentId,
  );
}

export function searchVisits(
  reg: Register,
  s: { q: string; from?: string; to?: string; category?: VisitCategory; unsettled?: boolean; offset: number; limit: number },
): Page<Visit> {
  const conds: string[] = [];
  const params: SqlValue[] = [];
  const q = s.q.trim().replace(/\s+/g, '');
  if (q) {
    if (/^[a-zA-Z]+$/.test(q)) {
      const l = q.toLowerCase();
      conds.push(`((v.name_initials >= ? AND v.name_initials < ? || '~') OR (v.name_pinyin >= ? AND v.name_pinyin < ? || '~'))`);
      params.push(l, l, l, l);
    } else if (/^\d{4,11}$/.test(q)) {
      conds.push(`substr(replace(v.visitor_phone, '-', ''), -?) = ?`);
      params.push(q.length, q);
    } else {
      conds.push(`(instr(v.visitor_name, ?) > 0 OR instr(v.summary, ?) > 0)`);
      params.push(q, q);
    }
  }
  if (s.from) {
    conds.push(`v.visit_date >= ?`);
    params.push(s.from);
  }
  if (s.to) {
    conds.push(`v.visit_date <= ?`);
    params.push(s.to);
  }
  if (s.category) {
    conds.push(`v.category = ?`);
    params.push(s.category);
  }
  if (s.unsettled) conds.push(`v.settled_date IS NULL`);
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const total = (reg.db.prepare(`SELECT COUNT(*) AS n FROM visits v ${where}`).get(...params) as { n: number }).n;
  const rows = reg.db.prepare(`${VISIT_SELECT} ${where} ORDER BY v.visited_at DESC LIMIT ? OFFSET ?`).all(...params, s.limit, s.offset) as VisitRow[];
  return { total, rows: rows.map(toVisit) };
}

export function visitTime(v: Visit): string {
  return chinaTime(Date.parse(v.visitedAt));
}
