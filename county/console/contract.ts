// THE county console's API: every route (method, path), its input schema, its output type and the
// permission it needs. The server registers exactly these routes (county/console/routes.ts) and the
// authorization test walks this table, so a route cannot be added without a permission.
// Browser-safe: imports zod and domain/ only, so the console's screens can import it too.
//
// Wire conventions (docs/county-console.md):
// - GET:  input as JSON in the query parameter `input` (URL-encoded), e.g. /api/cases/search?input={"q":"zs"}
// - POST: input as a JSON body (content-type: application/json), header `x-csrf-token: <Me.csrfToken>`.
// - upload: POST, body is the raw file (application/octet-stream), headers `x-file-name` (URL-encoded)
//   and `x-csrf-token`.
// - JSON answers: { ok: true, value } or { ok: false, error: { code, message } } (message in Chinese).
// - file answers: the bytes with content-type and content-disposition (a download); errors are JSON.
// - Status codes: 401 not signed in / session expired, 403 not allowed for this role or password
//   must be changed first, 404 not found (also anything outside a township official's scope),
//   409 stale form (someone else changed the case), 400 invalid input, 413 too large, 429 locked.
import { z } from 'zod';
import { CASE_STATUSES, type CaseStatus } from '../../domain/caseStatus';
import { COUNT_FIGURES } from '../../domain/statistics';
import type * as T from './types';

const dateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const monthStr = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().max(max, `不能超过 ${max} 个字`);
const township = z.string().regex(/^\d{9}$/, '乡镇代码应为 9 位数字');
const point = z.string().regex(/^\d{12}$/, '代办点区划代码应为 12 位数字');
const paging = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) };
/** Narrow to one township or one village; for 乡镇工作人员 both must lie inside their township. */
const where = { townshipCode: township.optional(), pointCode: point.optional() };
const statuses = Object.keys(CASE_STATUSES) as [CaseStatus, ...CaseStatus[]];
const password = z.string().min(10, '密码至少 10 位').max(200);
const role = z.enum(['admin', 'clerk', 'township']);
const groupBy = z.enum(['township', 'village', 'item', 'department', 'mode', 'agent']);

/**
 * What a route needs. Roles: admin 县中心管理员 (everything), clerk 县中心工作人员, township 乡镇工作人员
 * (scoped to one township). `public`: no session; `session`: any signed-in account even before the
 * first-sign-in password change.
 */
export const PERMISSIONS = {
  public: [],
  session: ['admin', 'clerk', 'township'],
  read: ['admin', 'clerk', 'township'],
  supervise: ['admin', 'clerk', 'township'],
  statistics: ['admin', 'clerk', 'township'],
  print: ['admin', 'clerk', 'township'],
  reveal: ['admin', 'clerk', 'township'],
  import: ['admin', 'clerk'],
  decide: ['admin', 'clerk'],
  conflicts: ['admin', 'clerk'],
  evaluate: ['admin', 'clerk'],
  evaluationWeights: ['admin'],
  points: ['admin'],
  publish: ['admin'],
  accounts: ['admin'],
  audit: ['admin'],
} as const satisfies Record<string, readonly T.Role[]>;
export type Permission = keyof typeof PERMISSIONS;

type Kind = 'json' | 'file' | 'upload';
type RouteDef<I extends z.ZodType = z.ZodType> = { method: 'GET' | 'POST'; path: string; input: I; perm: Permission; kind: Kind; screen: string };
const r = <I extends z.ZodType>(method: 'GET' | 'POST', path: string, perm: Permission, screen: string, input: I, kind: Kind = 'json'): RouteDef<I> => ({
  method,
  path,
  input,
  perm,
  kind,
  screen,
});
const none = z.object({}).strict();

