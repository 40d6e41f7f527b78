// The console's API as a county clerk and a township official use it: sign-in rules (scrypt cost,
// lockout, idle expiry, cookie flags), every village search kind across the county, reveal (audited,
// value never logged), batch upload results, decisions with the stale-form check, statistics by
// village, the township's ledger PDF, and the console's CSP.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { County } from '../../county/db';
import { importBatch } from '../../county/importer';
import { startCountyServer } from '../../county/server';
import { changePassword, createAccount, createFirstAdmin, hashPassword, verifyPassword } from '../../county/console/accounts';
import { CONSOLE_ROUTES, consoleUrl, type ConsoleRoute } from '../../county/console/contract';
import type { CountyCaseDetail, CountyCaseRow, CountyStatistics, Page } from '../../county/console/types';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch } from '../../sync/village/state';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from '../sync/helpers';
import { savePdf } from '../reports/pdfTools';

const PW = 'Zhongxin-2026!';
let county: County;
let srv: Awaited<ReturnType<typeof startCountyServer>>;
let v1: Village;
let v2: Village;
const cases: Record<string, { id: string; caseNo: string }> = {};

class Client {
  cookie = '';
  csrf = '';
  async call<T>(route: ConsoleRoute, input: unknown, body?: Buffer): Promise<{ status: number; value: T; error?: { code: string; message: string }; headers: Headers; raw?: Buffer }> {
    const d = CONSOLE_ROUTES[route];
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    const r =
      d.method === 'GET'
        ? await fetch(srv.url + consoleUrl(route, input as never), { headers })
        : d.kind === 'upload'
          ? await fetch(srv.url + d.path, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('红旗村-1.batch') }, body: body ? new Uint8Array(body) : undefined })
          : await fetch(srv.url + d.path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    if (!(r.headers.get('content-type') ?? '').includes('json')) return { status: r.status, value: undefined as T, headers: r.headers, raw: Buffer.from(await r.arrayBuffer()) };
    const j = (await r.json()) as { value: T; error?: { code: string; message: string } };
    const v = j.value as { csrfToken?: string } | undefined;
    if (v && typeof v === 'object' && typeof v.csrfToken === 'string') this.csrf = v.csrfToken;
    return { status: r.status, value: j.value, error: j.error, headers: r.headers };
  }
}
const clerk = new Client();
const admin = new Client();
const town = new Client();

async function village(code: string, name: string, township: string, applicants: string[]): Promise<Village> {
  const v = await openVillage({ code, village: name });
  const f = path.join(newDir(), 'e.enrol');
  fs.writeFileSync(f, enrolmentFile(county, code, name).bytes);
  county.db.prepare(`UPDATE points SET township_name = ? WHERE code = ?`).run(township, code);
  enrolByFile(v.reg, f);
  for (const a of applicants) cases[a] = await addCase(v, { handUp: true, name: a });
  return v;
}

