// Every console route's scope rule and handler (the pipeline in http.ts runs before each).
// The type RouteSpecs makes TypeScript refuse a route of contract.ts without a spec here.
import QRCode from 'qrcode';
import { uuidv7 } from '../../domain/ids';
import { holidayTablesFromJson, type HolidayTable } from '../../domain/workCalendar';
import type { County } from '../db';
import { buildEnrolPackage, createTicket, openTicket, revokeDevice, upsertPoint } from '../enrol';
import { importOffThread } from '../importThread';
import { addMessage, decideCase, publishCatalog, publishHolidays } from '../publish';
import { buildReply } from '../reply';
import { changePassword, checkSignIn, createAccount, getAccountRow, resetPassword, toAccount, updateAccount, type AccountRow } from './accounts';
import { caseVersion, countyToday, getCountyCase, listSupervisionsSql, revealValue, searchCountyCases } from './cases';
import { ConsoleHttpError, inScope, notFound, scopeSql, type Ctx, type FileAnswer, type RouteSpecs, type Scope } from './http';
import { enrolSheet, monthBook, statisticsSheet, townshipSummary, weeklySheet } from './prints';
import { deviceRow, importLogPage, lights, listConflicts, listPoints, overview, pointRefs, publishedVersions, resolveConflict, scopeInfo } from './views';
import { countyStatistics, countyStatisticsCases, countyStatisticsXlsx, evaluation, getWeights, setWeights, weeklyReport } from './stats';
import { autoWarnEnabled, sendWarning, setAutoWarn, warnLagging } from './evaluation';
import { checkCatalogDraft } from './catalogCheck';
import { AUDIT_KINDS, type AuditKind, type CatalogDraft } from './types';

const where = <I extends { townshipCode?: string; pointCode?: string }>(i: I) => ({ townshipCode: i.townshipCode, pointCode: i.pointCode });
/** The point a record belongs to, for the scope check of routes that name a record by id. */
const pointOf = (county: County, table: 'devices' | 'supervisions' | 'conflicts' | 'cases', id: string) =>
  (county.db.prepare(`SELECT point_code FROM ${table} WHERE id = ?`).get(id) as { point_code: string } | undefined)?.point_code ?? null;
const knownPoint = (county: County, code: string) => (county.db.prepare(`SELECT 1 FROM points WHERE code = ?`).get(code) ? code : null);
const caseNoOf = (county: County, caseId: string) => (county.db.prepare(`SELECT case_no FROM cases WHERE id = ?`).get(caseId) as { case_no: string }).case_no;

/** A PDF print: made, recorded in the audit log, returned. */
async function printed(ctx: Ctx, make: Promise<FileAnswer>): Promise<FileAnswer> {
  const f = await make;
  ctx.audit('export', `打印${f.fileName}`);
  return f;
}

function requireFresh(county: County, caseId: string, expected: string): void {
  if (caseVersion(county, caseId) !== expected) {
    throw new ConsoleHttpError(409, 'stale', '这件代办件在您打开之后已被他人更新（村里同步了新的记录或县里作了处理）。请刷新页面，核对后再提交');
  }
}

