// Batches that arrive ahead of a gap in a device's sequence are verified and held (their exact
// bytes) until the gap is filled; then every held batch that connects is applied, in order, in the
// same transaction as the batch that filled the gap.
import { manifestJson, splitContainer, SyncRejection } from '../../sync/wire/container';
import { batchManifest, strictParse, type BatchManifest } from '../../sync/wire/protocol';
import type { County } from '../db';
import type { DeviceRow } from './authenticate';
import { applyLines, parseLines, type Applied } from './apply';

const MAX_HELD_PER_DEVICE = 1000;


export function heldRanges(county: County, deviceId: string): [number, number][] {
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

/** After applying, any held batch that now connects is applied too (same transaction). */
export function releaseHeld(county: County, dev: DeviceRow, acc: Applied): void {
  for (let guard = 0; guard < MAX_HELD_PER_DEVICE + 1; guard++) {
    county.db.prepare(`DELETE FROM held_batches WHERE device_id = ? AND to_seq <= ?`).run(dev.id, dev.applied_through);
    const h = county.db
      .prepare(`SELECT batch_id, bytes FROM held_batches WHERE device_id = ? AND from_seq <= ? ORDER BY from_seq LIMIT 1`)
      .get(dev.id, dev.applied_through + 1) as { batch_id: string; bytes: Buffer } | undefined;
    if (!h) return;
    // Verified when it arrived; the framing is parsed again from the stored bytes.
    const c = splitContainer(h.bytes, 'BATCH');
    const m = strictParse(batchManifest, manifestJson(c), '暂存批次的清单');
    const lines = parseLines(county, c, m);
    applyLines(county, dev, lines, acc, { c, m });
    county.db.prepare(`DELETE FROM held_batches WHERE batch_id = ?`).run(h.batch_id);
  }
}


/** Keeps a verified batch that starts past the device's next expected change (once, however often it arrives). */
export function holdBatch(county: County, dev: DeviceRow, m: BatchManifest, bytes: Buffer, source: string): void {
  const held = heldRanges(county, dev.id);
  if (held.some(([f, t]) => f <= m.fromSeq && t >= m.toSeq)) return;
  if (held.length >= MAX_HELD_PER_DEVICE) throw new SyncRejection('too_large', '该设备暂存的批次过多，请先补齐缺失的变更');
  county.db
    .prepare(`INSERT OR IGNORE INTO held_batches (batch_id, device_id, from_seq, to_seq, bytes, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(m.batchId, dev.id, m.fromSeq, m.toSeq, bytes, source.slice(0, 200), county.nowIso());
}
