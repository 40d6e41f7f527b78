// A real credit code from an early pilot registry fails the GB 32100 check character: the
// organisation can still be registered once the agent confirms the licence, and that is recorded.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestRegister, type TestEnv } from '../support/tempRegister';

let env: TestEnv | undefined;
afterEach(() => {
  env?.close();
  env = undefined;
});

const PILOT = '91350211M0000XUF46'; // 厦门云上晴空航空科技有限公司, issued before the standard settled

async function orgCase(e: TestEnv, applicant: Record<string, unknown>) {
  const item = await e.api.getCatalogItem({ code: 'MZ-0003' });
  return e.api.createCase({
    applicant: { kind: 'org', name: '云上晴空合作社', phone: '', villageGroup: '', address: '', ...applicant },
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
  });
}

describe('credit codes from early pilot registries', () => {
  it('are refused without a confirmation, with the check-character message', async () => {
    env = await openTestRegister();
    const [wang] = (await env.api.getAppState({})).agents;
    await env.api.signIn({ agentId: wang.id, pin: '1234' });
    await expect(orgCase(env, { creditCode: PILOT })).rejects.toThrow(/^统一社会信用代码校验位不正确：按 GB 32100 计算最后一位应为“.”，这里是“6”/);
    expect(env.reg.db.prepare(`SELECT COUNT(*) AS n FROM applicants WHERE kind = 'org'`).get()).toEqual({ n: 0 });
  });

  it('are registered after the confirmation, which goes into the case history and the sync outbox once', async () => {
    env = await openTestRegister();
    const [wang] = (await env.api.getAppState({})).agents;
    await env.api.signIn({ agentId: wang.id, pin: '1234' });
    const c = await orgCase(env, { creditCode: PILOT.toLowerCase(), creditCodeConfirmed: true });
    expect(env.reg.db.prepare(`SELECT credit_code FROM applicants WHERE kind = 'org'`).get()).toEqual({ credit_code: PILOT });

    const detail = await env.api.getCase({ id: c.id });
    const confirmed = detail.timeline.filter((t) => t.action === 'applicant.creditCodeConfirmed');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ label: '确认早期试点统一社会信用代码（校验位不符）', agentName: '王秀兰' });
    expect(confirmed[0].note).toContain('代办员已核对营业执照');
    const outbox = env.reg.db.prepare(`SELECT payload FROM outbox WHERE entity = 'applicants'`).all() as { payload: string }[];
    expect(outbox.map((o) => (JSON.parse(o.payload) as { action: string }).action)).toEqual(['applicant.create', 'applicant.creditCodeConfirmed']);

    // The same organisation again: known by its code, nothing new to confirm.
    await orgCase(env, { creditCode: PILOT, creditCodeConfirmed: true });
    expect(env.reg.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE action = 'applicant.creditCodeConfirmed'`).get()).toEqual({ n: 1 });
    expect(env.reg.db.prepare(`SELECT COUNT(*) AS n FROM applicants WHERE kind = 'org'`).get()).toEqual({ n: 1 });
  });

  it('does not let a confirmation through a code that is wrong in another way', async () => {
    env = await openTestRegister();
    const [wang] = (await env.api.getAppState({})).agents;
    await env.api.signIn({ agentId: wang.id, pin: '1234' });
    await expect(orgCase(env, { creditCode: '91350211M0000XUF4', creditCodeConfirmed: true })).rejects.toThrow(/应为18位/);
    await expect(orgCase(env, { creditCode: '9135021IM0000XUF46', creditCodeConfirmed: true })).rejects.toThrow(/字母“I”/);
  });
});
