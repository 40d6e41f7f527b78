// Import of village batches at the county: all-or-nothing per batch, idempotent, in device order.
//
// Checks run from the outside in, and nothing of a batch is parsed before its signature and hash
// are verified: framing → manifest (strict) → county → point → device (enrolled, not revoked) →
// signature → length and SHA-256 → schema version → each line (strict) → sequence. Then, in one
// transaction: changes already imported are skipped (and must be the same changes), a batch ahead
// of a gap is held until the gap is filled, the rest is applied with field-level last-writer-wins.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Statement } from '../db/connection';
import type { SqlValue } from '../db/changes';
import { SYNCED_TABLES, type SyncedTable } from '../db/changes';
import { LATEST_SCHEMA_VERSION } from '../db/migrations/index';
import { checkBody, checkSignature, manifestJson, splitContainer, SyncRejection, type Container } from '../sync/wire/container';
import {
  batchManifest,
  checkBatchLine,
  MAX_UPLOAD_BYTES,
  pollManifest,
  strictParse,
  type BatchLine,
  type BatchManifest,
  type PollManifest,
} from '../sync/wire/protocol';
import { CONTESTED_FIELDS } from '../sync/wire/decisions';
import { uuidv7 } from '../domain/ids';
import type { County } from './db';

export type ImportResult = 'imported' | 'already' | 'held' | 'rejected';

export type ImportOutcome = {
  result: ImportResult;
  applied: number;
  message: string;
  reason?: string;
  code?: string;
  pointCode?: string;
  deviceId?: string;
  fromSeq?: number;
  toSeq?: number;
  appliedThrough?: number;
  gaps?: [number, number][];
};

export type DeviceRow = {
  id: string;
  point_code: string;
  public_key: string;
  revoked_at: string | null;
  revoked_reason: string;
  applied_through: number;
  downstream_through: number;
  last_hlc: string | null;
};

const NO_CONFLICT_FIELDS = new Set(['updated_at', 'updated_by', 'county_decision_id', 'decided_by_county']);
const MAX_HELD_PER_DEVICE = 1000;

type Auth = { device: DeviceRow | null; key: string; enrol: { ticketId: string; publicKey: string } | null };

/** Finds the key a container must be signed with: an enrolled device's, or one proving an enrolment file. */
function authenticate(county: County, m: BatchManifest | PollManifest, what: string): Auth {
  const id = county.requireIdentity();
  if (m.county !== id.code) {
    throw new SyncRejection('other_county', `这个${what}来自其他县（区划代码 ${m.county}），本中心是${id.name}（${id.code}）`);
  }
  const point = county.db.prepare(`SELECT code FROM points WHERE code = ?`).get(m.point);
  if (!point) throw new SyncRejection('unknown_point', `代办点 ${m.point} 未在本县登记，${what}不予接收`);
  const device = county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(m.device) as DeviceRow | undefined;
  if (m.enrol && (!device || device.public_key !== m.enrol.publicKey)) {
    const t = county.db.prepare(`SELECT * FROM enrol_tickets WHERE id = ?`).get(m.enrol.ticket) as
      | { id: string; point_code: string; secret: string; expires_at: string; used_at: string | null; used_by: string | null }
      | undefined;
    const expected = t ? createHmac('sha256', Buffer.from(t.secret, 'hex')).update(`${m.device}|${m.enrol.publicKey}`).digest() : null;
    const given = Buffer.from(m.enrol.proof, 'hex');
    const proofOk = !!expected && expected.length === given.length && timingSafeEqual(expected, given);
    if (!t || !proofOk || t.point_code !== m.point) {
      throw new SyncRejection('unknown_device', `发出${what}的设备未在县里登记（登记凭据无效），不予接收`);
    }
    // A used ticket never registers a key again: a copy of an enrolment file that was already used
    // must not let anyone re-key the device it enrolled.
    if (t.used_at) throw new SyncRejection('unknown_device', `这份登记文件已经使用过，不能再用来登记，${what}不予接收`);
    if (t.expires_at < county.nowIso()) {
      throw new SyncRejection('unknown_device', `这份登记文件已于 ${t.expires_at.slice(0, 10)} 过期，请向县政务服务中心重新申请`);
    }
    if (device && device.point_code !== m.point) throw new SyncRejection('unknown_device', `该设备登记在其他代办点，${what}不予接收`);
    return { device: device ?? null, key: m.enrol.publicKey, enrol: { ticketId: t.id, publicKey: m.enrol.publicKey } };
  }
  if (!device) throw new SyncRejection('unknown_device', `发出${what}的设备未在县里登记，不予接收。请先完成登记`);
  if (device.point_code !== m.point) throw new SyncRejection('unknown_device', `该设备登记在代办点 ${device.point_code}，不是 ${m.point}，${what}不予接收`);
  if (device.revoked_at) {
    throw new SyncRejection('revoked', `该设备已于 ${device.revoked_at.slice(0, 10)} 被县里停用${device.revoked_reason ? `（${device.revoked_reason}）` : ''}，${what}不予接收`);
  }
  return { device, key: device.public_key, enrol: null };
}

