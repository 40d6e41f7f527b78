// Outbox compaction: once the county has acknowledged a change and a grace period has passed, the
// village no longer needs the change's payload (the county holds it, and the daily backups of the
// grace period still do). The payload is emptied; the row stays, with what proves the sequence —
// seq, change_id, HLC, device, entity, op, created_at, acked_at — so seq stays contiguous, the
// doctor's checks hold, history rows keep their outbox_seq, and sync_batches keeps each batch's
// file hash. Unacknowledged rows are never touched: they are what the next batch sends.
//
// Emptied rows leave half-empty pages that SQLite does not merge by itself, and new changes are
// appended at the end of the sequence, so the space only comes back with a VACUUM: reclaimSpace()
// runs one when compaction has freed at least a quarter of the file since the last (the first
// compaction of an old register; afterwards about once a month).
import type { Register } from './register';

/** Days after the county's acknowledgement before a payload is dropped. */
export const COMPACTION_GRACE_DAYS = 30;
const CHUNK = 5000;
const WATERMARK_KEY = 'outbox_compacted_through';
const FREED_KEY = 'outbox_freed_since_vacuum';

export type CompactionResult = { compacted: number; through: number; freedBytes: number };

function watermark(reg: Register): number {
  const row = reg.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(WATERMARK_KEY) as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

/**
 * Empties the payloads of acknowledged changes acknowledged more than `graceDays` ago, in short
 * transactions (a screen saving a case waits at most one chunk). Idempotent; safe at any time.
 */
export function compactAcknowledgedOutbox(reg: Register, opts: { graceDays?: number; now?: Date } = {}): CompactionResult {
  const graceDays = opts.graceDays ?? COMPACTION_GRACE_DAYS;
  const now = opts.now ?? new Date(reg.nowIso());
  const cutoff = new Date(now.getTime() - graceDays * 86_400_000).toISOString();
  const ackedThrough = (reg.db.prepare(`SELECT acked_through AS n FROM sync_state WHERE id = 1`).get() as { n: number } | undefined)?.n ?? 0;

  // Acknowledgements come in seq order, so the rows past their grace period are one prefix of the
  // sequence: find its end (bounded by the county's acknowledgement, never beyond).
  const last = reg.db
    .prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ? AND seq <= ?`)
    .get(cutoff, ackedThrough) as { n: number };
  let from = watermark(reg);
  let compacted = 0;
  let freedBytes = 0;
  const sizeOf = reg.db.prepare(
    `SELECT COUNT(*) AS n, COALESCE(SUM(length(CAST(payload AS BLOB))), 0) AS bytes FROM outbox
      WHERE seq > ? AND seq <= ? AND payload <> '' AND acked_at IS NOT NULL AND acked_at < ?`,
  );
  const empty = reg.db.prepare(
    `UPDATE outbox SET payload = '' WHERE seq > ? AND seq <= ? AND payload <> '' AND acked_at IS NOT NULL AND acked_at < ?`,
  );
  const mark = reg.db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  while (from < last.n) {
    const to = Math.min(from + CHUNK, last.n);
    reg.tx(() => {
      const s = sizeOf.get(from, to, cutoff) as { n: number; bytes: number };
      empty.run(from, to, cutoff);
      mark.run(WATERMARK_KEY, String(to));
      compacted += s.n;
      freedBytes += s.bytes;
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

/** Whether a stored outbox payload was dropped by compaction (readers skip such rows). */
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
