// The background loop: exponential backoff with jitter, capped; a timeout is a failure, never a
// success (CHT #8303); it syncs by itself once the county is reachable and resets the backoff.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../api/context';
import { startCountyServer } from '../../county/server';
import { backoffDelay, startAutoSync } from '../../sync/village/autoSync';
import { TIMEOUTS } from '../../sync/village/client';
import { enrolByFile, runSync, setCountyUrl, syncStatus } from '../../sync/village/engine';
import { getSyncState } from '../../sync/village/state';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs } from './helpers';

afterAll(removeDirs);

describe('backoff', () => {
  it('doubles from the base, is capped, and spreads retries with jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 8000, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(3, 1000, 8000, () => 0)).toBe(2000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(4, 1000, 60_000, Math.random)));
    expect(spread.size).toBeGreaterThan(10);
    for (const d of spread) expect(d >= 4000 && d <= 8000).toBe(true);
  });
});

/** A county address that answers health but never answers an upload (a link that dies mid-transfer). */
function hangingCounty(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/v1/health') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, county: '150822', countyName: '五原县', time: new Date().toISOString() }));
    } else {
      req.resume(); // read the upload, never answer
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      }),
    ),
  );
}

describe('automatic sync', () => {
  it('backs off while the county is unreachable, never reports a timeout as success, and syncs once it is reachable', async () => {
    const county = await openCounty();
    const v = await openVillage();
    const f = path.join(newDir(), 'e.enrol');
    fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
    enrolByFile(v.reg, f);
    await addCase(v, { handUp: true });

    // Nothing listens here.
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise<void>((r) => dead.close(() => r()));
    setCountyUrl(v.reg, deadUrl);

    const ctx = createContext({ open: async () => v.reg, initial: v.reg, shell: 'web' });
    const results: { ok: boolean; message: string; nextDelayMs: number }[] = [];
    const loop = startAutoSync(ctx, { baseDelayMs: 40, maxDelayMs: 160, intervalMs: 60_000, initialDelayMs: 0, random: () => 1, onResult: (r) => results.push(r) });
    try {
      for (let i = 0; i < 200 && results.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
      expect(results.slice(0, 5).map((r) => r.ok)).toEqual([false, false, false, false, false]);
      expect(results.slice(0, 5).map((r) => r.nextDelayMs)).toEqual([40, 80, 160, 160, 160]);
      expect(results[0].message).toMatch(/无法连接县级服务/);
      let st = syncStatus(v.reg);
      expect(st.online).toBe(false);
      expect(st.lastSuccessAt).toBeNull();
      expect(st.lastError).toMatch(/无法连接/);

      // The county answers "hello" but the upload never completes: a timeout, reported as failure.
      const hang = await hangingCounty();
      const saved = { ...TIMEOUTS };
      TIMEOUTS.upload = 300;
      TIMEOUTS.reply = 300; // sync asks the county first (its acknowledgement), then uploads
      TIMEOUTS.challenge = 300; // before that, the county must prove itself (this one never answers)
      try {
        setCountyUrl(v.reg, hang.url);
        await expect(runSync(v.reg)).rejects.toThrow(/超时.*未完成/);
        st = syncStatus(v.reg);
        expect(st.lastSuccessAt).toBeNull();
        expect(st.lastError).toMatch(/超时/);
        expect(st.waiting).toBeGreaterThan(0);
        expect(getSyncState(v.reg).acked_through).toBe(0);
      } finally {
        Object.assign(TIMEOUTS, saved);
        await hang.close();
      }

      // The county becomes reachable: the loop syncs by itself (kick = the network came back).
      const srv = await startCountyServer(county);
      try {
        setCountyUrl(v.reg, srv.url);
        const before = results.length;
        loop.kick();
        for (let i = 0; i < 300 && !results.slice(before).some((r) => r.ok); i++) await new Promise((r) => setTimeout(r, 20));
        const okResult = results.slice(before).find((r) => r.ok)!;
        expect(okResult).toBeDefined();
        expect(okResult.nextDelayMs).toBe(60_000); // backoff reset
        st = syncStatus(v.reg);
        expect(st).toMatchObject({ online: true, waiting: 0, lastError: null, running: false, progress: null });
        expect(st.lastSuccessAt).not.toBeNull();
      } finally {
        loop.stop();
        await srv.close();
      }
    } finally {
      loop.stop();
      v.close();
      county.close();
    }
  });
});
