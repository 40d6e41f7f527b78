// The village end of sync: enrolment, batches cut from the outbox, and what the status bar shows.
// Outbox rows are never deleted; the county's signed acknowledgement only sets acked_at.
import { createHmac } from 'node:crypto';
import type { Register } from '../../db/register';
import { schemaVersion } from '../../db/migrate';
import { digestHex, storedDigestAt } from '../../db/historyChain';
import { importCatalog, importHolidayTables, parseCatalogFile } from '../../db/catalog';
import { recomputeDueDates } from '../../db/cases';
import { getPoint } from '../../db/point';
import { uuidv7 } from '../../domain/ids';
import { decodeHlc, encodeHlc } from '../../domain/hlc';
import { createWorkCalendar } from '../../domain/workCalendar';
import { unitName } from '../../domain/villageCode';
import { CASE_STATUSES } from '../../domain/caseStatus';
import { DECISIONS } from '../../domain/vocab';
import { AppError } from '../../domain/errors';
import type { DownstreamSummary, EnrolResult, SyncConflict } from '../../domain/syncRecords';
import { checkBody, checkSignature, encodeContainer, manifestJson, splitContainer, SyncRejection } from '../wire/container';
import { sealBody } from '../wire/seal';
import { fingerprint, sha256Hex, signBytes, type KeyPair } from '../wire/keys';
import { enrolBody, enrolManifest, MAX_BATCH_BYTES, MAX_BATCH_CHANGES, retireMessage, strictParse, type BatchManifest, type RetireProof } from '../wire/protocol';

export type Enrolment = {
  county_code: string;
  county_name: string;
  county_public_key: string;
  county_url: string;
  point_code: string;
  device_public_key: string;
  device_private_key: string;
  method: 'code' | 'file';
  ticket_id: string | null;
  ticket_proof: string | null;
  enrolled_at: string;
  confirmed_at: string | null;
};

export type SyncStateRow = {
  acked_through: number;
  downstream_through: number;
  seq_start: number;
  records_through: number;
  records_done: number;
  records_total: number;
  records_complete_at: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
};

export function getEnrolment(reg: Register): Enrolment | null {
  return (reg.db.prepare(`SELECT * FROM sync_enrolment WHERE id = 1`).get() as Enrolment | undefined) ?? null;
}

export function requireEnrolment(reg: Register): Enrolment {
  const e = getEnrolment(reg);
  if (!e) throw new AppError('refused', '本机尚未登记到县政务服务中心。请先用登记码或登记文件完成登记（同步页面）。');
  return e;
}

export function getSyncState(reg: Register): SyncStateRow {
  return reg.db.prepare(`SELECT * FROM sync_state WHERE id = 1`).get() as SyncStateRow;
}

export function setSyncState(reg: Register, s: Partial<SyncStateRow>): void {
  const keys = Object.keys(s) as (keyof SyncStateRow)[];
  if (!keys.length) return;
  reg.db.prepare(`UPDATE sync_state SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = 1`).run(...keys.map((k) => s[k] ?? null));
}

export function maxSeq(reg: Register): number {
  return (reg.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM outbox`).get() as { n: number }).n;
}

/** This device's last change (its outbox rows are those after seq_start; earlier ones belong to the devices it was before a restore). */
export function maxOwnSeq(reg: Register): number {
  return (reg.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM outbox WHERE device_id = ?`).get(reg.deviceId) as { n: number }).n || getSyncState(reg).seq_start;
}

