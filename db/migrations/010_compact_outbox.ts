// A synced register stays small (issue 11: ≤ 8 KB per case).
//
// - outbox: a change the county acknowledged long ago is compacted to what proves the sequence —
//   its seq, its op and a digest of the row as it was (db/outboxCompaction.ts); every other column
//   becomes NULL, so those columns lose NOT NULL (SQLite needs a table rebuild for that). The indexes
//   cover only the rows that still need them: change ids and record lookups of live rows, and the
//   unacknowledged rows of a device (a compacted row has no device and no acknowledgement time).
//   Rows compacted before this version (payload '' only) are reduced the same way by `run`, keeping
//   each device's newest row whole (its seq is that device's sequence end), with their queue digest
//   (db/historyChain.ts queueDigest) so their history links stay checkable.
// - events: nothing reads the history by (entity, entity_id, at) — the timeline reads it by case —
//   so that index goes; the case index needs no time (a case has a handful of events, sorted in memory).
import type { Db } from '../connection';
import { queueDigest } from '../historyChain';

export const sql = /* sql */ `
CREATE TABLE outbox_new (
  seq        INTEGER PRIMARY KEY,
  change_id  TEXT,
  hlc        TEXT,
  device_id  TEXT,
  entity     TEXT,
  entity_id  TEXT,
  op         TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at TEXT,
  acked_at   TEXT,
  digest     BLOB
) STRICT;
INSERT INTO outbox_new (seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at, acked_at)
  SELECT seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at, acked_at FROM outbox ORDER BY seq;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE UNIQUE INDEX outbox_change_id ON outbox(change_id) WHERE change_id IS NOT NULL;
CREATE INDEX outbox_unacked ON outbox(device_id, seq) WHERE acked_at IS NULL AND device_id IS NOT NULL;
CREATE INDEX outbox_entity ON outbox(entity, entity_id) WHERE entity_id IS NOT NULL;

DROP INDEX events_entity;
DROP INDEX events_case;
CREATE INDEX events_case ON events(case_id) WHERE case_id IS NOT NULL;
`;

export function run(db: Db): void {
  const rows = db
    .prepare(
      `SELECT seq, change_id, hlc, device_id, op FROM outbox
        WHERE payload = '' AND seq NOT IN (SELECT MAX(seq) FROM outbox GROUP BY device_id)`,
    )
    .all() as { seq: number; change_id: string; hlc: string; device_id: string; op: string }[];
  const reduce = db.prepare(
    `UPDATE outbox SET change_id = NULL, hlc = NULL, device_id = NULL, entity = NULL, entity_id = NULL, created_at = NULL,
            acked_at = NULL, digest = ? WHERE seq = ?`,
  );
  for (const r of rows) reduce.run(queueDigest({ device: r.device_id, seq: r.seq, changeId: r.change_id, hlc: r.hlc, op: r.op }), r.seq);
}
