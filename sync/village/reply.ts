// Applying the county's signed reply in the village: acknowledgements first (outbox rows get
// acked_at, nothing is deleted), then each downstream message once, in the county's order, each
// in its own transaction together with the record that it was applied.
import { inflateRawSync } from 'node:zlib';
import { isCompactedPayload } from '../../db/outboxCompaction';
import type { Register } from '../../db/register';
import type { SqlValue } from '../../db/changes';
import { importCatalog, importHolidayTables, parseCatalogFile } from '../../db/catalog';
import { recomputeDueDates } from '../../db/cases';
import { decodeHlc } from '../../domain/hlc';
import { uuidv7 } from '../../domain/ids';
import { nextStatus, CASE_STATUSES, type CaseStatus } from '../../domain/caseStatus';
import { createWorkCalendar } from '../../domain/workCalendar';
import { DECISIONS } from '../../domain/vocab';
import { AppError } from '../../domain/errors';
import type { DownstreamSummary, ReplyResult } from '../../domain/syncRecords';
import { checkBody, checkSignature, manifestJson, splitContainer, SyncRejection } from '../wire/container';
import { openSealedBody } from '../wire/seal';
import { sha256Hex } from '../wire/keys';
import { CONTESTED_FIELDS, decisionFields } from '../wire/decisions';
import { ackLine, checkRecLine, msgLine, recsLine, replyManifest, strictParse, type AckLine, type DecisionBody, type MsgLine, type RecLine, type RecsLine } from '../wire/protocol';
import { getSyncState, maxOwnSeq, requireEnrolment, retiredDevices, setSyncState, waitingCount, FIELD_LABELS } from './state';
import { applyRecords } from './records';
import { applyResolution } from './resolution';

const MAX_REPLY_LINES = 20_000;
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export type ParsedReply = { ack: AckLine | null; retiredAcks: AckLine[]; msgs: { line: MsgLine; hash: string }[]; recs: RecLine[]; recsEnd: RecsLine | null; countyHlc: string };

/** A compressed reply body, opened; bounded so that a small body cannot expand to fill the memory. */
function inflate(b: Buffer): Buffer {
  try {
    return inflateRawSync(b, { maxOutputLength: MAX_REPLY_BYTES });
  } catch {
    throw new SyncRejection('bad_content', '县级回执的内容无法解压（文件已损坏，或内容过多）');
  }
}

export function parseReply(reg: Register, bytes: Buffer): ParsedReply {
  const e = requireEnrolment(reg);
  try {
    const c = splitContainer(bytes, 'REPLY');
    const m = strictParse(replyManifest, manifestJson(c), '县级回执的清单');
    if (m.county !== e.county_code) throw new SyncRejection('other_county', `这份回执来自其他县（${m.county}），本机登记在${e.county_name}`);
    if (m.point !== e.point_code) throw new SyncRejection('other_point', `这份回执是给代办点 ${m.point} 的，不是本代办点（${e.point_code}）的`);
    checkSignature(c, e.county_public_key, e.county_name);
    checkBody(c, m);
    const opened = openSealedBody(c.body, e.device_private_key, 'reply');
    const lines = (m.compression === 'deflate' ? inflate(opened) : opened).toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines.length > MAX_REPLY_LINES) throw new SyncRejection('bad_content', '县级回执内容过多');
    let ack: AckLine | null = null;
    const retiredAcks: AckLine[] = [];
    const retired = new Set(retiredDevices(reg).map((r) => r.device_id));
    const msgs: ParsedReply['msgs'] = [];
    const recs: RecLine[] = [];
    let recsEnd: RecsLine | null = null;
    for (const text of lines) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new SyncRejection('bad_content', '县级回执的内容格式不正确');
      }
      const t = (json as { t?: unknown })?.t;
      if (t === 'ack') {
        const a = strictParse(ackLine, json, '县级回执中的确认', 'bad_content');
        if (a.device === reg.deviceId) ack = a;
        else if (retired.has(a.device)) retiredAcks.push(a);
      } else if (t === 'rec') {
        const r = checkRecLine(json);
        if (!r.ok) throw new SyncRejection('bad_content', `县级回执中的记录格式不正确${r.where ? `（${r.where}）` : ''}`);
        recs.push(r.line);
      } else if (t === 'recs') {
        recsEnd = strictParse(recsLine, json, '县级回执中的记录范围', 'bad_content');
      } else {
        msgs.push({ line: strictParse(msgLine, json, '县级回执中的消息', 'bad_content'), hash: sha256Hex(text) });
      }
    }
    msgs.sort((a, b) => a.line.seq - b.line.seq);
    if (recs.length && !recsEnd) throw new SyncRejection('bad_content', '县级回执中的记录不完整');
    return { ack, retiredAcks, msgs, recs, recsEnd, countyHlc: m.countyHlc };
  } catch (err) {
    if (err instanceof SyncRejection) throw new AppError('invalid_input', err.message);
    throw err;
  }
}

