// `npm run bench -- county`: the county console's API on a seeded county of 300 points and about
// 900,000 cases (rows inserted straight into the county schema, in the shapes the importer writes):
// every search kind's p95 at the API (target ≤ 50 ms), 总览 (≤ 300 ms), a year's county statistics
// (≤ 1 s), and other console requests while real signed batches import (p95 ≤ 200 ms).
// Smaller for a quick look: DAIBAN_BENCH_COUNTY_CASES=90000 npm run bench -- county
// The seeded county is cached between runs (bench/countySeed.ts); the first line says which.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from './run';
import { buildEnrolPackage, createTicket, upsertPoint } from '../county/enrol';
import { startCountyServer } from '../county/server';
import { changePassword, createAccount } from '../county/console/accounts';
import { consoleUrl, type ConsoleRoute } from '../county/console/contract';
import { chinaDate } from '../db/clock';
import { Register } from '../db/register';
import { seedDemo } from '../db/seed';
import { createContext } from '../api/context';
import { createDaibanApi } from '../api/service';
import { enrolByFile } from '../sync/village/engine';
import { buildBatch } from '../sync/village/state';
import { pinyinKeys } from '../domain/pinyin';
import { POINTS, pointCode, seededCounty } from './countySeed';

const BENCH = 'county';
const CASES = Number(process.env.DAIBAN_BENCH_COUNTY_CASES ?? 900_000);
const RUNS = 30;

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] * 10) / 10;
}

