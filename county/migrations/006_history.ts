// The county's own copy of each point's history, verifiable on its own (issue 8, county/verify.ts):
// - changes: every imported change keeps its agent, time and note, its history event's own columns
//   (event id, case, detail), the history-chain digest the county computed for it (db/historyChain.ts)
//   and the batch whose signature vouches for it.
// - batch_signatures: each imported batch's signed lines (magic + manifest, which carries the device's
//   chain head) and the device's Ed25519 signature over them, kept after the body is gone.
// Changes imported before this version keep NULLs: `county verify` counts them as not verifiable.
export const sql = /* sql */ `
ALTER TABLE changes ADD COLUMN agent_id TEXT;
ALTER TABLE changes ADD COLUMN at TEXT;
ALTER TABLE changes ADD COLUMN note TEXT;
ALTER TABLE changes ADD COLUMN event_id TEXT;
ALTER TABLE changes ADD COLUMN case_id TEXT;
ALTER TABLE changes ADD COLUMN data TEXT;
ALTER TABLE changes ADD COLUMN digest BLOB;
ALTER TABLE changes ADD COLUMN batch_id TEXT;

CREATE TABLE batch_signatures (
  batch_id    TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL,
  from_seq    INTEGER NOT NULL,
  to_seq      INTEGER NOT NULL,
  signed      BLOB NOT NULL,
  signature   TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX batch_signatures_device ON batch_signatures(device_id, from_seq);
`;
