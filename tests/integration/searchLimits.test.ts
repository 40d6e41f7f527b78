// Over-long searches are refused by the API with a Chinese message saying the limit (the search boxes
// cut input at the same length; domain/search.ts holds the one definition).
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../api/dispatch';
import { CATALOG_SEARCH_MAX_CHARS, SEARCH_MAX_CHARS } from '../../domain/search';
import { openTestRegister, type TestEnv } from '../support/tempRegister';

let env: TestEnv;
afterEach(() => env?.close());

describe('search length', () => {
  it('accepts up to the limit and refuses longer, in Chinese, through the shells’ dispatch too', async () => {
    env = await openTestRegister();
    await expect(env.api.searchCases({ q: '张'.repeat(SEARCH_MAX_CHARS) })).resolves.toMatchObject({ total: 0 });
    await expect(env.api.searchCases({ q: '张'.repeat(500) })).rejects.toThrow(`搜索内容过长（最多${SEARCH_MAX_CHARS}个字）`);
    await expect(env.api.searchVisits({ q: '张'.repeat(SEARCH_MAX_CHARS + 1) })).rejects.toThrow(/搜索内容过长/);
    await expect(env.api.searchCatalog({ q: 'd'.repeat(CATALOG_SEARCH_MAX_CHARS + 1) })).rejects.toThrow(`最多${CATALOG_SEARCH_MAX_CHARS}个字`);
    const res = await dispatch(env.ctx, env.api, 'searchCases', { q: 'x'.repeat(500) });
    expect(res).toEqual({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^搜索内容过长（最多60个字）/) } });
  });
});
