// The tamper-evident history (issue 8, db/historyChain.ts): every history event stores a 16-byte
// digest chaining it to the previous event of the same device. Existing events get their chain here
// (the `run` step, in the same transaction). The index finds an event by its sync-queue row: the
// writer reads the previous link, a batch carries each change's event, doctor walks the chains.
import type { Db } from '../connection';
import { buildHistoryChains } from '../historyChain';

export const sql = /* sql */ `
ALTER TABLE events ADD COLUMN digest BLOB;
CREATE INDEX events_outbox ON events(outbox_seq) WHERE outbox_seq IS NOT NULL;
`;

export function run(db: Db): void {
  buildHistoryChains(db);
}
