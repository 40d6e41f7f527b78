// 全县台账: case search over every point with the village's search kinds and filters — the same
// builder as the village's (db/caseSearch.ts) with the county's scope, 督办 filter and name index —
// and the case page.
import { chinaDate } from '../../db/clock';
import type { NameMatch } from '../../db/applicants';
import type { SqlValue } from '../../db/changes';
import { caseSearchPage, type CaseSearchContext, type SqlPart } from '../../db/caseSearch';
import { isOpen, nextStatus, type CaseStatus } from '../../domain/caseStatus';
import { deadlineState } from '../../domain/deadlines';
import { EVENT_LABELS } from '../../domain/eventLabels';
import { decodeHlc } from '../../domain/hlc';
import { maskCreditCode, maskIdNumber, maskPhone } from '../../domain/mask';
import type { CustodyState, FollowupKind, FollowupMethod, HandlingMode, MaterialState, Rating } from '../../domain/vocab';
import type { County } from '../db';
import type { ConsoleParsed } from './contract';
import type { Scope } from './http';
import type { CountyCaseDetail, CountyCaseRow, Page, Supervision } from './types';

export const countyToday = (county: County) => chinaDate(county.clock.nowMs());

type Search = ConsoleParsed<'searchCases'>;

/** Applicants whose name contains `text`, through the county's 2-character name index (migration 007). */
export function countyNameMatch(text: string): NameMatch {
  const chars = [...text];
  // One character: every gram starting with it (a name's last character is kept as a 1-character gram).
  if (chars.length === 1) return { sql: `a.id IN (SELECT g.applicant_id FROM applicant_name_grams g WHERE g.gram >= ? AND g.gram < ?)`, params: [text, `${text}\u{10FFFF}`] };
  // Two characters: the gram is the match itself; longer text is checked against the name.
  if (chars.length === 2) return { sql: `a.id IN (SELECT g.applicant_id FROM applicant_name_grams g WHERE g.gram = ?)`, params: [text] };
  return {
    sql: `a.id IN (SELECT g.applicant_id FROM applicant_name_grams g WHERE g.gram = ?) AND instr(a.name, ?) > 0`,
    params: [chars.slice(0, 2).join(''), text],
  };
}

/** Pinyin initials or full pinyin starting with `lower`, read from the covering (…, id) indexes of migration 007. */
export function countyPinyinMatch(lower: string): NameMatch {
  return {
    sql: `a.id IN (SELECT id FROM applicants WHERE name_initials >= ? AND name_initials < ? || '~' UNION ALL SELECT id FROM applicants WHERE name_pinyin >= ? AND name_pinyin < ? || '~')`,
    params: [lower, lower, lower, lower],
  };
}

/** The village's search (db/caseSearch.ts) over the county, limited to a scope and optionally to open 督办. */
function searchContext(county: County, scope: Scope, supervised: boolean | undefined): CaseSearchContext {
  const extra: SqlPart[] = [];
  // A village is a range of its own in the point index; a township's newest cases are found faster by
  // walking the (intake_date, case_no, point_code) index newest first ('+' keeps the planner off the
  // point index, where a township's 20 villages would all be read and sorted).
  if (scope.pointCode) extra.push({ sql: `c.point_code = ?`, params: [scope.pointCode] });
  else if (scope.townshipCode) extra.push({ sql: `+c.point_code BETWEEN ? AND ?`, params: [`${scope.townshipCode}000`, `${scope.townshipCode}999`] });
  if (supervised) extra.push({ sql: `c.id IN (SELECT case_id FROM supervisions WHERE closed_at IS NULL)`, params: [] });
  return { db: county.db, today: countyToday(county), calendar: county.calendar, matchers: { name: countyNameMatch, pinyin: countyPinyinMatch }, extra };
}

const ROW_SELECT = `
  SELECT c.id, c.case_no, c.point_code, c.item_code, c.item_name, c.status, c.handling_mode, c.intake_date, c.due_date, c.decision_date,
         COALESCE(a.name, '') AS applicant_name, COALESCE(a.phone, '') AS applicant_phone, COALESCE(g.name, '') AS agent_name,
         COALESCE(p.village_name, '') AS village_name, COALESCE(p.township_name, '') AS township_name,
         EXISTS (SELECT 1 FROM supervisions s WHERE s.case_id = c.id AND s.closed_at IS NULL) AS supervised
  FROM cases c LEFT JOIN applicants a ON a.id = c.applicant_id LEFT JOIN agents g ON g.id = c.agent_id LEFT JOIN points p ON p.code = c.point_code`;

