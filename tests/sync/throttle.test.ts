// Enrolment throttling (@fastify/rate-limit): per address and per code, counted apart; behind a
// proxy (--trust-proxy) the address is the client's from X-Forwarded-For, otherwise the header is ignored.
import { afterAll, describe, expect, it } from 'vitest';
import { startCountyServer } from '../../county/server';
import { createTicket, upsertPoint } from '../../county/enrol';
import { generateKeyPair } from '../../sync/wire/keys';
import { openCounty, removeDirs } from './helpers';

afterAll(removeDirs);

const POINT = '150822101201';

describe('enrolment throttling', () => {
  it('never lets guesses from one address block a real code used from another; per code too; proxy-aware only when told', async () => {
    const county = await openCounty();
    const kp = generateKeyPair();
    const code = () => county.tx(() => (upsertPoint(county, { code: POINT, villageName: '红旗村', townshipName: '巴彦镇' }), createTicket(county, POINT, 7).code));
    let n = 0;
    const attempt = (url: string, c: string, from?: string) =>
      fetch(`${url}/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
        body: JSON.stringify({ code: c, device: `01900000-0000-7000-8000-${String(++n).padStart(12, '0')}`, publicKey: kp.publicKey, point: POINT }),
      });

    const proxied = await startCountyServer(county, { trustProxy: true, enrolFailures: { max: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect((await attempt(proxied.url, `AAAA-BBBB-CCCC-000${i}`, '10.0.0.9')).status).toBe(403);
      const blocked = await attempt(proxied.url, 'AAAA-BBBB-CCCC-0009', '10.0.0.9');
      expect(blocked.status).toBe(429);
      expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(/次数过多.*分钟后再试/);
      // The agent at another village types the real code: accepted.
      expect((await attempt(proxied.url, code(), '10.0.0.5')).status).toBe(200);
      // One code tried from many addresses is limited on its own.
      const guessed = 'ZZZZ-ZZZZ-ZZZZ-ZZZZ';
      for (let i = 0; i < 3; i++) expect((await attempt(proxied.url, guessed, `10.0.1.${i}`)).status).toBe(403);
      expect((await attempt(proxied.url, guessed, '10.0.1.99')).status).toBe(429);
    } finally {
      await proxied.close();
    }

    // Without --trust-proxy the header is ignored: a guesser cannot pretend to be many addresses.
    const direct = await startCountyServer(county, { enrolFailures: { max: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect((await attempt(direct.url, `BBBB-BBBB-CCCC-000${i}`, `10.0.2.${i}`)).status).toBe(403);
      expect((await attempt(direct.url, code(), '10.0.2.50')).status).toBe(429);
    } finally {
      await direct.close();
      county.close();
    }
  });
});
