import type { Register } from './register';
import { uuidv7 } from '../domain/ids';
import { pinyinKeys } from '../domain/pinyin';
import { parsePhone } from '../domain/phone';
import { maskPhone } from '../domain/mask';
import type { VisitCategory, VisitChannel, VisitHandling } from '../domain/vocab';
import { AppError } from '../domain/errors';
import type { Page, Visit } from '../domain/records';
import { chinaInstant, chinaTime } from './clock';
import type { ChangeSpec, SqlValue } from './changes';
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
  const id = uuidv7(nowMs);
  const spec = visitSpec({
    id,
    visit: { ...v, visitorPhone: phone },
    date,
    visitedAt,
    today,
    now: reg.nowIso(),
    agentId,
    keys: pinyinKeys(v.visitorName),
    backfillConfirmed: confirmed,
  });
  reg.tx(() => reg.writer.apply(spec, agentId));
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
    reg.writer.apply(visitUpdateSpec({ id: u.id, fields: f, note: u.outcome ?? '', now: reg.nowIso(), agentId }), agentId);
  });
}

/** Inside the case-creating transaction: link both ways so each screen shows the other. */
export function linkVisitToCase(reg: Register, visitId: string, caseId: string, agentId: string): void {
  const cur = reg.db.prepare(`SELECT case_id FROM visits WHERE id = ?`).get(visitId) as { case_id: string | null } | undefined;
  if (!cur) throw new AppError('not_found', '找不到这条来访登记');
  if (cur.case_id) throw new AppError('conflict', '这条来访已经转为代办件');
  reg.writer.apply(visitToCaseSpec({ visitId, caseId, now: reg.nowIso(), agentId }), agentId);
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

// Row builders: the changes above, and the demo seed (db/seed.ts), build their rows here, so a column
// added to the table is added in one place.

/** A new visit; `visit.visitorPhone` already normalised, `keys` the visitor name's pinyin. */
export function visitSpec(a: {
  id: string;
  visit: Pick<VisitInput, 'visitorName' | 'visitorPhone' | 'visitorCount' | 'channel' | 'category' | 'summary' | 'handling' | 'transferredTo' | 'outcome' | 'settledDate'>;
  date: string;
  visitedAt: string;
  today: string;
  now: string;
  agentId: string;
  keys: { full: string; initials: string };
  backfillConfirmed: boolean;
}): ChangeSpec {
  const v = a.visit;
  return {
    table: 'visits',
    id: a.id,
    op: 'insert',
    fields: {
      visited_at: a.visitedAt,
      visit_date: a.date,
      backfilled: a.date < a.today ? 1 : 0,
      visitor_name: v.visitorName,
      name_pinyin: a.keys.full,
      name_initials: a.keys.initials,
      visitor_phone: v.visitorPhone ?? '',
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
      agent_id: a.agentId,
      created_at: a.now,
      created_by: a.agentId,
      updated_at: a.now,
      updated_by: a.agentId,
    },
    action: 'visit.create',
    note: a.backfillConfirmed ? `补录：实际来访日期 ${a.date}（超过补录期限，代办员已对照纸质记录确认）` : '',
    eventData: a.backfillConfirmed ? { backfillConfirmed: true } : undefined,
  };
}

/** Later handling of a visit (outcome, 息访 date, …): only the changed columns. */
export function visitUpdateSpec(a: { id: string; fields: Record<string, SqlValue>; note: string; now: string; agentId: string }): ChangeSpec {
  return { table: 'visits', id: a.id, op: 'update', fields: { ...a.fields, updated_at: a.now, updated_by: a.agentId }, action: 'visit.update', note: a.note };
}

export function visitToCaseSpec(a: { visitId: string; caseId: string; now: string; agentId: string }): ChangeSpec {
  return {
    table: 'visits',
    id: a.visitId,
    op: 'update',
    fields: { case_id: a.caseId, handling: 'toCase', updated_at: a.now, updated_by: a.agentId },
    action: 'visit.toCase',
    caseId: a.caseId,
  };
}
