import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { startWebShell, type WebShell } from '../../web/server';
import { tempDir } from '../support/tempRegister';

let shell: WebShell;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = tempDir('daiban-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>代办通</title>');
  shell = await startWebShell({ dataDir: tempDir(), rendererDir });
});
afterAll(async () => {
  await shell.close();
});

const call = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${shell.port}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${shell.token}`, ...headers },
    body: JSON.stringify(body),
  });

describe('loopback bridge', () => {
  it('listens on 127.0.0.1 with a random port and prints a URL carrying the token', () => {
    expect(shell.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${shell.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });
  it('answers a typed call with the token', async () => {
    const r = await call({ method: 'getAppState', input: {} });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { ok: boolean; value: { initialized: boolean; shell: string } };
    expect(body.ok).toBe(true);
    expect(body.value).toMatchObject({ initialized: false, shell: 'web' });
  });
  it('refuses a call without the token, from another origin, or for another host', async () => {
    expect((await call({ method: 'getAppState' }, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call({ method: 'getAppState' }, { origin: 'http://evil.example' })).status).toBe(403);
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host header.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: shell.port, path: '/api/call', method: 'POST', headers: { host: `evil.example:${shell.port}`, authorization: `Bearer ${shell.token}` } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });
  it('answers bad input and unknown methods with a Chinese message, never a stack trace', async () => {
    const unknown = (await (await call({ method: 'dropTables', input: {} })).json()) as { ok: boolean; error: { message: string } };
    expect(unknown).toMatchObject({ ok: false, error: { message: '未知的操作：dropTables' } });
    const bad = (await (await call({ method: 'setupPoint', input: { villageCode: 'x' } })).json()) as { ok: boolean; error: { message: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.message).toMatch(/[\u4e00-\u9fff]/);
    const notJson = await fetch(`http://127.0.0.1:${shell.port}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shell.token}` },
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
  });
  it('serves the renderer with a strict CSP', async () => {
    const r = await fetch(`http://127.0.0.1:${shell.port}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
