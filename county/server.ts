// The county centre's HTTP service. Every request is hostile: bodies are size-limited per route,
// batches and polls must carry a valid device signature, enrolment codes are single-use, expire,
// are compared in constant time and failed guesses are throttled. Errors are plain Chinese JSON.
// Logs name points, devices and ranges only, never personal data.
import { createHash } from 'node:crypto';
import { appLog, errorFields } from '../db/log';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { SyncRejection, type RejectCode } from '../sync/wire/container';
import { MAX_SMALL_REQUEST_BYTES, MAX_UPLOAD_BYTES } from '../sync/wire/protocol';
import type { County } from './db';
import { enrolWithCode, normaliseCode } from './enrol';
import { acceptPoll } from './importer';
import { importOffThread, importThread } from './importThread';
import { buildReply } from './reply';
import { challengeRequest, signCountyProof } from '../sync/wire/countyProof';
import { registerConsole } from './console/serve';

export type ServerOptions = {
  host?: string;
  port?: number;
  maxUploadBytes?: number;
  log?: (line: string) => void;
  /** Enrolment attempts allowed per address per window (and, separately, per code). */
  enrolFailures?: { max: number; windowMs: number };
  /** Built-in TLS (PEM contents). */
  https?: { cert: Buffer; key: Buffer };
  /** Behind a reverse proxy: take the client address and scheme from X-Forwarded-* headers. */
  trustProxy?: boolean;
  /** The web console (API + static files from dist-county/). On unless false. */
  console?: boolean | { staticDir?: string; idleMinutes?: number };
};

const STATUS: Partial<Record<RejectCode, number>> = {
  unknown_device: 403,
  revoked: 403,
  bad_signature: 403,
  not_enrolled: 403,
  other_county: 403,
  other_point: 403,
  unknown_point: 403,
  replaced_history: 409,
  newer_schema: 422,
  newer_format: 422,
  too_large: 413,
};

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ ok: false, error: { code, message } });
}