/** Registers (or re-keys) the device proven by an enrolment file; inside the import transaction. */
function completeEnrol(county: County, m: BatchManifest | PollManifest, auth: Auth, via: string): DeviceRow {
  const now = county.nowIso();
  if (auth.enrol) {
    county.db
      .prepare(
        `INSERT INTO devices (id, point_code, public_key, enrolled_at, enrolled_via) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET public_key = excluded.public_key, revoked_at = NULL, revoked_reason = ''`,
      )
      .run(m.device, m.point, auth.enrol.publicKey, now, `file:${via}`);
    const used = county.db
      .prepare(`UPDATE enrol_tickets SET used_at = ?, used_by = ?, used_via = 'file' WHERE id = ? AND used_at IS NULL`)
      .run(now, m.device, auth.enrol.ticketId);
    if (used.changes !== 1) throw new SyncRejection('unknown_device', '这份登记文件已经使用过，不能再用来登记');
  }
  return county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(m.device) as DeviceRow;
}

function parseLines(c: Container, m: BatchManifest): BatchLine[] {
  const text = c.body.toString('utf8');
  if (!text.endsWith('\n')) throw new SyncRejection('bad_content', '批次内容格式不正确（缺少结尾换行）');
  const raw = text.slice(0, -1).split('\n');
  if (raw.length !== m.count) throw new SyncRejection('bad_content', `批次内容有 ${raw.length} 条，清单写的是 ${m.count} 条`);
  const out: BatchLine[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    let json: unknown;
    try {
      json = JSON.parse(raw[i]);
    } catch {
      throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更不是有效的 JSON`);
    }
    const checked = checkBatchLine(json);
    if (!checked.ok) throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更格式不正确${checked.where ? `（${checked.where}）` : ''}`);
    const l = checked.line;
    if (l.seq !== m.fromSeq + i) throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更的序号是 ${l.seq}，应为 ${m.fromSeq + i}`);
    if (l.payload.table !== l.entity || l.payload.id !== l.entityId || l.payload.op !== l.op) {
      throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更的内容前后不一致`);
    }
    out[i] = l;
  }
  return out;
}

/** Applies changes to the county's record tables with per-field clocks. One instance per county connection. */
class Applier {
  private cols = new Map<SyncedTable, Set<string>>();
  private stmts = new Map<string, Statement<unknown[]>>();

