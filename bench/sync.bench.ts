// `npm run bench -- sync`: the county importing 1,000,000 changes from 300 simulated points, against
// plain better-sqlite3 writes of the same rows in the same run; then 300 devices uploading at once
// over loopback to a real `daiban county serve` process (zero errors, p99 latency).
// Sizes can be lowered for a quick look: DAIBAN_BENCH_CHANGES=100000 npm run bench -- sync
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Statement } from '../db/connection';
import type { Report } from './run';
import { County } from '../county/db';
import { initCounty } from '../county/publish';
import { importBatch } from '../county/importer';
import { createTicket, upsertPoint } from '../county/enrol';
import { Register } from '../db/register';
import { setupPoint } from '../db/point';
import { DEMO_SETUP } from '../db/seed';
import { enrolByCode, pollPages } from '../sync/village/engine';
import { openDatabase, type Db } from '../db/connection';
import { migrate } from '../db/migrate';
import { LATEST_SCHEMA_VERSION } from '../db/migrations/index';
import { COUNTY_MIGRATIONS } from '../county/migrations/index';
import { encodeContainer } from '../sync/wire/container';
import { sealBody } from '../sync/wire/seal';
import { generateKeyPair, type KeyPair } from '../sync/wire/keys';
import { encodeHlc } from '../domain/hlc';
import { uuidv7 } from '../domain/ids';
import { residentIdCheckChar } from '../domain/idNumber';
import type { SqlValue } from '../db/changes';

const BENCH = 'sync';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOTAL = Number(process.env.DAIBAN_BENCH_CHANGES ?? 1_000_000);
const POINTS = Number(process.env.DAIBAN_BENCH_POINTS ?? 300);
const BATCH = 2000;
const UPLOAD_CHANGES = 200;

type Change = { seq: number; entity: string; id: string; op: 'insert' | 'update'; fields: Record<string, SqlValue>; action: string };

type Device = { point: string; id: string; keys: KeyPair; seq: number; ms: number; agent: string; cases: number; node: string };

