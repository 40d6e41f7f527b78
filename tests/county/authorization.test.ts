// Walks EVERY route of the console contract for every role and scope and asserts the refusals:
// no session → 401; a role without the permission → 403; a township official naming another
// township's case / point / device / 督办 / conflict / figure → 404 (same as a missing record);
// a POST without the session's CSRF token → 403. The routes come from CONSOLE_ROUTES, so a new
// route is walked the day it is added.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { County } from '../../county/db';
import { importBatch } from '../../county/importer';
import { startCountyServer } from '../../county/server';
import { createAccount, createFirstAdmin, changePassword } from '../../county/console/accounts';
import { CONSOLE_ROUTES, PERMISSIONS, consoleUrl, type ConsoleRoute } from '../../county/console/contract';
import type { Role } from '../../county/console/types';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch } from '../../sync/village/state';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from '../sync/helpers';

const HOME = '150822101'; // 巴彦镇
const OTHER = '150822102'; // 另一个乡镇
const PW = 'Zhongxin-2026!';

let county: County;
let srv: Awaited<ReturnType<typeof startCountyServer>>;
const villages: Village[] = [];
const ids = { homeCase: '', otherCase: '', homeDevice: '', otherDevice: '', otherSupervision: '', homeSupervision: '' };

type Session = { cookie: string; csrf: string };
const sessions: Partial<Record<Role, Session>> = {};

