// Batch import off the request thread. Importing a batch of 2,000 changes takes the better part of a
// second of synchronous SQLite work; on the request thread every console page and village poll
// waited for it. The county service hands each uploaded batch to one worker thread
// (county/importWorker.ts) with its own connection; batches are imported one after another, each
// in its own transaction, exactly as importBatch does on the request thread.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { County } from './db';
import { importBatch, type ImportOptions, type ImportOutcome } from './importer';
import type { ImportJob, ImportReply, ImportWorkerData } from './importWorker';

type Pending = { resolve(o: ImportOutcome): void; reject(e: Error): void };

/** How to start the worker: the bundled file next to the CLI bundle, or the TypeScript source through tsx. */
function workerSource(): { code: string; eval: true } | { file: URL; eval: false } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { file: new URL('./county-import-worker.mjs', here), eval: false };
  const target = new URL('./importWorker.ts', here).href;
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return { code: `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)}))`, eval: true };
}

export class ImportThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** 'job' (id) when a batch is handed to the worker; tests wait on it. */
  readonly events = new EventEmitter();
  /** Batches imported on the worker thread. */
  imported = 0;

  constructor(private readonly county: County) {}

  private start(): Worker {
    const src = workerSource();
    const workerData = { role: 'county-import', dataDir: this.county.dataDir, key: this.county.key ? new Uint8Array(this.county.key) : null } satisfies ImportWorkerData & {
      role: string;
    };
    const w = src.eval ? new Worker(src.code, { eval: true, workerData }) : new Worker(src.file, { workerData });
    w.on('message', (m: ImportReply) => {
      if ('ready' in m) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if ('error' in m) p.reject(new Error(`导入线程出错：${m.error}`));
      else {
        this.imported++;
        p.resolve(m.outcome);
      }
    });
    const fail = (e: Error) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`导入线程已退出（${code}）`)));
    // The service's own lifetime decides; an idle import thread must not keep a process alive.
    w.unref();
    return w;
  }

  /** Imports one batch on the worker thread; the outcome is importBatch's. */
  run(bytes: Buffer, opts: ImportOptions): Promise<ImportOutcome> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const copy = new Uint8Array(bytes);
    const job: ImportJob = { id, bytes: copy, opts, clockOffsetMs: this.county.clock.nowMs() - Date.now() };
    return new Promise<ImportOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage(job, [copy.buffer]);
      this.events.emit('job', id);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

const threads = new WeakMap<County, ImportThread>();

/** The county's import thread (started at the first batch). */
export function importThread(county: County): ImportThread {
  let t = threads.get(county);
  if (!t) threads.set(county, (t = new ImportThread(county)));
  return t;
}

/**
 * Imports a batch without blocking the request thread. Should the worker thread itself fail (not a
 * bad batch: importBatch answers those), the batch is imported here instead, as before.
 */
export async function importOffThread(county: County, bytes: Buffer, opts: ImportOptions): Promise<ImportOutcome> {
  try {
    return await importThread(county).run(bytes, opts);
  } catch (e) {
    console.error('[county] 导入线程不可用，改在请求线程导入:', e instanceof Error ? e.message.slice(0, 200) : 'unknown');
    return importBatch(county, bytes, opts);
  }
}
