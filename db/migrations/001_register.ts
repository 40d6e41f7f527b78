// The village register. Dates the user sees ('YYYY-MM-DD') are China calendar dates; instants
// (`*_at`) are ISO-8601 UTC strings. Nothing is ever deleted: cancel/withdraw fields instead.
export const sql = /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE point (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  village_code     TEXT NOT NULL CHECK (length(village_code) = 12),
  village_name     TEXT NOT NULL,
  township_name    TEXT NOT NULL,
  county_name      TEXT NOT NULL,
  consult_phone    TEXT NOT NULL DEFAULT '',
  complaint_phone  TEXT NOT NULL DEFAULT '',
  idle_lock_minutes INTEGER NOT NULL DEFAULT 10,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE agents (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  phone           TEXT NOT NULL DEFAULT '',
  secret_hash     TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  created_at      TEXT NOT NULL,
  created_by      TEXT,
  updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE catalog_items (
  code               TEXT PRIMARY KEY,
  name               TEXT NOT NULL,
  name_pinyin        TEXT NOT NULL DEFAULT '',
  name_initials      TEXT NOT NULL DEFAULT '',
  department         TEXT NOT NULL DEFAULT '',
  category           TEXT NOT NULL DEFAULT '',
  decided_at         TEXT NOT NULL DEFAULT '',
  committed_workdays INTEGER NOT NULL CHECK (committed_workdays >= 0),
  legal_workdays     INTEGER,
  fee                REAL NOT NULL DEFAULT 0,
  pause_on_wait      INTEGER NOT NULL DEFAULT 0,
  materials_json     TEXT NOT NULL DEFAULT '[]',
  catalog_version    TEXT NOT NULL DEFAULT '',
  active             INTEGER NOT NULL DEFAULT 1,
  updated_at         TEXT NOT NULL
) STRICT;

CREATE TABLE holiday_tables (
  year        INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,
  off_json    TEXT NOT NULL,
  work_json   TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;

CREATE TABLE applicants (
  id             TEXT PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('person','org')),
  name           TEXT NOT NULL,
  name_pinyin    TEXT NOT NULL DEFAULT '',
  name_initials  TEXT NOT NULL DEFAULT '',
  id_number      TEXT,
  id_rev         TEXT,
  birth_date     TEXT,
  sex            TEXT CHECK (sex IS NULL OR sex IN ('male','female')),
  credit_code    TEXT,
  phone          TEXT NOT NULL DEFAULT '',
  phone_rev      TEXT NOT NULL DEFAULT '',
  village_group  TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX applicants_id_number ON applicants(id_number) WHERE id_number IS NOT NULL;
CREATE UNIQUE INDEX applicants_credit_code ON applicants(credit_code) WHERE credit_code IS NOT NULL;
CREATE INDEX applicants_id_rev ON applicants(id_rev);
CREATE INDEX applicants_phone_rev ON applicants(phone_rev);
CREATE INDEX applicants_name ON applicants(name);
CREATE INDEX applicants_pinyin ON applicants(name_pinyin);
CREATE INDEX applicants_initials ON applicants(name_initials);

CREATE TABLE cases (
  id               TEXT PRIMARY KEY,
  case_no          TEXT NOT NULL UNIQUE,
  applicant_id     TEXT NOT NULL REFERENCES applicants(id),
  item_code        TEXT NOT NULL REFERENCES catalog_items(code),
  item_name        TEXT NOT NULL,
  status           TEXT NOT NULL,
  handling_mode    TEXT NOT NULL,
  intake_date      TEXT NOT NULL,
  intake_at        TEXT NOT NULL,
  backfilled       INTEGER NOT NULL DEFAULT 0,
  committed_workdays INTEGER NOT NULL,
  pause_on_wait    INTEGER NOT NULL DEFAULT 0,
  waiting_workdays INTEGER NOT NULL DEFAULT 0,
  due_date         TEXT NOT NULL,
  due_estimated    INTEGER NOT NULL DEFAULT 0,
  agent_id         TEXT NOT NULL REFERENCES agents(id),
  handed_to        TEXT NOT NULL DEFAULT '',
  handed_at        TEXT,
  returned_at      TEXT,
  decision         TEXT,
  decision_date    TEXT,
  decision_note    TEXT NOT NULL DEFAULT '',
  decided_by_county INTEGER NOT NULL DEFAULT 0,
  delivery_method  TEXT,
  delivered_at     TEXT,
  delivered_to     TEXT NOT NULL DEFAULT '',
  archived_at      TEXT,
  withdrawn_at     TEXT,
  withdraw_reason  TEXT NOT NULL DEFAULT '',
  refusal_reason   TEXT NOT NULL DEFAULT '',
  visit_id         TEXT,
  note             TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  updated_by       TEXT NOT NULL
) STRICT;
CREATE INDEX cases_applicant ON cases(applicant_id);
CREATE INDEX cases_status_due ON cases(status, due_date);
CREATE INDEX cases_intake ON cases(intake_date);
CREATE INDEX cases_decision_date ON cases(decision_date);
CREATE INDEX cases_item ON cases(item_code, intake_date);
CREATE INDEX cases_agent ON cases(agent_id, intake_date);

CREATE TABLE case_materials (
  id             TEXT PRIMARY KEY,
  case_id        TEXT NOT NULL REFERENCES cases(id),
  position       INTEGER NOT NULL,
  name           TEXT NOT NULL,
  form           TEXT NOT NULL DEFAULT '',
  copies         INTEGER NOT NULL DEFAULT 1,
  required       INTEGER NOT NULL DEFAULT 1,
  can_defer      INTEGER NOT NULL DEFAULT 0,
  state          TEXT NOT NULL,
  promised_date  TEXT,
  received_at    TEXT,
  custody        TEXT NOT NULL DEFAULT 'none',
  updated_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL
) STRICT;
CREATE INDEX case_materials_case ON case_materials(case_id, position);
CREATE INDEX case_materials_promised ON case_materials(state, promised_date);

CREATE TABLE visits (
  id              TEXT PRIMARY KEY,
  visited_at      TEXT NOT NULL,
  visit_date      TEXT NOT NULL,
  backfilled      INTEGER NOT NULL DEFAULT 0,
  visitor_name    TEXT NOT NULL,
  name_pinyin     TEXT NOT NULL DEFAULT '',
  name_initials   TEXT NOT NULL DEFAULT '',
  visitor_phone   TEXT NOT NULL DEFAULT '',
  applicant_id    TEXT REFERENCES applicants(id),
  visitor_count   INTEGER NOT NULL DEFAULT 1,
  channel         TEXT NOT NULL,
  category        TEXT NOT NULL,
  summary         TEXT NOT NULL,
  handling        TEXT NOT NULL,
  transferred_to  TEXT NOT NULL DEFAULT '',
  outcome         TEXT NOT NULL DEFAULT '',
  settled_date    TEXT,
  case_id         TEXT REFERENCES cases(id),
  agent_id        TEXT NOT NULL REFERENCES agents(id),
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  updated_by      TEXT NOT NULL
) STRICT;
CREATE INDEX visits_date ON visits(visit_date);
CREATE INDEX visits_name ON visits(visitor_name);
CREATE INDEX visits_initials ON visits(name_initials);
CREATE INDEX visits_pinyin ON visits(name_pinyin);

CREATE TABLE followups (
  id            TEXT PRIMARY KEY,
  case_id       TEXT NOT NULL REFERENCES cases(id),
  kind          TEXT NOT NULL,
  method        TEXT NOT NULL,
  reached       INTEGER NOT NULL,
  rating        INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
  efficiency    INTEGER CHECK (efficiency IS NULL OR efficiency BETWEEN 1 AND 5),
  service_level INTEGER CHECK (service_level IS NULL OR service_level BETWEEN 1 AND 5),
  attitude      INTEGER CHECK (attitude IS NULL OR attitude BETWEEN 1 AND 5),
  comment       TEXT NOT NULL DEFAULT '',
  followed_at   TEXT NOT NULL,
  follow_date   TEXT NOT NULL,
  backfilled    INTEGER NOT NULL DEFAULT 0,
  agent_id      TEXT NOT NULL REFERENCES agents(id),
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL
) STRICT;
CREATE INDEX followups_case ON followups(case_id, kind);
CREATE INDEX followups_date ON followups(follow_date);

CREATE TABLE rectifications (
  id            TEXT PRIMARY KEY,
  case_id       TEXT NOT NULL REFERENCES cases(id),
  followup_id   TEXT NOT NULL REFERENCES followups(id),
  opened_date   TEXT NOT NULL,
  due_date      TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open','closed')),
  action_note   TEXT NOT NULL DEFAULT '',
  closed_date   TEXT,
  closed_by     TEXT,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  updated_by    TEXT NOT NULL
) STRICT;
CREATE INDEX rectifications_status ON rectifications(status, due_date);
CREATE INDEX rectifications_case ON rectifications(case_id);

-- The history: one row per change to any record, with who and when (首问负责).
CREATE TABLE events (
  id          TEXT PRIMARY KEY,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  case_id     TEXT,
  action      TEXT NOT NULL,
  agent_id    TEXT,
  at          TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  data_json   TEXT NOT NULL DEFAULT '{}',
  outbox_seq  INTEGER
) STRICT;
CREATE INDEX events_entity ON events(entity, entity_id, at);
CREATE INDEX events_case ON events(case_id, at);

-- The sync outbox: every change as data, in a contiguous per-device sequence.
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY,
  change_id  TEXT NOT NULL UNIQUE,
  hlc        TEXT NOT NULL,
  device_id  TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  op         TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  acked_at   TEXT
) STRICT;
CREATE INDEX outbox_unacked ON outbox(acked_at, seq);
CREATE INDEX outbox_entity ON outbox(entity, entity_id);

CREATE TABLE day_sequences (
  day  TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) STRICT;
`;