export type ReplyApplied = ReplyResult & {
  /** Relayed records: how many changed this register, and whether the county has more to send. */
  records: { changed: number; more: boolean; done: number; total: number } | null;
};

export function applyReply(reg: Register, bytes: Buffer, via: 'http' | 'usb'): ReplyApplied {
  return applyParsedReply(reg, parseReply(reg, bytes), via);
}

/** Where the next page of the point's records starts, if this reply says more follow (a download asks for it before applying this one). */
export function nextRecordsFrom(parsed: ParsedReply): number | undefined {
  return parsed.recsEnd?.more ? parsed.recsEnd.through : undefined;
}

export function applyParsedReply(reg: Register, parsed: ParsedReply, via: 'http' | 'usb'): ReplyApplied {
  const warnings: string[] = [];
  const now = reg.nowIso();
  reg.writer.observeHlc(decodeHlc(parsed.countyHlc));
  let acked = 0;
  const a = parsed.ack;
  if (a) {
    reg.tx(() => {
      const st = getSyncState(reg);
      const have = maxOwnSeq(reg);
      let through = a.appliedThrough;
      if (through > have) {
        warnings.push(`县里已收到本机第 ${have + 1}–${through} 条变更，但本机没有这些记录（本机可能从旧备份恢复过）。请联系县政务服务中心核对。`);
        through = have;
      }
      if (through > st.acked_through) {
        acked = reg.db.prepare(`UPDATE outbox SET acked_at = ? WHERE device_id = ? AND seq <= ? AND acked_at IS NULL`).run(now, reg.deviceId, through).changes;
        setSyncState(reg, { acked_through: through });
      }
      if (a.closedThrough !== undefined) {
        // This register was restored from a backup on another laptop (or here, from a copy) and replaced.
        warnings.push(
          '县里记录显示：本机的登记簿已从备份恢复到另一台电脑，由那台电脑接替。本机此前没有上传的变更县里照常接收一次，并转给接替的电脑；今后请在接替的电脑上登记，本机不要再使用（如需继续使用本机，请向县政务服务中心重新登记为新电脑）。',
        );
      }
      if (a.revoked) {
        warnings.push('县政务服务中心已停用本机的同步登记，本机的变更不会再被接收。请联系县政务服务中心。');
      } else {
        reg.db.prepare(`UPDATE sync_enrolment SET confirmed_at = COALESCE(confirmed_at, ?) WHERE id = 1`).run(now);
      }
    });
    if (a.held.length) {
      const gaps = a.held.map(([f, t]) => `${f}–${t}`).join('、');
      warnings.push(`县里暂存了本机第 ${gaps} 条变更，正在等待更早的变更补齐。`);
    }
  }

  // The devices this register was before a restore: their changes the county confirms, and whether
  // their sequence is closed there (then the proof that this device replaces them is no longer sent).
  for (const r of parsed.retiredAcks) {
    reg.tx(() => {
      const own = retiredDevices(reg).find((d) => d.device_id === r.device)!;
      const through = Math.min(r.appliedThrough, own.through);
      if (through > own.acked_through) {
        acked += reg.db.prepare(`UPDATE outbox SET acked_at = ? WHERE device_id = ? AND seq <= ? AND acked_at IS NULL`).run(now, r.device, through).changes;
      }
      reg.db
        .prepare(`UPDATE sync_retired_devices SET acked_through = MAX(acked_through, ?), closed_at = CASE WHEN ? THEN COALESCE(closed_at, ?) ELSE closed_at END WHERE device_id = ?`)
        .run(through, r.closedThrough !== undefined ? 1 : 0, now, r.device);
    });
  }

  let records: ReplyApplied['records'] = null;
  let conflicts = 0;
  if (parsed.recsEnd) {
    // Cases this reply brings a county decision for: this laptop applies it itself, with its own history event.
    const decisionsHere = new Set(parsed.msgs.filter((m) => m.line.kind === 'decision').map((m) => (m.line.body as DecisionBody).caseId));
    const rr = applyRecords(reg, parsed.recs, parsed.recsEnd, decisionsHere);
    records = { changed: rr.changed, more: parsed.recsEnd.more, done: parsed.recsEnd.done, total: parsed.recsEnd.total };
    conflicts += rr.conflicts;
    warnings.push(...rr.warnings);
  }

  const applied: DownstreamSummary[] = [];
  // While the point's records are still coming, messages wait (a decision may be about a case not yet here);
  // they are not marked applied, so the next reply brings them again.
  for (const { line, hash } of records?.more ? [] : parsed.msgs) {
    if (reg.db.prepare(`SELECT 1 FROM sync_downstream WHERE id = ?`).get(line.id)) continue;
    reg.writer.observeHlc(decodeHlc(line.hlc));
    try {
      const r = reg.tx(() => {
        const out = applyMessage(reg, line);
        reg.db
          .prepare(`INSERT INTO sync_downstream (id, seq, kind, hash, via, applied_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?)`)
          .run(line.id, line.seq, line.kind, hash, via, reg.nowIso(), out.summary);
        const st = getSyncState(reg);
        if (line.seq > st.downstream_through) setSyncState(reg, { downstream_through: line.seq });
        return out;
      });
      conflicts += r.conflicts;
      applied.push({ id: line.id, kind: line.kind, appliedAt: reg.nowIso(), summary: r.summary });
    } catch (err) {
      reg.reloadCalendar();
      // One unusable message must not block the ones behind it: set it aside, visibly, and go on.
      const what = { catalog: '事项目录', holidays: '节假日安排', decision: '办理决定', supervision: '督办通知', warning: '考评预警', resolution: '冲突处理结果' }[line.kind];
      const text = `县里发来的一条${what}未能应用：${err instanceof Error ? err.message.slice(0, 200) : String(err)}`;
      warnings.push(text);
      reg.tx(() => {
        reg.db
          .prepare(`INSERT OR IGNORE INTO sync_downstream (id, seq, kind, hash, via, applied_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?)`)
          .run(line.id, line.seq, line.kind, hash, `${via}:failed`, reg.nowIso(), text);
        if (line.seq > getSyncState(reg).downstream_through) setSyncState(reg, { downstream_through: line.seq });
      });
      applied.push({ id: line.id, kind: line.kind, appliedAt: reg.nowIso(), summary: text });
    }
  }
  const nothingNew = acked === 0 && applied.length === 0 && !records?.changed;
  const waiting = waitingCount(reg);
  const parts = [];
  if (acked) parts.push(`县里确认收到 ${acked} 条变更`);
  if (applied.length) parts.push(`应用了县里发来的 ${applied.length} 项更新`);
  if (records?.changed) parts.push(`收到本代办点其他电脑的 ${records.changed} 条记录`);
  if (records?.more) parts.push(`本代办点的记录尚未下载完（${records.done}/${records.total}）${via === 'usb' ? '，请再从县里带回一份回执文件导入' : ''}`);
  if (conflicts) parts.push(`发现 ${conflicts} 处冲突，请到同步页面核对`);
  const message = nothingNew ? '没有新内容（这份回执已经导入过，或县里暂无新消息）' : parts.join('；');
  return { acked, waiting, applied, conflicts, nothingNew, warnings, message, records };
}

