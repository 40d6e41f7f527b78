// Import of village batches at the county: all-or-nothing per batch, idempotent, in device order.
//
// Checks run from the outside in, and nothing of a batch is parsed before its signature and hash
// are verified: framing → manifest (strict) → county → point → device (enrolled, not revoked) →
// signature → length and SHA-256 → schema version → each line (strict) → sequence. Then, in one
// transaction: changes already imported are skipped (and must be the same changes), a batch ahead
// of a gap is held until the gap is filled, the rest is applied with field-level last-writer-wins.
// The three parts live in county/import/: authenticate.ts, apply.ts, heldQueue.ts.
import { LATEST_SCHEMA_VERSION } from '../db/migrations/index';
import { checkBody, checkSignature, manifestJson, splitContainer, SyncRejection } from '../sync/wire/container';
import { verifyBytes } from '../sync/wire/keys';
import { batchManifest, MAX_UPLOAD_BYTES, pollManifest, retireMessage, strictParse, type BatchManifest, type RetireProof } from '../sync/wire/protocol';
import type { County } from './db';
import { authenticate, completeEnrol, type DeviceRow } from './import/authenticate';
import { applierFor, applyLines, parseLines, type Applied } from './import/apply';
import { deviceGaps, holdBatch, releaseHeld } from './import/heldQueue';

export type { DeviceRow } from './import/authenticate';
export { deviceGaps } from './import/heldQueue';

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
    const lines = parseLines(county, c, mm);
    for (const l of lines) if (l.hlc.length > 100) throw new SyncRejection('bad_content', '时钟戳格式不正确');
    applierFor(county).checkColumns(lines);

    return county.tx((): ImportOutcome => {
      const dev = completeEnrol(county, mm, auth, opts.source);
      adoptDeviceCursor(county, dev, mm);
      const acc: Applied = { applied: 0, skipped: 0, conflicts: 0, maxHlc: '' };
      const base = { pointCode: mm.point, deviceId: mm.device, fromSeq: mm.fromSeq, toSeq: mm.toSeq };
      const logBase = { batchId: mm.batchId, source: opts.source, point: mm.point, device: mm.device, from: mm.fromSeq, to: mm.toSeq, count: mm.count };
      if (mm.fromSeq > dev.applied_through + 1) {
        holdBatch(county, dev, mm, bytes, opts.source);
        touchDevice(county, dev, mm, !!opts.live, '');
        const gaps = deviceGaps(county, dev.id, dev.applied_through);
        const gapText = gaps.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join('、');
        const message = `已接收并暂存（第 ${mm.fromSeq}–${mm.toSeq} 条）：缺少该设备第 ${gapText} 条变更，补齐后自动导入`;
        logImport(county, { ...logBase, applied: 0, result: 'held', reason: `缺少第 ${gapText} 条` });
        return { ...base, result: 'held', applied: 0, appliedThrough: dev.applied_through, gaps, message };
      }
      applyLines(county, dev, lines, acc, { c, m: mm });
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
      if (acc.chainMismatch) extra.push('历史记录链与设备签名的链头不符（请用 county verify 核对该代办点）');
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

/**
 * What a device says about itself with every batch and poll: where its sequence starts (a restored
 * register continues the outbox it inherited), how far it has applied the point's relayed records,
 * and — once, after a restore — the device it used to be, proven by that device's signature.
 */
function adoptDeviceCursor(county: County, dev: DeviceRow, m: { seqStart?: number; recordsThrough?: number; retire?: RetireProof }): void {
  const start = m.seqStart ?? 0;
  if (start !== dev.seq_start) {
    const fresh = dev.applied_through === dev.seq_start && !county.db.prepare(`SELECT 1 FROM held_batches WHERE device_id = ?`).get(dev.id);
    if (!fresh) throw new SyncRejection('replaced_history', `该设备的变更序号起点（${start}）与县里记录的（${dev.seq_start}）不一致，不予接收。请联系县政务服务中心核对`);
    county.db.prepare(`UPDATE devices SET seq_start = ?, applied_through = ? WHERE id = ?`).run(start, start, dev.id);
    dev.seq_start = start;
    dev.applied_through = start;
  }
  if (m.recordsThrough !== undefined && m.recordsThrough > dev.records_through) {
    county.db.prepare(`UPDATE devices SET records_through = ? WHERE id = ?`).run(m.recordsThrough, dev.id);
    dev.records_through = m.recordsThrough;
  }
  if (m.retire) retireDevice(county, dev, m.retire);
}

/** Closes the sequence of the device a restored register used to be (docs/sync-protocol.md §5a). */
function retireDevice(county: County, dev: DeviceRow, r: RetireProof): void {
  if (r.device === dev.id) return;
  const old = county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(r.device) as DeviceRow | undefined;
  // Never enrolled here (a backup made before enrolment): nothing at the county to close.
  if (!old) return;
  if (old.point_code !== dev.point_code) throw new SyncRejection('other_point', '恢复前的设备登记在另一个代办点，不能由本设备接替');
  if (!verifyBytes(old.public_key, retireMessage(r.device, dev.id, r.through), r.signature)) {
    throw new SyncRejection('bad_signature', '接替旧设备的凭据签名无效（不是由旧设备的密钥签发的）');
  }
  const reason = `登记簿从备份恢复，由设备 ${dev.id.slice(0, 8)} 接替；备份中的变更截至第 ${r.through} 条`;
  county.db
    .prepare(
      `UPDATE devices SET closed_at = COALESCE(closed_at, ?), closed_through = MAX(COALESCE(closed_through, 0), applied_through, ?),
         closed_reason = CASE WHEN closed_at IS NULL THEN ? ELSE closed_reason END, replaced_by = COALESCE(replaced_by, ?) WHERE id = ?`,
    )
    .run(county.nowIso(), r.through, reason, dev.id, r.device);
}

/** A device's signed request for its reply. Returns the device (enrolled now if it proves an enrolment file). */
export function acceptPoll(county: County, bytes: Buffer, live: boolean): DeviceRow & { poll: { recordsThrough?: number; recordsLimit?: number; compress?: boolean } } {
  if (bytes.length > 64 * 1024) throw new SyncRejection('too_large', '同步请求过大');
  const c = splitContainer(bytes, 'POLL');
  const m = strictParse(pollManifest, manifestJson(c), '同步请求');
  const auth = authenticate(county, m, '同步请求');
  checkSignature(c, auth.key, '登记的设备');
  checkBody(c, m);
  return county.tx(() => {
    const dev = completeEnrol(county, m, auth, 'http');
    adoptDeviceCursor(county, dev, m);
    touchDevice(county, dev, m, live, '');
    const row = county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(dev.id) as DeviceRow;
    return { ...row, poll: { recordsThrough: m.recordsFrom ?? m.recordsThrough, recordsLimit: m.recordsLimit, compress: m.accept === 'deflate' } };
  });
}