type RowDb = {
  id: string;
  case_no: string;
  point_code: string;
  item_code: string;
  item_name: string;
  status: CaseStatus;
  handling_mode: HandlingMode;
  intake_date: string;
  due_date: string;
  decision_date: string | null;
  applicant_name: string;
  applicant_phone: string;
  agent_name: string;
  village_name: string;
  township_name: string;
  supervised: number;
};

function toRow(county: County, r: RowDb, today: string): CountyCaseRow {
  return {
    id: r.id,
    caseNo: r.case_no,
    pointCode: r.point_code,
    villageName: r.village_name,
    townshipName: r.township_name,
    applicantName: r.applicant_name,
    phoneMasked: maskPhone(r.applicant_phone),
    itemCode: r.item_code,
    itemName: r.item_name,
    status: r.status,
    handlingMode: r.handling_mode,
    intakeDate: r.intake_date,
    dueDate: r.due_date,
    decisionDate: r.decision_date,
    deadline: isOpen(r.status) && r.due_date ? deadlineState(county.calendar, r.due_date, today) : null,
    agentName: r.agent_name,
    supervised: r.supervised === 1,
  };
}

/** Counting stops here: a county-wide filter can match hundreds of thousands of cases ("1000+ 件"). */
export const SEARCH_COUNT_CAP = 1000;

export function searchCountyCases(county: County, s: Search, scope: Scope): Page<CountyCaseRow> {
  const ctx = searchContext(county, scope, s.supervised);
  const page = caseSearchPage<RowDb>(ctx, s, ROW_SELECT, { countCap: SEARCH_COUNT_CAP });
  return { total: page.total, totalCapped: page.totalCapped, rows: page.rows.map((r) => toRow(county, r, ctx.today)) };
}

/** Changes whenever the case changes (a village change, a county decision, a 督办): the stale-form check. */
export function caseVersion(county: County, caseId: string): string {
  const r = county.db
    .prepare(
      `SELECT (SELECT MAX(hlc) FROM field_clocks WHERE tbl = 'cases' AND id = ?) AS h,
              (SELECT COUNT(*) FROM supervisions WHERE case_id = ?) AS s,
              (SELECT COALESCE(MAX(closed_at), '') FROM supervisions WHERE case_id = ?) AS sc`,
    )
    .get(caseId, caseId, caseId) as { h: string | null; s: number; sc: string };
  return `${r.h ?? ''}|${r.s}|${r.sc}`;
}

export function listSupervisionsSql(county: County, where: string, params: SqlValue[], limit: number, offset: number): Page<Supervision> {
  const today = countyToday(county);
  const base = `FROM supervisions s JOIN cases c ON c.id = s.case_id LEFT JOIN points p ON p.code = s.point_code
    LEFT JOIN accounts u ON u.id = s.created_by
    LEFT JOIN supervision_answers ans ON ans.id = (SELECT x.id FROM supervision_answers x WHERE x.notice_id = s.id ORDER BY x.answered_at DESC LIMIT 1)
    LEFT JOIN agents g ON g.id = ans.agent_id ${where}`;
  const total = (county.db.prepare(`SELECT COUNT(*) AS n ${base}`).get(...params) as { n: number }).n;
  const rows = county.db
    .prepare(
      `SELECT s.*, c.case_no, c.item_name, COALESCE(p.village_name, '') AS village_name, COALESCE(p.township_name, '') AS township_name,
              COALESCE(u.display_name, u.name, '') AS created_by_name, ans.answer, ans.answered_at, g.name AS answered_by_name,
              (SELECT MIN(d.downstream_through) >= s.message_seq FROM devices d WHERE d.point_code = s.point_code AND d.revoked_at IS NULL) AS delivered
       ${base} ORDER BY s.closed_at IS NOT NULL, s.reply_by, s.created_at LIMIT ? OFFSET ?`,
    )
    .all(...params, limit, offset) as {
    id: string;
    case_id: string;
    case_no: string;
    point_code: string;
    village_name: string;
    township_name: string;
    item_name: string;
    note: string;
    reply_by: string;
    created_at: string;
    created_by_name: string;
    closed_at: string | null;
    answer: string | null;
    answered_at: string | null;
    answered_by_name: string | null;
    delivered: number | null;
  }[];
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      caseNo: r.case_no,
      pointCode: r.point_code,
      villageName: r.village_name,
      townshipName: r.township_name,
      itemName: r.item_name,
      note: r.note,
      replyBy: r.reply_by,
      createdAt: r.created_at,
      createdByName: r.created_by_name,
      state: r.closed_at ? 'closed' : r.answered_at ? 'answered' : 'open',
      late: !r.closed_at && !r.answered_at && r.reply_by < today,
      delivered: r.delivered === 1,
      answer: r.answer ?? null,
      answeredAt: r.answered_at ?? null,
      answeredByName: r.answered_by_name ?? null,
    })),
  };
}

