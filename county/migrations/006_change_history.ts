// Who made each change the county imported, when, and with what note (the outbox payload's agentId, at
// and note), so that the relay can give the point's other laptops the history events of what they
// receive (docs/sync-protocol.md §5a): the case timeline on laptop B shows what an agent did on laptop A.
// Changes imported before this migration have no time and give no relayed event.
// The relay looks up the changes of each record it sends by changes_entity (migration 002).
export const sql = /* sql */ `
ALTER TABLE changes ADD COLUMN agent_id TEXT;
ALTER TABLE changes ADD COLUMN at TEXT;
ALTER TABLE changes ADD COLUMN note TEXT NOT NULL DEFAULT '';
`;
