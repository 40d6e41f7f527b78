// Shared set-up for the sync tests: villages (real registers) and a county (real database) in
// temp folders, and child processes of the real CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Register } from '../../db/register';
import { createContext } from '../../api/context';
import { createDaibanApi } from '../../api/service';
import type { DaibanApi } from '../../api/contract';
import type { CaseDetail } from '../../domain/records';
import { County } from '../../county/db';
import { initCounty } from '../../county/publish';
import { buildEnrolPackage, createTicket, upsertPoint } from '../../county/enrol';
import { residentIdCheckChar } from '../../domain/idNumber';
import { tempDir, TestClock } from '../support/tempRegister';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Village = { dir: string; reg: Register; api: DaibanApi; clock: TestClock; code: string; close(): void };

const cleanup: string[] = [];
export function newDir(prefix = 'daiban-sync-'): string {
  const d = tempDir(prefix);
  cleanup.push(d);
  return d;
}
export function removeDirs(): void {
  for (const d of cleanup.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export async function openVillage(opts: { dir?: string; code?: string; village?: string; clock?: TestClock; setup?: boolean } = {}): Promise<Village> {
  const dir = opts.dir ?? newDir('daiban-village-');
  const clock = opts.clock ?? new TestClock(Date.now());
  const open = () => Register.open({ dataDir: dir, clock });
  const reg = await open();
  const ctx = createContext({ open, initial: reg, shell: 'web' });
  const api = createDaibanApi(ctx);
  const code = opts.code ?? '150822101201';
  const st = await api.getAppState({});
  if (!st.initialized && opts.setup !== false) {
    await api.setupPoint({
      villageCode: code,
      villageName: opts.village ?? '红旗村',
      townshipName: '巴彦镇',
      countyName: '五原县',
      consultPhone: '0478-5211234',
      complaintPhone: '12345',
      agents: [{ name: '王秀兰', phone: '13904781234', pin: '135246' }],
    });
  } else {
    // Agents relayed from the point's other laptops have no PIN on this one: sign in as a local one.
    for (const a of st.agents) {
      try {
        await api.signIn({ agentId: a.id, pin: '135246' });
        break;
      } catch {
        /* not this laptop's agent */
      }
    }
  }
  return {
    dir,
    get reg() {
      return ctx.reg;
    },
    api,
    clock,
    code,
    close() {
      ctx.reg.close();
    },
  };
}

let idSeq = 100;
export function newIdNumber(): string {
  idSeq++;
  const first17 = `15082219800101${String(idSeq % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** An intake (all materials present), optionally handed up; returns the case. */
export async function addCase(v: Village, opts: { handUp?: boolean; name?: string } = {}): Promise<CaseDetail> {
  const item = await v.api.getCatalogItem({ code: 'MZ-0003' });
  const c = await v.api.createCase({
    applicant: { kind: 'person', name: opts.name ?? '张三', idNumber: newIdNumber(), phone: '13812345678', villageGroup: '三组', address: '' },
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
    note: '',
  });
  if (opts.handUp) return v.api.transitionCase({ id: c.id, action: 'handUp', handedTo: '县民政局', note: '' });
  return c;
}

export async function openCounty(opts: { dir?: string; code?: string; clock?: TestClock; init?: boolean } = {}): Promise<County> {
  const dir = opts.dir ?? newDir('daiban-county-');
  const c = await County.open({ dataDir: dir, clock: opts.clock });
  if (opts.init !== false && !c.identity()) initCounty(c, { code: opts.code ?? '150822', name: '五原县' });
  return c;
}

/** County side of an enrolment by file: registers the point and returns the enrolment file's bytes. */
export function enrolmentFile(county: County, point: string, village = '红旗村'): { bytes: Buffer; code: string } {
  return county.tx(() => {
    upsertPoint(county, { code: point, villageName: village, townshipName: '巴彦镇' });
    const t = createTicket(county, point, 7);
    return { bytes: buildEnrolPackage(county, point, { ticket: t }), code: t.code };
  });
}

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the real CLI (`node bin/daiban.mjs …`, the bundle the bin ships) to completion. */
export function cli(args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/daiban.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...opts.env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Starts the CLI in the background; `killAfter` sends SIGKILL after that many ms. */
export function cliBackground(args: string[], env: Record<string, string> = {}): { proc: ChildProcess; done: Promise<CliResult> } {
  const proc = spawn(process.execPath, ['bin/daiban.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { proc, done };
}

/** Starts `daiban county serve` and waits for its "URL: …" line. */
export async function startCountyProcess(dataDir: string, port = 0): Promise<{ proc: ChildProcess; url: string; stop(): Promise<void> }> {
  const { proc, done } = cliBackground(['county', 'serve', '--data-dir', dataDir, '--port', String(port), '--quiet']);
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`county serve did not start: ${buf}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      buf += d;
      const m = /URL: (http:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    void done.then((r) => {
      clearTimeout(t);
      reject(new Error(`county serve exited: ${r.stderr || r.stdout}`));
    });
  });
  return {
    proc,
    url,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await done;
      }
    },
  };
}

export function count(db: { prepare(sql: string): { get(...a: unknown[]): unknown } }, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

/** What must be equal between a village register and the county: every synced row's synced columns. */
export function recordsOf(db: { prepare(sql: string): { all(...a: unknown[]): unknown[] } }, table: string, cols: string[], where = '', ...params: unknown[]): Record<string, unknown>[] {
  return db.prepare(`SELECT ${cols.join(', ')} FROM ${table} ${where} ORDER BY id`).all(...params) as Record<string, unknown>[];
}