export function getCountyCase(county: County, id: string): CountyCaseDetail {
  const today = countyToday(county);
  const r = county.db.prepare(`${ROW_SELECT} WHERE c.id = ?`).get(id) as RowDb | undefined;
  if (!r) throw new Error('没有这个代办件');
  const c = county.db.prepare(`SELECT * FROM cases WHERE id = ?`).get(id) as Record<string, SqlValue>;
  const a = (county.db.prepare(`SELECT * FROM applicants WHERE id = ?`).get(c.applicant_id) as Record<string, SqlValue> | undefined) ?? {};
  const agentNames = new Map(
    (county.db.prepare(`SELECT id, name FROM agents WHERE point_code = ?`).all(r.point_code) as { id: string; name: string }[]).map((x) => [x.id, x.name]),
  );
  const materials = (county.db.prepare(`SELECT * FROM case_materials WHERE case_id = ? ORDER BY position`).all(id) as Record<string, SqlValue>[]).map((m) => ({
    id: String(m.id),
    position: Number(m.position),
    name: String(m.name ?? ''),
    form: String(m.form ?? ''),
    copies: Number(m.copies ?? 1),
    required: m.required === 1,
    deferrable: m.can_defer === 1,
    state: m.state as MaterialState,
    promisedDate: (m.promised_date as string | null) ?? null,
    receivedAt: (m.received_at as string | null) ?? null,
    custody: (m.custody ?? 'none') as CustodyState,
  }));
  const followups = (county.db.prepare(`SELECT * FROM followups WHERE case_id = ? ORDER BY followed_at`).all(id) as Record<string, SqlValue>[]).map((f) => ({
    id: String(f.id),
    kind: f.kind as FollowupKind,
    method: f.method as FollowupMethod,
    reached: f.reached === 1,
    rating: (f.rating as Rating | null) ?? null,
    efficiency: (f.efficiency as Rating | null) ?? null,
    serviceLevel: (f.service_level as Rating | null) ?? null,
    attitude: (f.attitude as Rating | null) ?? null,
    comment: String(f.comment ?? ''),
    followDate: String(f.follow_date ?? ''),
    agentName: agentNames.get(String(f.agent_id)) ?? '',
  }));
  const rectifications = (county.db.prepare(`SELECT * FROM rectifications WHERE case_id = ? ORDER BY opened_date`).all(id) as Record<string, SqlValue>[]).map((x) => ({
    id: String(x.id),
    caseId: id,
    caseNo: r.case_no,
    applicantName: r.applicant_name,
    openedDate: String(x.opened_date ?? ''),
    dueDate: String(x.due_date ?? ''),
    status: (x.status === 'closed' ? 'closed' : 'open') as 'open' | 'closed',
    actionNote: String(x.action_note ?? ''),
    closedDate: (x.closed_date as string | null) ?? null,
    overdue: x.status !== 'closed' && String(x.due_date ?? '9999') < today,
  }));
  // The synced timeline: every change the village sent for this case and its records, with who made it.
  const related = [id, String(c.applicant_id ?? ''), ...materials.map((m) => m.id), ...followups.map((f) => f.id), ...rectifications.map((x) => x.id)];
  const changes = county.db
    .prepare(
      `SELECT ch.hlc, ch.action, ch.entity, ch.entity_id, ch.agent_id, d.name AS device_name FROM changes ch LEFT JOIN devices d ON d.id = ch.device_id
       WHERE ch.entity_id IN (${related.map(() => '?').join(',')}) ORDER BY ch.hlc`,
    )
    .all(...related) as { hlc: string; action: string; entity: string; entity_id: string; agent_id: string | null; device_name: string | null }[];
  const decisions = county.db.prepare(`SELECT * FROM decisions WHERE case_id = ? ORDER BY made_at`).all(id) as {
    id: string;
    action: string;
    decision: string | null;
    date: string;
    note: string;
    made_by: string;
    made_at: string;
  }[];
  const who = (entity: string, entityId: string): string => {
    const t = entity === 'cases' ? c : null;
    const by = t?.updated_by ?? null;
    void entityId;
    return by ? (agentNames.get(String(by)) ?? '') : '';
  };
  const timeline = [
    // Since county schema 6 each change keeps its agent (a reveal of the applicant's number included).
    ...changes
      .map((x) => ({
        at: hlcIso(x.hlc),
        action: x.action,
        label: EVENT_LABELS[x.action] ?? x.action,
        who:
          (x.agent_id ? agentNames.get(x.agent_id) : x.action === 'case.create' || x.action === 'case.createBackfilled' ? agentNames.get(String(c.created_by)) : who(x.entity, x.entity_id)) ||
          x.device_name ||
          '代办点',
        source: 'village' as const,
      })),
    ...decisions.map((d) => ({
      at: d.made_at,
      action: 'county.decision',
      label: `县级${d.action === 'returnForCorrection' ? '退回补正' : d.decision === 'approved' ? '准予' : '不予'}决定${d.note ? `：${d.note}` : ''}`,
      who: d.made_by || '县中心',
      source: 'county' as const,
    })),
  ].sort((x, y) => x.at.localeCompare(y.at));
  const supervisions = listSupervisionsSql(county, `WHERE s.case_id = ?`, [id], 100, 0).rows;
  for (const s of supervisions) {
    timeline.push({ at: s.createdAt, action: 'county.supervision', label: `督办：${s.note}（${s.replyBy} 前答复）`, who: s.createdByName, source: 'county' });
    if (s.answeredAt) timeline.push({ at: s.answeredAt, action: 'village.supervisionAnswer', label: `督办答复：${s.answer ?? ''}`, who: s.answeredByName ?? '代办点', source: 'village' });
  }
  timeline.sort((x, y) => x.at.localeCompare(y.at));
  const status = r.status;
  return {
    ...toRow(county, r, today),
    version: caseVersion(county, id),
    applicant: {
      name: String(a.name ?? ''),
      kind: String(a.kind ?? ''),
      idNumberMasked: a.id_number ? maskIdNumber(String(a.id_number)) : '',
      phoneMasked: maskPhone(String(a.phone ?? '')),
      creditCodeMasked: a.credit_code ? maskCreditCode(String(a.credit_code)) : '',
      villageGroup: String(a.village_group ?? ''),
      address: String(a.address ?? ''),
    },
    committedWorkdays: Number(c.committed_workdays ?? 0),
    handedTo: String(c.handed_to ?? ''),
    handedAt: (c.handed_at as string | null) ?? null,
    decision: (c.decision as string | null) ?? null,
    decisionNote: String(c.decision_note ?? ''),
    decidedByCounty: c.decided_by_county === 1,
    deliveryMethod: (c.delivery_method as string | null) ?? null,
    deliveredAt: (c.delivered_at as string | null) ?? null,
    note: String(c.note ?? ''),
    materials,
    followups,
    rectifications,
    timeline,
    supervisions,
    decisions: decisions.map((d) => ({ id: d.id, action: d.action, decision: d.decision, date: d.date, note: d.note, madeBy: d.made_by, madeAt: d.made_at })),
    canDecide: nextStatus(status, 'decide').ok,
    canReturn: nextStatus(status, 'returnForCorrection').ok,
  };
}

/** An HLC's wall-clock part as ISO time (the HLC string starts with the zero-padded milliseconds). */
export function hlcIso(hlc: string): string {
  try {
    return new Date(decodeHlc(hlc).ms).toISOString();
  } catch {
    return hlc;
  }
}

export function revealValue(county: County, caseId: string, field: 'idNumber' | 'phone' | 'creditCode'): string {
  const r = county.db
    .prepare(`SELECT a.id_number, a.phone, a.credit_code FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = ?`)
    .get(caseId) as { id_number: string | null; phone: string | null; credit_code: string | null } | undefined;
  if (!r) return '';
  return (field === 'idNumber' ? r.id_number : field === 'phone' ? r.phone : r.credit_code) ?? '';
}
