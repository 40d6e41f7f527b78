// The county register. Record tables keep the village's table and column names (so the same
// statistics definitions run here with an extra `point_code = ?`), without the village's NOT NULL,
// CHECK and foreign-key constraints: the village validated its rows, and one odd row must not
// block a whole point's sync. Personal-security columns of agents (PIN hash, lockout) never arrive.
export const sql = /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE county (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  code        TEXT NOT NULL CHECK (length(code) = 6),
  name        TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE points (
  code          TEXT PRIMARY KEY CHECK (length(code) = 12),
  village_name  TEXT NOT NULL,
  township_name TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE enrol_tickets (
  id          TEXT PRIMARY KEY,
  point_code  TEXT NOT NULL REFERENCES points(code),
  code_hash   TEXT NOT NULL,
  secret      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT,
  used_by     TEXT,
  used_via    TEXT
) STRICT;
CREATE INDEX enrol_tickets_open ON enrol_tickets(used_at, expires_at);

CREATE TABLE devices (
  id                 TEXT PRIMARY KEY,
  point_code         TEXT NOT NULL REFERENCES points(code),
  public_key         TEXT NOT NULL,
  name               TEXT NOT NULL DEFAULT '',
  enrolled_at        TEXT NOT NULL,
  enrolled_via       TEXT NOT NULL,
  revoked_at         TEXT,
  revoked_reason     TEXT NOT NULL DEFAULT '',
  last_seen_at       TEXT,
  applied_through    INTEGER NOT NULL DEFAULT 0,
  downstream_through INTEGER NOT NULL DEFAULT 0,
  last_hlc           TEXT,
  clock_skew_ms      INTEGER,
  skew_measured_at   TEXT
) STRICT;
CREATE INDEX devices_point ON devices(point_code);

-- Verified batches that arrived ahead of a gap; applied as soon as the gap is filled.
CREATE TABLE held_batches (
  batch_id    TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL REFERENCES devices(id),
  from_seq    INTEGER NOT NULL,
  to_seq      INTEGER NOT NULL,
  bytes       BLOB NOT NULL,
  source      TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX held_batches_device ON held_batches(device_id, from_seq);

CREATE TABLE import_log (
  id          INTEGER PRIMARY KEY,
  batch_id    TEXT,
  source      TEXT NOT NULL,
  point_code  TEXT,
  device_id   TEXT,
  from_seq    INTEGER,
  to_seq      INTEGER,
  count       INTEGER,
  applied     INTEGER NOT NULL DEFAULT 0,
  result      TEXT NOT NULL CHECK (result IN ('imported','already','held','rejected')),
  reason      TEXT NOT NULL DEFAULT '',
  at          TEXT NOT NULL
) STRICT;
CREATE INDEX import_log_at ON import_log(at);
CREATE INDEX import_log_device ON import_log(device_id, at);

-- One row per change ever applied: (device, seq) is the exactly-once key.
CREATE TABLE changes (
  device_id  TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  change_id  TEXT NOT NULL,
  hlc        TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  op         TEXT NOT NULL,
  action     TEXT NOT NULL,
  PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;

-- Field-level last-writer-wins bookkeeping. field '*' is the clock of the insert, which every
-- field not listed separately still carries. origin: 'v' village, 'c' county (decision_id set).
CREATE TABLE field_clocks (
  tbl         TEXT NOT NULL,
  id          TEXT NOT NULL,
  field       TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  origin      TEXT NOT NULL,
  decision_id TEXT,
  PRIMARY KEY (tbl, id, field)
) STRICT, WITHOUT ROWID;

CREATE TABLE decisions (
  id            TEXT PRIMARY KEY,
  point_code    TEXT NOT NULL,
  case_id       TEXT NOT NULL,
  case_no       TEXT NOT NULL,
  action        TEXT NOT NULL,
  decision      TEXT,
  date          TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  hlc           TEXT NOT NULL,
  made_by       TEXT NOT NULL DEFAULT '',
  made_at       TEXT NOT NULL,
  basis_json    TEXT NOT NULL,
  seen_device   TEXT,
  seen_seq      INTEGER
) STRICT;
CREATE INDEX decisions_case ON decisions(case_id);

-- County → village messages, in one county-wide order; point_code NULL means every point.
CREATE TABLE downstream (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  point_code  TEXT,
  kind        TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX downstream_point ON downstream(point_code, seq);

CREATE TABLE conflicts (
  id            TEXT PRIMARY KEY,
  point_code    TEXT NOT NULL,
  tbl           TEXT NOT NULL,
  record_id     TEXT NOT NULL,
  field         TEXT NOT NULL,
  village_value TEXT,
  county_value  TEXT,
  village_hlc   TEXT NOT NULL,
  county_hlc    TEXT NOT NULL,
  winner        TEXT NOT NULL CHECK (winner IN ('village','county')),
  decision_id   TEXT,
  device_id     TEXT,
  seq           INTEGER,
  detected_at   TEXT NOT NULL,
  resolved_at   TEXT
) STRICT;
CREATE INDEX conflicts_point ON conflicts(point_code, detected_at);

CREATE TABLE catalog_versions (
  version      TEXT PRIMARY KEY,
  json         TEXT NOT NULL,
  published_at TEXT NOT NULL
) STRICT;

CREATE TABLE holiday_tables (
  year        INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,
  off_json    TEXT NOT NULL,
  work_json   TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;

-- ---- the records of every point ----
-- Not STRICT: a value of an unexpected type is stored as it came rather than blocking the point's sync.
CREATE TABLE agents (
  id          TEXT PRIMARY KEY,
  point_code  TEXT NOT NULL,
  name        TEXT,
  phone       TEXT DEFAULT '',
  active      INTEGER DEFAULT 1,
  created_at  TEXT,
  created_by  TEXT,
  updated_at  TEXT
);
CREATE INDEX agents_point ON agents(point_code);

CREATE TABLE applicants (
  id             TEXT PRIMARY KEY,
  point_code     TEXT NOT NULL,
  kind           TEXT,
  name           TEXT,
  name_pinyin    TEXT DEFAULT '',
  name_initials  TEXT DEFAULT '',
  id_number      TEXT,
  id_rev         TEXT,
  birth_date     TEXT,
  sex            TEXT,
  credit_code    TEXT,
  phone          TEXT DEFAULT '',
  phone_rev      TEXT DEFAULT '',
  village_group  TEXT DEFAULT '',
  address        TEXT DEFAULT '',
  created_at     TEXT,
  created_by     TEXT,
  updated_at     TEXT,
  updated_by     TEXT
);
CREATE INDEX applicants_point ON applicants(point_code);
CREATE INDEX applicants_id_number ON applicants(id_number);

CREATE TABLE cases (
  id                 TEXT PRIMARY KEY,
  point_code         TEXT NOT NULL,
  case_no            TEXT,
  applicant_id       TEXT,
  item_code          TEXT,
  item_name          TEXT,
  status             TEXT,
  handling_mode      TEXT,
  intake_date        TEXT,
  intake_at          TEXT,
  backfilled         INTEGER DEFAULT 0,
  committed_workdays INTEGER,
  pause_on_wait      INTEGER DEFAULT 0,
  waiting_workdays   INTEGER DEFAULT 0,
  due_date           TEXT,
  due_estimated      INTEGER DEFAULT 0,
  agent_id           TEXT,
  handed_to          TEXT DEFAULT '',
  handed_at          TEXT,
  returned_at        TEXT,
  decision           TEXT,
  decision_date      TEXT,
  decision_note      TEXT DEFAULT '',
  decided_by_county  INTEGER DEFAULT 0,
  delivery_method    TEXT,
  delivered_at       TEXT,
  delivered_to       TEXT DEFAULT '',
  archived_at        TEXT,
  withdrawn_at       TEXT,
  withdraw_reason    TEXT DEFAULT '',
  refusal_reason     TEXT DEFAULT '',
  visit_id           TEXT,
  note               TEXT DEFAULT '',
  created_at         TEXT,
  created_by         TEXT,
  updated_at         TEXT,
  updated_by         TEXT,
  county_decision_id TEXT
);
CREATE INDEX cases_point_intake ON cases(point_code, intake_date);
CREATE INDEX cases_case_no ON cases(case_no);
CREATE INDEX cases_status_due ON cases(status, due_date);
CREATE INDEX cases_decision_date ON cases(decision_date);

CREATE TABLE case_materials (
  id             TEXT PRIMARY KEY,
  point_code     TEXT NOT NULL,
  case_id        TEXT,
  position       INTEGER,
  name           TEXT,
  form           TEXT DEFAULT '',
  copies         INTEGER DEFAULT 1,
  required       INTEGER DEFAULT 1,
  can_defer      INTEGER DEFAULT 0,
  state          TEXT,
  promised_date  TEXT,
  received_at    TEXT,
  custody        TEXT DEFAULT 'none',
  updated_at     TEXT,
  updated_by     TEXT
);
CREATE INDEX case_materials_case ON case_materials(case_id, position);

CREATE TABLE visits (
  id              TEXT PRIMARY KEY,
  point_code      TEXT NOT NULL,
  visited_at      TEXT,
  visit_date      TEXT,
  backfilled      INTEGER DEFAULT 0,
  visitor_name    TEXT,
  name_pinyin     TEXT DEFAULT '',
  name_initials   TEXT DEFAULT '',
  visitor_phone   TEXT DEFAULT '',
  applicant_id    TEXT,
  visitor_count   INTEGER DEFAULT 1,
  channel         TEXT,
  category        TEXT,
  summary         TEXT,
  handling        TEXT,
  transferred_to  TEXT DEFAULT '',
  outcome         TEXT DEFAULT '',
  settled_date    TEXT,
  case_id         TEXT,
  agent_id        TEXT,
  created_at      TEXT,
  created_by      TEXT,
  updated_at      TEXT,
  updated_by      TEXT
);
CREATE INDEX visits_point_date ON visits(point_code, visit_date);

CREATE TABLE followups (
  id            TEXT PRIMARY KEY,
  point_code    TEXT NOT NULL,
  case_id       TEXT,
  kind          TEXT,
  method        TEXT,
  reached       INTEGER,
  rating        INTEGER,
  efficiency    INTEGER,
  service_level INTEGER,
  attitude      INTEGER,
  comment       TEXT DEFAULT '',
  followed_at   TEXT,
  follow_date   TEXT,
  backfilled    INTEGER DEFAULT 0,
  agent_id      TEXT,
  created_at    TEXT,
  created_by    TEXT
);
CREATE INDEX followups_case ON followups(case_id, kind);
CREATE INDEX followups_point_date ON followups(point_code, follow_date);

CREATE TABLE rectifications (
  id            TEXT PRIMARY KEY,
  point_code    TEXT NOT NULL,
  case_id       TEXT,
  followup_id   TEXT,
  opened_date   TEXT,
  due_date      TEXT,
  status        TEXT,
  action_note   TEXT DEFAULT '',
  closed_date   TEXT,
  closed_by     TEXT,
  created_at    TEXT,
  created_by    TEXT,
  updated_at    TEXT,
  updated_by    TEXT
);
CREATE INDEX rectifications_point ON rectifications(point_code, status, due_date);
`;
