// Outbox compaction: once the county has acknowledged a change and a grace period has passed, the
// village no longer needs it (the county holds it, and the daily backups of the grace period still
// do). The row is reduced to what proves the sequence: its seq, its op and the 16-byte digest of its
// place in the queue (device, seq, change id, clock, op: db/historyChain.ts queueDigest) that its
// history event's link covers; every other column becomes NULL and the payload ''. So seq stays
// contiguous, history rows keep their outbox_seq (and through them the record, the time and the
// agent), and the history chain stays checkable by doctor. Each
// device's newest row stays whole: its seq is where that device's sequence ends (sync reads it).
// Unacknowledged rows are never touched: they are what the next batch sends.
//
// Emptied rows leave half-empty pages that SQLite does not merge by itself, and new changes are
// appended at the end of the sequence, so the space only comes back with a VACUUM: reclaimSpace()
// runs one when compaction has freed at least a quarter of the file since the last (the first
// compaction of an old register; afterwards about once a month).
import { queueDigest } from './historyChain';
import type { Register } from './register';

/** Days after the county's acknowledgement before a change is compacted. */
export const COMPACTION_GRACE_DAYS = 30;
const CHUNK = 5000;
const WATERMARK_KEY = 'outbox_compacted_through';
const FREED_KEY = 'outbox_freed_since_vacuum';

export type CompactionResult = { compacted: number; through: number; freedBytes: number };

/** An outbox row as the change writer stored it. */
export type OutboxRow = {
  seq: number;
  change_id: string;
  hlc: string;
  device_id: string;
  entity: string;
  entity_id: string;
  op: string;
  payload: string;
  created_at: string;
};

function watermark(reg: Register): number {
  const row = reg.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(WATERMARK_KEY) as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

const bytes = (s: string | null) => (s == null ? 0 : Buffer.byteLength(s, 'utf8'));

/**
 * Compacts the changes acknowledged more than `graceDays` ago, in short transactions (a screen
 * saving a case waits at most one chunk). Idempotent; safe at any time.
 */
export function compactAcknowledgedOutbox(reg: Register, opts: { graceDays?: number; now?: Date } = {}): CompactionResult {
  const graceDays = opts.graceDays ?? COMPACTION_GRACE_DAYS;
  const now = opts.now ?? new Date(reg.nowIso());
  const cutoff = new Date(now.getTime() - graceDays * 86_400_000).toISOString();
  const ackedThrough = (reg.db.prepare(`SELECT acked_through AS n FROM sync_state WHERE id = 1`).get() as { n: number } | undefined)?.n ?? 0;
  let from = watermark(reg);

  // Acknowledgements come in seq order, so the rows past their grace period are one prefix of the
  // sequence: find its end (bounded by the county's acknowledgement, never beyond).
  const last = reg.db
    .prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM outbox WHERE seq > ? AND seq <= ? AND acked_at IS NOT NULL AND acked_at < ?`)
    .get(from, ackedThrough, cutoff) as { n: number };
  // Each device's newest row stays whole: "MAX(seq) WHERE device_id = ?" is that device's sequence end.
  const newest = new Set(
    (reg.db.prepare(`SELECT MAX(seq) AS s FROM outbox WHERE device_id IS NOT NULL GROUP BY device_id`).all() as { s: number }[]).map((r) => r.s),
  );
  let compacted = 0;
  let freedBytes = 0;
  const rows = reg.db.prepare(
    `SELECT seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at, acked_at FROM outbox
      WHERE seq > ? AND seq <= ? AND payload <> '' AND acked_at IS NOT NULL AND acked_at < ? ORDER BY seq`,
  );
  const reduce = reg.db.prepare(
    `UPDATE outbox SET change_id = NULL, hlc = NULL, device_id = NULL, entity = NULL, entity_id = NULL, payload = '',
            created_at = NULL, acked_at = NULL, digest = ? WHERE seq = ?`,
  );
  const mark = reg.db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  while (from < last.n) {
    const to = Math.min(from + CHUNK, last.n);
    reg.tx(() => {
      for (const r of rows.all(from, to, cutoff) as (OutboxRow & { acked_at: string })[]) {
        if (newest.has(r.seq)) continue;
        reduce.run(queueDigest({ device: r.device_id, seq: r.seq, changeId: r.change_id, hlc: r.hlc, op: r.op }), r.seq);
        compacted++;
        freedBytes += bytes(r.change_id) + bytes(r.hlc) + bytes(r.device_id) + bytes(r.entity) + bytes(r.entity_id) + bytes(r.payload) + bytes(r.created_at) + bytes(r.acked_at) - 16;
      }
      mark.run(WATERMARK_KEY, String(to));
    });
    from = to;
  }
  return { compacted, through: Math.max(from, watermark(reg)), freedBytes };
}

/**
 * VACUUMs the register when the payloads freed since the last VACUUM reach `share` of the file
 * (and at least 1 MB). Seconds on a village register; writers wait (busy_timeout) meanwhile.
 */
export function reclaimSpace(reg: Register, freedNow: number, share = 0.25): { vacuumed: boolean; beforeBytes: number; afterBytes: number } {
  const mark = reg.db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  const row = reg.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(FREED_KEY) as { value: string } | undefined;
  const freed = (row ? Number(row.value) : 0) + freedNow;
  const before = registerBytesPerCase(reg).fileBytes;
  if (freed < Math.max(1024 * 1024, before * share)) {
    if (freedNow > 0) mark.run(FREED_KEY, String(freed));
    return { vacuumed: false, beforeBytes: before, afterBytes: before };
  }
  reg.db.exec('VACUUM');
  reg.db.pragma('wal_checkpoint(TRUNCATE)');
  mark.run(FREED_KEY, '0');
  return { vacuumed: true, beforeBytes: before, afterBytes: registerBytesPerCase(reg).fileBytes };
}

/**
 * Whether a stored outbox payload was dropped by compaction (readers skip such rows). Compacted rows
 * have no record either, so queries by record do not find them; rows compacted before digests were
 * kept (schema 9) may still name their record.
 */
export function isCompactedPayload(payload: string): boolean {
  return payload === '';
}

/** Bytes the register's pages hold (file size less the free list), per case. */
export function registerBytesPerCase(reg: Register): { usedBytes: number; fileBytes: number; cases: number } {
  const pageSize = reg.db.pragma('page_size', { simple: true }) as number;
  const pages = reg.db.pragma('page_count', { simple: true }) as number;
  const free = reg.db.pragma('freelist_count', { simple: true }) as number;
  const cases = (reg.db.prepare(`SELECT COUNT(*) AS n FROM cases`).get() as { n: number }).n;
  return { usedBytes: (pages - free) * pageSize, fileBytes: pages * pageSize, cases };
}