async function signIn(name: string, password: string): Promise<Session> {
  const r = await fetch(`${srv.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  expect(r.status, await r.clone().text()).toBe(200);
  const cookie = r.headers.get('set-cookie')!.split(';')[0];
  const body = (await r.json()) as { value: { csrfToken: string } };
  return { cookie, csrf: body.value.csrfToken };
}

async function village(code: string, name: string, township: string): Promise<{ caseId: string; deviceId: string }> {
  const v = await openVillage({ code, village: name });
  villages.push(v);
  const f = path.join(newDir(), 'e.enrol');
  county.tx(() => undefined);
  fs.writeFileSync(f, enrolmentFile(county, code, name).bytes);
  county.db.prepare(`UPDATE points SET township_name = ? WHERE code = ?`).run(township, code);
  enrolByFile(v.reg, f);
  const c = await addCase(v, { handUp: true, name: '张三' });
  expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
  return { caseId: c.id, deviceId: v.reg.deviceId };
}

beforeAll(async () => {
  county = await openCounty();
  const home = await village(`${HOME}201`, '红旗村', '巴彦镇');
  const other = await village(`${OTHER}201`, '新华村', '新安镇');
  ids.homeCase = home.caseId;
  ids.otherCase = other.caseId;
  ids.homeDevice = home.deviceId;
  ids.otherDevice = other.deviceId;
  const admin = await createFirstAdmin(county, 'admin');
  await changePassword(county, admin.row.id, admin.password, PW);
  const clerk = await createAccount(county, { name: 'clerk', role: 'clerk' });
  await changePassword(county, clerk.row.id, clerk.password, PW);
  const town = await createAccount(county, { name: 'town', role: 'township', townshipCode: HOME });
  await changePassword(county, town.row.id, town.password, PW);
  srv = await startCountyServer(county, { console: { staticDir: newDir() } });
  sessions.admin = await signIn('admin', PW);
  sessions.clerk = await signIn('clerk', PW);
  sessions.township = await signIn('town', PW);
  // A 督办 in each township (through the API, as a clerk would).
  for (const [key, caseId] of [
    ['homeSupervision', ids.homeCase],
    ['otherSupervision', ids.otherCase],
  ] as const) {
    const c = (await call('clerk', 'getCase', { id: caseId })).body as { value: { version: string } };
    const r = await call('clerk', 'createSupervision', { caseId, note: '请说明进展', replyBy: '2099-01-01', expectedVersion: c.value.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    ids[key] = (county.db.prepare(`SELECT id FROM supervisions WHERE case_id = ?`).get(caseId) as { id: string }).id;
  }
}, 120_000);

afterAll(async () => {
  await srv?.close();
  for (const v of villages) v.close();
  county?.close();
  removeDirs();
});

async function call(who: Role | null, route: ConsoleRoute, input: unknown, opts: { csrf?: boolean } = {}): Promise<{ status: number; body: unknown }> {
  const d = CONSOLE_ROUTES[route];
  const s = who ? sessions[who] : undefined;
  const headers: Record<string, string> = {};
  if (s) headers.cookie = s.cookie;
  if (s && opts.csrf !== false) headers['x-csrf-token'] = s.csrf;
  let r: Response;
  if (d.method === 'GET') r = await fetch(srv.url + consoleUrl(route, input as never), { headers });
  else if (d.kind === 'upload') r = await fetch(srv.url + d.path, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream', 'x-file-name': 'x.batch' }, body: new TextEncoder().encode('not a batch') });
  else r = await fetch(srv.url + d.path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, body: type.includes('json') ? await r.json() : await r.arrayBuffer() };
}

/** A valid input for each route, naming records of the township given (home or other). */
function sampleInput(route: ConsoleRoute, t: 'home' | 'other'): unknown {
  const town = t === 'home' ? HOME : OTHER;
  const pointCode = `${town}201`;
  const caseId = t === 'home' ? ids.homeCase : ids.otherCase;
  const inputs: { [R in ConsoleRoute]: unknown } = {
    me: {},
    signIn: { name: 'nobody', password: 'x' },
    signOut: {},
    changePassword: { oldPassword: 'wrong-password', newPassword: 'Another-pass-1' },
    scope: {},
    overview: { townshipCode: town },
    importBatch: {},
    importLog: { pointCode },
    replyFile: { pointCode },
    searchCases: { q: 'zs', pointCode },
    getCase: { id: caseId },
    revealApplicant: { caseId, field: 'phone' },
    decideCase: { caseId, action: 'approved', date: '2099-01-01', note: '', expectedVersion: 'stale' },
    createSupervision: { caseId, note: '请答复', replyBy: '2099-01-02', expectedVersion: 'stale' },
    closeSupervision: { id: t === 'home' ? ids.homeSupervision : ids.otherSupervision },
    listSupervisions: { townshipCode: town },
    deadlines: { townshipCode: town, kind: 'overdue' },
    listConflicts: { townshipCode: town },
    resolveConflict: { id: 'no-such-conflict' },
    statistics: { pointCode, from: '2026-01-01', to: '2026-12-31' },
    statisticsCases: { pointCode, from: '2026-01-01', to: '2026-12-31', figure: 'accepted' },
    statisticsXlsx: { pointCode, from: '2026-01-01', to: '2026-12-31' },
    evaluation: { month: '2026-11', townshipCode: town },
    evaluationWeights: {},
    setEvaluationWeights: { onTimeRate: 30, overdue: 20, returnVisitRate: 15, satisfactionRate: 25, immediateRate: 10 },
    warnPoint: { pointCode, month: '2026-11', note: '本月超期较多' },
    warnLagging: { month: '2026-11', townshipCode: town },
    setAutoWarn: { on: false },
    weeklyReport: { townshipCode: town, weekOf: '2026-11-30' },
    printLedger: { pointCode, month: '2026-11' },
    printVisitBook: { pointCode, month: '2026-11' },
    printTownshipSummary: { townshipCode: town, month: '2026-11' },
    printCountyStatistics: { townshipCode: town, month: '2026-11' },
    printWeeklyReport: { townshipCode: town, weekOf: '2026-11-30' },
    listPoints: { townshipCode: town },
    upsertPoint: { code: pointCode, villageName: t === 'home' ? '红旗村' : '新华村', townshipName: t === 'home' ? '巴彦镇' : '新安镇' },
    createEnrolCode: { pointCode, days: 7 },
    printEnrolSheet: { pointCode, code: 'ABCD-EFGH-JKLM-NPQR' },
    enrolFile: { pointCode, days: 7 },
    revokeDevice: { deviceId: 'no-such-device', reason: '测试' },
    currentCatalog: {},
    publishCatalog: { catalog: { version: 'bad' } },
    publishHolidays: { tables: {} },
    publishedVersions: {},
    listAccounts: {},
    createAccount: { name: `n${Math.random().toString(36).slice(2, 8)}`, role: 'clerk' },
    updateAccount: { id: 'no-such-account' },
    resetPassword: { id: 'no-such-account' },
    audit: {},
  };
  return inputs[route];
}

const ROUTES = Object.keys(CONSOLE_ROUTES) as ConsoleRoute[];
const ROLES: Role[] = ['admin', 'clerk', 'township'];

describe('console authorization', () => {
  it('walks every route of the contract', () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(45);
    for (const r of ROUTES) expect(PERMISSIONS[CONSOLE_ROUTES[r].perm], r).toBeDefined();
  });

  it('refuses every route but sign-in without a session (401)', async () => {
    for (const r of ROUTES) {
      if (CONSOLE_ROUTES[r].perm === 'public') continue;
      const res = await call(null, r, sampleInput(r, 'home'));
      expect(res.status, r).toBe(401);
    }
  });

  it('refuses every route a role is not allowed (403), and lets the allowed ones past the role check', async () => {
    for (const role of ROLES) {
      for (const r of ROUTES) {
        const d = CONSOLE_ROUTES[r];
        if (d.perm === 'public' || r === 'signOut') continue;
        const allowed = (PERMISSIONS[d.perm] as readonly Role[]).includes(role);
        const res = await call(role, r, sampleInput(r, 'home'));
        if (allowed) {
          expect([401, 403, 500], `${role} ${r}: ${JSON.stringify(res.body)}`).not.toContain(res.status);
        } else {
          expect(res.status, `${role} ${r}`).toBe(403);
          expect((res.body as { error: { code: string } }).error.code).toBe('forbidden');
        }
      }
    }
  }, 120_000);

  it("a township official reaching another township's case, point, device, 督办 or figure gets 404 and nothing of it", async () => {
    for (const r of ROUTES) {
      const d = CONSOLE_ROUTES[r];
      if (!(PERMISSIONS[d.perm] as readonly Role[]).includes('township') || d.perm === 'session') continue;
      const input = sampleInput(r, 'other') as Record<string, unknown>;
      const named = ['townshipCode', 'pointCode', 'caseId', 'id'].some((k) => k in input);
      if (!named || r === 'scope') continue;
      const res = await call('township', r, input);
      expect(res.status, `${r}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('新华村');
    }
  }, 60_000);

  it("a township official's unfiltered lists hold only their own villages", async () => {
    const cases = (await call('township', 'searchCases', { q: '' })).body as { value: { total: number; rows: { pointCode: string }[] } };
    expect(cases.value.total).toBe(1);
    expect(cases.value.rows.every((r) => r.pointCode.startsWith(HOME))).toBe(true);
    const all = (await call('clerk', 'searchCases', { q: '' })).body as { value: { total: number } };
    expect(all.value.total).toBe(2);
    const ov = (await call('township', 'overview', {})).body as { value: { points: { code: string }[] } };
    expect(ov.value.points.map((p) => p.code)).toEqual([`${HOME}201`]);
    const sup = (await call('township', 'listSupervisions', { state: 'all' })).body as { value: { total: number } };
    expect(sup.value.total).toBe(1);
    const scope = (await call('township', 'scope', {})).body as { value: { points: { code: string }[] } };
    expect(scope.value.points.map((p) => p.code)).toEqual([`${HOME}201`]);
  });

  it('refuses a POST without the CSRF token', async () => {
    for (const r of ROUTES) {
      const d = CONSOLE_ROUTES[r];
      if (d.method !== 'POST' || d.perm === 'public') continue;
      const res = await call('admin', r, sampleInput(r, 'home'), { csrf: false });
      expect(res.status, r).toBe(403);
      expect((res.body as { error: { code: string } }).error.code).toBe('csrf');
    }
  });
});