type Applied = { summary: string; conflicts: number };

function applyMessage(reg: Register, line: MsgLine): Applied {
  switch (line.kind) {
    case 'catalog': {
      const file = parseCatalogFile(line.body);
      const r = importCatalog(reg, file);
      const due = recomputeDueDates(reg);
      return { summary: `收到新的事项目录 ${r.version}（${r.items} 项）${due ? `，${due} 件在办件的承诺办结日期已更新` : ''}`, conflicts: 0 };
    }
    case 'holidays': {
      const tables = line.body.tables;
      createWorkCalendar(tables);
      importHolidayTables(reg, tables);
      const due = recomputeDueDates(reg);
      const years = tables.map((t) => t.year).join('、');
      return { summary: `收到 ${years} 年节假日安排${due ? `，${due} 件在办件的承诺办结日期已按新日历重算` : ''}`, conflicts: 0 };
    }
    case 'decision':
      return applyDecision(reg, line.id, line.hlc, line.body);
    case 'supervision': {
      const b = line.body;
      reg.db
        .prepare(`INSERT OR IGNORE INTO county_notices (id, kind, case_id, case_no, note, reply_by, month, received_at) VALUES (?, 'supervision', ?, ?, ?, ?, NULL, ?)`)
        .run(b.noticeId, b.caseId, b.caseNo, b.note, b.replyBy, reg.nowIso());
      return { summary: `县里督办代办件 ${b.caseNo}：${b.note}（请于 ${b.replyBy} 前答复）`, conflicts: 0 };
    }
    case 'warning': {
      const b = line.body;
      reg.db
        .prepare(`INSERT OR IGNORE INTO county_notices (id, kind, case_id, case_no, note, reply_by, month, received_at) VALUES (?, 'warning', NULL, '', ?, NULL, ?, ?)`)
        .run(b.warningId, b.note, b.month, reg.nowIso());
      return { summary: `县里发来 ${b.month} 考评预警：${b.note}`, conflicts: 0 };
    }
    case 'resolution':
      return { summary: applyResolution(reg, line.body), conflicts: 0 };
  }
}

