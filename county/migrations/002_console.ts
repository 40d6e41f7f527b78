// The console's own tables: staff accounts, the audit log, 督办 notices, evaluation settings and
// warnings; a catalog_items table (kept equal to the newest published catalog by a trigger) so the
// village's statistics SQL (db/statistics.ts) runs unchanged here; indexes for county-wide search.
export const sql = /* sql */ `
CREATE TABLE accounts (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name    TEXT NOT NULL DEFAULT '',
  role            TEXT NOT NULL CHECK (role IN ('admin','clerk','township')),
  township_code   TEXT CHECK (township_code IS NULL OR length(township_code) = 9),
  password_hash   TEXT NOT NULL,
  must_change     INTEGER NOT NULL DEFAULT 1,
  disabled        INTEGER NOT NULL DEFAULT 0,
  failed_count    INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  last_sign_in_at TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK ((role = 'township') = (township_code IS NOT NULL))
) STRICT;

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL,
  account_id  TEXT,
  user_name   TEXT NOT NULL DEFAULT '',
  summary     TEXT NOT NULL DEFAULT '',
  ip          TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_kind ON audit_log(kind, at);

CREATE TABLE supervisions (
  id            TEXT PRIMARY KEY,
  point_code    TEXT NOT NULL,
  case_id       TEXT NOT NULL,
  note          TEXT NOT NULL,
  reply_by      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  message_seq   INTEGER,
  closed_at     TEXT,
  closed_by     TEXT,
  close_note    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX supervisions_case ON supervisions(case_id);
CREATE INDEX supervisions_point ON supervisions(point_code, closed_at);

-- The village's answers to 督办 notices and acknowledgements of warnings, synced up like any record
-- (village table supervision_answers, db/migrations/004_supervision.ts). Not STRICT, as the other record tables.
CREATE TABLE supervision_answers (
  id             TEXT PRIMARY KEY,
  point_code     TEXT NOT NULL,
  notice_id      TEXT,
  case_id        TEXT,
  answer         TEXT DEFAULT '',
  answered_at    TEXT,
  agent_id       TEXT,
  created_at     TEXT,
  created_by     TEXT
);
CREATE INDEX supervision_answers_notice ON supervision_answers(notice_id);

CREATE TABLE warnings (
  id          TEXT PRIMARY KEY,
  point_code  TEXT NOT NULL,
  month       TEXT NOT NULL,
  note        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
) STRICT;
CREATE INDEX warnings_point ON warnings(point_code, month);

ALTER TABLE conflicts ADD COLUMN resolved_by TEXT;

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;

-- The newest published catalog as rows (code → name, department) for statistics and filters.
CREATE TABLE catalog_items (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  department  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER catalog_items_follow AFTER INSERT ON catalog_versions BEGIN
  DELETE FROM catalog_items;
  INSERT OR REPLACE INTO catalog_items (code, name, department)
    SELECT json_extract(j.value, '$.code'), json_extract(j.value, '$.name'), COALESCE(json_extract(j.value, '$.department'), '')
    FROM json_each(NEW.json, '$.items') j;
END;
INSERT OR REPLACE INTO catalog_items (code, name, department)
  SELECT json_extract(j.value, '$.code'), json_extract(j.value, '$.name'), COALESCE(json_extract(j.value, '$.department'), '')
  FROM json_each((SELECT json FROM catalog_versions ORDER BY published_at DESC, rowid DESC LIMIT 1), '$.items') j;

-- County-wide search and supervision: everything a township or village filter narrows.
CREATE INDEX cases_point_status_due ON cases(point_code, status, due_date);
CREATE INDEX cases_intake_point ON cases(intake_date, point_code);
CREATE INDEX cases_applicant ON cases(applicant_id);
CREATE INDEX applicants_name ON applicants(name);
CREATE INDEX applicants_pinyin ON applicants(name_pinyin);
CREATE INDEX applicants_initials ON applicants(name_initials);
CREATE INDEX applicants_id_rev ON applicants(id_rev);
CREATE INDEX applicants_phone_rev ON applicants(phone_rev);
CREATE INDEX followups_stats_rating ON followups(case_id, followed_at, id, rating) WHERE rating IS NOT NULL;
CREATE INDEX rectifications_case ON rectifications(case_id);
CREATE INDEX changes_entity ON changes(entity_id);
`;