beforeAll(async () => {
  county = await openCounty();
  v1 = await village('150822101201', '红旗村', '巴彦镇', ['张三', '李四']);
  v2 = await village('150822102201', '新华村', '新安镇', ['王五']);
  expect(importBatch(county, buildBatch(v2.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
  const a = await createFirstAdmin(county, 'admin');
  await changePassword(county, a.row.id, a.password, PW);
  const c = await createAccount(county, { name: 'clerk', role: 'clerk' });
  await changePassword(county, c.row.id, c.password, PW);
  const t = await createAccount(county, { name: 'town', role: 'township', townshipCode: '150822101' });
  await changePassword(county, t.row.id, t.password, PW);
  const ui = newDir();
  fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>县级控制台</title><div id="root"></div>');
  srv = await startCountyServer(county, { console: { staticDir: ui, idleMinutes: 30 } });
  expect((await clerk.call('signIn', { name: 'clerk', password: PW })).status).toBe(200);
  expect((await admin.call('signIn', { name: 'admin', password: PW })).status).toBe(200);
  expect((await town.call('signIn', { name: 'town', password: PW })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await srv?.close();
  v1?.close();
  v2?.close();
  county?.close();
  removeDirs();
});

describe('accounts and sessions', () => {
  it('hashes passwords with scrypt at a measured cost of at least 100 ms', async () => {
    const h = await hashPassword('Some-password-1');
    expect(h).toMatch(/^scrypt\$65536\$8\$1\$/);
    const t0 = performance.now();
    expect(await verifyPassword('Some-password-1', h)).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    expect(await verifyPassword('some-password-1', h)).toBe(false);
  });

  it('sets an httpOnly SameSite=Strict session cookie and locks an account after 5 wrong passwords', async () => {
    const acc = await createAccount(county, { name: 'lockme', role: 'clerk' });
    const c = new Client();
    for (let i = 0; i < 4; i++) expect((await c.call('signIn', { name: 'lockme', password: 'wrong' })).status).toBe(401);
    const fifth = await c.call('signIn', { name: 'lockme', password: 'wrong' });
    expect(fifth.status).toBe(429);
    expect(fifth.error!.message).toMatch(/锁定/);
    // Even the right password is refused while locked.
    expect((await c.call('signIn', { name: 'lockme', password: acc.password })).status).toBe(429);
    const ok = await fetch(`${srv.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'clerk', password: PW }) });
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const audit = county.db.prepare(`SELECT kind, summary FROM audit_log WHERE kind = 'signInFailed'`).all() as { summary: string }[];
    expect(audit.length).toBeGreaterThanOrEqual(5);
  });

  it('ends a session after the idle time', async () => {
    const s2 = await startCountyServer(county, { console: { staticDir: newDir(), idleMinutes: 0.01 } });
    try {
      const r = await fetch(`${s2.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'clerk', password: PW }) });
      const cookie = r.headers.get('set-cookie')!.split(';')[0];
      expect((await fetch(`${s2.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
      const idleMs = 0.01 * 60_000;
      const sleepUntil = async (t: number) => {
        for (let i = 0; i < 200 && performance.now() < t; i++) await new Promise((res) => setTimeout(res, 50));
      };
      // Working keeps the session: requests more often than the idle time, for longer than it.
      const busyUntil = performance.now() + idleMs * 2;
      while (performance.now() < busyUntil) {
        expect((await fetch(`${s2.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
        await sleepUntil(performance.now() + idleMs / 4);
      }
      // Leaving it alone longer than the idle time ends it.
      await sleepUntil(performance.now() + idleMs * 1.5);
      const after = await fetch(`${s2.url}/api/auth/me`, { headers: { cookie } });
      expect(after.status).toBe(401);
      expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/重新登录/);
    } finally {
      await s2.close();
    }
  });
});

describe('全县台账', () => {
  it('batch upload: a non-batch file is refused with its reason; a real batch imports, and again is “already”', async () => {
    const bad = await clerk.call<{ result: string; message: string }>('importBatch', {}, Buffer.from('这不是同步批次'));
    expect(bad.value.result).toBe('rejected');
    expect(bad.value.message).toMatch(/^拒绝：/);
    const bytes = buildBatch(v1.reg, 1, 'usb')!.bytes;
    const first = await clerk.call<{ result: string; applied: number; message: string }>('importBatch', {}, bytes);
    expect(first.value.result).toBe('imported');
    expect(first.value.message).toMatch(/已导入 \d+ 条变更/);
    const again = await clerk.call<{ result: string; message: string }>('importBatch', {}, bytes);
    expect(again.value.result).toBe('already');
    const log = await clerk.call<Page<{ result: string; source: string }>>('importLog', {});
    expect(log.value.rows.map((r) => r.result).slice(0, 3)).toEqual(['already', 'imported', 'rejected']);
    expect(log.value.rows[0].source).toBe('file:红旗村-1.batch');
  });

  it('finds cases by every village search kind, across the county or within a township', async () => {
    const idTail = (county.db.prepare(`SELECT a.id_number FROM applicants a JOIN cases c ON c.applicant_id = a.id WHERE c.id = ?`).get(cases['张三'].id) as { id_number: string }).id_number;
    const nos = async (input: Record<string, unknown>, who = clerk) => (await who.call<Page<CountyCaseRow>>('searchCases', input)).value.rows.map((r) => r.caseNo).sort();
    expect(await nos({ q: '张三' })).toEqual([cases['张三'].caseNo]);
    expect(await nos({ q: 'zs' })).toEqual([cases['张三'].caseNo]);
    expect(await nos({ q: 'zhangsan' })).toEqual([cases['张三'].caseNo]);
    expect(await nos({ q: idTail.slice(-4) })).toContain(cases['张三'].caseNo);
    expect(await nos({ q: idTail.slice(-6) })).toEqual([cases['张三'].caseNo]);
    expect((await nos({ q: '5678' })).length).toBe(3); // phone last 4 (every test applicant has the same phone)
    expect(await nos({ q: cases['王五'].caseNo })).toEqual([cases['王五'].caseNo]);
    expect((await nos({ q: '', status: ['handedUp'] })).length).toBe(3);
    expect((await nos({ q: '', townshipCode: '150822102' })).length).toBe(1);
    expect(await nos({ q: '', overdue: true })).toEqual([]);
    const itemName = (await clerk.call<CountyCaseDetail>('getCase', { id: cases['王五'].id })).value.itemName;
    expect((await nos({ q: itemName.slice(0, 4) })).length).toBe(3);
    // The township official's search covers their villages only.
    expect(await nos({ q: 'ww' }, town)).toEqual([]);
    expect(await nos({ q: 'zs' }, town)).toEqual([cases['张三'].caseNo]);
  });

  it('shows the applicant masked; revealing is recorded in the audit log without the value', async () => {
    const page = (await town.call<CountyCaseDetail>('getCase', { id: cases['张三'].id })).value;
    expect(page.applicant.phoneMasked).toBe('138****5678');
    expect(page.applicant.idNumberMasked).toMatch(/\*{8}/);
    expect(page.materials.length).toBeGreaterThan(0);
    expect(page.timeline.map((t) => t.label)).toEqual(expect.arrayContaining(['受理登记', '报送']));
    const r = await town.call<{ value: string }>('revealApplicant', { caseId: cases['张三'].id, field: 'phone' });
    expect(r.value.value).toBe('13812345678');
    const audit = county.db.prepare(`SELECT user_name, summary FROM audit_log WHERE kind = 'reveal'`).all() as { user_name: string; summary: string }[];
    expect(audit.at(-1)).toMatchObject({ user_name: 'town' });
    expect(audit.at(-1)!.summary).toContain(cases['张三'].caseNo);
    expect(JSON.stringify(county.db.prepare(`SELECT * FROM audit_log`).all())).not.toContain('13812345678');
  });

  it('records a decision from the case page, and refuses a stale form with a clear message', async () => {
    const page = (await clerk.call<CountyCaseDetail>('getCase', { id: cases['李四'].id })).value;
    expect(page.canDecide).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const d = await clerk.call<CountyCaseDetail>('decideCase', { caseId: page.id, action: 'approved', date: today, note: '材料齐全', expectedVersion: page.version });
    expect(d.status, JSON.stringify(d.error)).toBe(200);
    expect(d.value.status).toBe('decided');
    expect(d.value.timeline.map((t) => t.label).join('|')).toMatch(/县级准予决定/);
    const again = await clerk.call('decideCase', { caseId: page.id, action: 'refused', date: today, note: '', expectedVersion: page.version });
    expect(again.status).toBe(409);
    expect(again.error!.message).toMatch(/已被他人更新.*刷新/);
    expect((county.db.prepare(`SELECT COUNT(*) AS n FROM decisions WHERE case_id = ?`).get(page.id) as { n: number }).n).toBe(1);
  });
});

describe('统计 and 打印', () => {
  it('gives figures by village (the village definitions), and each figure opens its cases', async () => {
    const y = new Date().getFullYear();
    const s = (await clerk.call<CountyStatistics>('statistics', { from: `${y}-01-01`, to: `${y}-12-31`, groupBy: 'village' })).value;
    expect(s.totals.accepted).toBe(3);
    expect(s.groups.map((g) => [g.label, g.figures.accepted])).toEqual([
      ['巴彦镇红旗村', 2],
      ['新安镇新华村', 1],
    ]);
    expect(s.totals).toHaveProperty('immediateRate');
    const open = (await clerk.call<Page<{ caseNo: string }>>('statisticsCases', { from: `${y}-01-01`, to: `${y}-12-31`, figure: 'accepted', group: { by: 'village', key: '150822102201' } })).value;
    expect(open.rows.map((r) => r.caseNo)).toEqual([cases['王五'].caseNo]);
    const mine = (await town.call<CountyStatistics>('statistics', { from: `${y}-01-01`, to: `${y}-12-31` })).value;
    expect(mine.totals.accepted).toBe(2);
  });

  it("prints a township's 《行政服务代办记录》 as PDF with every village's ledger", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const r = await town.call('printLedger', { month });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', savePdf(r.raw!, 'ledger'), '-'], { encoding: 'utf8' });
    expect(text).toContain('行政服务代办记录');
    expect(text).toContain('五原县巴彦镇红旗村便民服务代办点');
    expect(text).toContain('张三');
    expect(text).not.toContain('王五');
    const sum = await town.call('printTownshipSummary', { townshipCode: '150822101', month });
    const st = execFileSync('pdftotext', ['-layout', savePdf(sum.raw!, 'summary'), '-'], { encoding: 'utf8' });
    expect(st).toContain('代办点月度汇总表');
    expect(st).toContain('红旗村');
    expect(st).toMatch(/审核人（乡镇）/);
  }, 120_000);

  it('serves the console with a strict CSP, and screen paths fall back to index.html', async () => {
    const r = await fetch(`${srv.url}/cases/some-id`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('县级控制台');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect((await fetch(`${srv.url}/api/nothing-here`)).status).toBe(404);
  });
});

describe('发布', () => {
  it('publishes a full holiday year; refuses a partial year, a 调休 day on a weekday and a malformed catalog, changing nothing', async () => {
    const bundled = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'data/holidays-cn.json'), 'utf8')) as { years: Record<string, { source: string; periods: { name: string; off: string[]; work: string[] }[] }> };
    const seqBefore = (county.db.prepare(`SELECT COUNT(*) AS n FROM downstream`).get() as { n: number }).n;
    const partial = { years: { '2026': { ...bundled.years['2026'], periods: bundled.years['2026'].periods.filter((p) => p.name.includes('春节')) } } };
    const r1 = await admin.call('publishHolidays', { tables: partial });
    expect(r1.status).toBe(400);
    expect(r1.error!.message).toMatch(/不完整.*元旦/);
    const weekday = { years: { '2026': { ...bundled.years['2026'], periods: [...bundled.years['2026'].periods, { name: '错', off: [], work: ['2026-03-04'] }] } } };
    const r2 = await admin.call('publishHolidays', { tables: weekday });
    expect(r2.status).toBe(400);
    expect(r2.error!.message).toMatch(/不是周六或周日/);
    const bad = await admin.call('publishCatalog', { catalog: { version: 'x', items: [{ code: 1 }] } });
    expect(bad.status).toBe(400);
    expect((county.db.prepare(`SELECT COUNT(*) AS n FROM downstream`).get() as { n: number }).n).toBe(seqBefore);
    const ok = await admin.call<{ years: number[] }>('publishHolidays', { tables: { years: { '2026': bundled.years['2026'] } } });
    expect(ok.status, JSON.stringify(ok.error)).toBe(200);
    expect(ok.value.years).toEqual([2026]);
    const versions = await admin.call<{ points: { code: string; upToDate: boolean }[] }>('publishedVersions', {});
    expect(versions.value.points.every((p) => p.upToDate === false)).toBe(true);
    const audit = county.db.prepare(`SELECT summary FROM audit_log WHERE kind = 'publish'`).all() as { summary: string }[];
    expect(audit.map((a) => a.summary)).toContain('节假日安排 2026 年');
  });
});
