// Registers every route of contract.ts on the county's fastify app, with ONE pipeline that every
// request goes through: session (httpOnly SameSite cookie, idle expiry) → CSRF token on POST →
// first-sign-in password change → role (PERMISSIONS[route.perm]) → input (zod) → scope (the
// township a request touches, from its filters or from the record it names) → handler.
// A township official reaching outside their township gets the same 404 as a missing record.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { County } from '../db';
import { audit, getAccountRow, townshipName, type AccountRow } from './accounts';
import { CONSOLE_ROUTES, PERMISSIONS, type ConsoleOutputs, type ConsoleParsed, type ConsoleRoute } from './contract';
import type { AuditKind, Me, Role } from './types';

export const SESSION_COOKIE = 'daiban_county_session';

export class ConsoleHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
export const notFound = () => new ConsoleHttpError(404, 'not_found', '没有找到，或不在您的查看范围内');

/** The part of the county a request is limited to after authorization: a village, a township, or all. */
export type Scope = { townshipCode: string | null; pointCode: string | null };
export type User = { id: string; name: string; displayName: string; role: Role; townshipCode: string | null };

export type FileAnswer = { file: Buffer; fileName: string; contentType: string };
export type Ctx = {
  county: County;
  user: User | null;
  scope: Scope;
  ip: string;
  session: Session | null;
  /** The uploaded bytes (upload routes). */
  upload: { bytes: Buffer; fileName: string } | null;
  audit(kind: AuditKind, summary: string): void;
  startSession(row: AccountRow): Me;
  endSession(): void;
  me(): Me;
  options: ConsoleOptions;
};

/** How a route's scope is derived (declared once per route in routes.ts). */
export type ScopeSpec<R extends ConsoleRoute> =
  | { kind: 'none' }
  | { kind: 'where'; get(input: ConsoleParsed<R>): { townshipCode?: string | null; pointCode?: string | null } }
  | { kind: 'record'; pointOf(input: ConsoleParsed<R>, county: County): string | null };

export type RouteSpec<R extends ConsoleRoute> = {
  scope: ScopeSpec<R>;
  handle(input: ConsoleParsed<R>, ctx: Ctx): Promise<ConsoleOutputs[R] | FileAnswer> | ConsoleOutputs[R] | FileAnswer;
};
export type RouteSpecs = { [R in ConsoleRoute]: RouteSpec<R> };

export type ConsoleOptions = {
  idleMinutes?: number;
  /** Cookies get `Secure` (HTTPS, or behind a TLS-terminating proxy). */
  secureCookies?: boolean;
  /** The address villages use (printed on enrolment sheets). */
  publicUrl?: () => string;
  maxUploadBytes: number;
};

type Session = { accountId: string; csrf: string; lastSeen: number; created: number };

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');
const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function toUser(r: AccountRow): User {
  return { id: r.id, name: r.name, displayName: r.display_name, role: r.role, townshipCode: r.township_code };
}

/** SQL limiting a point_code column to a scope (a prefix range, so the point index is used). */
export function scopeSql(scope: Scope, col: string): { sql: string; params: string[] } {
  if (scope.pointCode) return { sql: `${col} = ?`, params: [scope.pointCode] };
  if (scope.townshipCode) return { sql: `${col} BETWEEN ? AND ?`, params: [`${scope.townshipCode}000`, `${scope.townshipCode}999`] };
  return { sql: '1', params: [] };
}

export const inScope = (scope: Scope, pointCode: string) =>
  (!scope.pointCode || scope.pointCode === pointCode) && (!scope.townshipCode || pointCode.startsWith(scope.townshipCode));

