// Several laptops per point, restored registers and replacement laptops (docs/sync-protocol.md §4a, §5a).
// - devices: where a device's sequence starts (a restored register continues the outbox it inherited),
//   its case-number letter, how far it has applied the point's relayed records, and — for a device whose
//   register was restored and became a new device — where its sequence was closed, why, and by whom.
// - enrol_tickets.case_letter: the letter is given with the ticket, so enrolment by file needs no round trip.
// - record_versions: every record's latest version in its point's order; the relay and the replacement
//   download page through it. Existing records are numbered in dependency order.
export const sql = /* sql */ `
ALTER TABLE devices ADD COLUMN seq_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN case_letter TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN records_through INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN closed_at TEXT;
ALTER TABLE devices ADD COLUMN closed_through INTEGER;
ALTER TABLE devices ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN replaced_by TEXT;

ALTER TABLE enrol_tickets ADD COLUMN case_letter TEXT NOT NULL DEFAULT '';

CREATE TABLE record_versions (
  tbl        TEXT NOT NULL,
  id         TEXT NOT NULL,
  point_code TEXT NOT NULL,
  version    INTEGER NOT NULL,
  PRIMARY KEY (tbl, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX record_versions_point ON record_versions(point_code, version);

INSERT INTO record_versions (tbl, id, point_code, version)
SELECT tbl, id, point_code, ROW_NUMBER() OVER (PARTITION BY point_code ORDER BY rank, rid)
FROM (
  SELECT 'agents' AS tbl, id, point_code, 1 AS rank, rowid AS rid FROM agents
  UNION ALL SELECT 'applicants', id, point_code, 2, rowid FROM applicants
  UNION ALL SELECT 'cases', id, point_code, 3, rowid FROM cases
  UNION ALL SELECT 'case_materials', id, point_code, 4, rowid FROM case_materials
  UNION ALL SELECT 'visits', id, point_code, 5, rowid FROM visits
  UNION ALL SELECT 'followups', id, point_code, 6, rowid FROM followups
  UNION ALL SELECT 'rectifications', id, point_code, 7, rowid FROM rectifications
);
`;
