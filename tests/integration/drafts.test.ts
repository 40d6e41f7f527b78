// Form drafts kept in the register: per agent, never another agent's, never synced, dropped when old.
import { afterEach, describe, expect, it } from 'vitest';
import { DRAFT_MAX_AGE_MS } from '../../db/drafts';
import { openTestRegister, type TestEnv } from '../support/tempRegister';

let env: TestEnv;
afterEach(() => env?.close());

describe('drafts in the register', () => {
  it('keep the signed-in agent’s unfinished form, refuse another agent’s, and leave no outbox entry or history', async () => {
    env = await openTestRegister();
    const [wang, li] = (await env.api.getAppState({})).agents;
    await env.api.signIn({ agentId: wang.id, pin: '135246' });
    const outboxBefore = env.reg.db.prepare(`SELECT count(*) AS n FROM outbox`).get();
    const eventsBefore = env.reg.db.prepare(`SELECT count(*) AS n FROM events`).get();

    await env.api.saveDraft({ kind: 'intake', agentId: wang.id, data: { values: { idNumber: '150822198503150010', name: '张三' } } });
    expect(await env.api.loadDraft({ kind: 'intake', agentId: wang.id })).toMatchObject({ data: { values: { name: '张三' } } });
    expect(await env.api.loadDraft({ kind: 'visit', agentId: wang.id })).toBeNull();
    // A late write from a form opened before switching to 李建国 is refused, and he never reads 王秀兰's.
    await expect(env.api.saveDraft({ kind: 'intake', agentId: li.id, data: {} })).rejects.toThrow(/另一位代办员/);
    await expect(env.api.loadDraft({ kind: 'intake', agentId: li.id })).rejects.toThrow(/另一位代办员/);

    expect(env.reg.db.prepare(`SELECT count(*) AS n FROM outbox`).get()).toEqual(outboxBefore);
    expect(env.reg.db.prepare(`SELECT count(*) AS n FROM events`).get()).toEqual(eventsBefore);

    await env.api.deleteDraft({ kind: 'intake', agentId: wang.id });
    expect(await env.api.loadDraft({ kind: 'intake', agentId: wang.id })).toBeNull();
    expect(env.reg.db.prepare(`SELECT count(*) AS n FROM drafts`).get()).toEqual({ n: 0 });
  });

  it('need a signed-in agent and drop an abandoned draft (with its ID number) after 30 days', async () => {
    env = await openTestRegister();
    const [wang] = (await env.api.getAppState({})).agents;
    await env.api.signOut({}); // setup leaves the first agent signed in
    await expect(env.api.loadDraft({ kind: 'intake', agentId: wang.id })).rejects.toThrow(/登录|密码/);
    await env.api.signIn({ agentId: wang.id, pin: '135246' });
    await env.api.saveDraft({ kind: 'visit', agentId: wang.id, data: { visitorName: '王五' } });
    env.clock.ms += DRAFT_MAX_AGE_MS - 60_000;
    expect(await env.api.loadDraft({ kind: 'visit', agentId: wang.id })).not.toBeNull();
    env.clock.ms += 120_000;
    expect(await env.api.loadDraft({ kind: 'visit', agentId: wang.id })).toBeNull();
    expect(env.reg.db.prepare(`SELECT count(*) AS n FROM drafts`).get()).toEqual({ n: 0 });
  });

  it('refuse a runaway draft in Chinese', async () => {
    env = await openTestRegister();
    const [wang] = (await env.api.getAppState({})).agents;
    await env.api.signIn({ agentId: wang.id, pin: '135246' });
    await expect(env.api.saveDraft({ kind: 'intake', agentId: wang.id, data: 'x'.repeat(300_000) })).rejects.toThrow(/草稿过大/);
  });
});