/** Applies a user's township to what a request asks for; anything outside it is "not found". */
function resolveScope<R extends ConsoleRoute>(spec: ScopeSpec<R>, input: ConsoleParsed<R>, user: User | null, county: County): Scope {
  const own = user?.role === 'township' ? user.townshipCode : null;
  switch (spec.kind) {
    case 'none':
      return { townshipCode: own, pointCode: null };
    case 'where': {
      const w = spec.get(input);
      if (w.pointCode && w.townshipCode && !w.pointCode.startsWith(w.townshipCode)) throw notFound();
      if (own) {
        if (w.townshipCode && w.townshipCode !== own) throw notFound();
        if (w.pointCode && !w.pointCode.startsWith(own)) throw notFound();
      }
      return { townshipCode: w.townshipCode ?? own ?? (w.pointCode ? w.pointCode.slice(0, 9) : null), pointCode: w.pointCode ?? null };
    }
    case 'record': {
      const p = spec.pointOf(input, county);
      if (!p || (own && !p.startsWith(own))) throw notFound();
      return { townshipCode: p.slice(0, 9), pointCode: p };
    }
  }
}

function send(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ ok: false, error: { code, message } });
}

function parseInput(route: ConsoleRoute, req: FastifyRequest): unknown {
  const d = CONSOLE_ROUTES[route];
  if (d.method === 'GET') {
    const raw = (req.query as Record<string, unknown> | undefined)?.input;
    if (raw === undefined) return {};
    if (typeof raw !== 'string') throw new ConsoleHttpError(400, 'invalid_input', '请求参数格式不正确');
    try {
      return JSON.parse(raw);
    } catch {
      throw new ConsoleHttpError(400, 'invalid_input', '请求参数不是有效的 JSON');
    }
  }
  if (d.kind === 'upload') return {};
  return req.body ?? {};
}

const ALWAYS_ALLOWED_BEFORE_CHANGE = new Set<ConsoleRoute>(['me', 'signOut', 'changePassword']);

