// 督办 and 考评预警 from the county. Notices arrive in the signed reply and stay on the 今日 screen
// until the agent answers; the answer is a register record (synced up like any other), so the
// county sees it after the next sync.
export const sql = /* sql */ `
-- What the county sent (local: the county already has it).
CREATE TABLE county_notices (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('supervision','warning')),
  case_id      TEXT,
  case_no      TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL,
  reply_by     TEXT,
  month        TEXT,
  received_at  TEXT NOT NULL
) STRICT;

-- The agent's answer to a notice (synced).
CREATE TABLE supervision_answers (
  id           TEXT PRIMARY KEY,
  notice_id    TEXT NOT NULL,
  case_id      TEXT,
  answer       TEXT NOT NULL,
  answered_at  TEXT NOT NULL,
  agent_id     TEXT NOT NULL REFERENCES agents(id),
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL
) STRICT;
CREATE INDEX supervision_answers_notice ON supervision_answers(notice_id);
`;