type CaseRow = Record<string, SqlValue> & { id: string; case_no: string; item_name: string; status: CaseStatus };

const CONTESTED = CONTESTED_FIELDS;

function describe(d: DecisionBody): string {
  if (d.action === 'returnForCorrection') return `退回补正（${d.date}）`;
  return `${DECISIONS[d.decision ?? 'approved']}（${d.date}）`;
}

/**
 * A county decision on a case handed up to it. Local edits made after the county's basis (the
 * last change of ours it had seen) to the same fields are concurrent: the later clock wins and a
 * conflict with both values is recorded. A decision the case's status cannot take is recorded as
 * a conflict and not applied; our values are re-sent so both sides end up the same.
 */
function applyDecision(reg: Register, messageId: string, remoteHlc: string, d: DecisionBody): Applied {
  const c = reg.db.prepare(`SELECT * FROM cases WHERE id = ?`).get(d.caseId) as CaseRow | undefined;
  if (!c) throw new AppError('not_found', `本机没有件号为 ${d.caseNo} 的代办件`);
  const label = `${c.case_no}（${c.item_name}）`;
  const target = decisionFields(d, messageId);
  // Our own edits to the contested fields since the county's basis — per device this register has
  // been (a restored register holds the old device's changes too); applications of earlier county
  // decisions are the county's own values, not concurrent edits.
  const since = (
    reg.db.prepare(`SELECT seq, device_id, hlc, payload FROM outbox WHERE entity = 'cases' AND entity_id = ? ORDER BY seq`).all(c.id) as {
      seq: number;
      device_id: string;
      hlc: string;
      payload: string;
    }[]
  ).filter((r) => r.seq > (d.basis[r.device_id] ?? 0));
  const localHlc = new Map<string, string>();
  for (const r of since) {
    // Compacted long after the county acknowledged it (db/outboxCompaction.ts): the county had it.
    if (isCompactedPayload(r.payload)) continue;
    const p = JSON.parse(r.payload) as { action: string; fields: Record<string, SqlValue> };
    if (p.action === 'case.countyDecision') continue;
    for (const f of Object.keys(p.fields)) if (CONTESTED.includes(f) && f in target) localHlc.set(f, r.hlc);
  }
  const contested = [...localHlc.keys()].filter((f) => c[f] !== target[f]);

  const conflicts: { field: string; local: SqlValue; remote: SqlValue; localHlc: string; winner: 'local' | 'remote'; reason: string }[] = [];
  const write: Record<string, SqlValue> = {};
  let action = 'case.countyDecision';
  let summary: string;

  const step = nextStatus(c.status, d.action);
  const statusAlready = c.status === target.status;
  if (!contested.length && (step.ok || statusAlready)) {
    // No concurrent edit: the decision moves the case (or confirms what was already recorded).
    for (const [k, v] of Object.entries(target)) if (c[k] !== v) write[k] = v;
    summary = `县里对 ${label}作出决定：${describe(d)}`;
  } else if (!step.ok && !statusAlready) {
    // The case has moved on here in a way the decision cannot follow: keep ours and re-send every
    // field the decision touched with our values, so the county ends up with the same record.
    // One conflict per field edited here concurrently (the status when nothing else was).
    const reason = `本机状态为“${CASE_STATUSES[c.status]}”，不能接受县里的决定“${describe(d)}”`;
    for (const f of contested.length ? contested : ['status']) {
      conflicts.push({ field: f, local: c[f], remote: target[f] ?? null, localHlc: localHlc.get(f) ?? '', winner: 'local', reason });
    }
    for (const f of Object.keys(target)) if (f !== 'county_decision_id') write[f] = c[f];
    write.county_decision_id = messageId;
    action = 'case.countyDecisionKept';
    summary = `县里对 ${label}的决定“${describe(d)}”与本机记录冲突：本机状态为“${CASE_STATUSES[c.status]}”，已保留本机记录，请核对`;
  } else {
    // Field by field: the later clock wins; both values are kept in the conflict list.
    for (const f of contested) {
      const lh = localHlc.get(f)!;
      const remoteWins = remoteHlc > lh;
      conflicts.push({ field: f, local: c[f], remote: target[f], localHlc: lh, winner: remoteWins ? 'remote' : 'local', reason: remoteWins ? '县里的修改较晚' : '本机的修改较晚' });
    }
    for (const [k, v] of Object.entries(target)) {
      const conflict = conflicts.find((x) => x.field === k);
      if (conflict?.winner === 'local') continue;
      if (c[k] !== v) write[k] = v;
    }
    write.county_decision_id = messageId;
    summary = `县里对 ${label}作出决定：${describe(d)}；其中 ${conflicts.length} 项与本机同时修改，已按时间先后处理，请核对`;
  }

  write.county_decision_id = messageId;
  write.updated_at = reg.nowIso();
  reg.writer.apply(
    {
      table: 'cases',
      id: c.id,
      op: 'update',
      fields: write,
      action,
      caseId: c.id,
      note: d.note ? `县级决定：${d.note}` : '县级决定',
      eventData: { from: c.status, to: write.status ?? c.status, decision: d.decision, date: d.date, county: true },
    },
    null,
  );
  const ins = reg.db.prepare(
    `INSERT INTO sync_conflicts (id, entity, entity_id, field, local_value, remote_value, local_hlc, remote_hlc, winner, reason, message_id, detected_at)
     VALUES (?, 'cases', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const k of conflicts) {
    ins.run(uuidv7(reg.clock.nowMs()), c.id, k.field, k.local == null ? null : String(k.local), k.remote == null ? null : String(k.remote), k.localHlc, remoteHlc, k.winner, `${FIELD_LABELS[k.field] ?? k.field}：${k.reason}`, messageId, reg.nowIso());
  }
  return { summary, conflicts: conflicts.length };
}