export const CONSOLE_ROUTES = {
  // ---- 登录 ----
  me: r('GET', '/api/auth/me', 'session', '登录', none),
  signIn: r('POST', '/api/auth/sign-in', 'public', '登录', z.object({ name: text(40).min(1, '请输入登录名'), password: z.string().min(1, '请输入密码').max(200) })),
  signOut: r('POST', '/api/auth/sign-out', 'session', '登录', none),
  changePassword: r('POST', '/api/auth/change-password', 'session', '登录', z.object({ oldPassword: z.string().max(200), newPassword: password })),
  scope: r('GET', '/api/scope', 'read', '公共', none),

  // ---- 1 总览 ----
  overview: r('GET', '/api/overview', 'read', '总览', z.object({ townshipCode: township.optional() })),

  // ---- 2 批次导入 ----
  importBatch: r('POST', '/api/imports/upload', 'import', '批次导入', none, 'upload'),
  importLog: r(
    'GET',
    '/api/imports/log',
    'import',
    '批次导入',
    z.object({ ...where, result: z.enum(['imported', 'already', 'held', 'rejected']).optional(), from: dateStr.optional(), to: dateStr.optional(), ...paging }),
  ),
  replyFile: r('GET', '/api/imports/reply-file', 'import', '批次导入', z.object({ pointCode: point }), 'file'),

  // ---- 3 全县台账 ----
  searchCases: r(
    'GET',
    '/api/cases/search',
    'read',
    '全县台账',
    z.object({
      /** The village's search box: 2-character name, pinyin initials / full pinyin, ID last 4–6, phone last 4, case number, item name. */
      q: text(60).default(''),
      ...where,
      status: z.array(z.enum(statuses)).max(10).optional(),
      itemCode: text(40).optional(),
      from: dateStr.optional(),
      to: dateStr.optional(),
      overdue: z.boolean().optional(),
      dueSoon: z.boolean().optional(),
      supervised: z.boolean().optional(),
      ...paging,
    }),
  ),
  getCase: r('GET', '/api/cases/get', 'read', '全县台账', z.object({ id })),
  revealApplicant: r('POST', '/api/cases/reveal', 'reveal', '全县台账', z.object({ caseId: id, field: z.enum(['idNumber', 'phone', 'creditCode']) })),

  // ---- 5 决定 ----
  decideCase: r(
    'POST',
    '/api/cases/decide',
    'decide',
    '决定',
    z.object({
      caseId: id,
      action: z.enum(['approved', 'refused', 'returnForCorrection']),
      date: dateStr,
      note: text(500).default(''),
      /** CountyCaseDetail.version as loaded; a different current version answers 409. */
      expectedVersion: z.string().max(200),
    }),
  ),

  // ---- 4 督办 ----
  createSupervision: r(
    'POST',
    '/api/supervision/create',
    'supervise',
    '督办',
    z.object({ caseId: id, note: text(500).min(1, '请填写督办事项'), replyBy: dateStr, expectedVersion: z.string().max(200) }),
  ),
  closeSupervision: r('POST', '/api/supervision/close', 'supervise', '督办', z.object({ id, note: text(500).default('') })),
  listSupervisions: r('GET', '/api/supervision/list', 'supervise', '督办', z.object({ ...where, state: z.enum(['open', 'answered', 'closed', 'all']).default('open'), ...paging })),
  /** Open cases overdue or due within 2 working days, counted by township, with the cases (paged). */
  deadlines: r('GET', '/api/supervision/deadlines', 'supervise', '督办', z.object({ ...where, kind: z.enum(['overdue', 'dueSoon']), ...paging })),

  // ---- 6 冲突 ----
  listConflicts: r('GET', '/api/conflicts/list', 'conflicts', '冲突', z.object({ ...where, state: z.enum(['open', 'resolved']).default('open'), ...paging })),
  resolveConflict: r('POST', '/api/conflicts/resolve', 'conflicts', '冲突', z.object({ id, choose: z.enum(['village', 'county']) })),

  // ---- 7 统计 ----
  statistics: r('GET', '/api/statistics', 'statistics', '统计', z.object({ ...where, from: dateStr, to: dateStr, groupBy: groupBy.optional() })),
  statisticsCases: r(
    'GET',
    '/api/statistics/cases',
    'statistics',
    '统计',
    z.object({ ...where, from: dateStr, to: dateStr, figure: z.enum(COUNT_FIGURES), group: z.object({ by: groupBy, key: z.string().max(100) }).optional(), ...paging }),
  ),
  statisticsXlsx: r('GET', '/api/statistics/xlsx', 'statistics', '统计', z.object({ ...where, from: dateStr, to: dateStr, groupBy: groupBy.optional() }), 'file'),

  // ---- 8 考评与周报 ----
  evaluation: r('GET', '/api/evaluation', 'statistics', '考评与周报', z.object({ month: monthStr, townshipCode: township.optional() })),
  evaluationWeights: r('GET', '/api/evaluation/weights', 'statistics', '考评与周报', none),
  setEvaluationWeights: r(
    'POST',
    '/api/evaluation/weights',
    'evaluationWeights',
    '考评与周报',
    z.object({
      onTimeRate: z.number().min(0).max(100),
      overdue: z.number().min(0).max(100),
      returnVisitRate: z.number().min(0).max(100),
      satisfactionRate: z.number().min(0).max(100),
      immediateRate: z.number().min(0).max(100),
    }),
  ),
  /** Sends a warning down to a lagging point; shown on its 今日 until acknowledged. */
  warnPoint: r('POST', '/api/evaluation/warn', 'evaluate', '考评与周报', z.object({ pointCode: point, month: monthStr, note: text(300).min(1, '请填写预警内容') })),
  /** One warning, its text composed from the weak figures, to every lagging point of the month (in scope) not yet warned for it. */
  warnLagging: r('POST', '/api/evaluation/warn-lagging', 'evaluate', '考评与周报', z.object({ month: monthStr, townshipCode: township.optional() })),
  /** Turns the monthly automatic warnings on or off (from the 1st, last month's lagging points are warned once). */
  setAutoWarn: r('POST', '/api/evaluation/auto-warn', 'evaluationWeights', '考评与周报', z.object({ on: z.boolean() })),
  weeklyReport: r('GET', '/api/weekly-report', 'statistics', '考评与周报', z.object({ townshipCode: township, weekOf: dateStr })),

  // ---- 9 打印 (PDF downloads) ----
  printLedger: r('GET', '/api/prints/ledger', 'print', '打印', z.object({ ...where, month: monthStr }), 'file'),
  printVisitBook: r('GET', '/api/prints/visit-book', 'print', '打印', z.object({ ...where, month: monthStr }), 'file'),
  printTownshipSummary: r('GET', '/api/prints/township-summary', 'print', '打印', z.object({ townshipCode: township, month: monthStr }), 'file'),
  printCountyStatistics: r('GET', '/api/prints/county-statistics', 'print', '打印', z.object({ ...where, month: monthStr }), 'file'),
  printWeeklyReport: r('GET', '/api/prints/weekly-report', 'print', '打印', z.object({ townshipCode: township, weekOf: dateStr }), 'file'),

  // ---- 10 代办点与设备 ----
  listPoints: r('GET', '/api/points/list', 'read', '代办点与设备', z.object({ townshipCode: township.optional() })),
  upsertPoint: r('POST', '/api/points/upsert', 'points', '代办点与设备', z.object({ code: point, villageName: text(40).min(1, '请填写村名'), townshipName: text(40).min(1, '请填写乡镇名') })),
  createEnrolCode: r('POST', '/api/points/enrol-code', 'points', '代办点与设备', z.object({ pointCode: point, days: z.number().int().min(1).max(90).default(14) })),
  /** The enrolment sheet (code, county address, QR) as an A4 PDF, for a code just issued and not yet used. */
  printEnrolSheet: r('POST', '/api/points/enrol-sheet', 'points', '代办点与设备', z.object({ pointCode: point, code: z.string().trim().min(4).max(40) }), 'file'),
  enrolFile: r('POST', '/api/points/enrol-file', 'points', '代办点与设备', z.object({ pointCode: point, days: z.number().int().min(1).max(90).default(30) }), 'file'),
  revokeDevice: r('POST', '/api/devices/revoke', 'points', '代办点与设备', z.object({ deviceId: id, reason: text(200).min(1, '请填写停用原因') })),

  // ---- 11 发布 ----
  currentCatalog: r('GET', '/api/publish/catalog', 'read', '发布', none),
  publishCatalog: r('POST', '/api/publish/catalog', 'publish', '发布', z.object({ catalog: z.unknown() })),
  publishHolidays: r('POST', '/api/publish/holidays', 'publish', '发布', z.object({ tables: z.unknown() })),
  publishedVersions: r('GET', '/api/publish/versions', 'publish', '发布', none),

  // ---- 12 账号与审计 ----
  listAccounts: r('GET', '/api/accounts/list', 'accounts', '账号与审计', none),
  createAccount: r(
    'POST',
    '/api/accounts/create',
    'accounts',
    '账号与审计',
    z.object({ name: z.string().trim().regex(/^[A-Za-z0-9_.\u3400-\u9fff-]{2,40}$/, '登录名 2–40 个字（字母、数字、汉字）'), displayName: text(40).default(''), role, townshipCode: township.nullable().default(null) }),
  ),
  updateAccount: r(
    'POST',
    '/api/accounts/update',
    'accounts',
    '账号与审计',
    z.object({ id, role: role.optional(), townshipCode: township.nullable().optional(), disabled: z.boolean().optional(), displayName: text(40).optional() }),
  ),
  resetPassword: r('POST', '/api/accounts/reset-password', 'accounts', '账号与审计', z.object({ id })),
  audit: r(
    'GET',
    '/api/audit',
    'audit',
    '账号与审计',
    z.object({ kind: z.string().max(40).optional(), userId: id.optional(), from: dateStr.optional(), to: dateStr.optional(), ...paging }),
  ),
} as const;