let rnd = 12345;
const rand = () => {
  rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
  return rnd / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀兰', '建国', '桂英', '志强', '玉梅', '海军', '淑珍', '国华', '春燕', '文明'];
const ITEMS = [
  ['MZ-0003', '临时救助申请', 10],
  ['MZ-0001', '城乡居民最低生活保障审核确认', 30],
  ['RS-0002', '城乡居民基本养老保险参保登记', 5],
  ['YB-0001', '城乡居民基本医疗保险参保登记', 5],
] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
function day(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The changes one village makes for one case: intake with materials, hand-up, decision, delivery, return visit. */
function caseChanges(d: Device): Omit<Change, 'seq'>[] {
  d.ms += 3_600_000 + Math.floor(rand() * 3_600_000);
  const t = d.ms;
  const at = iso(t);
  const applicant = uuidv7(t);
  const caseId = uuidv7(t);
  const name = pick(SURNAMES) + pick(GIVEN);
  const first17 = `150822${1950 + Math.floor(rand() * 50)}0${1 + Math.floor(rand() * 9)}1${Math.floor(rand() * 9)}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
  const idn = first17 + residentIdCheckChar(first17);
  const phone = `138${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
  const item = pick(ITEMS);
  d.cases++;
  const out: Omit<Change, 'seq'>[] = [
    {
      entity: 'applicants',
      id: applicant,
      op: 'insert',
      action: 'applicant.create',
      fields: {
        kind: 'person', name, name_pinyin: 'wang xiu lan', name_initials: 'wxl', id_number: idn, id_rev: [...idn].reverse().join(''),
        birth_date: `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`, sex: 'female', credit_code: null, phone,
        phone_rev: [...phone].reverse().join(''), village_group: `第${1 + Math.floor(rand() * 8)}村民小组`, address: `${1 + Math.floor(rand() * 90)}号`,
        created_at: at, created_by: d.agent, updated_at: at, updated_by: d.agent,
      },
    },
    {
      entity: 'cases',
      id: caseId,
      op: 'insert',
      action: 'case.create',
      fields: {
        case_no: `${d.point}-${day(t).replaceAll('-', '')}-${String(d.cases % 1000).padStart(3, '0')}`, applicant_id: applicant, item_code: item[0], item_name: item[1],
        status: 'accepted', handling_mode: 'proxy', intake_date: day(t), intake_at: at, backfilled: 0, committed_workdays: item[2], pause_on_wait: 0,
        waiting_workdays: 0, due_date: day(t + item[2] * 1.4 * 86_400_000), due_estimated: 0, agent_id: d.agent, refusal_reason: '', visit_id: null,
        note: '', created_at: at, created_by: d.agent, updated_at: at, updated_by: d.agent,
      },
    },
  ];
  for (let i = 1; i <= 3; i++) {
    out.push({
      entity: 'case_materials',
      id: uuidv7(t),
      op: 'insert',
      action: 'material.create',
      fields: {
        case_id: caseId, position: i, name: ['申请人居民身份证', '户口簿', '收入情况说明'][i - 1], form: '原件及复印件', copies: 1, required: 1, can_defer: i === 3 ? 1 : 0,
        state: 'both', promised_date: null, received_at: at, custody: 'none', updated_at: at, updated_by: d.agent,
      },
    });
  }
  const later = (days: number) => iso(t + days * 86_400_000);
  out.push({ entity: 'cases', id: caseId, op: 'update', action: 'case.handUp', fields: { status: 'handedUp', handed_to: '县民政局', handed_at: day(t + 86_400_000), updated_at: later(1), updated_by: d.agent } });
  out.push({
    entity: 'cases', id: caseId, op: 'update', action: 'case.decide',
    fields: { status: 'decided', decision: rand() < 0.9 ? 'approved' : 'refused', decision_date: day(t + 6 * 86_400_000), decision_note: '准予', updated_at: later(6), updated_by: d.agent },
  });
  out.push({
    entity: 'cases', id: caseId, op: 'update', action: 'case.deliver',
    fields: { status: 'delivered', delivery_method: 'inPerson', delivered_at: day(t + 7 * 86_400_000), delivered_to: name, updated_at: later(7), updated_by: d.agent },
  });
  out.push({
    entity: 'followups', id: uuidv7(t), op: 'insert', action: 'followup.create',
    fields: {
      case_id: caseId, kind: 'returnVisit', method: 'phone', reached: 1, rating: 1 + Math.floor(rand() * 3), efficiency: 1, service_level: 1, attitude: 1,
      comment: '满意', followed_at: later(9), follow_date: day(t + 9 * 86_400_000), backfilled: 0, agent_id: d.agent, created_at: later(9), created_by: d.agent,
    },
  });
  return out;
}

function nextChanges(d: Device, n: number): Change[] {
  const out: Change[] = [];
  if (d.seq === 0) {
    out.push({
      seq: ++d.seq, entity: 'agents', id: d.agent, op: 'insert', action: 'agent.create',
      fields: { name: '王秀兰', phone: '13904781234', active: 1, created_at: iso(d.ms), created_by: null, updated_at: iso(d.ms) },
    });
  }
  while (out.length < n) for (const c of caseChanges(d)) if (out.length < n) out.push({ ...c, seq: ++d.seq });
  return out;
}

function batchBytes(county: { code: string; publicKey: string }, d: Device, changes: Change[]): Buffer {
  const lines: string[] = [];
  for (const c of changes) {
    const hlc = encodeHlc({ ms: d.ms - (changes.length - lines.length), counter: 0, node: d.node });
    const at = iso(d.ms);
    const payload = { table: c.entity, id: c.id, op: c.op, fields: c.fields, action: c.action, note: '', agentId: d.agent, at };
    lines.push(
      JSON.stringify({ seq: c.seq, changeId: uuidv7(d.ms), hlc, entity: c.entity, entityId: c.id, op: c.op, createdAt: at, payload }) + '\n',
    );
  }
  // Sealed to the county, as every village batch is (sync/wire/seal.ts).
  const body = sealBody(Buffer.from(lines.join(''), 'utf8'), county.publicKey, 'batch');
  return encodeContainer(
    'BATCH',
    {
      type: 'batch', batchId: uuidv7(), county: county.code, point: d.point, device: d.id, fromSeq: changes[0].seq, toSeq: changes[changes.length - 1].seq,
      count: changes.length, schemaVersion: LATEST_SCHEMA_VERSION, createdAt: iso(d.ms), deviceHlc: encodeHlc({ ms: d.ms, counter: 0, node: d.node }), downstreamThrough: 0,
    },
    body,
    d.keys.privateKey,
  );
}

/** Plain better-sqlite3: the same rows written straight into the same tables, no checks, no bookkeeping. */
class PlainWriter {
  private stmts = new Map<string, Statement<unknown[]>>();
  constructor(private db: Db) {}
  private stmt(key: string, sql: string) {
    let s = this.stmts.get(key);
    if (!s) this.stmts.set(key, (s = this.db.prepare<unknown[]>(sql)));
    return s;
  }
  write(point: string, changes: Change[]): void {
    this.db.transaction(() => {
      for (const c of changes) {
        const names = Object.keys(c.fields);
        if (c.op === 'insert') {
          const cols = ['id', 'point_code', ...names];
          this.stmt(`i:${c.entity}:${names}`, `INSERT INTO ${c.entity} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`).run(c.id, point, ...names.map((n) => c.fields[n]));
        } else {
          this.stmt(`u:${c.entity}:${names}`, `UPDATE ${c.entity} SET ${names.map((n) => `${n} = ?`).join(',')} WHERE id = ?`).run(...names.map((n) => c.fields[n]), c.id);
        }
      }
    })();
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))];
}

/** CPU seconds a process has used so far (Linux /proc; null elsewhere): a measure the machine's load does not inflate. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

async function startServer(dataDir: string): Promise<{ url: string; cpu(): number | null; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'county', 'serve', '--data-dir', dataDir, '--port', '0', '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error('county serve did not start')), 60_000);
    proc.stdout!.on('data', (d) => {
      buf += d;
      const m = /URL: (\S+)/.exec(buf);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    proc.on('exit', () => reject(new Error('county serve exited')));
  });
  return {
    url,
    cpu: () => cpuSeconds(proc.pid),
    stop: () =>
      new Promise<void>((r) => {
        proc.on('exit', () => r());
        proc.kill('SIGTERM');
      }),
  };
}

export async function run(report: Report): Promise<void> {
  // DAIBAN_BENCH_SYNC_PART=replacement runs only the replacement-laptop download.
  if (process.env.DAIBAN_BENCH_SYNC_PART !== 'replacement') await importAndUploads(report);
  await replacementDownload(report);
}

/**
 * The county's copy of a point of `cases` cases, imported from one device's batches. Building it takes
 * minutes; with DAIBAN_BENCH_POINT_CACHE=DIR it is built once into DIR and copied from there on later runs
 * (for measuring the download again and again while changing it).
 */
async function buildReplacementPoint(report: Report, countyDir: string, point: string, cases: number): Promise<{ countyCases: number }> {
  const cache = process.env.DAIBAN_BENCH_POINT_CACHE ? path.join(process.env.DAIBAN_BENCH_POINT_CACHE, `point-${cases}`) : null;
  if (cache && fs.existsSync(path.join(cache, 'county.sqlite'))) {
    fs.cpSync(cache, countyDir, { recursive: true });
  } else {
    const county = await County.open({ dataDir: countyDir });
    const id = initCounty(county, { code: '150822', name: '五原县' });
    const start = Date.parse('2025-01-02T01:00:00.000Z');
    const d: Device = { point, id: uuidv7(), keys: generateKeyPair(), seq: 0, ms: start, agent: uuidv7(), cases: 0, node: '' };
    d.node = d.id.replace(/-/g, '').slice(0, 16);
    county.tx(() => {
      upsertPoint(county, { code: point, villageName: '红旗村', townshipName: '巴彦镇' });
      county.db.prepare(`INSERT INTO devices (id, point_code, public_key, enrolled_at, enrolled_via) VALUES (?, ?, ?, ?, 'code')`).run(d.id, point, d.keys.publicKey, iso(start));
    });
    const t = performance.now();
    while (d.cases < cases) {
      const r = importBatch(county, batchBytes(id, d, nextChanges(d, BATCH)), { source: 'bench' });
      if (r.result !== 'imported') throw new Error(`bench batch not imported: ${r.message}`);
    }
    const records = (county.db.prepare(`SELECT COUNT(*) AS n FROM record_versions WHERE point_code = ?`).get(point) as { n: number }).n;
    report({ bench: BENCH, metric: 'replacement_point_built', value: d.cases, unit: 'cases', records, changes: d.seq, seconds: Math.round((performance.now() - t) / 100) / 10 });
    county.db.pragma('wal_checkpoint(TRUNCATE)');
    county.close();
    if (cache) fs.cpSync(countyDir, cache, { recursive: true });
  }
  const county = await County.open({ dataDir: countyDir });
  try {
    return { countyCases: (county.db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE point_code = ?`).get(point) as { n: number }).n };
  } finally {
    county.close();
  }
}

/**
 * A replacement laptop restoring a whole point from the county over loopback (issue 9): the county
 * holds a point of REPLACE_CASES cases (imported from one device's batches); a freshly set-up laptop
 * enrols and downloads every record page by page from a real `daiban county serve` process.
 */
async function replacementDownload(report: Report): Promise<void> {
  const cases = Number(process.env.DAIBAN_BENCH_REPLACE_CASES ?? 100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-replace-'));
  try {
    const point = '150822101201';
    const { countyCases } = await buildReplacementPoint(report, path.join(dir, 'county'), point, cases);
    const county = await County.open({ dataDir: path.join(dir, 'county') });
    const code = county.tx(() => createTicket(county, point, 7).code);
    county.close();

    const srv = await startServer(path.join(dir, 'county'));
    const reg = await Register.open({ dataDir: path.join(dir, 'village') });
    try {
      setupPoint(reg, { ...DEMO_SETUP, villageCode: point, agents: [{ name: '李建国', phone: '13904781235', pin: '1357' }] });
      await enrolByCode(reg, srv.url, code);
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      const county0 = srv.cpu();
      let bytes = 0;
      let pages = 0;
      // As the village's sync does it (sync/village/engine.ts): the next page is asked for while one is applied.
      await pollPages(reg, srv.url, (_r, n) => {
        bytes += n;
        pages++;
      });
      const secs = (performance.now() - t) / 1000;
      const villageCpu = process.cpuUsage(cpu0);
      const county1 = srv.cpu();
      const got = (reg.db.prepare(`SELECT COUNT(*) AS n FROM cases`).get() as { n: number }).n;
      report({
        bench: BENCH,
        metric: 'replacement_download_seconds',
        value: Math.round(secs * 10) / 10,
        unit: 's',
        cases: got,
        countyCases,
        pages,
        MB: Math.round(bytes / 104857.6) / 10,
        MBps: Math.round(bytes / 1048576 / secs * 10) / 10,
        // CPU seconds of each side during the download, and the machine's load: wall time on a shared machine is not the program's.
        villageCpuS: Math.round((villageCpu.user + villageCpu.system) / 1e5) / 10,
        countyCpuS: county0 !== null && county1 !== null ? Math.round((county1 - county0) * 10) / 10 : null,
        load1: Math.round(os.loadavg()[0] * 10) / 10,
        target: '≤ 60 s',
        ok: secs <= 60 && got === countyCases,
      });
    } finally {
      reg.close();
      await srv.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function importAndUploads(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-sync-'));
  try {
    const county = await County.open({ dataDir: path.join(dir, 'county') });
    const id = initCounty(county, { code: '150822', name: '五原县' });
    const devices: Device[] = [];
    const start = Date.parse('2025-01-02T01:00:00.000Z');
    county.tx(() => {
      for (let i = 0; i < POINTS; i++) {
        const point = `150822${String(101 + Math.floor(i / 30)).padStart(3, '0')}${String(201 + (i % 30)).padStart(3, '0')}`;
        const d: Device = { point, id: uuidv7(), keys: generateKeyPair(), seq: 0, ms: start, agent: uuidv7(), cases: 0, node: '' };
        d.node = d.id.replace(/-/g, '').slice(0, 16);
        devices.push(d);
        county.db.prepare(`INSERT INTO points (code, village_name, township_name, created_at, updated_at) VALUES (?, ?, '巴彦镇', ?, ?)`).run(point, `第${i + 1}村`, iso(start), iso(start));
        county.db.prepare(`INSERT INTO devices (id, point_code, public_key, enrolled_at, enrolled_via) VALUES (?, ?, ?, ?, 'code')`).run(d.id, point, d.keys.publicKey, iso(start));
      }
    });
    const plainDb = openDatabase(path.join(dir, 'plain.sqlite'));
    await migrate(plainDb, { migrations: COUNTY_MIGRATIONS });
    const plain = new PlainWriter(plainDb);

    // Import: each point's changes in batches of BATCH, points interleaved the way uploads arrive.
    const perPoint = Math.floor(TOTAL / POINTS);
    const remaining = devices.map((_, i) => perPoint + (i < TOTAL - perPoint * POINTS ? 1 : 0));
    let importMs = 0;
    let plainMs = 0;
    let imported = 0;
    let bytes = 0;
    for (let pass = 0; remaining.some((r) => r > 0); pass++) {
      for (let i = 0; i < devices.length; i++) {
        if (remaining[i] <= 0) continue;
        const d = devices[i];
        const changes = nextChanges(d, Math.min(BATCH, remaining[i]));
        remaining[i] -= changes.length;
        const b = batchBytes(id, d, changes);
        bytes += b.length;
        let t = performance.now();
        plain.write(d.point, changes);
        plainMs += performance.now() - t;
        t = performance.now();
        const r = importBatch(county, b, { source: 'bench' });
        importMs += performance.now() - t;
        if (r.result !== 'imported') throw new Error(`bench batch not imported: ${r.message}`);
        imported += r.applied;
      }
    }
    const rate = imported / (importMs / 1000);
    const plainRate = imported / (plainMs / 1000);
    const ratio = rate / plainRate;
    report({ bench: BENCH, metric: 'county_import_changes', value: imported, unit: 'changes', points: POINTS, batchBytesMB: Math.round(bytes / 1048576) });
    report({ bench: BENCH, metric: 'county_import_rate', value: Math.round(rate), unit: 'changes/s', seconds: Math.round(importMs / 100) / 10 });
    report({ bench: BENCH, metric: 'plain_sqlite_rate', value: Math.round(plainRate), unit: 'rows/s', seconds: Math.round(plainMs / 100) / 10 });
    report({ bench: BENCH, metric: 'import_vs_plain_ratio', value: Math.round(ratio * 1000) / 1000, unit: 'ratio', target: '≥ 0.25', ok: ratio >= 0.25 });
    plainDb.close();
    county.close();

    // 300 devices uploading at once to a real county server process over loopback.
    const srv = await startServer(path.join(dir, 'county'));
    try {
      await fetch(`${srv.url}/v1/health`);
      const uploads = devices.map((d) => batchBytes(id, d, nextChanges(d, UPLOAD_CHANGES)));
      const latencies: number[] = [];
      let errors = 0;
      const t0 = performance.now();
      await Promise.all(
        uploads.map(async (b) => {
          const t = performance.now();
          try {
            const res = await fetch(`${srv.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(b) });
            const j = (await res.json()) as { ok?: boolean; result?: string };
            if (!res.ok || j.result !== 'imported') errors++;
          } catch {
            errors++;
          }
          latencies.push(performance.now() - t);
        }),
      );
      const wall = performance.now() - t0;
      report({ bench: BENCH, metric: 'concurrent_uploads', value: uploads.length, unit: 'requests', changesEach: UPLOAD_CHANGES, wallMs: Math.round(wall) });
      report({ bench: BENCH, metric: 'concurrent_upload_errors', value: errors, unit: 'errors', target: '0', ok: errors === 0 });
      report({ bench: BENCH, metric: 'concurrent_upload_p50', value: Math.round(pct(latencies, 0.5)), unit: 'ms' });
      report({ bench: BENCH, metric: 'concurrent_upload_p99', value: Math.round(pct(latencies, 0.99)), unit: 'ms' });
    } finally {
      await srv.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
