// The seeded county of `npm run bench -- county`: 300 points and about 900,000 cases inserted straight
// into the county schema in the shapes the importer writes. Seeding takes many minutes on the build
// machine, so the seeded database is kept in a cache folder (DAIBAN_BENCH_COUNTY_CACHE, default
// <tmp>/daiban-bench-county-cache; "off" disables it) under a key made of the seed's version, the
// number of cases, today's date (the seed's dates are relative to today) and a hash of every county
// migration's SQL, so a changed schema or seed always seeds again. The bench says which it did.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { County, countyDbPath } from '../county/db';
import { COUNTY_MIGRATIONS } from '../county/migrations/index';
import { initCounty } from '../county/publish';
import { addCalendarDays } from '../domain/deadlines';
import { residentIdCheckChar } from '../domain/idNumber';
import { pinyinKeys } from '../domain/pinyin';
import { uuidv7 } from '../domain/ids';

/** Bump when seedCounty writes different rows. */
const SEED_VERSION = 1;
export const POINTS = 300;
export const TOWNSHIPS = 15;

export type Sample = { name: string; idNumber: string; phone: string; caseNo: string };

export function pointCode(i: number): string {
  return `150822${String(101 + (i % TOWNSHIPS)).padStart(3, '0')}${String(201 + Math.floor(i / TOWNSHIPS)).padStart(3, '0')}`;
}

let rnd = 4242;
const rand = () => {
  rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
  return rnd / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['秀兰', '建国', '桂英', '志强', '玉梅', '海军', '淑珍', '国华', '春燕', '文明', '德胜', '凤英', '永红', '金花', '卫东', '丽娟', '长青', '雪梅', '振华', '晓东'];


/** Inserts points, agents, applicants, cases, materials and follow-ups in the importer's row shapes. */
function seedCounty(county: County, today: string, cases: number): Sample {
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
  const perPoint = Math.ceil(cases / POINTS);
  const days = 730;
  const t0 = Date.parse(`${today}T00:00:00Z`) - days * 86_400_000;
  let sample: Sample = { name: '', idNumber: '', phone: '', caseNo: '' };
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
  return sample;
}


function cacheRoot(): string | null {
  const v = process.env.DAIBAN_BENCH_COUNTY_CACHE;
  if (v === 'off') return null;
  return v ? path.resolve(v) : path.join(os.tmpdir(), 'daiban-bench-county-cache');
}

function cacheKey(today: string, cases: number): string {
  const h = createHash('sha256');
  for (const m of COUNTY_MIGRATIONS) h.update(`${m.version}\n${m.sql}\n`);
  return `seed${SEED_VERSION}-${cases}-${today}-${h.digest('hex').slice(0, 12)}`;
}

export type SeededCounty = { county: County; sample: Sample; ms: number; cached: boolean };

/** A seeded county in `dir`: copied from the cache when one matches, else seeded (and cached). */
export async function seededCounty(dir: string, today: string, cases: number): Promise<SeededCounty> {
  const root = cacheRoot();
  const key = cacheKey(today, cases);
  const cached = root ? path.join(root, key) : null;
  const t0 = performance.now();
  if (cached && fs.existsSync(path.join(cached, 'sample.json'))) {
    fs.copyFileSync(path.join(cached, 'county.sqlite'), countyDbPath(dir));
    const county = await County.open({ dataDir: dir });
    const sample = JSON.parse(fs.readFileSync(path.join(cached, 'sample.json'), 'utf8')) as Sample;
    return { county, sample, ms: performance.now() - t0, cached: true };
  }
  const county = await County.open({ dataDir: dir });
  initCounty(county, { code: '150822', name: '五原县' });
  const sample = seedCounty(county, today, cases);
  const ms = performance.now() - t0;
  if (cached && root) {
    // One seeded county at a time (each is gigabytes): older keys go.
    for (const old of fs.existsSync(root) ? fs.readdirSync(root) : []) fs.rmSync(path.join(root, old), { recursive: true, force: true });
    fs.mkdirSync(cached, { recursive: true });
    county.db.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(countyDbPath(dir), path.join(cached, 'county.sqlite'));
    fs.writeFileSync(path.join(cached, 'sample.json'), JSON.stringify(sample));
  }
  return { county, sample, ms, cached: false };
}