export type ConsoleRoute = keyof typeof CONSOLE_ROUTES;
export type ConsoleInput<R extends ConsoleRoute> = z.input<(typeof CONSOLE_ROUTES)[R]['input']>;
export type ConsoleParsed<R extends ConsoleRoute> = z.output<(typeof CONSOLE_ROUTES)[R]['input']>;

/** What each JSON route answers (`value` of { ok: true, value }). File routes answer bytes. */
export type ConsoleOutputs = {
  me: T.Me;
  signIn: T.Me;
  signOut: { ok: true };
  changePassword: T.Me;
  scope: T.ScopeInfo;
  overview: T.Overview;
  importBatch: T.ImportFileResult;
  importLog: T.Page<T.ImportLogRow>;
  replyFile: Blob;
  searchCases: T.Page<T.CountyCaseRow>;
  getCase: T.CountyCaseDetail;
  revealApplicant: { value: string };
  decideCase: T.CountyCaseDetail;
  createSupervision: T.CountyCaseDetail;
  closeSupervision: T.Supervision;
  listSupervisions: T.Page<T.Supervision>;
  deadlines: { townships: { code: string; name: string; overdue: number; dueSoon: number }[]; cases: T.Page<T.CountyCaseRow> };
  listConflicts: T.Page<T.ConflictRow>;
  resolveConflict: T.ConflictRow;
  statistics: T.CountyStatistics;
  statisticsCases: T.Page<T.CountyStatCaseRow>;
  statisticsXlsx: Blob;
  evaluation: T.Evaluation;
  evaluationWeights: T.EvaluationWeights;
  setEvaluationWeights: T.EvaluationWeights;
  warnPoint: { ok: true; messageId: string };
  warnLagging: { sent: { pointCode: string; villageName: string; note: string }[] };
  setAutoWarn: { on: boolean };
  weeklyReport: T.WeeklyReport;
  printLedger: Blob;
  printVisitBook: Blob;
  printTownshipSummary: Blob;
  printCountyStatistics: Blob;
  printWeeklyReport: Blob;
  listPoints: T.PointRow[];
  upsertPoint: T.PointRef;
  createEnrolCode: T.EnrolTicket;
  printEnrolSheet: Blob;
  enrolFile: Blob;
  revokeDevice: T.DeviceRow;
  currentCatalog: { version: string; publishedAt: string; catalog: T.CatalogDraft };
  publishCatalog: { version: string; items: number };
  publishHolidays: { years: number[]; dueChanged: number };
  publishedVersions: T.PublishedVersions;
  listAccounts: T.Account[];
  createAccount: T.OneTimePassword;
  updateAccount: T.Account;
  resetPassword: T.OneTimePassword;
  audit: T.Page<T.AuditRow>;
};

