// Issue 8: the village uploads only to a server that proves it holds the private key of the county key
// pinned at enrolment. A second county set up with the same county code (its own key pair) gets no
// poll and no batch — only the health check and the challenge it cannot answer — and the village keeps
// the address it had. A recorded answer of the real county cannot be replayed. The real county still works.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startCountyServer } from '../../county/server';
import { changeCountyUrl, enrolByCode, runSync, syncStatus } from '../../sync/village/engine';
import { getEnrolment } from '../../sync/village/state';
import { addCase, count, enrolmentFile, openCounty, openVillage, removeDirs } from './helpers';

afterAll(removeDirs);

type Watched = { paths: string[]; bytesIn: () => number };

/** Counts every request path and every byte that reaches a server's sockets (headers and bodies). */
function watch(server: http.Server): Watched {
  const paths: string[] = [];
  let bytes = 0;
  server.on('request', (req: http.IncomingMessage) => paths.push(`${req.method} ${req.url}`));
  server.on('connection', (sock) => sock.on('data', (d: Buffer) => (bytes += d.length)));
  return { paths, bytesIn: () => bytes };
}

/** A server that answers health as the real county and replays a signature the real county once gave. */
function replayingServer(signature: string): Promise<{ url: string; seen: Watched; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/health') res.end(JSON.stringify({ ok: true, county: '150822', countyName: '五原县', time: new Date().toISOString() }));
    else if (req.url === '/v1/challenge') res.end(JSON.stringify({ ok: true, signature }));
    else {
      res.statusCode = 500;
      res.end('{}');
    }
  });
  const seen = watch(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    ),
  );
}

describe('an impostor county', () => {
  it('with the same county code receives no batch and no poll; the saved address stays; the real county still syncs', { timeout: 120_000 }, async () => {
    const genuine = await openCounty();
    const impostor = await openCounty(); // same code 150822, its own key pair
    const v = await openVillage();
    const real = await startCountyServer(genuine);
    const fake = await startCountyServer(impostor);
    const seen = watch(fake.app.server);
    try {
      // Enrolment by code at the real county pins its key and saves its address (older flow unchanged).
      await enrolByCode(v.reg, real.url, enrolmentFile(genuine, v.code).code);
      expect(getEnrolment(v.reg)!.county_url).toBe(real.url);
      await addCase(v, { name: '李冒充测试', handUp: true });
      const waiting = syncStatus(v.reg).waiting;
      expect(waiting).toBeGreaterThan(0);

      // `daiban sync --url <impostor>` and the settings' address change both go through these two.
      await expect(runSync(v.reg, fake.url)).rejects.toThrow(/该地址的服务无法证明自己是本县中心，未上传任何数据/);
      await expect(changeCountyUrl(v.reg, fake.url)).rejects.toThrow(/无法证明自己是本县中心/);

      expect(seen.paths.filter((p) => !/^(GET \/v1\/health|POST \/v1\/challenge)$/.test(p))).toEqual([]);
      expect(seen.paths).toContain('POST /v1/challenge');
      // Health and challenge requests only: a batch alone is kilobytes (and would be a /v1/batches request).
      expect(seen.bytesIn()).toBeLessThan(2_000);
      expect(count(impostor.db, `SELECT count(*) AS n FROM import_log`)).toBe(0);
      expect(count(impostor.db, `SELECT count(*) AS n FROM changes`)).toBe(0);
      expect(getEnrolment(v.reg)!.county_url).toBe(real.url);
      const st = syncStatus(v.reg);
      expect(st.waiting).toBe(waiting);
      expect(st.lastError).toMatch(/无法证明自己是本县中心/);

      // The real county proves itself and gets everything.
      const r = await runSync(v.reg);
      expect(r.uploaded).toBe(waiting);
      expect(syncStatus(v.reg).waiting).toBe(0);
      expect(count(genuine.db, `SELECT count(*) AS n FROM cases`)).toBe(1);
    } finally {
      await fake.close();
      await real.close();
      v.close();
      impostor.close();
      genuine.close();
    }
  });

  it('cannot replay an answer the real county gave to an earlier challenge', { timeout: 120_000 }, async () => {
    const genuine = await openCounty();
    const v = await openVillage();
    const real = await startCountyServer(genuine);
    let replay: Awaited<ReturnType<typeof replayingServer>> | null = null;
    try {
      await enrolByCode(v.reg, real.url, enrolmentFile(genuine, v.code).code);
      await addCase(v);
      // A real answer, captured for someone else's nonce (an eavesdropper on an earlier sync).
      const captured = (await (
        await fetch(`${real.url}/v1/challenge`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ nonce: 'A'.repeat(43), county: '150822', point: v.code }),
        })
      ).json()) as { ok: boolean; signature: string };
      expect(captured.ok).toBe(true);
      replay = await replayingServer(captured.signature);

      await expect(runSync(v.reg, replay.url)).rejects.toThrow(/无法证明自己是本县中心.*签名与登记时记下的县级公钥不符/);
      expect(replay.seen.paths).toEqual(['GET /v1/health', 'POST /v1/challenge']);
      expect(getEnrolment(v.reg)!.county_url).toBe(real.url);

      // The real county refuses to sign for another county's code.
      const other = await fetch(`${real.url}/v1/challenge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nonce: 'B'.repeat(43), county: '150823', point: v.code }),
      });
      expect(other.status).toBe(403);
      expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/本中心是五原县/);
      expect((await runSync(v.reg)).uploaded).toBeGreaterThan(0);
    } finally {
      await replay?.close();
      await real.close();
      v.close();
      genuine.close();
    }
  });
});
