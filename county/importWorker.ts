// The county's batch import, run on a worker thread of its own (county/importThread.ts starts it).
// It opens its own connection to the county database and imports one batch at a time with the
// same importBatch as everywhere else — one transaction per batch, all or nothing — while the
// service's request thread keeps answering the console and the villages' polls (WAL: readers never
// wait for the writer).
import { parentPort, workerData } from 'node:worker_threads';
import { County } from './db';
import { importBatch, type ImportOptions, type ImportOutcome } from './importer';

export type ImportWorkerData = { dataDir: string; key: Uint8Array | null };
/** `clockOffsetMs`: the request thread's clock minus the wall clock, so both threads keep one time. */
export type ImportJob = { id: number; bytes: Uint8Array; opts: ImportOptions; clockOffsetMs: number };
export type ImportReply = { ready: true } | { id: number; outcome: ImportOutcome } | { id: number; error: string };

if (parentPort && (workerData as { role?: string } | null)?.role === 'county-import') {
  const port = parentPort;
  const data = workerData as ImportWorkerData;
  let offset = 0;
  const county = County.attach({ dataDir: data.dataDir, key: data.key ? Buffer.from(data.key) : undefined, clock: { nowMs: () => Date.now() + offset } });
  port.on('message', (job: ImportJob) => {
    offset = job.clockOffsetMs;
    let reply: ImportReply;
    try {
      county.reloadCalendar();
      reply = { id: job.id, outcome: importBatch(county, Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.opts) };
    } catch (e) {
      // importBatch answers every bad batch itself; this is the database failing (disk full, …).
      reply = { id: job.id, error: e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : 'unknown' };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies ImportReply);
}