/** Adds a 督办 notice: stored, and queued as a signed downstream message to the case's point. */
export function createSupervision(county: County, input: { caseId: string; note: string; replyBy: string }, by: { id: string }): string {
  const today = countyToday(county);
  if (input.replyBy < today) throw new Error(`答复期限不能早于今天（${today}）`);
  return county.tx(() => {
    const c = county.db.prepare(`SELECT id, point_code, case_no FROM cases WHERE id = ?`).get(input.caseId) as { id: string; point_code: string; case_no: string } | undefined;
    if (!c) throw notFound();
    const id = uuidv7(county.clock.nowMs());
    const m = addMessage(county, c.point_code, 'supervision', { noticeId: id, caseId: c.id, caseNo: c.case_no, note: input.note, replyBy: input.replyBy }, id);
    county.db
      .prepare(`INSERT INTO supervisions (id, point_code, case_id, note, reply_by, created_at, created_by, message_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, c.point_code, c.id, input.note, input.replyBy, county.nowIso(), by.id, m.seq);
    return id;
  });
}

function accountOut(ctx: Ctx, r: AccountRow) {
  return toAccount(ctx.county, r);
}

function scopeLabel(county: County, s: Scope): string {
  if (s.pointCode) {
    const p = pointRefs(county, s).find((x) => x.code === s.pointCode);
    return p ? `${p.townshipName}${p.villageName}` : s.pointCode;
  }
  if (s.townshipCode) return pointRefs(county, s)[0]?.townshipName ?? s.townshipCode;
  return county.requireIdentity().name;
}

// The fixed-date statutory days every year's notice contains (《全国年节及纪念日放假办法》): a table
// without them is a partial table (e.g. only the Spring Festival), which would count the rest of the
// year wrong. Lunar holidays move, so only their number is checked.
const FIXED_OFF = [
  ['01-01', '元旦'],
  ['05-01', '劳动节'],
  ['05-02', '劳动节'],
  ['10-01', '国庆节'],
  ['10-02', '国庆节'],
  ['10-03', '国庆节'],
] as const;
const STATUTORY_DAYS = 13;

export function checkFullYears(tables: HolidayTable[]): void {
  for (const t of tables) {
    const off = new Set(t.off);
    const missing = FIXED_OFF.filter(([md]) => !off.has(`${t.year}-${md}`)).map(([md, name]) => `${name}（${t.year}-${md}）`);
    if (missing.length) throw new Error(`${t.year} 年的节假日安排不完整：缺少 ${missing.join('、')}。请上传国务院办公厅通知的全年安排`);
    if (t.off.length < STATUTORY_DAYS) throw new Error(`${t.year} 年只列了 ${t.off.length} 天假期，少于法定的 ${STATUTORY_DAYS} 天，请上传全年安排`);
  }
}

export const ROUTE_SPECS: RouteSpecs = {
  me: { scope: { kind: 'none' }, handle: (_i, ctx) => ctx.me() },
  signIn: {
    scope: { kind: 'none' },
    handle: async (i, ctx) => {
      const r = await checkSignIn(ctx.county, i.name, i.password);
      if (!r.ok) {
        ctx.audit('signInFailed', `登录名 ${i.name.slice(0, 40)}${r.locked ? '（已锁定）' : ''}`);
        throw new ConsoleHttpError(r.locked ? 429 : 401, r.locked ? 'locked' : 'bad_credentials', r.message);
      }
      const me = ctx.startSession(r.row);
      ctx.county.db.prepare(`INSERT INTO audit_log (at, kind, account_id, user_name, summary, ip) VALUES (?, 'signIn', ?, ?, '', ?)`).run(ctx.county.nowIso(), r.row.id, r.row.name, ctx.ip);
      return me;
    },
  },
  signOut: {
    scope: { kind: 'none' },
    handle: (_i, ctx) => {
      ctx.audit('signOut', '');
      ctx.endSession();
      return { ok: true as const };
    },
  },
  changePassword: {
    scope: { kind: 'none' },
    handle: async (i, ctx) => {
      await changePassword(ctx.county, ctx.user!.id, i.oldPassword, i.newPassword);
      ctx.audit('passwordChanged', '');
      return ctx.me();
    },
  },
  scope: { scope: { kind: 'none' }, handle: (_i, ctx) => scopeInfo(ctx.county, ctx.scope, ctx.options.publicUrl?.() ?? '') },
  overview: { scope: { kind: 'where', get: where }, handle: (_i, ctx) => overview(ctx.county, ctx.scope) },

  importBatch: {
    scope: { kind: 'none' },
    handle: async (_i, ctx) => {
      const up = ctx.upload!;
      if (up.bytes.length === 0) throw new ConsoleHttpError(400, 'empty', `文件“${up.fileName}”是空的，不是同步批次`);
      const o = await importOffThread(ctx.county, up.bytes, { source: `file:${up.fileName}` });
      ctx.audit('import', `${up.fileName}：${o.message}`);
      return { fileName: up.fileName, result: o.result, applied: o.applied, message: o.message, pointCode: o.pointCode ?? null };
    },
  },
  importLog: { scope: { kind: 'where', get: where }, handle: (i, ctx) => importLogPage(ctx.county, i, ctx.scope) },
  replyFile: {
    scope: { kind: 'record', pointOf: (i, c) => knownPoint(c, i.pointCode) },
    handle: (i, ctx) => {
      const r = buildReply(ctx.county, i.pointCode);
      ctx.audit('export', `代办点 ${i.pointCode} 的回执文件（${r.messages} 条消息）`);
      return { file: r.bytes, fileName: `县级回执-${i.pointCode}-${countyToday(ctx.county)}.daiban-reply`, contentType: 'application/octet-stream' };
    },
  },

  searchCases: { scope: { kind: 'where', get: where }, handle: (i, ctx) => searchCountyCases(ctx.county, i, ctx.scope) },
  getCase: { scope: { kind: 'record', pointOf: (i, c) => pointOf(c, 'cases', i.id) }, handle: (i, ctx) => getCountyCase(ctx.county, i.id) },
  revealApplicant: {
    scope: { kind: 'record', pointOf: (i, c) => pointOf(c, 'cases', i.caseId) },
    handle: (i, ctx) => {
      const value = revealValue(ctx.county, i.caseId, i.field);
      const no = caseNoOf(ctx.county, i.caseId);
      ctx.audit('reveal', `件号 ${no} 的${i.field === 'idNumber' ? '身份证号码' : i.field === 'phone' ? '联系电话' : '统一社会信用代码'}`);
      return { value };
    },
  },
  decideCase: {
    scope: { kind: 'record', pointOf: (i, c) => pointOf(c, 'cases', i.caseId) },
    handle: (i, ctx) => {
      requireFresh(ctx.county, i.caseId, i.expectedVersion);
      const no = caseNoOf(ctx.county, i.caseId);
      decideCase(ctx.county, {
        caseNo: no,
        action: i.action === 'returnForCorrection' ? 'returnForCorrection' : 'decide',
        decision: i.action === 'returnForCorrection' ? null : i.action,
        date: i.date,
        note: i.note,
        by: ctx.user!.displayName || ctx.user!.name,
      });
      ctx.audit('decision', `件号 ${no}：${i.action === 'approved' ? '准予' : i.action === 'refused' ? '不予' : '退回补正'}${i.note ? `（${i.note}）` : ''}`);
      return getCountyCase(ctx.county, i.caseId);
    },
  },
  createSupervision: {
    scope: { kind: 'record', pointOf: (i, c) => pointOf(c, 'cases', i.caseId) },
    handle: (i, ctx) => {
      requireFresh(ctx.county, i.caseId, i.expectedVersion);
      createSupervision(ctx.county, i, ctx.user!);
      const no = caseNoOf(ctx.county, i.caseId);
      ctx.audit('supervision', `督办件号 ${no}，${i.replyBy} 前答复：${i.note}`);
      return getCountyCase(ctx.county, i.caseId);
    },
  },
  closeSupervision: {
    scope: { kind: 'record', pointOf: (i, c) => pointOf(c, 'supervisions', i.id) },
    handle: (i, ctx) => {
      const n = ctx.county.db
        .prepare(`UPDATE supervisions SET closed_at = ?, closed_by = ?, close_note = ? WHERE id = ? AND closed_at IS NULL`)
        .run(ctx.county.nowIso(), ctx.user!.id, i.note, i.id).changes;
      if (!n) throw new ConsoleHttpError(409, 'stale', '这条督办已经办结');
      ctx.audit('supervision', `督办办结 ${i.id.slice(0, 8)}${i.note ? `：${i.note}` : ''}`);
      return listSupervisionsSql(ctx.county, `WHERE s.id = ?`, [i.id], 1, 0).rows[0];
    },
  },
  listSupervisions: {
    scope: { kind: 'where', get: where },
    handle: (i, ctx) => {
      const sc = scopeSql(ctx.scope, 's.point_code');
      const state =
        i.state === 'open'
          ? ` AND s.closed_at IS NULL AND ans.id IS NULL`
          : i.state === 'answered'
            ? ` AND s.closed_at IS NULL AND ans.id IS NOT NULL`
            : i.state === 'closed'
              ? ` AND s.closed_at IS NOT NULL`
              : '';
      return listSupervisionsSql(ctx.county, `WHERE ${sc.sql}${state}`, sc.params, i.limit, i.offset);
    },
  },
  deadlines: {
    scope: { kind: 'where', get: where },
    handle: (i, ctx) => {
      const base = { q: '', overdue: i.kind === 'overdue', dueSoon: i.kind === 'dueSoon' };
      const cases = searchCountyCases(ctx.county, { ...base, offset: i.offset, limit: i.limit }, ctx.scope);
      const towns = lights(ctx.county, ctx.scope);
      return { townships: towns.map((t) => ({ code: t.code, name: t.name, overdue: t.lights.red, dueSoon: t.lights.amber })), cases };
    },
  },

  listConflicts: { scope: { kind: 'where', get: where }, handle: (i, ctx) => listConflicts(ctx.county, i, ctx.scope) },
  resolveConflict: {
    scope: { kind: 'record', pointOf: (i, c) => pointOf(c, 'conflicts', i.id) },
    handle: (i, ctx) => {
      const r = resolveConflict(ctx.county, i.id, i.choose, ctx.user!);
      ctx.audit('conflict', `冲突 ${i.id.slice(0, 8)} 采用${i.choose === 'village' ? '村里' : '县里'}的值`);
      return r;
    },
  },

  statistics: { scope: { kind: 'where', get: where }, handle: (i, ctx) => countyStatistics(ctx.county, i, ctx.scope, scopeLabel(ctx.county, ctx.scope)) },
  statisticsCases: { scope: { kind: 'where', get: where }, handle: (i, ctx) => countyStatisticsCases(ctx.county, i, ctx.scope) },
  statisticsXlsx: {
    scope: { kind: 'where', get: where },
    handle: async (i, ctx) => {
      const label = scopeLabel(ctx.county, ctx.scope);
      const file = await countyStatisticsXlsx(ctx.county, i, ctx.scope, label);
      ctx.audit('export', `统计表 ${label} ${i.from}–${i.to}`);
      return { file, fileName: `统计-${label}-${i.from}至${i.to}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    },
  },

  evaluation: { scope: { kind: 'where', get: where }, handle: (i, ctx) => ({ ...evaluation(ctx.county, i.month, ctx.scope), autoWarn: autoWarnEnabled(ctx.county) }) },
  evaluationWeights: { scope: { kind: 'none' }, handle: (_i, ctx) => getWeights(ctx.county) },
  setEvaluationWeights: {
    scope: { kind: 'none' },
    handle: (i, ctx) => {
      const w = setWeights(ctx.county, i);
      ctx.audit('evaluation', `考评权重：${JSON.stringify(w)}`);
      return w;
    },
  },
  warnPoint: {
    scope: { kind: 'record', pointOf: (i, c) => knownPoint(c, i.pointCode) },
    handle: (i, ctx) => {
      const id = sendWarning(ctx.county, i.pointCode, i.month, i.note, ctx.user!);
      ctx.audit('evaluation', `向代办点 ${i.pointCode} 发出 ${i.month} 考评预警：${i.note}`);
      return { ok: true as const, messageId: id };
    },
  },
  warnLagging: {
    scope: { kind: 'where', get: where },
    handle: (i, ctx) => {
      const r = warnLagging(ctx.county, i.month, ctx.scope, ctx.user!);
      for (const s of r.sent) ctx.audit('evaluation', `向代办点 ${s.pointCode} 发出 ${i.month} 考评预警：${s.note}`);
      return r;
    },
  },
  setAutoWarn: {
    scope: { kind: 'none' },
    handle: (i, ctx) => {
      const on = setAutoWarn(ctx.county, i.on);
      ctx.audit('evaluation', on ? '开启每月自动考评预警' : '关闭每月自动考评预警');
      return { on };
    },
  },
  weeklyReport: { scope: { kind: 'where', get: where }, handle: (i, ctx) => weeklyReport(ctx.county, i.townshipCode, i.weekOf, ctx.scope) },

  printLedger: { scope: { kind: 'where', get: where }, handle: (i, ctx) => printed(ctx, monthBook(ctx.county, 'ledger', ctx.scope, i.month)) },
  printVisitBook: { scope: { kind: 'where', get: where }, handle: (i, ctx) => printed(ctx, monthBook(ctx.county, 'visitBook', ctx.scope, i.month)) },
  printTownshipSummary: { scope: { kind: 'where', get: where }, handle: (i, ctx) => printed(ctx, townshipSummary(ctx.county, ctx.scope, i.month)) },
  printCountyStatistics: { scope: { kind: 'where', get: where }, handle: (i, ctx) => printed(ctx, statisticsSheet(ctx.county, ctx.scope, i.month)) },
  printWeeklyReport: { scope: { kind: 'where', get: where }, handle: (i, ctx) => printed(ctx, weeklySheet(ctx.county, weeklyReport(ctx.county, i.townshipCode, i.weekOf, ctx.scope))) },

  listPoints: { scope: { kind: 'where', get: where }, handle: (_i, ctx) => listPoints(ctx.county, ctx.scope) },
  upsertPoint: {
    scope: { kind: 'none' },
    handle: (i, ctx) => {
      upsertPoint(ctx.county, { code: i.code, villageName: i.villageName, townshipName: i.townshipName });
      ctx.audit('enrol', `代办点 ${i.code} ${i.townshipName}${i.villageName}`);
      return pointRefs(ctx.county, { townshipCode: null, pointCode: i.code })[0];
    },
  },
  createEnrolCode: {
    scope: { kind: 'record', pointOf: (i, c) => knownPoint(c, i.pointCode) },
    handle: async (i, ctx) => {
      const t = createTicket(ctx.county, i.pointCode, i.days);
      const p = pointRefs(ctx.county, ctx.scope)[0];
      const url = ctx.options.publicUrl?.() ?? '';
      ctx.audit('enrol', `代办点 ${i.pointCode} 的登记码（${i.days} 天有效）`);
      return {
        pointCode: i.pointCode,
        villageName: p?.villageName ?? '',
        code: t.code,
        expiresAt: t.expiresAt,
        countyName: ctx.county.requireIdentity().name,
        countyUrl: url,
        qrDataUrl: await QRCode.toDataURL(JSON.stringify({ url, code: t.code }), { margin: 4, width: 240 }),
      };
    },
  },
  printEnrolSheet: {
    scope: { kind: 'record', pointOf: (i, c) => knownPoint(c, i.pointCode) },
    handle: async (i, ctx) => {
      const t = openTicket(ctx.county, i.pointCode, i.code);
      if (!t) throw new ConsoleHttpError(400, 'invalid_input', '这个登记码已经用过、已过期或不是这个代办点的，请重新生成登记码');
      const f = await enrolSheet(ctx.county, i.pointCode, i.code, t.expiresAt, ctx.options.publicUrl?.() ?? '');
      ctx.audit('enrol', `打印代办点 ${i.pointCode} 的登记单`);
      return f;
    },
  },
  enrolFile: {
    scope: { kind: 'record', pointOf: (i, c) => knownPoint(c, i.pointCode) },
    handle: (i, ctx) => {
      const t = createTicket(ctx.county, i.pointCode, i.days);
      const bytes = buildEnrolPackage(ctx.county, i.pointCode, { ticket: t });
      ctx.audit('enrol', `代办点 ${i.pointCode} 的登记文件（${i.days} 天有效）`);
      return { file: bytes, fileName: `登记文件-${i.pointCode}.daiban-enrol`, contentType: 'application/octet-stream' };
    },
  },
  revokeDevice: {
    scope: { kind: 'record', pointOf: (i, c) => pointOf(c, 'devices', i.deviceId) },
    handle: (i, ctx) => {
      const r = revokeDevice(ctx.county, i.deviceId, i.reason);
      ctx.audit('revoke', `停用代办点 ${r.pointCode} 的设备 ${i.deviceId.slice(0, 8)}：${i.reason}`);
      return deviceRow(ctx.county, i.deviceId);
    },
  },

  currentCatalog: {
    scope: { kind: 'none' },
    handle: (_i, ctx) => {
      const r = ctx.county.db.prepare(`SELECT version, json, published_at FROM catalog_versions ORDER BY published_at DESC, rowid DESC LIMIT 1`).get() as
        | { version: string; json: string; published_at: string }
        | undefined;
      if (!r) throw notFound();
      return { version: r.version, publishedAt: r.published_at, catalog: JSON.parse(r.json) as CatalogDraft };
    },
  },
  publishCatalog: {
    scope: { kind: 'none' },
    handle: (i, ctx) => {
      checkCatalogDraft(i.catalog);
      const r = publishCatalog(ctx.county, i.catalog);
      ctx.audit('publish', `事项目录 ${r.version}（${r.items} 项）`);
      return r;
    },
  },
  publishHolidays: {
    scope: { kind: 'none' },
    handle: (i, ctx) => {
      checkFullYears(holidayTablesFromJson(i.tables));
      const r = publishHolidays(ctx.county, i.tables);
      ctx.audit('publish', `节假日安排 ${r.years.join('、')} 年`);
      return r;
    },
  },
  publishedVersions: { scope: { kind: 'none' }, handle: (_i, ctx) => publishedVersions(ctx.county) },

  listAccounts: {
    scope: { kind: 'none' },
    handle: (_i, ctx) => (ctx.county.db.prepare(`SELECT * FROM accounts ORDER BY role, name`).all() as AccountRow[]).map((r) => accountOut(ctx, r)),
  },
  createAccount: {
    scope: { kind: 'none' },
    handle: async (i, ctx) => {
      const r = await createAccount(ctx.county, { name: i.name, displayName: i.displayName, role: i.role, townshipCode: i.townshipCode });
      ctx.audit('account', `新建账号 ${r.row.name}（${r.row.role}${r.row.township_code ? ' ' + r.row.township_code : ''}）`);
      return { account: accountOut(ctx, r.row), password: r.password };
    },
  },
  updateAccount: {
    scope: { kind: 'none' },
    handle: (i, ctx) => {
      if (i.id === ctx.user!.id && (i.disabled || (i.role && i.role !== 'admin'))) throw new Error('不能停用自己的账号或取消自己的管理员角色');
      const r = updateAccount(ctx.county, i.id, i);
      ctx.audit('account', `修改账号 ${r.name}`);
      return accountOut(ctx, r);
    },
  },
  resetPassword: {
    scope: { kind: 'none' },
    handle: async (i, ctx) => {
      const r = await resetPassword(ctx.county, i.id);
      ctx.audit('account', `重置账号 ${r.row.name} 的密码`);
      return { account: accountOut(ctx, r.row), password: r.password };
    },
  },
  audit: {
    scope: { kind: 'none' },
    handle: (i, ctx) => {
      const conds: string[] = [];
      const params: string[] = [];
      if (i.kind) {
        conds.push('kind = ?');
        params.push(i.kind);
      }
      if (i.userId) {
        conds.push('account_id = ?');
        params.push(i.userId);
      }
      if (i.from) {
        conds.push('at >= ?');
        params.push(i.from);
      }
      if (i.to) {
        conds.push('at < ?');
        params.push(`${i.to}T99`);
      }
      const w = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
      const total = (ctx.county.db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${w}`).get(...params) as { n: number }).n;
      const rows = ctx.county.db.prepare(`SELECT * FROM audit_log ${w} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, i.limit, i.offset) as {
        id: number;
        at: string;
        kind: AuditKind;
        user_name: string;
        summary: string;
        ip: string;
      }[];
      return { total, rows: rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind, kindLabel: AUDIT_KINDS[r.kind] ?? r.kind, userName: r.user_name, summary: r.summary, ip: r.ip })) };
    },
  },
};

export { inScope, getAccountRow, sendWarning };
