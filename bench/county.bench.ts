// `npm run bench -- county`: the county console's API on a seeded county of 300 points and about
// 900,000 cases (rows inserted straight into the county schema, in the shapes the importer writes):
// every search kind's p95 at the API (target ≤ 50 ms), 总览 (≤ 300 ms), a year's county statistics
// (≤ 1 s), and other console requests while real signed batches import (p95 ≤ 200 ms).
// Smaller for a quick look: DAIBAN_BENCH_COUNTY_CASES=90000 npm run bench -- county
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from './run';
import { County } from '../county/db';
import { initCounty } from '../county/publish';
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
import { addCalendarDays } from '../domain/deadlines';
import { residentIdCheckChar } from '../domain/idNumber';
import { pinyinKeys } from '../domain/pinyin';
import { uuidv7 } from '../domain/ids';

const BENCH = 'county';
const CASES = Number(process.env.DAIBAN_BENCH_COUNTY_CASES ?? 900_000);
const POINTS = 300;
const TOWNSHIPS = 15;
const RUNS = 30;

let rnd = 4242;
const rand = () => {
  rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
  return rnd / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['秀兰', '建国', '桂英', '志强', '玉梅', '海军', '淑珍', '国华', '春燕', '文明', '德胜', '凤英', '永红', '金花', '卫东', '丽娟', '长青', '雪梅', '振华', '晓东'];

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] * 10) / 10;
}

function pointCode(i: number): string {
  return `150822${String(101 + (i % TOWNSHIPS)).padStart(3, '0')}${String(201 + Math.floor(i / TOWNSHIPS)).padStart(3, '0')}`;
}

/** Inserts points, agents, applicants, cases, materials and follow-ups in the importer's row shapes. */
function seedCounty(county: County, today: string): { sample: { name: string; idNumber: string; phone: string; caseNo: string } } {
  const db = county.db;
  const items = db.prepare(`SELECT code, name FROM catalog_items ORDER BY code LIMIT 12`).all() as { code: string; name: string }[];
  const names = SURNAMES.flatMap((s) => GIVEN.map((g) => s + g));
  const keys = new Map(names.map((n) => [n, pinyinKeys(n)]));
  const insPoint = db.prepare(`INSERT INTO points (code, village_name, township_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
  const insAgent = db.prepare(`INSERT INTO agents (id, point_code, name, phone, active, created_at) VALUES (?, ?, ?, '', 1, ?)`);
  const insApp = db.prepare(
    `INSERT INTO applicants (id, point_code, kind, name, name_pinyin, name_initials, id_number, id_rev, phone, phone_rev, created_at) VALUES (?, ?, 'person', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insCase = db.prepare(
    `INSERT INTO cases (id, point_code, case_no, applicant_id, item_code, item_name, status, handling_mode, intake_date, intake_at, committed_workdays, due_date, agent_id, decision, decision_date, created_at, created_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 10, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insMat = db.prepare(`INSERT INTO case_materials (id, point_code, case_id, position, name, state, required) VALUES (?, ?, ?, 1, '申请人居民身份证', 'both', 1)`);
  const insFu = db.prepare(
    `INSERT INTO followups (id, point_code, case_id, kind, method, reached, rating, followed_at, follow_date, agent_id) VALUES (?, ?, ?, 'returnVisit', 'phone', 1, ?, ?, ?, ?)`,
  );
  const perPoint = Math.ceil(CASES / POINTS);
  const days = 730;
  const t0 = Date.parse(`${today}T00:00:00Z`) - days * 86_400_000;
  let sample = { name: '', idNumber: '', phone: '', caseNo: '' };
  let ms = Date.now() - 3 * 365 * 86_400_000;
  for (let p = 0; p < POINTS; p++) {
    const code = pointCode(p);
    county.tx(() => {
      insPoint.run(code, `第${p + 1}村`, `第${(p % TOWNSHIPS) + 1}镇`, today, today);
      const agents = [uuidv7(ms), uuidv7(ms)];
      for (const a of agents) insAgent.run(a, code, pick(names), today);
      for (let i = 0; i < perPoint; i++) {
        ms += 1;
        const d = new Date(t0 + Math.floor((i / perPoint) * days) * 86_400_000).toISOString().slice(0, 10);
        const name = pick(names);
        const k = keys.get(name)!;
        const first17 = `150822${1940 + Math.floor(rand() * 60)}0${1 + Math.floor(rand() * 9)}1${Math.floor(rand() * 9)}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
        const idn = first17 + residentIdCheckChar(first17);
        const phone = `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
        const app = uuidv7(ms);
        insApp.run(app, code, name, k.full, k.initials, idn, [...idn].reverse().join(''), phone, [...phone].reverse().join(''), d);
        const due = addCalendarDays(d, 14);
        const age = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${d}T00:00:00Z`)) / 86_400_000;
        const r = rand();
        const open = age < 20 ? r < 0.7 : r < 0.02;
        const status = open ? (r < 0.3 ? 'accepted' : 'handedUp') : r > 0.98 ? 'withdrawn' : 'delivered';
        const decided = status === 'delivered';
        const decisionDate = decided ? addCalendarDays(d, Math.floor(rand() * 18)) : null;
        const id = uuidv7(ms);
        const caseNo = `${code}-${d.replaceAll('-', '')}-${String(i % 1000).padStart(3, '0')}`;
        const it = pick(items);
        insCase.run(id, code, caseNo, app, it.code, it.name, status, pick(['proxy', 'guide', 'transfer']), d, `${d}T02:00:00.000Z`, due, pick(agents), decided ? 'approved' : null, decisionDate, d, agents[0], d);
        insMat.run(uuidv7(ms), code, id);
        if (decided && rand() < 0.6) insFu.run(uuidv7(ms), code, id, 1 + Math.floor(rand() * 5), `${decisionDate}T03:00:00.000Z`, decisionDate, agents[0]);
        if (p === 7 && i === 100) sample = { name, idNumber: idn, phone, caseNo };
      }
    });
  }
  db.pragma('optimize');
  db.exec('ANALYZE');
  return { sample };
}

export async function run(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-county-'));
  const county = await County.open({ dataDir: dir });
  initCounty(county, { code: '150822', name: '五原县' });
  const today = chinaDate(Date.now());
  const t0 = performance.now();
  const { sample } = seedCounty(county, today);
  const total = (county.db.prepare(`SELECT COUNT(*) AS n FROM cases`).get() as { n: number }).n;
  report({ bench: BENCH, metric: 'seed', value: Math.round(performance.now() - t0), unit: 'ms', cases: total, points: POINTS });

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
      agents: [{ name: '王秀兰', phone: '13904781234', pin: '1234' }],
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
