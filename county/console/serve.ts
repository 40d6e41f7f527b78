// Mounts the console on the county service: the JSON API of contract.ts and the built screens
// (dist-county/, made by Vite) at `/`, every answer with a strict Content-Security-Policy.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { County } from '../db';
import { registerConsoleRoutes, type ConsoleOptions } from './http';
import { ROUTE_SPECS } from './routes';
import { startAutoWarn } from './evaluation';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // antd writes its styles at run time (CSS-in-JS): inline styles, never inline scripts.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function defaultStaticDir(): string {
  return path.resolve(process.env.DAIBAN_COUNTY_STATIC ?? path.join(process.cwd(), 'dist-county'));
}

/** Registers the console; returns the not-found handler (index.html for screen paths, JSON for API paths). */
export async function registerConsole(
  app: FastifyInstance,
  county: County,
  opts: Omit<ConsoleOptions, 'publicUrl'> & { staticDir?: string; publicUrl: () => string },
): Promise<(req: FastifyRequest, reply: FastifyReply) => unknown> {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
  await registerConsoleRoutes(app, county, ROUTE_SPECS, opts);
  // 考评预警 once a month for last month's lagging points, when the administrator turned it on.
  const stopAutoWarn = startAutoWarn(county, (e) => console.error('[county] 自动考评预警失败:', e instanceof Error ? e.message.slice(0, 200) : 'unknown'));
  app.addHook('onClose', async () => stopAutoWarn());
  const dir = opts.staticDir ?? defaultStaticDir();
  const index = path.join(dir, 'index.html');
  const hasUi = fs.existsSync(index);
  if (hasUi) await app.register(fastifyStatic, { root: dir, prefix: '/', index: ['index.html'], wildcard: false, maxAge: 0 });
  return (req, reply) => {
    const url = req.url.split('?')[0];
    if (req.method === 'GET' && hasUi && !url.startsWith('/api/') && !url.startsWith('/v1/') && !path.extname(url)) {
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(fs.readFileSync(index));
    }
    if (req.method === 'GET' && !hasUi && url === '/') {
      return reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>县级控制台</title><p>县级控制台页面尚未构建（缺少 dist-county/）。同步服务与控制台接口正常运行。</p>');
    }
    return reply.code(404).header('cache-control', 'no-store').send({ ok: false, error: { code: 'not_found', message: '没有这个接口' } });
  };
}