  constructor(private readonly county: County) {
    for (const t of SYNCED_TABLES) {
      const names = (county.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
      this.cols.set(t, new Set(names.filter((n) => n !== 'id' && n !== 'point_code')));
    }
  }

  private stmt(key: string, sql: string): Statement<unknown[]> {
    let s = this.stmts.get(key);
    if (!s) {
      s = this.county.db.prepare<unknown[]>(sql);
      this.stmts.set(key, s);
    }
    return s;
  }

  /** Unknown columns mean a village newer than this county program: refuse the batch before applying. */
  checkColumns(lines: BatchLine[]): void {
    for (const l of lines) {
      const known = this.cols.get(l.entity)!;
      for (const f of Object.keys(l.payload.fields)) {
        if (!known.has(f)) throw new SyncRejection('newer_schema', `批次含有县级系统不认识的字段（${l.entity}.${f}），请先升级县级系统`);
      }
    }
  }

  apply(deviceId: string, point: string, l: BatchLine, stats: { conflicts: number }): void {
    const t = l.entity;
    this.stmt('chg', `INSERT INTO changes (device_id, seq, change_id, hlc, entity, entity_id, op, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
      deviceId,
      l.seq,
      l.changeId,
      l.hlc,
      t,
      l.entityId,
      l.op,
      l.payload.action,
    );
    const fields = l.payload.fields;
    const names = Object.keys(fields);
    if (l.op === 'insert') {
      const cols = ['id', 'point_code', ...names];
      const r = this.stmt(
        `ins:${t}:${names.join(',')}`,
        `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`,
      ).run(l.entityId, point, ...names.map((n) => fields[n]));
      if (r.changes === 1) {
        this.stmt('fc*', `INSERT INTO field_clocks (tbl, id, field, hlc, origin) VALUES (?, ?, '*', ?, 'v')`).run(t, l.entityId, l.hlc);
        return;
      }
    }
    const existing = this.stmt(`pt:${t}`, `SELECT point_code FROM ${t} WHERE id = ?`).get(l.entityId) as { point_code: string } | undefined;
    if (existing && existing.point_code !== point) {
      throw new SyncRejection('bad_content', `批次中的记录编号与其他代办点的记录重复（${t}），不予接收`);
    }
    if (!existing) {
      // An update before its insert (the insert comes from another device of the point, still to
      // come): the fields it carries get their own clocks, the rest waits at the lowest clock.
      const cols = ['id', 'point_code', ...names];
      this.stmt(`ins:${t}:${names.join(',')}`, `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`).run(
        l.entityId,
        point,
        ...names.map((n) => fields[n]),
      );
      this.stmt('fc*', `INSERT INTO field_clocks (tbl, id, field, hlc, origin) VALUES (?, ?, '*', ?, 'v')`).run(t, l.entityId, '');
      this.setClocks(t, l.entityId, names, l.hlc);
      return;
    }
    this.merge(deviceId, point, l, stats);
  }

  /** Village clocks for several fields of one record, in one statement. */
  private setClocks(t: string, id: string, fields: string[], hlc: string): void {
    if (!fields.length) return;
    const n = fields.length;
    this.stmt(
      `fcset:${n}`,
      `INSERT INTO field_clocks (tbl, id, field, hlc, origin, decision_id) VALUES ${Array.from({ length: n }, () => `(?, ?, ?, ?, 'v', NULL)`).join(', ')}
       ON CONFLICT(tbl, id, field) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin, decision_id = excluded.decision_id`,
    ).run(...fields.flatMap((f) => [t, id, f, hlc]));
  }

  /** Field-level last-writer-wins against what is there; concurrent edits of county decisions are recorded. */
  private merge(deviceId: string, point: string, l: BatchLine, stats: { conflicts: number }): void {
    const t = l.entity;
    const fields = l.payload.fields;
    const clocks = this.stmt('fcget', `SELECT field, hlc, origin, decision_id FROM field_clocks WHERE tbl = ? AND id = ?`).all(t, l.entityId) as {
      field: string;
      hlc: string;
      origin: string;
      decision_id: string | null;
    }[];
    const byField = new Map(clocks.map((c) => [c.field, c]));
    const star = byField.get('*') ?? { field: '*', hlc: '', origin: 'v', decision_id: null };
    // The village saying "this change comes after I applied county decision D".
    const seenDecision = t === 'cases' && typeof fields.county_decision_id === 'string' ? fields.county_decision_id : null;
    if (seenDecision) {
      this.stmt('seen', `UPDATE decisions SET seen_device = ?, seen_seq = ? WHERE id = ? AND seen_seq IS NULL`).run(deviceId, l.seq, seenDecision);
      // The village could not take the decision (its case had moved on) and keeps its own record:
      // the conflicts about that decision end with the village's values.
      if (l.payload.action === 'case.countyDecisionKept') {
        this.stmt('kept', `UPDATE conflicts SET winner = 'village' WHERE record_id = ? AND decision_id = ?`).run(l.entityId, seenDecision);
      }
    }
    let current: Record<string, SqlValue> | null = null;
    const set: string[] = [];
    for (const f of Object.keys(fields)) {
      const c = byField.get(f) ?? star;
      if (c.origin === 'c' && c.decision_id && !NO_CONFLICT_FIELDS.has(f) && CONTESTED_FIELDS.includes(f)) {
        const d = this.stmt('dseen', `SELECT seen_seq, hlc FROM decisions WHERE id = ?`).get(c.decision_id) as { seen_seq: number | null } | undefined;
        if (d && d.seen_seq === null) {
          current ??= this.stmt(`row:${t}`, `SELECT * FROM ${t} WHERE id = ?`).get(l.entityId) as Record<string, SqlValue>;
          if (current[f] !== fields[f]) {
            const villageWins = l.hlc > c.hlc;
            stats.conflicts++;
            this.stmt(
              'conflict',
              `INSERT INTO conflicts (id, point_code, tbl, record_id, field, village_value, county_value, village_hlc, county_hlc, winner, decision_id, device_id, seq, detected_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            ).run(
              uuidv7(this.county.clock.nowMs()),
              point,
              t,
              l.entityId,
              f,
              fields[f] == null ? null : String(fields[f]),
              current[f] == null ? null : String(current[f]),
              l.hlc,
              c.hlc,
              villageWins ? 'village' : 'county',
              c.decision_id,
              deviceId,
              l.seq,
              this.county.nowIso(),
            );
          }
        }
      }
      if (l.hlc > c.hlc) set.push(f);
    }
    this.setClocks(t, l.entityId, set, l.hlc);
    if (set.length) {
      this.stmt(`upd:${t}:${set.join(',')}`, `UPDATE ${t} SET ${set.map((f) => `${f} = ?`).join(', ')} WHERE id = ?`).run(
        ...set.map((f) => fields[f]),
        l.entityId,
      );
    }
  }
}

