// Sync with the county (docs/sync-protocol.md). The device's private key is kept in this database,
// protected like the rest of the register (full-disk encryption, OS account); it never leaves it.
export const sql = /* sql */ `
CREATE TABLE sync_enrolment (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  county_code        TEXT NOT NULL CHECK (length(county_code) = 6),
  county_name        TEXT NOT NULL,
  county_public_key  TEXT NOT NULL,
  county_url         TEXT NOT NULL DEFAULT '',
  point_code         TEXT NOT NULL CHECK (length(point_code) = 12),
  device_public_key  TEXT NOT NULL,
  device_private_key TEXT NOT NULL,
  method             TEXT NOT NULL CHECK (method IN ('code','file')),
  ticket_id          TEXT,
  ticket_proof       TEXT,
  enrolled_at        TEXT NOT NULL,
  -- Set when the county first acknowledges this device (immediately for an enrolment code,
  -- with the first reply for an enrolment file).
  confirmed_at       TEXT
) STRICT;

CREATE TABLE sync_state (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  acked_through      INTEGER NOT NULL DEFAULT 0,
  downstream_through INTEGER NOT NULL DEFAULT 0,
  last_attempt_at    TEXT,
  last_success_at    TEXT,
  last_error         TEXT
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

CREATE TABLE sync_batches (
  id          TEXT PRIMARY KEY,
  from_seq    INTEGER NOT NULL,
  to_seq      INTEGER NOT NULL,
  count       INTEGER NOT NULL,
  file_hash   TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  via         TEXT NOT NULL CHECK (via IN ('http','usb')),
  file_name   TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  result      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sync_batches_created ON sync_batches(created_at);

CREATE TABLE sync_downstream (
  id          TEXT PRIMARY KEY,
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  hash        TEXT NOT NULL,
  via         TEXT NOT NULL DEFAULT '',
  applied_at  TEXT NOT NULL,
  summary     TEXT NOT NULL
) STRICT;
CREATE INDEX sync_downstream_applied ON sync_downstream(applied_at);

CREATE TABLE sync_conflicts (
  id            TEXT PRIMARY KEY,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  field         TEXT NOT NULL,
  local_value   TEXT,
  remote_value  TEXT,
  local_hlc     TEXT,
  remote_hlc    TEXT,
  winner        TEXT NOT NULL CHECK (winner IN ('local','remote')),
  reason        TEXT NOT NULL DEFAULT '',
  message_id    TEXT,
  detected_at   TEXT NOT NULL,
  resolved_at   TEXT,
  resolved_by   TEXT,
  resolved_note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at, detected_at);

-- Which county decision (downstream message id) the case's decision fields came from; the county
-- reads it back to know the village had seen its decision before a later edit.
ALTER TABLE cases ADD COLUMN county_decision_id TEXT;
`;
