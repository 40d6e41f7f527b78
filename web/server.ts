import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Register } from '../db/register';
import { createContext, type ServiceContext } from '../api/context';
import { createDaibanApi } from '../api/service';
import { dispatch } from '../api/dispatch';
import type { DaibanApi } from '../api/contract';
import { dailyMaintenance } from '../db/maintenance';
import { CONTENT_SECURITY_POLICY, hostAllowed, originAllowed, tokenMatches } from './security';

export const RENDERER_DIST = fileURLToPath(new URL('../dist-renderer/', import.meta.url));

export type WebShell = {
  url: string;
  port: number;
  token: string;
  ctx: ServiceContext;
  api: DaibanApi;
  app: FastifyInstance;
  close(): Promise<void>;
};

export type WebShellOptions = {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  /** Extra set-up once the context exists (the PDF renderer, auto-sync…). Returns a clean-up. */
  extend?: (ctx: ServiceContext) => Promise<(() => Promise<void> | void) | void> | (() => Promise<void> | void) | void;
};

const MAX_BODY = 8 * 1024 * 1024;

/** The browser shell: the same renderer and the same typed API over a loopback HTTP bridge. */
export async function startWebShell(opts: WebShellOptions): Promise<WebShell> {
  const rendererDir = opts.rendererDir ?? RENDERER_DIST;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`找不到界面文件（${rendererDir}）。请先运行 npm run build:renderer。`);
  }
  const open = () => Register.open({ dataDir: opts.dataDir });
  const reg = await open();
  const ctx = createContext({ open, initial: reg, shell: 'web' });
  const api = createDaibanApi(ctx);
  const token = randomBytes(32).toString('base64url');
  const cleanup = await opts.extend?.(ctx);

  const app = Fastify({ logger: false, bodyLimit: MAX_BODY });
  let port = 0;

  app.addHook('onRequest', async (req, reply) => {
    if (!hostAllowed(req.headers.host, port)) {
      return reply.code(421).type('text/plain; charset=utf-8').send('拒绝访问：请求的主机名不正确');
    }
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
  });

  app.post('/api/call', async (req, reply) => {
    if (!originAllowed(req.headers.origin, port)) {
      return reply.code(403).send({ ok: false, error: { code: 'refused', message: '拒绝访问：请求来源不正确' } });
    }
    if (!tokenMatches(token, req.headers.authorization)) {
      return reply.code(401).send({ ok: false, error: { code: 'refused', message: '访问凭证无效，请用启动时显示的完整地址重新打开' } });
    }
    const body = req.body as { method?: unknown; input?: unknown } | null;
    if (!body || typeof body !== 'object' || typeof body.method !== 'string') {
      return reply.code(400).send({ ok: false, error: { code: 'invalid_input', message: '请求格式不正确' } });
    }
    return dispatch(api, body.method, body.input);
  });

  await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'], cacheControl: false });
  app.setNotFoundHandler((_req, reply) => reply.code(404).type('text/plain; charset=utf-8').send('没有这个页面'));
  app.setErrorHandler((err, _req, reply) => {
    const tooLarge = (err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    reply
      .code(tooLarge ? 413 : 400)
      .send({ ok: false, error: { code: 'invalid_input', message: tooLarge ? '请求内容过大' : '请求格式不正确' } });
  });

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const addr = app.server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}/?token=${token}`;

  // Automatic daily backup, off the start-up path.
  // Daily backup, then outbox compaction (db/maintenance.ts).
  setTimeout(() => void dailyMaintenance(ctx.reg), 5_000).unref();

  return {
    url,
    port,
    token,
    ctx,
    api,
    app,
    async close() {
      await app.close();
      await cleanup?.();
      ctx.reg.close();
    },
  };
}
