// What the county originates: its identity, catalog versions, holiday tables and decisions on
// cases handed up to it. Each becomes a signed downstream message for the villages.
import { parseCatalogFile } from '../db/catalog';
import { loadBundledCatalog, loadBundledHolidayTables } from '../domain/bundledData';
import { nextStatus, type CaseStatus } from '../domain/caseStatus';
import { computeDueDate } from '../domain/deadlines';
import { uuidv7 } from '../domain/ids';
import { createWorkCalendar, holidayTablesFromJson, type HolidayTable } from '../domain/workCalendar';
import type { SqlValue } from '../db/changes';
import { checkStepDate } from '../domain/dateBounds';
import { generateKeyPair } from '../sync/wire/keys';
import { decisionFields } from '../sync/wire/decisions';
import type { DecisionBody } from '../sync/wire/protocol';
import type { County } from './db';
import { bumpRecordVersion } from './import/apply';

export function initCounty(county: County, opts: { code: string; name: string }): { code: string; name: string; publicKey: string } {
  if (county.identity()) throw new Error(`县级中心已经初始化过（${county.identity()!.name}）`);
  if (!/^\d{6}$/.test(opts.code)) throw new Error('县级区划代码应为 6 位数字，例如 150822');
  if (!opts.name.trim()) throw new Error('请填写县名');
  const keys = generateKeyPair();
  const now = county.nowIso();
  county.tx(() => {
    county.db
      .prepare(`INSERT INTO county (id, code, name, public_key, private_key, created_at) VALUES (1, ?, ?, ?, ?, ?)`)
      .run(opts.code, opts.name.trim(), keys.publicKey, keys.privateKey, now);
    const cat = parseCatalogFile(loadBundledCatalog());
    county.db.prepare(`INSERT INTO catalog_versions (version, json, published_at) VALUES (?, ?, ?)`).run(cat.version, JSON.stringify(cat), now);
    putHolidayTables(county, loadBundledHolidayTables());
  });
  return { code: opts.code, name: opts.name.trim(), publicKey: keys.publicKey };
}

function putHolidayTables(county: County, tables: HolidayTable[]): void {
  const now = county.nowIso();
  const put = county.db.prepare(`INSERT INTO holiday_tables (year, source, off_json, work_json, received_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(year) DO UPDATE SET source = excluded.source, off_json = excluded.off_json, work_json = excluded.work_json, received_at = excluded.received_at`);
  for (const t of tables) put.run(t.year, t.source, JSON.stringify(t.off), JSON.stringify(t.work), now);
  county.reloadCalendar();
}

export function addMessage(county: County, pointCode: string | null, kind: 'catalog' | 'holidays' | 'decision' | 'supervision' | 'warning' | 'resolution', body: unknown, id = uuidv7(county.clock.nowMs())): { id: string; seq: number; hlc: string } {
  const hlc = county.nextHlc();
  const r = county.db
    .prepare(`INSERT INTO downstream (id, point_code, kind, hlc, body, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`)
    .get(id, pointCode, kind, hlc, JSON.stringify(body), county.nowIso()) as { seq: number };
  return { id, seq: r.seq, hlc };
}

export function publishCatalog(county: County, json: unknown): { version: string; items: number } {
  county.requireIdentity();
  const cat = parseCatalogFile(json);
  return county.tx(() => {
    if (county.db.prepare(`SELECT 1 FROM catalog_versions WHERE version = ?`).get(cat.version)) {
      throw new Error(`事项目录版本 ${cat.version} 已经发布过，请使用新的版本号`);
    }
    county.db.prepare(`INSERT INTO catalog_versions (version, json, published_at) VALUES (?, ?, ?)`).run(cat.version, JSON.stringify(cat), county.nowIso());
    addMessage(county, null, 'catalog', cat);
    return { version: cat.version, items: cat.items.length };
  });
}

/** New holiday tables: stored, sent to every point, and the county's open cases' due dates follow. */
export function publishHolidays(county: County, json: unknown): { years: number[]; dueChanged: number } {
  county.requireIdentity();
  const tables = holidayTablesFromJson(json);
  createWorkCalendar(tables);
  return county.tx(() => {
    putHolidayTables(county, tables);
    addMessage(county, null, 'holidays', { tables });
    return { years: tables.map((t) => t.year), dueChanged: recomputeCountyDueDates(county) };
  });
}