const appliers = new WeakMap<County, Applier>();
function applierFor(county: County): Applier {
  let a = appliers.get(county);
  if (!a) {
    a = new Applier(county);
    appliers.set(county, a);
  }
  return a;
}

function heldRanges(county: County, deviceId: string): [number, number][] {
  return (county.db.prepare(`SELECT from_seq, to_seq FROM held_batches WHERE device_id = ? ORDER BY from_seq`).all(deviceId) as { from_seq: number; to_seq: number }[]).map(
    (r) => [r.from_seq, r.to_seq],
  );
}

export function deviceGaps(county: County, deviceId: string, appliedThrough: number): [number, number][] {
  const gaps: [number, number][] = [];
  let next = appliedThrough + 1;
  for (const [f, t] of heldRanges(county, deviceId)) {
    if (f > next) gaps.push([next, f - 1]);
    next = Math.max(next, t + 1);
  }
  return gaps;
}

type Applied = { applied: number; skipped: number; conflicts: number; maxHlc: string };

/** Applies the part of `lines` past the device's applied_through; verifies the overlap is the same changes. */
function applyLines(county: County, dev: DeviceRow, lines: BatchLine[], acc: Applied): void {
  const from = lines[0].seq;
  const through = dev.applied_through;
  if (from <= through) {
    const hi = Math.min(through, lines[lines.length - 1].seq);
    const rows = county.db.prepare(`SELECT seq, change_id FROM changes WHERE device_id = ? AND seq BETWEEN ? AND ?`).all(dev.id, from, hi) as {
      seq: number;
      change_id: string;
    }[];
    const known = new Map(rows.map((r) => [r.seq, r.change_id]));
    for (const l of lines) {
      if (l.seq > hi) break;
      const k = known.get(l.seq);
      if (k !== undefined && k !== l.changeId) {
        throw new SyncRejection(
          'replaced_history',
          `该设备的第 ${l.seq} 条变更此前已导入，但内容不同（这台电脑可能从旧备份恢复过）。批次不予接收，请联系县政务服务中心核对`,
        );
      }
      acc.skipped++;
    }
  }
  const a = applierFor(county);
  const stats = { conflicts: 0 };
  for (const l of lines) {
    if (l.seq <= through) continue;
    a.apply(dev.id, dev.point_code, l, stats);
    acc.applied++;
    if (l.hlc > acc.maxHlc) acc.maxHlc = l.hlc;
  }
  acc.conflicts += stats.conflicts;
  dev.applied_through = Math.max(through, lines[lines.length - 1].seq);
}