/** Changes recorded in this register (by this device or the devices it was) that the county has not acknowledged. */
export function waitingCount(reg: Register): number {
  return (reg.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL AND device_id IS NOT NULL`).get() as { n: number }).n;
}

/** A device this register was before a restore, whose sequence is closed at the county. */
export type RetiredDevice = { device_id: string; point_code: string; county_code: string; private_key: string; through: number; acked_through: number; seq_start: number; closed_at: string | null };

export function retiredDevices(reg: Register): RetiredDevice[] {
  return reg.db.prepare(`SELECT * FROM sync_retired_devices ORDER BY retired_at`).all() as RetiredDevice[];
}

function currentHlc(reg: Register): string {
  const r = reg.db.prepare(`SELECT value FROM meta WHERE key = 'hlc'`).get() as { value: string } | undefined;
  return r?.value ?? encodeHlc({ ms: reg.clock.nowMs(), counter: 0, node: reg.deviceId.replace(/-/g, '').slice(0, 16) });
}

function enrolProof(e: Enrolment): { ticket: string; publicKey: string; proof: string } | undefined {
  if (e.confirmed_at || e.method !== 'file' || !e.ticket_id || !e.ticket_proof) return undefined;
  return { ticket: e.ticket_id, publicKey: e.device_public_key, proof: e.ticket_proof };
}

export function ticketProof(secretHex: string, deviceId: string, publicKey: string): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex')).update(`${deviceId}|${publicKey}`).digest('hex');
}

type OutboxRow = {
  seq: number;
  change_id: string;
  hlc: string;
  entity: string;
  entity_id: string;
  op: string;
  payload: string;
  created_at: string;
};

type BatchEvent = { outbox_seq: number; id: string; case_id: string | null; data_json: string; digest: Buffer | null };

/**
 * The history events of the queue rows `from`..`to` (one each). The register keeps no index on
 * events.outbox_seq (it would cost ~110 B a case): a batch's events are among the newest, so the
 * table is read backwards from its end and the read stops once all `count` are found.
 */
function batchEvents(reg: Register, from: number, to: number, count: number): Map<number, BatchEvent> {
  const rows = reg.db
    .prepare(`SELECT outbox_seq, id, case_id, data_json, digest FROM events WHERE outbox_seq BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?`)
    .all(from, to, count) as BatchEvent[];
  return new Map(rows.map((r) => [r.outbox_seq, r]));
}

export type BuiltBatch = { bytes: Buffer; manifest: BatchManifest; fileName: string };

/**
 * Cuts the next batch starting at `fromSeq` (at most MAX_BATCH_CHANGES changes and about
 * MAX_BATCH_BYTES), signs it with this device's key and logs it. Null when nothing is left.
 */
export function buildBatch(reg: Register, fromSeq: number, via: 'http' | 'usb', limit = batchLimit(), as?: RetiredDevice): BuiltBatch | null {
  const e = requireEnrolment(reg);
  const device = as?.device_id ?? reg.deviceId;
  const rows = reg.db
    .prepare(
      `SELECT seq, change_id, hlc, entity, entity_id, op, payload, created_at
       FROM outbox WHERE device_id = ? AND seq >= ? ${as ? 'AND seq <= ?' : ''} ORDER BY seq LIMIT ?`,
    )
    .all(...(as ? [device, fromSeq, as.through] : [device, fromSeq]), Math.min(limit, MAX_BATCH_CHANGES)) as OutboxRow[];
  if (!rows.length) return null;
  const events = batchEvents(reg, rows[0].seq, rows[rows.length - 1].seq, rows.length);
  if (!rows.length) return null;
  const parts: string[] = [];
  let size = 0;
  let expect = rows[0].seq;
  let head: Buffer | null = null;
  let chained = true;
  for (const r of rows) {
    if (r.seq !== expect) throw new AppError('internal', `同步队列序号不连续（缺第 ${expect} 条），请运行数据检查`);
    // The change's history event travels with it, so the county can recompute the device's history chain.
    // (A change without its event — doctor reports it — still goes up, without the chain to vouch for it.)
    const ev = events.get(r.seq);
    if (!ev?.digest) chained = false;
    const event = ev ? `,"event":{"id":${JSON.stringify(ev.id)},"caseId":${JSON.stringify(ev.case_id)},"data":${JSON.stringify(ev.data_json)}}` : '';
    const line =
      `{"seq":${r.seq},"changeId":${JSON.stringify(r.change_id)},"hlc":${JSON.stringify(r.hlc)},"entity":${JSON.stringify(r.entity)},` +
      `"entityId":${JSON.stringify(r.entity_id)},"op":${JSON.stringify(r.op)},"createdAt":${JSON.stringify(r.created_at)}${event},"payload":${r.payload}}\n`;
    const len = Buffer.byteLength(line);
    if (parts.length && size + len > MAX_BATCH_BYTES) break;
    parts.push(line);
    size += len;
    expect++;
    head = ev?.digest ?? null;
  }
  // Sealed to the county's key pinned at enrolment: a lost USB stick or a server in between reads nothing.
  const body = sealBody(Buffer.from(parts.join(''), 'utf8'), e.county_public_key, 'batch');
  const first = rows[0].seq;
  const last = first + parts.length - 1;
  const st = getSyncState(reg);
  const manifest = {
    type: 'batch' as const,
    batchId: uuidv7(reg.clock.nowMs()),
    county: e.county_code,
    point: as?.point_code ?? e.point_code,
    device,
    fromSeq: first,
    toSeq: last,
    count: parts.length,
    schemaVersion: schemaVersion(reg.db),
    createdAt: reg.nowIso(),
    deviceHlc: currentHlc(reg),
    downstreamThrough: st.downstream_through,
    ...(chained && head ? { historyPrev: digestHex(storedDigestAt(reg.db, device, first - 1)), historyHead: digestHex(head) } : {}),
    ...(as ? { seqStart: as.seq_start } : { seqStart: st.seq_start, recordsThrough: st.records_through, ...cursorExtras(reg, e) }),
  };
  // A closed device's remaining changes are sent signed with its own key, as they were made.
  const bytes = encodeContainer('BATCH', manifest, body, as?.private_key ?? e.device_private_key);
  const fileName = `daiban-${e.point_code}-${as ? `${device.slice(0, 8)}-` : ''}${String(first).padStart(8, '0')}-${String(last).padStart(8, '0')}.batch`;
  reg.db
    .prepare(`INSERT INTO sync_batches (id, from_seq, to_seq, count, file_hash, bytes, via, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(manifest.batchId, first, last, parts.length, sha256Hex(bytes), bytes.length, via, via === 'usb' ? fileName : '', manifest.createdAt);
  return { bytes, manifest: { ...manifest, bodyBytes: body.length, bodySha256: sha256Hex(body) }, fileName };
}

export function noteBatchResult(reg: Register, batchId: string, result: string): void {
  reg.db.prepare(`UPDATE sync_batches SET result = ? WHERE id = ?`).run(result.slice(0, 300), batchId);
}

/** Changes per batch; tests lower it (DAIBAN_SYNC_BATCH_CHANGES) to cut an upload into many batches cheaply. */
export function batchLimit(): number {
  const n = Number(process.env.DAIBAN_SYNC_BATCH_CHANGES);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_BATCH_CHANGES) : MAX_BATCH_CHANGES;
}

/** The enrolment proof (until confirmed) and the proof of the device this register was (until the county closed it). */
function cursorExtras(reg: Register, e: Enrolment): { enrol?: ReturnType<typeof enrolProof>; retire?: RetireProof } {
  const proof = enrolProof(e);
  const pending = retiredDevices(reg).find((r) => !r.closed_at && r.county_code === e.county_code && r.point_code === e.point_code);
  return {
    ...(proof ? { enrol: proof } : {}),
    ...(pending
      ? { retire: { device: pending.device_id, through: pending.through, signature: signBytes(pending.private_key, retireMessage(pending.device_id, reg.deviceId, pending.through)) } }
      : {}),
  };
}

/** A signed request for the county's reply (acknowledgements, downstream messages, relayed records). */
/** `recordsFrom`: the next page of a download asked for while the page before is still being applied. */
export function buildPoll(reg: Register, recordsLimit?: number, recordsFrom?: number): Buffer {
  const e = requireEnrolment(reg);
  const st = getSyncState(reg);
  return encodeContainer(
    'POLL',
    {
      type: 'poll',
      requestId: uuidv7(reg.clock.nowMs()),
      county: e.county_code,
      point: e.point_code,
      device: reg.deviceId,
      createdAt: reg.nowIso(),
      deviceHlc: currentHlc(reg),
      downstreamThrough: st.downstream_through,
      seqStart: st.seq_start,
      recordsThrough: st.records_through,
      ...(recordsLimit ? { recordsLimit } : {}),
      ...(recordsFrom !== undefined ? { recordsFrom } : {}),
      accept: 'deflate',
      ...cursorExtras(reg, e),
    },
    Buffer.alloc(0),
    e.device_private_key,
  );
}

/**
 * Stores an enrolment package (the county's answer to an enrolment code, or an enrolment file)
 * and applies the catalog and holiday tables it carries. The package is signed with the county
 * key it contains: trust comes from how it arrived (the one-time code, or the township's USB stick).
 */
export function applyEnrolmentPackage(
  reg: Register,
  bytes: Buffer,
  opts: { method: 'code' | 'file'; keys: KeyPair; url: string },
): EnrolResult {
  let m, b;
  try {
    const c = splitContainer(bytes, 'ENROL');
    m = strictParse(enrolManifest, manifestJson(c), '登记文件的清单');
    checkSignature(c, m.countyPublicKey, '县政务服务中心');
    checkBody(c, m);
    let json: unknown;
    try {
      json = JSON.parse(c.body.toString('utf8'));
    } catch {
      throw new SyncRejection('bad_content', '登记文件的内容格式不正确');
    }
    b = strictParse(enrolBody, json, '登记文件的内容', 'bad_content');
  } catch (err) {
    if (err instanceof SyncRejection) throw new AppError('invalid_input', err.message);
    throw err;
  }
  if (b.point.code !== m.point) throw new AppError('invalid_input', '登记文件的内容与清单不一致');
  const point = getPoint(reg);
  if (!point) throw new AppError('not_initialized', '请先完成代办点的首次设置（区划代码、代办员），再登记到县里');
  if (point.villageCode !== m.point) {
    throw new AppError('refused', `本代办点的区划代码是 ${point.villageCode}，而这份登记属于 ${m.point}，不能使用。请向县政务服务中心核对。`);
  }
  if (m.point.slice(0, 6) !== m.county) throw new AppError('invalid_input', '登记文件中的代办点不属于发出它的县');
  const existing = getEnrolment(reg);
  if (existing && existing.confirmed_at && (existing.county_code !== m.county || existing.county_public_key !== m.countyPublicKey)) {
    throw new AppError('refused', `本机已登记到${existing.county_name}，不能改登记到另一个县级中心。`);
  }
  let ticketId: string | null = null;
  let proof: string | null = null;
  if (opts.method === 'file') {
    if (!m.ticket || !b.ticketSecret) throw new AppError('invalid_input', '这份文件不是登记文件（缺少一次性登记凭据）');
    ticketId = m.ticket.id;
    proof = ticketProof(b.ticketSecret, reg.deviceId, opts.keys.publicKey);
  } else if (m.device !== reg.deviceId) {
    throw new AppError('invalid_input', '县里返回的登记信息不是给本机的');
  }
  const catalog = parseCatalogFile(b.catalog);
  try {
    createWorkCalendar(b.holidays);
  } catch (err) {
    throw new AppError('invalid_input', err instanceof Error ? err.message : '节假日数据格式不正确');
  }

  const now = reg.nowIso();
  let dueChanged = 0;
  try {
    reg.tx(() => {
      reg.db
        .prepare(
          `INSERT INTO sync_enrolment (id, county_code, county_name, county_public_key, county_url, point_code, device_public_key,
             device_private_key, method, ticket_id, ticket_proof, enrolled_at, confirmed_at)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET county_code = excluded.county_code, county_name = excluded.county_name,
             county_public_key = excluded.county_public_key, county_url = excluded.county_url, point_code = excluded.point_code,
             device_public_key = excluded.device_public_key, device_private_key = excluded.device_private_key,
             method = excluded.method, ticket_id = excluded.ticket_id, ticket_proof = excluded.ticket_proof,
             enrolled_at = excluded.enrolled_at, confirmed_at = excluded.confirmed_at`,
        )
        .run(m.county, m.countyName, m.countyPublicKey, opts.url, m.point, opts.keys.publicKey, opts.keys.privateKey, opts.method, ticketId, proof, now, opts.method === 'code' ? now : null);
      const st = getSyncState(reg);
      setSyncState(reg, { downstream_through: Math.max(st.downstream_through, b.downstreamThrough), last_error: null });
      reg.db
        .prepare(`UPDATE point SET village_name = ?, township_name = ?, county_name = ?, updated_at = ? WHERE id = 1`)
        .run(b.point.villageName, b.point.townshipName, b.point.countyName, now);
      // The letter this laptop puts into its case numbers from now on (domain/caseNumber.ts).
      reg.db
        .prepare(`INSERT INTO meta (key, value) VALUES ('case_letter', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
        .run(b.caseLetter ?? '');
      reg.writer.observeHlc(decodeHlc(m.countyHlc));
      importCatalog(reg, catalog);
      if (b.holidays.length) importHolidayTables(reg, b.holidays);
      dueChanged = recomputeDueDates(reg);
    });
  } finally {
    reg.reloadCalendar();
  }
  const unit = unitName({ countyName: b.point.countyName, townshipName: b.point.townshipName, villageName: b.point.villageName });
  return {
    countyName: m.countyName,
    countyCode: m.county,
    pointCode: m.point,
    unitName: unit,
    method: opts.method,
    catalogVersion: catalog.version,
    catalogItems: catalog.items.length,
    holidayYears: b.holidays.map((t) => t.year),
    dueDatesChanged: dueChanged,
    deviceFingerprint: fingerprint(opts.keys.publicKey),
    countyFingerprint: fingerprint(m.countyPublicKey),
    message:
      opts.method === 'code'
        ? `已登记到${m.countyName}（${unit}），收到事项目录 ${catalog.version}（${catalog.items.length} 项）。`
        : `已按登记文件登记到${m.countyName}（${unit}）。第一次把同步文件交到县里后，县里会确认本机。`,
  };
}

export function recentDownstream(reg: Register, limit = 20): DownstreamSummary[] {
  return (
    reg.db.prepare(`SELECT id, kind, applied_at, summary FROM sync_downstream ORDER BY applied_at DESC, seq DESC LIMIT ?`).all(limit) as {
      id: string;
      kind: DownstreamSummary['kind'];
      applied_at: string;
      summary: string;
    }[]
  ).map((r) => ({ id: r.id, kind: r.kind, appliedAt: r.applied_at, summary: r.summary }));
}

export function openConflictCount(reg: Register): number {
  return (reg.db.prepare(`SELECT COUNT(*) AS n FROM sync_conflicts WHERE resolved_at IS NULL`).get() as { n: number }).n;
}

const ENTITY_LABELS: Record<string, string> = {
  cases: '代办件',
  applicants: '申请人',
  case_materials: '材料',
  visits: '来访登记',
  followups: '回访',
  rectifications: '整改',
  agents: '代办员',
};

export const FIELD_LABELS: Record<string, string> = {
  status: '办理状态',
  decision: '办理结果',
  decision_date: '办结日期',
  decision_note: '办结说明',
  returned_at: '退回补正日期',
  decided_by_county: '由县级办结',
};

function displayValue(field: string, v: string | null): string | null {
  if (v == null) return null;
  if (field === 'status') return CASE_STATUSES[v as keyof typeof CASE_STATUSES] ?? v;
  if (field === 'decision') return DECISIONS[v as keyof typeof DECISIONS] ?? v;
  return v;
}

type ConflictDbRow = {
  id: string;
  entity: string;
  entity_id: string;
  field: string;
  local_value: string | null;
  remote_value: string | null;
  winner: 'local' | 'remote';
  reason: string;
  detected_at: string;
  resolved_at: string | null;
  resolved_note: string;
  case_no: string | null;
};

function toConflict(r: ConflictDbRow): SyncConflict {
  return {
    id: r.id,
    entity: r.entity,
    entityLabel: ENTITY_LABELS[r.entity] ?? r.entity,
    entityId: r.entity_id,
    caseNo: r.case_no,
    field: r.field,
    fieldLabel: FIELD_LABELS[r.field] ?? r.field,
    localValue: displayValue(r.field, r.local_value),
    remoteValue: displayValue(r.field, r.remote_value),
    winner: r.winner,
    reason: r.reason,
    detectedAt: r.detected_at,
    resolvedAt: r.resolved_at,
    resolvedNote: r.resolved_note,
  };
}

const CONFLICT_SELECT = `SELECT k.*, c.case_no FROM sync_conflicts k LEFT JOIN cases c ON k.entity = 'cases' AND c.id = k.entity_id`;

export function listConflicts(reg: Register, includeResolved: boolean): SyncConflict[] {
  const rows = reg.db
    .prepare(`${CONFLICT_SELECT} ${includeResolved ? '' : 'WHERE k.resolved_at IS NULL'} ORDER BY k.detected_at DESC LIMIT 500`)
    .all() as ConflictDbRow[];
  return rows.map(toConflict);
}

/** A person looked at the conflict and settled it (the values themselves are changed with the normal screens). */
export function resolveConflict(reg: Register, id: string, note: string, agentId: string): SyncConflict {
  const r = reg.db.prepare(`UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolved_note = ? WHERE id = ? AND resolved_at IS NULL`).run(reg.nowIso(), agentId, note, id);
  const row = reg.db.prepare(`${CONFLICT_SELECT} WHERE k.id = ?`).get(id) as ConflictDbRow | undefined;
  if (!row) throw new AppError('not_found', '找不到这条冲突记录');
  if (r.changes === 0 && !row.resolved_at) throw new AppError('conflict', '这条冲突记录未能标记为已处理，请重试');
  return toConflict(row);
}
