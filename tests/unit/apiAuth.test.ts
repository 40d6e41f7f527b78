// One place refuses every API call without a signed-in agent (api/dispatch.ts), whatever a handler
// would do: each method of the contract is tried with nobody signed in.
import { describe, expect, it } from 'vitest';
import { API_INPUTS, type ApiMethod, type DaibanApi } from '../../api/contract';
import { dispatch, PUBLIC_METHODS } from '../../api/dispatch';

const reached: string[] = [];
const api = Object.fromEntries(
  (Object.keys(API_INPUTS) as ApiMethod[]).map((m) => [
    m,
    async () => {
      reached.push(m);
      return {};
    },
  ]),
) as unknown as DaibanApi;

describe('API authorization', () => {
  it('keeps the public list short: only what the setup and sign-in screens need', () => {
    expect([...PUBLIC_METHODS].sort()).toEqual(['getAppState', 'recoverWithCode', 'setupPoint', 'signIn', 'signOut']);
  });

  it('refuses every other method without a signed-in agent, before its handler runs', async () => {
    const methods = Object.keys(API_INPUTS) as ApiMethod[];
    expect(methods.length).toBeGreaterThan(40);
    for (const m of methods) {
      reached.length = 0;
      const r = await dispatch({ session: { agentId: null } }, api, m, {});
      if (PUBLIC_METHODS.has(m)) {
        expect(reached, m).toEqual([m]);
      } else {
        expect(r, m).toEqual({ ok: false, error: { code: 'not_signed_in', message: expect.stringMatching(/请先登录/) } });
        expect(reached, m).toEqual([]);
      }
    }
  });

  it('lets a signed-in agent through to the handler', async () => {
    reached.length = 0;
    const r = await dispatch({ session: { agentId: 'a1' } }, api, 'searchCases', {});
    expect(r.ok).toBe(true);
    expect(reached).toEqual(['searchCases']);
  });
});