export async function registerConsoleRoutes(app: FastifyInstance, county: County, specs: RouteSpecs, options: ConsoleOptions): Promise<{ sessions: Map<string, Session> }> {
  const idleMs = (options.idleMinutes ?? 30) * 60_000;
  const sessions = new Map<string, Session>();
  await app.register(fastifyCookie);

  const cookieOpts = { httpOnly: true, sameSite: 'strict' as const, secure: !!options.secureCookies, path: '/' };

  for (const route of Object.keys(CONSOLE_ROUTES) as ConsoleRoute[]) {
    const d = CONSOLE_ROUTES[route];
    const spec = specs[route] as RouteSpec<ConsoleRoute>;
    app.route({
      method: d.method,
      url: d.path,
      bodyLimit: d.kind === 'upload' ? options.maxUploadBytes : 2 * 1024 * 1024,
      handler: async (req, reply) => {
        try {
          // 1. session
          let session: Session | null = null;
          let tokenHash: string | null = null;
          let row: AccountRow | null = null;
          const token = req.cookies[SESSION_COOKIE];
          if (token) {
            tokenHash = hashToken(token);
            const s = sessions.get(tokenHash);
            const now = Date.now();
            if (s && now - s.lastSeen <= idleMs) {
              row = getAccountRow(county, s.accountId);
              if (row && !row.disabled) {
                s.lastSeen = now;
                session = s;
              } else row = null;
            }
            if (!session) sessions.delete(tokenHash);
          }
          if (d.perm !== 'public') {
            if (!session || !row) throw new ConsoleHttpError(401, 'not_signed_in', '尚未登录，或长时间未操作已自动退出，请重新登录');
            // 2. CSRF: every state-changing request carries the session's token in a header.
            if (d.method === 'POST' && !sameToken(String(req.headers['x-csrf-token'] ?? ''), session.csrf)) {
              throw new ConsoleHttpError(403, 'csrf', '页面已过期，请刷新后重试');
            }
            // 3. first sign-in: nothing but the password change until it is done.
            if (row.must_change && !ALWAYS_ALLOWED_BEFORE_CHANGE.has(route)) {
              throw new ConsoleHttpError(403, 'must_change_password', '首次登录（或密码被重置后）请先修改密码');
            }
            // 4. role
            if (!(PERMISSIONS[d.perm] as readonly Role[]).includes(row.role)) throw new ConsoleHttpError(403, 'forbidden', '您的账号没有这项权限');
          } else if (d.method === 'POST') {
            // Signing in from another site's page: a JSON body already needs a CORS preflight; refuse a foreign Origin too.
            const origin = req.headers.origin;
            if (origin && new URL(origin).host !== req.headers.host) throw new ConsoleHttpError(403, 'csrf', '请从县级控制台页面登录');
          }
          const user = row ? toUser(row) : null;
          // 5. input
          const parsed = d.input.safeParse(parseInput(route, req));
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const where = issue?.path?.length ? `（${issue.path.join('.')}）` : '';
            throw new ConsoleHttpError(400, 'invalid_input', `${issue?.message ?? '输入不正确'}${where}`);
          }
          const input = parsed.data as ConsoleParsed<ConsoleRoute>;
          // 6. scope
          const scope = resolveScope(spec.scope, input, user, county);
          let currentSession = session;
          const ctx: Ctx = {
            county,
            user,
            scope,
            ip: req.ip,
            session,
            options,
            upload:
              d.kind === 'upload'
                ? {
                    bytes: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
                    fileName: decodeURIComponentSafe(String(req.headers['x-file-name'] ?? '')).slice(0, 200) || '批次文件',
                  }
                : null,
            audit: (kind, summary) => audit(county, kind, user ? { id: user.id, name: user.name } : null, summary, req.ip),
            startSession: (r) => {
              if (tokenHash) sessions.delete(tokenHash);
              const t = randomBytes(32).toString('base64url');
              currentSession = { accountId: r.id, csrf: randomBytes(24).toString('base64url'), lastSeen: Date.now(), created: Date.now() };
              sessions.set(hashToken(t), currentSession);
              if (sessions.size > 5000) pruneSessions(sessions, idleMs);
              reply.setCookie(SESSION_COOKIE, t, cookieOpts);
              return meOf(county, r, currentSession.csrf, idleMs);
            },
            endSession: () => {
              if (tokenHash) sessions.delete(tokenHash);
              reply.clearCookie(SESSION_COOKIE, cookieOpts);
            },
            me: () => {
              const r = getAccountRow(county, (currentSession ?? session)!.accountId)!;
              return meOf(county, r, (currentSession ?? session)!.csrf, idleMs);
            },
          };
          const out = await spec.handle(input, ctx);
          reply.header('cache-control', 'no-store');
          if (d.kind === 'file') {
            const f = out as FileAnswer;
            return reply
              .header('content-type', f.contentType)
              .header('content-disposition', `attachment; filename="download"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
              .send(f.file);
          }
          return { ok: true, value: out };
        } catch (e) {
          if (e instanceof ConsoleHttpError) return send(reply, e.status, e.code, e.message);
          if (e instanceof Error && /[\u3400-\u9fff]/.test(e.message) && !(e instanceof TypeError) && !(e instanceof RangeError)) {
            return send(reply, 400, 'refused', e.message);
          }
          console.error('[county] 控制台请求异常:', route, e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : 'unknown');
          return send(reply, 500, 'internal', '县级服务内部错误，请稍后重试');
        }
      },
    });
  }
  return { sessions };
}

function pruneSessions(sessions: Map<string, Session>, idleMs: number): void {
  const now = Date.now();
  for (const [k, s] of sessions) if (now - s.lastSeen > idleMs) sessions.delete(k);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function meOf(county: County, r: AccountRow, csrf: string, idleMs: number): Me {
  return {
    id: r.id,
    name: r.name,
    displayName: r.display_name,
    role: r.role,
    townshipCode: r.township_code,
    townshipName: townshipName(county, r.township_code),
    mustChangePassword: r.must_change === 1,
    csrfToken: csrf,
    idleMinutes: Math.round(idleMs / 60_000),
  };
}
