// The tamper-evident history (issue 8, db/historyChain.ts): every history event stores a 16-byte
// digest chaining it to the previous event of the same device. Existing events get their chain here
// (the `run` step, in the same transaction). No index on events.outbox_seq: the links read at run
// time are the newest rows (db/historyChain.ts LINK_AT_SQL), and doctor reads the whole table anyway.
import type { Db } from '../connection';
import { buildHistoryChains } from '../historyChain';

export const sql = /* sql */ `
ALTER TABLE events ADD COLUMN digest BLOB;
`;

export function run(db: Db): void {
  buildHistoryChains(db);
}