export async function run(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-county-'));
  const today = chinaDate(Date.now());
  const seeded = await seededCounty(dir, today, CASES);
  const { county, sample } = seeded;
  const total = (county.db.prepare(`SELECT COUNT(*) AS n FROM cases`).get() as { n: number }).n;
  report({
    bench: BENCH,
    metric: seeded.cached ? 'seeded county copied from the bench cache' : 'seed',
    value: Math.round(seeded.ms),
    unit: 'ms',
    cases: total,
    points: POINTS,
    cached: seeded.cached,
  });

  const acc = await createAccount(county, { name: 'bench', role: 'clerk' });
  await changePassword(county, acc.row.id, acc.password, 'Xq-county-2026!');
  const srv = await startCountyServer(county, { console: { staticDir: dir } });
  const login = await fetch(`${srv.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'Xq-county-2026!' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const csrf = ((await login.json()) as { value: { csrfToken: string } }).value.csrfToken;
  let villageDir = '';
  const get = async (route: ConsoleRoute, input: unknown): Promise<number> => {
    const s = performance.now();
    const r = await fetch(srv.url + consoleUrl(route, input as never), { headers: { cookie } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${route} ${r.status}`);
    return performance.now() - s;
  };

  try {
    const year = today.slice(0, 4);
    const kinds: [string, Record<string, unknown>][] = [
      ['name (2 characters)', { q: sample.name.slice(0, 2) }],
      ['full name', { q: sample.name }],
      ['pinyin initials', { q: pinyinKeys(sample.name).initials }],
      ['full pinyin', { q: pinyinKeys(sample.name).full }],
      ['ID last 4', { q: sample.idNumber.slice(-4) }],
      ['ID last 6', { q: sample.idNumber.slice(-6) }],
      ['phone last 4', { q: sample.phone.slice(-4) }],
      ['case number', { q: sample.caseNo }],
      ['item', { q: '', itemCode: (county.db.prepare(`SELECT code FROM catalog_items LIMIT 1`).get() as { code: string }).code }],
      ['status', { q: '', status: ['handedUp'] }],
      ['dates', { q: '', from: `${year}-03-01`, to: `${year}-03-31` }],
      ['overdue', { q: '', overdue: true }],
      ['due soon', { q: '', dueSoon: true }],
      ['township', { q: '', townshipCode: '150822105' }],
      ['village + pinyin', { q: pinyinKeys(sample.name).initials, pointCode: pointCode(7) }],
    ];
    for (const [kind, input] of kinds) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await get('searchCases', { ...input, limit: 50 }));
      const v = p95(times);
      report({ bench: BENCH, metric: `search p95: ${kind}`, value: v, unit: 'ms', target: '≤ 50 ms', ok: v <= 50 });
    }
    const ov: number[] = [];
    for (let i = 0; i < 5; i++) ov.push(await get('overview', {}));
    report({ bench: BENCH, metric: '总览 p95', value: p95(ov), unit: 'ms', target: '≤ 300 ms', ok: p95(ov) <= 300 });
    const st: number[] = [];
    for (let i = 0; i < 3; i++) st.push(await get('statistics', { from: `${year}-01-01`, to: `${year}-12-31` }));
    report({ bench: BENCH, metric: "a year's county statistics (max of 3)", value: Math.round(Math.max(...st)), unit: 'ms', target: '≤ 1000 ms', ok: Math.max(...st) <= 1000 });
    const stv: number[] = [];
    for (let i = 0; i < 2; i++) stv.push(await get('statistics', { from: `${year}-01-01`, to: `${year}-12-31`, groupBy: 'township' }));
    report({ bench: BENCH, metric: "a year's statistics by township (max of 2)", value: Math.round(Math.max(...stv)), unit: 'ms' });

    // Real signed batches from a seeded village register, uploaded through the console while a
    // clerk keeps searching.
    const vdir = (villageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-village-')));
    const vcode = pointCode(POINTS - 1).slice(0, 9) + '999';
    upsertPoint(county, { code: vcode, villageName: '压测村', townshipName: '第15镇' });
    const ef = path.join(vdir, 'e.enrol');
    fs.writeFileSync(ef, buildEnrolPackage(county, vcode, { ticket: createTicket(county, vcode, 7) }));
    const reg = await Register.open({ dataDir: vdir });
    const ctx = createContext({ open: () => Register.open({ dataDir: vdir }), initial: reg, shell: 'web' });
    const api = createDaibanApi(ctx);
    await api.setupPoint({
      villageCode: vcode,
      villageName: '压测村',
      townshipName: '第15镇',
      countyName: '五原县',
      consultPhone: '0478-5211234',
      complaintPhone: '12345',
      agents: [{ name: '王秀兰', phone: '13904781234', pin: '135246' }],
    });
    await seedDemo(ctx.reg, { cases: 3000, years: 1 });
    enrolByFile(ctx.reg, ef);
    const batches: Buffer[] = [];
    for (let from = 1, guard = 0; guard < 100; guard++) {
      const b = buildBatch(ctx.reg, from, 'usb');
      if (!b) break;
      batches.push(b.bytes);
      from = b.manifest.toSeq + 1;
    }
    ctx.reg.close();
    const bytes = batches.reduce((s, b) => s + b.length, 0);
    let importing = true;
    const uploads = (async () => {
      const s = performance.now();
      for (const b of batches) {
        // A keep-alive socket the server closed while the village was being seeded fails once with
        // ECONNRESET (undici does not retry a POST); importing the same batch again is harmless.
        let j: { value?: { result: string } } = {};
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            const r = await fetch(`${srv.url}/api/imports/upload`, {
              method: 'POST',
              headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/octet-stream', 'x-file-name': 'bench.batch' },
              body: new Uint8Array(b),
            });
            j = (await r.json()) as typeof j;
            break;
          } catch (e) {
            if (attempt === 1) throw e;
          }
        }
        if (j.value?.result !== 'imported' && j.value?.result !== 'already') throw new Error(`batch not imported: ${JSON.stringify(j)}`);
      }
      importing = false;
      return performance.now() - s;
    })();
    const during: number[] = [];
    for (let i = 0; importing && i < 2000; i++) during.push(await get('searchCases', { q: pinyinKeys(sample.name).initials, limit: 50 }));
    const importMs = await uploads;
    report({ bench: BENCH, metric: 'batches imported through the console', value: Math.round(importMs), unit: 'ms', batches: batches.length, megabytes: Math.round(bytes / 1e5) / 10 });
    report({ bench: BENCH, metric: 'console requests p95 while batches import', value: p95(during), unit: 'ms', target: '≤ 200 ms', ok: p95(during) <= 200, requests: during.length });
  } finally {
    await srv.close();
    county.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (villageDir) fs.rmSync(villageDir, { recursive: true, force: true });
  }
}
