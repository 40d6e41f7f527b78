// 督办 round trip with real processes: `daiban county init` prints the first administrator, who
// signs in to the console of a running `daiban county serve`, changes the one-time password, finds
// the village's case by pinyin initials and marks it for supervision; the village sees the notice on
// 今日 after its next sync, answers, syncs again, and the county's list shows the answer.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleUrl, CONSOLE_ROUTES, type ConsoleRoute } from '../../county/console/contract';
import { addCase, cli, newDir, openVillage, removeDirs, startCountyProcess } from '../sync/helpers';

afterAll(removeDirs);

function ok(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

class Browser {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async call<T>(route: ConsoleRoute, input: unknown): Promise<{ status: number; value: T; error?: { code: string; message: string } }> {
    const d = CONSOLE_ROUTES[route];
    const headers: Record<string, string> = { cookie: this.cookie };
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    const r =
      d.method === 'GET'
        ? await fetch(this.base + consoleUrl(route, input as never), { headers })
        : await fetch(this.base + d.path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const body = (await r.json()) as { ok: boolean; value: T; error?: { code: string; message: string } };
    const v = body.value as { csrfToken?: string } | undefined;
    if (v && typeof v === 'object' && typeof v.csrfToken === 'string') this.csrf = v.csrfToken;
    return { status: r.status, value: body.value, error: body.error };
  }
}

describe('督办 round trip', () => {
  it('county marks 督办 in the console → village 今日 shows it after sync → answer comes back up', async () => {
    const C = newDir('daiban-county-');
    const V = newDir('daiban-village-');
    const init = ok(await cli(['county', 'init', '--data-dir', C, '--code', '150822', '--name', '五原县']));
    const name = /登录名：(\S+)/.exec(init)![1];
    const oneTime = /一次性密码：(\S+)/.exec(init)![1];
    expect(name).toBe('admin');
    const enrolOut = ok(await cli(['county', 'enrol', '--data-dir', C, '--point', '150822101201', '--village', '红旗村', '--township', '巴彦镇', '--out', path.join(C, 'unused.enrol')]));
    const code = /登记码：(\S+)/.exec(enrolOut)![1];
    let v = await openVillage({ dir: V });
    v.close();
    const srv = await startCountyProcess(C);
    try {
      ok(await cli(['enrol', '--data-dir', V, '--code', code, '--url', srv.url]));
      v = await openVillage({ dir: V });
      const c = await addCase(v, { handUp: true, name: '张三' });
      v.close();
      ok(await cli(['sync', '--data-dir', V]));

      // First sign-in: only the password change is allowed.
      const b = new Browser(srv.url);
      expect((await b.call('signIn', { name, password: oneTime })).status).toBe(200);
      const blocked = await b.call('searchCases', { q: 'zs' });
      expect(blocked.status).toBe(403);
      expect(blocked.error!.message).toMatch(/修改密码/);
      expect((await b.call('changePassword', { oldPassword: oneTime, newPassword: 'Wuyuan-county-2026' })).status).toBe(200);

      const found = await b.call<{ total: number; rows: { id: string; caseNo: string; applicantName: string }[] }>('searchCases', { q: 'zs' });
      expect(found.status).toBe(200);
      expect(found.value.rows.map((r) => r.caseNo)).toEqual([c.caseNo]);
      const page = await b.call<{ version: string; timeline: { label: string }[] }>('getCase', { id: c.id });
      expect(page.value.timeline.map((t) => t.label)).toContain('受理登记');

      const marked = await b.call<{ supervised: boolean; version: string }>('createSupervision', {
        caseId: c.id,
        note: '请说明为何尚未办结',
        replyBy: '2099-12-31',
        expectedVersion: page.value.version,
      });
      expect(marked.status, JSON.stringify(marked.error)).toBe(200);
      expect(marked.value.supervised).toBe(true);
      // A second form opened before the 督办 is stale now.
      const stale = await b.call('decideCase', { caseId: c.id, action: 'approved', date: '2099-01-01', note: '', expectedVersion: page.value.version });
      expect(stale.status).toBe(409);
      expect(stale.error!.message).toMatch(/已被他人更新/);

      ok(await cli(['sync', '--data-dir', V]));
      v = await openVillage({ dir: V });
      const today = await v.api.today({ limit: 50 });
      expect(today.countyNotices.count).toBe(1);
      expect(today.countyNotices.rows[0]).toMatchObject({ kind: 'supervision', caseNo: c.caseNo, note: '请说明为何尚未办结', replyBy: '2099-12-31' });
      const after = await v.api.answerCountyNotice({ noticeId: today.countyNotices.rows[0].id, answer: '县民政局审核中，预计下周办结' });
      expect(after.countyNotices.count).toBe(0);
      v.close();

      const open = await b.call<{ rows: { state: string }[] }>('listSupervisions', { state: 'open' });
      expect(open.value.rows.map((r) => r.state)).toEqual(['open']);
      ok(await cli(['sync', '--data-dir', V]));
      const answered = await b.call<{ rows: { state: string; answer: string; answeredByName: string; delivered: boolean }[] }>('listSupervisions', { state: 'answered' });
      expect(answered.value.rows).toHaveLength(1);
      expect(answered.value.rows[0]).toMatchObject({ state: 'answered', answer: '县民政局审核中，预计下周办结', answeredByName: '王秀兰', delivered: true });
    } finally {
      await srv.stop();
    }
  }, 240_000);
});
