// The console at county size (300 points, ~900,000 cases; `npm run bench -- county`):
//
// 1. applicant_name_grams — every 2-character piece of every applicant's name (and its last
//    character alone), so "names containing 秀兰" is an index lookup instead of a scan of every name
//    (county/console/cases.ts countyNameMatch; the results are the village's substring match).
//
// 2. stat_days — the figures of domain/statistics.ts that are counted on one date of a case, per
//    point and day: on the intake date (受理量, 不予受理), the promised date (应办结, split into decided
//    and still undecided, because "undecided" counts only once the date has passed), and the decision
//    date (办结, 按时, 超期办结, 当日办结, 回访, 评价, 满意, 差评). A period's figures are sums over its
//    days (county/console/statDays.ts). stat_case_facts holds each case's follow-up facts (has a
//    办结回访, latest rating — db/statistics.ts HAS_RETURN_VISIT_SQL, LATEST_RATING_SQL) so a changed
//    follow-up moves its case's day figures. stat_points counts each point's cases for 总览.
//    Triggers keep all of them exact whatever writes the rows (import, county decisions, conflict
//    resolution); tests/county/statDays.test.ts compares them with the direct definitions.
//
// 3. Covering indexes for the ledger's filters, so a page sorts on index entries and reads only the
//    rows it shows; partial ones for 超期未办结; the import log by point for 总览.
export const sql = /* sql */ `
CREATE TABLE name_positions (i INTEGER PRIMARY KEY) STRICT;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO name_positions (i) SELECT i FROM n;

CREATE TABLE applicant_name_grams (
  gram         TEXT NOT NULL,
  applicant_id TEXT NOT NULL,
  PRIMARY KEY (gram, applicant_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO applicant_name_grams (gram, applicant_id)
  SELECT substr(a.name, p.i, 2), a.id FROM applicants a JOIN name_positions p ON p.i <= length(a.name)
  WHERE a.name IS NOT NULL ORDER BY 1, 2;
CREATE TRIGGER applicants_grams_insert AFTER INSERT ON applicants WHEN NEW.name IS NOT NULL BEGIN
  INSERT OR IGNORE INTO applicant_name_grams (gram, applicant_id)
    SELECT substr(NEW.name, i, 2), NEW.id FROM name_positions WHERE i <= length(NEW.name);
END;
CREATE TRIGGER applicants_grams_delete AFTER DELETE ON applicants WHEN OLD.name IS NOT NULL BEGIN
  DELETE FROM applicant_name_grams WHERE applicant_id = OLD.id
    AND gram IN (SELECT substr(OLD.name, i, 2) FROM name_positions WHERE i <= length(OLD.name));
END;
CREATE TRIGGER applicants_grams_update AFTER UPDATE OF id, name ON applicants WHEN OLD.id IS NOT NEW.id OR OLD.name IS NOT NEW.name BEGIN
  DELETE FROM applicant_name_grams WHERE applicant_id = OLD.id
    AND gram IN (SELECT substr(OLD.name, i, 2) FROM name_positions WHERE i <= length(OLD.name));
  INSERT OR IGNORE INTO applicant_name_grams (gram, applicant_id)
    SELECT substr(NEW.name, i, 2), NEW.id FROM name_positions WHERE NEW.name IS NOT NULL AND i <= length(NEW.name);
END;

CREATE TABLE stat_days (
  day              TEXT NOT NULL,
  point_code       TEXT NOT NULL,
  accepted         INTEGER NOT NULL DEFAULT 0,
  refused          INTEGER NOT NULL DEFAULT 0,
  due_decided      INTEGER NOT NULL DEFAULT 0,
  due_undecided    INTEGER NOT NULL DEFAULT 0,
  completed        INTEGER NOT NULL DEFAULT 0,
  on_time          INTEGER NOT NULL DEFAULT 0,
  completed_late   INTEGER NOT NULL DEFAULT 0,
  decided_same_day INTEGER NOT NULL DEFAULT 0,
  return_visited   INTEGER NOT NULL DEFAULT 0,
  rated            INTEGER NOT NULL DEFAULT 0,
  satisfied        INTEGER NOT NULL DEFAULT 0,
  poor             INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, point_code)
) WITHOUT ROWID;

CREATE TABLE stat_case_facts (
  case_id       TEXT PRIMARY KEY,
  has_rv        INTEGER NOT NULL,
  latest_rating INTEGER
) WITHOUT ROWID;

CREATE TABLE stat_points (
  point_code TEXT PRIMARY KEY,
  cases      INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO stat_case_facts (case_id, has_rv, latest_rating)
  SELECT k.case_id,
         EXISTS (SELECT 1 FROM followups f WHERE f.case_id = k.case_id AND f.kind = 'returnVisit'),
         (SELECT f.rating FROM followups f WHERE f.case_id = k.case_id AND f.rating IS NOT NULL ORDER BY f.followed_at DESC, f.id DESC LIMIT 1)
  FROM (SELECT DISTINCT case_id FROM followups WHERE case_id IS NOT NULL) k;

INSERT INTO stat_points (point_code, cases) SELECT point_code, COUNT(*) FROM cases GROUP BY point_code;

-- The backfill: the same sums the triggers below keep.
INSERT INTO stat_days (day, point_code, accepted, refused)
  SELECT c.intake_date, c.point_code,
         SUM(CASE WHEN c.status <> 'refusedIntake' THEN 1 ELSE 0 END), SUM(CASE WHEN c.status = 'refusedIntake' THEN 1 ELSE 0 END)
  FROM cases c WHERE c.intake_date IS NOT NULL GROUP BY 1, 2;
INSERT INTO stat_days (day, point_code, due_decided, due_undecided)
  SELECT c.due_date, c.point_code,
         SUM(CASE WHEN c.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND c.decision_date IS NOT NULL THEN 1 ELSE 0 END),
         SUM(CASE WHEN c.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND c.decision_date IS NULL THEN 1 ELSE 0 END)
  FROM cases c WHERE c.due_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (day, point_code) DO UPDATE SET due_decided = due_decided + excluded.due_decided, due_undecided = due_undecided + excluded.due_undecided;
INSERT INTO stat_days (day, point_code, completed, on_time, completed_late, decided_same_day, return_visited, rated, satisfied, poor)
  SELECT c.decision_date, c.point_code, COUNT(*),
         SUM(CASE WHEN c.decision_date <= c.due_date THEN 1 ELSE 0 END),
         SUM(CASE WHEN c.decision_date > c.due_date THEN 1 ELSE 0 END),
         SUM(CASE WHEN c.decision_date = c.intake_date THEN 1 ELSE 0 END),
         SUM(COALESCE(f.has_rv, 0)),
         SUM(CASE WHEN f.latest_rating IS NOT NULL THEN 1 ELSE 0 END),
         SUM(CASE WHEN f.latest_rating BETWEEN 1 AND 3 THEN 1 ELSE 0 END),
         SUM(CASE WHEN f.latest_rating >= 4 THEN 1 ELSE 0 END)
  FROM cases c LEFT JOIN stat_case_facts f ON f.case_id = c.id
  WHERE c.decision_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (day, point_code) DO UPDATE SET completed = completed + excluded.completed, on_time = on_time + excluded.on_time,
    completed_late = completed_late + excluded.completed_late, decided_same_day = decided_same_day + excluded.decided_same_day,
    return_visited = return_visited + excluded.return_visited, rated = rated + excluded.rated, satisfied = satisfied + excluded.satisfied, poor = poor + excluded.poor;

-- A follow-up written, changed or removed: its case's facts are looked up again.
CREATE TRIGGER followups_facts_insert AFTER INSERT ON followups WHEN NEW.case_id IS NOT NULL BEGIN
  INSERT INTO stat_case_facts (case_id, has_rv, latest_rating) VALUES (NEW.case_id,
    EXISTS (SELECT 1 FROM followups f WHERE f.case_id = NEW.case_id AND f.kind = 'returnVisit'),
    (SELECT f.rating FROM followups f WHERE f.case_id = NEW.case_id AND f.rating IS NOT NULL ORDER BY f.followed_at DESC, f.id DESC LIMIT 1))
  ON CONFLICT (case_id) DO UPDATE SET has_rv = excluded.has_rv, latest_rating = excluded.latest_rating;
END;
CREATE TRIGGER followups_facts_delete AFTER DELETE ON followups WHEN OLD.case_id IS NOT NULL BEGIN
  INSERT INTO stat_case_facts (case_id, has_rv, latest_rating) VALUES (OLD.case_id,
    EXISTS (SELECT 1 FROM followups f WHERE f.case_id = OLD.case_id AND f.kind = 'returnVisit'),
    (SELECT f.rating FROM followups f WHERE f.case_id = OLD.case_id AND f.rating IS NOT NULL ORDER BY f.followed_at DESC, f.id DESC LIMIT 1))
  ON CONFLICT (case_id) DO UPDATE SET has_rv = excluded.has_rv, latest_rating = excluded.latest_rating;
END;
CREATE TRIGGER followups_facts_update AFTER UPDATE OF id, case_id, kind, rating, followed_at ON followups BEGIN
  INSERT INTO stat_case_facts (case_id, has_rv, latest_rating) SELECT OLD.case_id,
    EXISTS (SELECT 1 FROM followups f WHERE f.case_id = OLD.case_id AND f.kind = 'returnVisit'),
    (SELECT f.rating FROM followups f WHERE f.case_id = OLD.case_id AND f.rating IS NOT NULL ORDER BY f.followed_at DESC, f.id DESC LIMIT 1)
    WHERE OLD.case_id IS NOT NULL
  ON CONFLICT (case_id) DO UPDATE SET has_rv = excluded.has_rv, latest_rating = excluded.latest_rating;
  INSERT INTO stat_case_facts (case_id, has_rv, latest_rating) SELECT NEW.case_id,
    EXISTS (SELECT 1 FROM followups f WHERE f.case_id = NEW.case_id AND f.kind = 'returnVisit'),
    (SELECT f.rating FROM followups f WHERE f.case_id = NEW.case_id AND f.rating IS NOT NULL ORDER BY f.followed_at DESC, f.id DESC LIMIT 1)
    WHERE NEW.case_id IS NOT NULL
  ON CONFLICT (case_id) DO UPDATE SET has_rv = excluded.has_rv, latest_rating = excluded.latest_rating;
END;

-- Changed facts move the case's decision-day figures (a case with no decision has none).
CREATE TRIGGER stat_case_facts_insert AFTER INSERT ON stat_case_facts BEGIN
  UPDATE stat_days SET return_visited = return_visited + NEW.has_rv,
    rated = rated + (CASE WHEN NEW.latest_rating IS NOT NULL THEN 1 ELSE 0 END),
    satisfied = satisfied + (CASE WHEN NEW.latest_rating BETWEEN 1 AND 3 THEN 1 ELSE 0 END),
    poor = poor + (CASE WHEN NEW.latest_rating >= 4 THEN 1 ELSE 0 END)
  WHERE day = (SELECT decision_date FROM cases WHERE id = NEW.case_id) AND point_code = (SELECT point_code FROM cases WHERE id = NEW.case_id);
END;
CREATE TRIGGER stat_case_facts_update AFTER UPDATE ON stat_case_facts BEGIN
  UPDATE stat_days SET return_visited = return_visited + NEW.has_rv - OLD.has_rv,
    rated = rated + (CASE WHEN NEW.latest_rating IS NOT NULL THEN 1 ELSE 0 END) - (CASE WHEN OLD.latest_rating IS NOT NULL THEN 1 ELSE 0 END),
    satisfied = satisfied + (CASE WHEN NEW.latest_rating BETWEEN 1 AND 3 THEN 1 ELSE 0 END) - (CASE WHEN OLD.latest_rating BETWEEN 1 AND 3 THEN 1 ELSE 0 END),
    poor = poor + (CASE WHEN NEW.latest_rating >= 4 THEN 1 ELSE 0 END) - (CASE WHEN OLD.latest_rating >= 4 THEN 1 ELSE 0 END)
  WHERE day = (SELECT decision_date FROM cases WHERE id = NEW.case_id) AND point_code = (SELECT point_code FROM cases WHERE id = NEW.case_id);
END;

-- A case's own figures: added for the new row, taken back for the old one.
CREATE TRIGGER cases_stat_insert AFTER INSERT ON cases BEGIN
  INSERT INTO stat_points (point_code, cases) VALUES (NEW.point_code, 1) ON CONFLICT (point_code) DO UPDATE SET cases = cases + 1;
  INSERT INTO stat_days (day, point_code, accepted, refused)
    SELECT NEW.intake_date, NEW.point_code, CASE WHEN NEW.status <> 'refusedIntake' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'refusedIntake' THEN 1 ELSE 0 END
    WHERE NEW.intake_date IS NOT NULL
    ON CONFLICT (day, point_code) DO UPDATE SET accepted = accepted + excluded.accepted, refused = refused + excluded.refused;
  INSERT INTO stat_days (day, point_code, due_decided, due_undecided)
    SELECT NEW.due_date, NEW.point_code,
      CASE WHEN NEW.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND NEW.decision_date IS NOT NULL THEN 1 ELSE 0 END,
      CASE WHEN NEW.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND NEW.decision_date IS NULL THEN 1 ELSE 0 END
    WHERE NEW.due_date IS NOT NULL
    ON CONFLICT (day, point_code) DO UPDATE SET due_decided = due_decided + excluded.due_decided, due_undecided = due_undecided + excluded.due_undecided;
  INSERT INTO stat_days (day, point_code, completed, on_time, completed_late, decided_same_day, return_visited, rated, satisfied, poor)
    SELECT NEW.decision_date, NEW.point_code, 1,
      CASE WHEN NEW.decision_date <= NEW.due_date THEN 1 ELSE 0 END,
      CASE WHEN NEW.decision_date > NEW.due_date THEN 1 ELSE 0 END,
      CASE WHEN NEW.decision_date = NEW.intake_date THEN 1 ELSE 0 END,
      COALESCE(f.has_rv, 0),
      CASE WHEN f.latest_rating IS NOT NULL THEN 1 ELSE 0 END,
      CASE WHEN f.latest_rating BETWEEN 1 AND 3 THEN 1 ELSE 0 END,
      CASE WHEN f.latest_rating >= 4 THEN 1 ELSE 0 END
    FROM (SELECT 1) LEFT JOIN stat_case_facts f ON f.case_id = NEW.id
    WHERE NEW.decision_date IS NOT NULL
    ON CONFLICT (day, point_code) DO UPDATE SET completed = completed + 1, on_time = on_time + excluded.on_time,
      completed_late = completed_late + excluded.completed_late, decided_same_day = decided_same_day + excluded.decided_same_day,
      return_visited = return_visited + excluded.return_visited, rated = rated + excluded.rated, satisfied = satisfied + excluded.satisfied, poor = poor + excluded.poor;
END;

CREATE TRIGGER cases_stat_delete AFTER DELETE ON cases BEGIN
  UPDATE stat_points SET cases = cases - 1 WHERE point_code = OLD.point_code;
  UPDATE stat_days SET accepted = accepted - (CASE WHEN OLD.status <> 'refusedIntake' THEN 1 ELSE 0 END),
    refused = refused - (CASE WHEN OLD.status = 'refusedIntake' THEN 1 ELSE 0 END)
  WHERE day = OLD.intake_date AND point_code = OLD.point_code;
  UPDATE stat_days SET
    due_decided = due_decided - (CASE WHEN OLD.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND OLD.decision_date IS NOT NULL THEN 1 ELSE 0 END),
    due_undecided = due_undecided - (CASE WHEN OLD.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND OLD.decision_date IS NULL THEN 1 ELSE 0 END)
  WHERE day = OLD.due_date AND point_code = OLD.point_code;
  UPDATE stat_days SET completed = completed - 1,
    on_time = on_time - (CASE WHEN OLD.decision_date <= OLD.due_date THEN 1 ELSE 0 END),
    completed_late = completed_late - (CASE WHEN OLD.decision_date > OLD.due_date THEN 1 ELSE 0 END),
    decided_same_day = decided_same_day - (CASE WHEN OLD.decision_date = OLD.intake_date THEN 1 ELSE 0 END),
    return_visited = return_visited - COALESCE((SELECT has_rv FROM stat_case_facts WHERE case_id = OLD.id), 0),
    rated = rated - (CASE WHEN (SELECT latest_rating FROM stat_case_facts WHERE case_id = OLD.id) IS NOT NULL THEN 1 ELSE 0 END),
    satisfied = satisfied - (CASE WHEN (SELECT latest_rating FROM stat_case_facts WHERE case_id = OLD.id) BETWEEN 1 AND 3 THEN 1 ELSE 0 END),
    poor = poor - (CASE WHEN (SELECT latest_rating FROM stat_case_facts WHERE case_id = OLD.id) >= 4 THEN 1 ELSE 0 END)
  WHERE day = OLD.decision_date AND point_code = OLD.point_code;
END;

CREATE TRIGGER cases_stat_move AFTER UPDATE OF point_code ON cases WHEN OLD.point_code IS NOT NEW.point_code BEGIN
  UPDATE stat_points SET cases = cases - 1 WHERE point_code = OLD.point_code;
  INSERT INTO stat_points (point_code, cases) VALUES (NEW.point_code, 1) ON CONFLICT (point_code) DO UPDATE SET cases = cases + 1;
END;
-- An update moves only the figures it changes (most status changes move none: 已办结 → 已送达).
CREATE TRIGGER cases_stat_update_intake AFTER UPDATE OF id, point_code, status, intake_date ON cases
WHEN OLD.id IS NOT NEW.id OR OLD.point_code IS NOT NEW.point_code OR OLD.intake_date IS NOT NEW.intake_date
  OR (OLD.status <> 'refusedIntake') IS NOT (NEW.status <> 'refusedIntake') OR (OLD.status = 'refusedIntake') IS NOT (NEW.status = 'refusedIntake')
BEGIN
  UPDATE stat_days SET accepted = accepted - (CASE WHEN OLD.status <> 'refusedIntake' THEN 1 ELSE 0 END),
    refused = refused - (CASE WHEN OLD.status = 'refusedIntake' THEN 1 ELSE 0 END)
  WHERE day = OLD.intake_date AND point_code = OLD.point_code;
  INSERT INTO stat_days (day, point_code, accepted, refused)
    SELECT NEW.intake_date, NEW.point_code, CASE WHEN NEW.status <> 'refusedIntake' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'refusedIntake' THEN 1 ELSE 0 END
    WHERE NEW.intake_date IS NOT NULL
    ON CONFLICT (day, point_code) DO UPDATE SET accepted = accepted + excluded.accepted, refused = refused + excluded.refused;
END;
CREATE TRIGGER cases_stat_update_due AFTER UPDATE OF id, point_code, status, due_date, decision_date ON cases
WHEN OLD.id IS NOT NEW.id OR OLD.point_code IS NOT NEW.point_code OR OLD.due_date IS NOT NEW.due_date
  OR (OLD.status IN ('accepted','handedUp','returned','decided','delivered','archived')) IS NOT (NEW.status IN ('accepted','handedUp','returned','decided','delivered','archived')) OR (OLD.decision_date IS NULL) IS NOT (NEW.decision_date IS NULL)
BEGIN
  UPDATE stat_days SET
    due_decided = due_decided - (CASE WHEN OLD.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND OLD.decision_date IS NOT NULL THEN 1 ELSE 0 END),
    due_undecided = due_undecided - (CASE WHEN OLD.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND OLD.decision_date IS NULL THEN 1 ELSE 0 END)
  WHERE day = OLD.due_date AND point_code = OLD.point_code;
  INSERT INTO stat_days (day, point_code, due_decided, due_undecided)
    SELECT NEW.due_date, NEW.point_code,
      CASE WHEN NEW.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND NEW.decision_date IS NOT NULL THEN 1 ELSE 0 END,
      CASE WHEN NEW.status IN ('accepted','handedUp','returned','decided','delivered','archived') AND NEW.decision_date IS NULL THEN 1 ELSE 0 END
    WHERE NEW.due_date IS NOT NULL
    ON CONFLICT (day, point_code) DO UPDATE SET due_decided = due_decided + excluded.due_decided, due_undecided = due_undecided + excluded.due_undecided;
END;
CREATE TRIGGER cases_stat_update_decision AFTER UPDATE OF id, point_code, decision_date, due_date, intake_date ON cases
WHEN OLD.id IS NOT NEW.id OR OLD.point_code IS NOT NEW.point_code OR OLD.decision_date IS NOT NEW.decision_date
  OR OLD.due_date IS NOT NEW.due_date OR OLD.intake_date IS NOT NEW.intake_date
BEGIN
  UPDATE stat_days SET completed = completed - 1,
    on_time = on_time - (CASE WHEN OLD.decision_date <= OLD.due_date THEN 1 ELSE 0 END),
    completed_late = completed_late - (CASE WHEN OLD.decision_date > OLD.due_date THEN 1 ELSE 0 END),
    decided_same_day = decided_same_day - (CASE WHEN OLD.decision_date = OLD.intake_date THEN 1 ELSE 0 END),
    return_visited = return_visited - COALESCE((SELECT has_rv FROM stat_case_facts WHERE case_id = OLD.id), 0),
    rated = rated - (CASE WHEN (SELECT latest_rating FROM stat_case_facts WHERE case_id = OLD.id) IS NOT NULL THEN 1 ELSE 0 END),
    satisfied = satisfied - (CASE WHEN (SELECT latest_rating FROM stat_case_facts WHERE case_id = OLD.id) BETWEEN 1 AND 3 THEN 1 ELSE 0 END),
    poor = poor - (CASE WHEN (SELECT latest_rating FROM stat_case_facts WHERE case_id = OLD.id) >= 4 THEN 1 ELSE 0 END)
  WHERE day = OLD.decision_date AND point_code = OLD.point_code;
  INSERT INTO stat_days (day, point_code, completed, on_time, completed_late, decided_same_day, return_visited, rated, satisfied, poor)
    SELECT NEW.decision_date, NEW.point_code, 1,
      CASE WHEN NEW.decision_date <= NEW.due_date THEN 1 ELSE 0 END,
      CASE WHEN NEW.decision_date > NEW.due_date THEN 1 ELSE 0 END,
      CASE WHEN NEW.decision_date = NEW.intake_date THEN 1 ELSE 0 END,
      COALESCE(f.has_rv, 0),
      CASE WHEN f.latest_rating IS NOT NULL THEN 1 ELSE 0 END,
      CASE WHEN f.latest_rating BETWEEN 1 AND 3 THEN 1 ELSE 0 END,
      CASE WHEN f.latest_rating >= 4 THEN 1 ELSE 0 END
    FROM (SELECT 1) LEFT JOIN stat_case_facts f ON f.case_id = NEW.id
    WHERE NEW.decision_date IS NOT NULL
    ON CONFLICT (day, point_code) DO UPDATE SET completed = completed + 1, on_time = on_time + excluded.on_time,
      completed_late = completed_late + excluded.completed_late, decided_same_day = decided_same_day + excluded.decided_same_day,
      return_visited = return_visited + excluded.return_visited, rated = rated + excluded.rated, satisfied = satisfied + excluded.satisfied, poor = poor + excluded.poor;
END;

-- The ledger: pinyin matches give applicant ids from index entries; a name / pinyin / ID / phone
-- match sorts its cases on index entries (newest first)
-- and checks a village filter there too; the newest cases of a township or a period are read in
-- order from (intake_date, case_no); deadline lists and a status filter sort on (status, due_date, case_no, …, intake_date).
DROP INDEX applicants_initials;
CREATE INDEX applicants_initials ON applicants(name_initials, id);
DROP INDEX applicants_pinyin;
CREATE INDEX applicants_pinyin ON applicants(name_pinyin, id);
DROP INDEX cases_applicant;
CREATE INDEX cases_applicant ON cases(applicant_id, point_code, intake_date, case_no);
DROP INDEX cases_intake_point;
CREATE INDEX cases_intake_order ON cases(intake_date, case_no, point_code, status);
DROP INDEX cases_status_due;
CREATE INDEX cases_status_due ON cases(status, due_date, case_no, point_code, intake_date);

-- 超期未办结 (a snapshot, not a day sum) counted from two small partial indexes holding every column
-- it reads: the open and withdrawn cases, and the cases decided after their promised date (the only
-- others that can have been still open and overdue on a past reference date).
CREATE INDEX cases_overdue_open ON cases(status, due_date, point_code, intake_date, decision_date, withdrawn_at)
  WHERE status IN ('accepted','handedUp','returned','withdrawn');
CREATE INDEX cases_decided_late ON cases(decision_date, due_date, point_code, intake_date, status, withdrawn_at)
  WHERE decision_date > due_date;

-- 总览's rejected batches per point (the import log grows with every sync of every device).
CREATE INDEX import_log_point ON import_log(point_code, result, at);
`;