/** Same rule as the village's recomputeDueDates (derived cache columns, no change of anyone's). */
export function recomputeCountyDueDates(county: County): number {
  const rows = county.db
    .prepare(`SELECT id, intake_date, committed_workdays, pause_on_wait, waiting_workdays, due_date, due_estimated FROM cases WHERE status IN ('accepted','handedUp','returned')`)
    .all() as { id: string; intake_date: string; committed_workdays: number; pause_on_wait: number; waiting_workdays: number; due_date: string; due_estimated: number }[];
  const upd = county.db.prepare(`UPDATE cases SET due_date = ?, due_estimated = ? WHERE id = ?`);
  let n = 0;
  for (const r of rows) {
    try {
      const d = computeDueDate(county.calendar, {
        intakeDate: r.intake_date,
        committedWorkdays: Number(r.committed_workdays),
        pauseOnWait: Number(r.pause_on_wait) === 1,
        waitingWorkdays: Number(r.waiting_workdays) || 0,
      });
      if (d.dueDate !== r.due_date || (d.estimated ? 1 : 0) !== Number(r.due_estimated)) {
        upd.run(d.dueDate, d.estimated ? 1 : 0, r.id);
        n++;
      }
    } catch {
      /* a malformed row keeps its due date */
    }
  }
  return n;
}

export type DecideInput = {
  caseNo: string;
  action: 'decide' | 'returnForCorrection';
  decision: 'approved' | 'refused' | null;
  date: string;
  note: string;
  by: string;
};

export const DECISION_WORDS: Record<string, Pick<DecideInput, 'action' | 'decision'>> = {
  准予: { action: 'decide', decision: 'approved' },
  approved: { action: 'decide', decision: 'approved' },
  不予: { action: 'decide', decision: 'refused' },
  refused: { action: 'decide', decision: 'refused' },
  退回补正: { action: 'returnForCorrection', decision: null },
  returned: { action: 'returnForCorrection', decision: null },
};

/** A county decision on a case handed up to it; follows the same status rules as the village. */
export function decideCase(county: County, input: DecideInput): { id: string; pointCode: string; caseId: string; seq: number } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw new Error('日期格式应为 YYYY-MM-DD');
  return county.tx(() => {
    const c = county.db.prepare(`SELECT id, point_code, status, intake_date, handed_at FROM cases WHERE case_no = ?`).get(input.caseNo.trim()) as
      | { id: string; point_code: string; status: CaseStatus; intake_date: string; handed_at: string | null }
      | undefined;
    if (!c) throw new Error(`县里没有件号为 ${input.caseNo} 的代办件（还没有同步上来？）`);
    const step = nextStatus(c.status, input.action);
    if (!step.ok) throw new Error(step.error);
    // The same order of dates as the village's own 办结 / 退回补正 (no "future" bound: village clocks may run fast).
    const dateCheck = checkStepDate(input.action === 'decide' ? '办结日期' : '退回日期', input.date, null, [
      { label: '受理日期', date: c.intake_date },
      { label: '报送日期', date: c.handed_at },
    ]);
    if (!dateCheck.ok) throw new Error(dateCheck.error);
    if (input.action === 'decide' && !input.decision) throw new Error('请选择办理结果（准予或不予）');
    const id = uuidv7(county.clock.nowMs());
    const fields: Record<string, SqlValue> = { ...decisionFields({ ...input }, id), updated_at: county.nowIso() };
    const basis: Record<string, number> = {};
    for (const d of county.db.prepare(`SELECT id, applied_through FROM devices WHERE point_code = ?`).all(c.point_code) as { id: string; applied_through: number }[]) {
      basis[d.id] = d.applied_through;
    }
    const body: DecisionBody = { caseId: c.id, caseNo: input.caseNo.trim(), action: input.action, decision: input.decision, date: input.date, note: input.note, basis };
    const msg = addMessage(county, c.point_code, 'decision', body, id);
    const names = Object.keys(fields);
    county.db.prepare(`UPDATE cases SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`).run(...names.map((n) => fields[n]), c.id);
    const clock = county.db.prepare(
      `INSERT INTO field_clocks (tbl, id, field, hlc, origin, decision_id) VALUES ('cases', ?, ?, ?, 'c', ?)
       ON CONFLICT(tbl, id, field) DO UPDATE SET hlc = excluded.hlc, origin = 'c', decision_id = excluded.decision_id`,
    );
    for (const n of names) clock.run(c.id, n, msg.hlc, id);
    // The decided case goes to every laptop of the point with the relay (a replacement laptop too).
    bumpRecordVersion(county, c.point_code, 'cases', c.id);
    county.db
      .prepare(
        `INSERT INTO decisions (id, point_code, case_id, case_no, action, decision, date, note, hlc, made_by, made_at, basis_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, c.point_code, c.id, body.caseNo, input.action, input.decision, input.date, input.note, msg.hlc, input.by, county.nowIso(), JSON.stringify(basis));
    return { id, pointCode: c.point_code, caseId: c.id, seq: msg.seq };
  });
}