export type ConsoleError = { code: string; message: string };
export type ConsoleResponse<R extends ConsoleRoute> = { ok: true; value: ConsoleOutputs[R] } | { ok: false; error: ConsoleError };

/** The URL of a GET route with its input (also usable as a download link for file routes). */
export function consoleUrl<R extends ConsoleRoute>(route: R, input: ConsoleInput<R>): string {
  const d = CONSOLE_ROUTES[route];
  const s = JSON.stringify(input ?? {});
  return s === '{}' ? d.path : `${d.path}?input=${encodeURIComponent(s)}`;
}

export class ConsoleCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleCallError';
  }
}

/**
 * Calls one route from the browser (same origin, cookies included). JSON routes resolve to the
 * value; file routes resolve to a Blob; errors throw ConsoleCallError with the Chinese message.
 * For uploads pass `{ file, fileName }` as the body.
 */
export async function callConsole<R extends ConsoleRoute>(
  route: R,
  input: ConsoleInput<R>,
  opts: { csrfToken?: string; file?: Blob | ArrayBuffer | Uint8Array; fileName?: string; fetch?: typeof fetch; base?: string } = {},
): Promise<ConsoleOutputs[R]> {
  const d = CONSOLE_ROUTES[route];
  const f = opts.fetch ?? fetch;
  const base = opts.base ?? '';
  const headers: Record<string, string> = {};
  if (opts.csrfToken) headers['x-csrf-token'] = opts.csrfToken;
  let res: Response;
  if (d.method === 'GET') {
    res = await f(base + consoleUrl(route, input), { credentials: 'same-origin', headers });
  } else if (d.kind === 'upload') {
    headers['content-type'] = 'application/octet-stream';
    headers['x-file-name'] = encodeURIComponent(opts.fileName ?? 'batch');
    res = await f(base + d.path, { method: 'POST', credentials: 'same-origin', headers, body: opts.file as BodyInit });
  } else {
    headers['content-type'] = 'application/json';
    res = await f(base + d.path, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(input ?? {}) });
  }
  const type = res.headers.get('content-type') ?? '';
  if (d.kind === 'file' && res.ok && !type.includes('application/json')) return (await res.blob()) as ConsoleOutputs[R];
  let body: ConsoleResponse<R>;
  try {
    body = (await res.json()) as ConsoleResponse<R>;
  } catch {
    throw new ConsoleCallError(res.status, 'bad_response', `县级服务返回了无法识别的内容（HTTP ${res.status}）`);
  }
  if (!body.ok) throw new ConsoleCallError(res.status, body.error.code, body.error.message);
  return body.value;
}