/** After applying, any held batch that now connects is applied too (same transaction). */
function releaseHeld(county: County, dev: DeviceRow, acc: Applied): void {
  for (let guard = 0; guard < MAX_HELD_PER_DEVICE + 1; guard++) {
    county.db.prepare(`DELETE FROM held_batches WHERE device_id = ? AND to_seq <= ?`).run(dev.id, dev.applied_through);
    const h = county.db
      .prepare(`SELECT batch_id, bytes FROM held_batches WHERE device_id = ? AND from_seq <= ? ORDER BY from_seq LIMIT 1`)
      .get(dev.id, dev.applied_through + 1) as { batch_id: string; bytes: Buffer } | undefined;
    if (!h) return;
    // Verified when it arrived; the framing is parsed again from the stored bytes.
    const c = splitContainer(h.bytes, 'BATCH');
    const m = strictParse(batchManifest, manifestJson(c), '暂存批次的清单');
    const lines = parseLines(c, m);
    applyLines(county, dev, lines, acc);
    county.db.prepare(`DELETE FROM held_batches WHERE batch_id = ?`).run(h.batch_id);
  }
}

function logImport(
  county: County,
  o: { batchId?: string; source: string; point?: string; device?: string; from?: number; to?: number; count?: number; applied: number; result: ImportResult; reason?: string },
): void {
  county.db
    .prepare(
      `INSERT INTO import_log (batch_id, source, point_code, device_id, from_seq, to_seq, count, applied, result, reason, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(o.batchId ?? null, o.source.slice(0, 200), o.point ?? null, o.device ?? null, o.from ?? null, o.to ?? null, o.count ?? null, o.applied, o.result, o.reason ?? '', county.nowIso());
}

function touchDevice(county: County, dev: DeviceRow, m: { createdAt: string; deviceHlc: string; downstreamThrough: number }, live: boolean, maxHlc: string): void {
  const now = county.clock.nowMs();
  const skew = live ? Date.parse(m.createdAt) - now : null;
  const lastHlc = [dev.last_hlc ?? '', maxHlc, m.deviceHlc].sort().pop()!;
  county.db
    .prepare(
      `UPDATE devices SET applied_through = ?, last_seen_at = ?, last_hlc = ?, downstream_through = MAX(downstream_through, ?),
         clock_skew_ms = COALESCE(?, clock_skew_ms), skew_measured_at = CASE WHEN ? IS NULL THEN skew_measured_at ELSE ? END WHERE id = ?`,
    )
    .run(dev.applied_through, new Date(now).toISOString(), lastHlc, m.downstreamThrough, skew, skew, new Date(now).toISOString(), dev.id);
  county.observeHlc(lastHlc);
}

export type ImportOptions = {
  /** Where it came from, for the import log: 'http' or 'file:<name>'. */
  source: string;
  /** True when the batch arrived just now over the network, so its creation time measures the device clock. */
  live?: boolean;
};

/** Imports one batch file's bytes. Never throws for a bad batch: the outcome says why. */
export function importBatch(county: County, bytes: Buffer, opts: ImportOptions): ImportOutcome {
  let m: BatchManifest | null = null;
  try {
    if (bytes.length > MAX_UPLOAD_BYTES) throw new SyncRejection('too_large', `批次过大（${Math.round(bytes.length / 1024 / 1024)} MB），超过上限`);
    const c = splitContainer(bytes, 'BATCH');
    m = strictParse(batchManifest, manifestJson(c), '批次清单');
    const mm = m;
    const auth = authenticate(county, mm, '批次');
    checkSignature(c, auth.key, '登记的设备');
    checkBody(c, mm);
    if (mm.schemaVersion > LATEST_SCHEMA_VERSION) {
      throw new SyncRejection('newer_schema', `批次由更新版本的代办通生成（数据结构版本 ${mm.schemaVersion}），县级系统只支持到版本 ${LATEST_SCHEMA_VERSION}，请先升级县级系统`);
    }
    const lines = parseLines(c, mm);
    for (const l of lines) if (l.hlc.length > 100) throw new SyncRejection('bad_content', '时钟戳格式不正确');
    applierFor(county).checkColumns(lines);

    return county.tx((): ImportOutcome => {
      const dev = completeEnrol(county, mm, auth, opts.source);
      const acc: Applied = { applied: 0, skipped: 0, conflicts: 0, maxHlc: '' };
      const base = { pointCode: mm.point, deviceId: mm.device, fromSeq: mm.fromSeq, toSeq: mm.toSeq };
      const logBase = { batchId: mm.batchId, source: opts.source, point: mm.point, device: mm.device, from: mm.fromSeq, to: mm.toSeq, count: mm.count };
      if (mm.fromSeq > dev.applied_through + 1) {
        const held = heldRanges(county, dev.id);
        const already = held.some(([f, t]) => f <= mm.fromSeq && t >= mm.toSeq);
        if (!already) {
          if (held.length >= MAX_HELD_PER_DEVICE) throw new SyncRejection('too_large', '该设备暂存的批次过多，请先补齐缺失的变更');
          county.db
            .prepare(`INSERT OR IGNORE INTO held_batches (batch_id, device_id, from_seq, to_seq, bytes, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
            .run(mm.batchId, dev.id, mm.fromSeq, mm.toSeq, bytes, opts.source.slice(0, 200), county.nowIso());
        }
        touchDevice(county, dev, mm, !!opts.live, '');
        const gaps = deviceGaps(county, dev.id, dev.applied_through);
        const gapText = gaps.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join('、');
        const message = `已接收并暂存（第 ${mm.fromSeq}–${mm.toSeq} 条）：缺少该设备第 ${gapText} 条变更，补齐后自动导入`;
        logImport(county, { ...logBase, applied: 0, result: 'held', reason: `缺少第 ${gapText} 条` });
        return { ...base, result: 'held', applied: 0, appliedThrough: dev.applied_through, gaps, message };
      }
      applyLines(county, dev, lines, acc);
      const fromBatch = acc.applied;
      releaseHeld(county, dev, acc);
      touchDevice(county, dev, mm, !!opts.live, acc.maxHlc);
      const gaps = deviceGaps(county, dev.id, dev.applied_through);
      if (acc.applied === 0) {
        logImport(county, { ...logBase, applied: 0, result: 'already' });
        return { ...base, result: 'already', applied: 0, appliedThrough: dev.applied_through, gaps, message: `已导入过，未作改动（第 ${mm.fromSeq}–${mm.toSeq} 条）` };
      }
      const extra: string[] = [];
      if (acc.skipped) extra.push(`其中 ${acc.skipped} 条此前已导入`);
      if (acc.applied > fromBatch) extra.push(`暂存的后续批次随之导入 ${acc.applied - fromBatch} 条`);
      if (acc.conflicts) extra.push(`${acc.conflicts} 处与县级决定冲突，已记录`);
      logImport(county, { ...logBase, applied: acc.applied, result: 'imported', reason: extra.join('；') });
      return {
        ...base,
        result: 'imported',
        applied: acc.applied,
        appliedThrough: dev.applied_through,
        gaps,
        message: `已导入 ${acc.applied} 条变更（代办点 ${mm.point}，第 ${mm.fromSeq}–${mm.toSeq} 条${extra.length ? '；' + extra.join('；') : ''}）`,
      };
    });
  } catch (err) {
    const rej =
      err instanceof SyncRejection
        ? err
        : new SyncRejection('bad_content', '批次内容无法导入（与县级数据结构不符），已整批拒绝');
    if (!(err instanceof SyncRejection)) {
      console.error('[county] 导入异常:', err instanceof Error ? `${err.name}: ${err.message.slice(0, 160)}` : 'unknown');
    }
    try {
      county.tx(() =>
        logImport(county, {
          batchId: m?.batchId,
          source: opts.source,
          point: m?.point,
          device: m?.device,
          from: m?.fromSeq,
          to: m?.toSeq,
          count: m?.count,
          applied: 0,
          result: 'rejected',
          reason: rej.message,
        }),
      );
    } catch {
      /* logging must not hide the rejection */
    }
    return {
      result: 'rejected',
      applied: 0,
      code: rej.code,
      reason: rej.message,
      message: `拒绝：${rej.message}`,
      pointCode: m?.point,
      deviceId: m?.device,
      fromSeq: m?.fromSeq,
      toSeq: m?.toSeq,
    };
  }
}

/** A device's signed request for its reply. Returns the device (enrolled now if it proves an enrolment file). */
export function acceptPoll(county: County, bytes: Buffer, live: boolean): DeviceRow {
  if (bytes.length > 64 * 1024) throw new SyncRejection('too_large', '同步请求过大');
  const c = splitContainer(bytes, 'POLL');
  const m = strictParse(pollManifest, manifestJson(c), '同步请求');
  const auth = authenticate(county, m, '同步请求');
  checkSignature(c, auth.key, '登记的设备');
  checkBody(c, m);
  return county.tx(() => {
    const dev = completeEnrol(county, m, auth, 'http');
    touchDevice(county, dev, m, live, '');
    return county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(dev.id) as DeviceRow;
  });
}