export async function startCountyServer(county: County, opts: ServerOptions = {}): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const id = county.requireIdentity();
  const maxUpload = opts.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const log = opts.log ?? (() => undefined);
  const limit = opts.enrolFailures ?? { max: 10, windowMs: 10 * 60_000 };

  const app = Fastify({
    logger: false,
    ...(opts.https ? { https: opts.https } : {}),
    bodyLimit: MAX_SMALL_REQUEST_BYTES,
    requestTimeout: 180_000,
    connectionTimeout: 0,
    keepAliveTimeout: 10_000,
    routerOptions: { maxParamLength: 100 },
    return503OnClosing: true,
    // Only when the county says so: otherwise anyone could pick their own address in a header.
    trustProxy: opts.trustProxy ?? false,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('bad json'), { statusCode: 400, code: 'BAD_JSON' }), undefined);
    }
  });

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err.statusCode === 429) return fail(reply, 429, 'throttled', err.message);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return fail(reply, 413, 'too_large', '请求内容过大，超过县级服务允许的上限。请分批同步，或改用 U 盘导出文件。');
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) return fail(reply, 415, 'bad_type', '不支持的请求内容类型');
    if (err.code === 'BAD_JSON' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return fail(reply, 400, 'bad_json', '请求内容不是有效的 JSON');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return fail(reply, err.statusCode, 'bad_request', '请求格式不正确');
    console.error('[county] 请求处理异常:', `${err.name}: ${String(err.message).slice(0, 160)}`);
    appLog().error({ ...errorFields(err) }, 'county request failed');
    return fail(reply, 500, 'internal', '县级服务内部错误，请稍后重试');
  });
  let publicUrl = '';
  let consoleNotFound: ((req: FastifyRequest, reply: FastifyReply) => unknown) | null = null;
  if (opts.console !== false) {
    const c = typeof opts.console === 'object' ? opts.console : {};
    consoleNotFound = await registerConsole(app, county, {
      staticDir: c.staticDir,
      idleMinutes: c.idleMinutes,
      secureCookies: !!opts.https || !!opts.trustProxy,
      publicUrl: () => publicUrl,
      maxUploadBytes: maxUpload,
    });
  }
  app.setNotFoundHandler((req, reply) => (consoleNotFound ? consoleNotFound(req, reply) : fail(reply, 404, 'not_found', '没有这个接口')));

  app.get('/v1/health', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { ok: true, county: id.code, countyName: id.name, time: county.nowIso() };
  });

  // Enrolment codes are guessed at most `limit.max` times per window from one address, and each code is
  // tried at most that often from everywhere together. The two are counted apart, so guesses from one
  // address never block a real code typed in from another (tests/sync/throttle.test.ts).
  await app.register(rateLimit, { global: false });
  const minutes = Math.ceil(limit.windowMs / 60_000);
  const limiter = (kind: string, key: (req: FastifyRequest) => string) =>
    app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: (req: FastifyRequest) => `${kind}:${key(req)}` });
  const perAddress = limiter('enrol-ip', (req) => req.ip);
  const perCode = limiter('enrol-code', (req) => {
    const code = (req.body as { code?: unknown } | null)?.code;
    return createHash('sha256').update(typeof code === 'string' ? normaliseCode(code) : '').digest('hex');
  });
  // Both counters move on every attempt; either one over its limit refuses it.
  const throttle = async (req: FastifyRequest, reply: FastifyReply) => {
    const over = (r: Awaited<ReturnType<typeof perAddress>>) => !r.isAllowed && r.isExceeded;
    const a = over(await perAddress(req));
    const c = over(await perCode(req));
    if (!a && !c) return;
    const what = a ? '登记码错误次数过多（本地址尝试次数已达上限）' : '这个登记码尝试次数过多';
    return fail(reply, 429, 'throttled', `${what}，请 ${minutes} 分钟后再试`);
  };

  app.post('/v1/enrol', { bodyLimit: MAX_SMALL_REQUEST_BYTES, preHandler: throttle }, async (req, reply) => {
    try {
      const bytes = enrolWithCode(county, req.body);
      log(`enrol ok`);
      return reply.header('content-type', 'application/octet-stream').header('cache-control', 'no-store').send(bytes);
    } catch (e) {
      if (e instanceof SyncRejection) {
        log(`enrol rejected ${e.code}`);
        return fail(reply, e.code === 'bad_manifest' ? 400 : (STATUS[e.code] ?? 400), e.code, e.message);
      }
      throw e;
    }
  });

  // A village asks this first, before any poll or batch: the county signs the village's fresh nonce
  // with its private key, proving it is the county the village pinned at enrolment. Only for its own
  // county code; nothing is stored, so the answer is only good for that one nonce.
  app.post('/v1/challenge', { bodyLimit: 4 * 1024 }, async (req, reply) => {
    const r = challengeRequest.safeParse(req.body);
    if (!r.success) return fail(reply, 400, 'bad_request', '身份验证请求格式不正确');
    if (r.data.county !== id.code) return fail(reply, 403, 'other_county', `本中心是${id.name}（${id.code}），不是区划代码 ${r.data.county} 的县`);
    reply.header('cache-control', 'no-store');
    return { ok: true, signature: signCountyProof(id.private_key, r.data) };
  });

  app.post('/v1/batches', { bodyLimit: maxUpload }, async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) return fail(reply, 415, 'bad_type', '同步批次应以 application/octet-stream 上传');
    const o = await importOffThread(county, req.body, { source: 'http', live: true });
    log(`batch ${o.pointCode ?? '-'} ${o.deviceId?.slice(0, 8) ?? '-'} ${o.fromSeq ?? '-'}-${o.toSeq ?? '-'} ${o.result} ${o.applied}${o.code ? ' ' + o.code : ''}`);
    if (o.result === 'rejected') return fail(reply, STATUS[o.code as RejectCode] ?? 400, o.code ?? 'rejected', o.reason ?? '批次不予接收');
    reply.header('cache-control', 'no-store');
    return { ok: true, result: o.result, applied: o.applied, appliedThrough: o.appliedThrough ?? 0, gaps: o.gaps ?? [], message: o.message };
  });

  app.post('/v1/reply', { bodyLimit: MAX_SMALL_REQUEST_BYTES }, async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) return fail(reply, 415, 'bad_type', '同步请求应以 application/octet-stream 发送');
    try {
      const dev = acceptPoll(county, req.body, true);
      const r = buildReply(county, dev.point_code, dev.id, dev.poll);
      log(`reply ${dev.point_code} ${dev.id.slice(0, 8)} messages ${r.messages} records ${r.records}${r.more ? '+' : ''}`);
      return reply.header('content-type', 'application/octet-stream').header('cache-control', 'no-store').send(r.bytes);
    } catch (e) {
      if (e instanceof SyncRejection) {
        log(`reply rejected ${e.code}`);
        return fail(reply, STATUS[e.code] ?? 400, e.code, e.message);
      }
      throw e;
    }
  });

  const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  const u = new URL(address);
  const host = u.hostname === '[::1]' || u.hostname === '::1' ? '[::1]' : u.hostname;
  const url = `${opts.https ? 'https' : 'http'}://${host}:${u.port}`;
  publicUrl = url;
  return {
    app,
    url,
    close: async () => {
      await app.close();
      await importThread(county).close();
    },
  };
}
