// Unfinished form drafts (受理登记, 来访登记), one per agent and form. They hold personal data (ID numbers,
// phones), so they live in the register — in the data folder, under the same protection as the register
// itself — instead of the browser profile, where the web shell's per-launch origin lost them and left
// them behind. Not a register record: no history event, no outbox entry, never synced.
export const sql = /* sql */ `
CREATE TABLE drafts (
  agent_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('intake', 'visit')),
  saved_at INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (agent_id, kind)
) WITHOUT ROWID;
`;
