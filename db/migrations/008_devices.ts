// Several laptops per point, restore as a new device, replacement laptops (docs/sync-protocol.md §4a, §5a).
// - sync_state.seq_start: this device's sequence starts after it (a restored register keeps the outbox
//   of the device it was restored from; those rows keep that device's id and sequence numbers).
// - sync_state.records_*: how far the point's relayed records (siblings' and the county's) are applied.
// - sync_field_clocks: the clock of each relayed field value, so a later relay or a local edit wins by clock.
// - sync_retired_devices: the devices this register was before a restore, with their keys, so their
//   changes the county has not yet seen can still be sent, signed as they were made.
export const sql = /* sql */ `
ALTER TABLE sync_state ADD COLUMN seq_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN records_through INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN records_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN records_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN records_complete_at TEXT;

CREATE TABLE sync_field_clocks (
  tbl   TEXT NOT NULL,
  id    TEXT NOT NULL,
  field TEXT NOT NULL,
  hlc   TEXT NOT NULL,
  PRIMARY KEY (tbl, id, field)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_retired_devices (
  device_id     TEXT PRIMARY KEY,
  point_code    TEXT NOT NULL,
  county_code   TEXT NOT NULL,
  private_key   TEXT NOT NULL,
  through       INTEGER NOT NULL,
  acked_through INTEGER NOT NULL,
  seq_start     INTEGER NOT NULL DEFAULT 0,
  retired_at    TEXT NOT NULL,
  reason        TEXT NOT NULL,
  closed_at     TEXT
) STRICT;
`;
