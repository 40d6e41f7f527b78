// Register export for spreadsheets (CSV that Excel opens correctly) and for scripts (JSON).
// ID numbers and phones are masked unless the caller asks for full numbers on purpose.
// Rows are streamed to a temporary file and renamed at the end, so a failed export never
// leaves a half-written file behind under the requested name.
import fs from 'node:fs';
import path from 'node:path';
import type { Register } from './register';
import { maskIdNumber, maskPhone } from '../domain/mask';
import { CASE_STATUSES, isOpen, type CaseStatus } from '../domain/caseStatus';
import {
  DECISIONS,
  DELIVERY_METHODS,
  FOLLOWUP_KINDS,
  FOLLOWUP_METHODS,
  HANDLING_MODES,
  labelOf,
  RATINGS,
  VISIT_CATEGORIES,
  VISIT_CHANNELS,
  VISIT_HANDLINGS,
} from '../domain/vocab';
import { chinaTime } from './clock';
import type { SqlValue } from './changes';

export const EXPORT_WHATS = { cases: '代办件', visits: '来访登记', followups: '回访记录' } as const;
export type ExportWhat = keyof typeof EXPORT_WHATS;
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type ExportOptions = {
  what: ExportWhat;
  format: ExportFormat;
  out: string;
  /** Full ID numbers and phones; otherwise masked (110105********002X, 138****5678). */
  full?: boolean;
  /** Inclusive date range on the intake / visit / follow-up date. */
  from?: string;
  to?: string;
  /** Who exported (a full export is recorded in the synced history). */
  agentId?: string | null;
};

type Row = Record<string, SqlValue>;
type Value = string | number | boolean | null;
type Column = { key: string; header: string; value: (r: Row) => Value; personal?: boolean };

const str = (v: SqlValue) => (v === null ? '' : String(v));
const yesNo = (v: SqlValue) => v === 1;

function personal(full: boolean, mask: (s: string) => string) {
  return (v: SqlValue): string => {
    const s = str(v);
    if (!s) return '';
    return full ? s : mask(s);
  };
}

function caseColumns(full: boolean, today: string): Column[] {
  const id = personal(full, maskIdNumber);
  const phone = personal(full, maskPhone);
  return [
    { key: 'caseNo', header: '件号', value: (r) => str(r.case_no) },
    { key: 'intakeDate', header: '受理日期', value: (r) => str(r.intake_date) },
    { key: 'backfilled', header: '补录', value: (r) => yesNo(r.backfilled) },
    { key: 'applicantName', header: '申请人', value: (r) => str(r.applicant_name) },
    { key: 'sex', header: '性别', value: (r) => (r.sex === 'male' ? '男' : r.sex === 'female' ? '女' : '') },
    { key: 'idNumber', header: '身份证号码', value: (r) => id(r.id_number), personal: true },
    { key: 'phone', header: '联系电话', value: (r) => phone(r.phone), personal: true },
    { key: 'villageGroup', header: '村民小组', value: (r) => str(r.village_group) },
    { key: 'itemCode', header: '事项编码', value: (r) => str(r.item_code) },
    { key: 'itemName', header: '事项名称', value: (r) => str(r.item_name) },
    { key: 'handlingMode', header: '办理方式', value: (r) => labelOf(HANDLING_MODES, str(r.handling_mode)) },
    { key: 'status', header: '状态', value: (r) => labelOf(CASE_STATUSES, str(r.status)) },
    { key: 'committedWorkdays', header: '承诺时限（工作日）', value: (r) => Number(r.committed_workdays) },
    { key: 'dueDate', header: '承诺办结日期', value: (r) => str(r.due_date) },
    { key: 'dueEstimated', header: '期限为估算', value: (r) => yesNo(r.due_estimated) },
    { key: 'handedTo', header: '报送单位', value: (r) => str(r.handed_to) },
    { key: 'handedAt', header: '报送日期', value: (r) => str(r.handed_at) },
    { key: 'decisionDate', header: '办结日期', value: (r) => str(r.decision_date) },
    { key: 'decision', header: '办理结果', value: (r) => labelOf(DECISIONS, r.decision as string | null) },
    { key: 'deliveryMethod', header: '送达方式', value: (r) => labelOf(DELIVERY_METHODS, r.delivery_method as string | null) },
    { key: 'deliveredAt', header: '送达日期', value: (r) => str(r.delivered_at) },
    {
      key: 'overdue',
      header: '超期',
      value: (r) => {
        const due = str(r.due_date);
        if (isOpen(r.status as CaseStatus)) return today > due ? '超期未办结' : '';
        return r.decision_date && str(r.decision_date) > due ? '超期办结' : '';
      },
    },
    { key: 'rating', header: '回访满意度', value: (r) => labelOf(RATINGS, r.rating === null ? null : String(r.rating)) },
    { key: 'reason', header: '撤回或不予受理原因', value: (r) => str(r.withdraw_reason) || str(r.refusal_reason) },
    { key: 'agentName', header: '代办员', value: (r) => str(r.agent_name) },
  ];
}

function visitColumns(full: boolean): Column[] {
  const phone = personal(full, maskPhone);
  return [
    { key: 'visitDate', header: '来访日期', value: (r) => str(r.visit_date) },
    { key: 'visitTime', header: '时间', value: (r) => chinaTime(Date.parse(str(r.visited_at))) },
    { key: 'backfilled', header: '补录', value: (r) => yesNo(r.backfilled) },
    { key: 'visitorName', header: '来访人', value: (r) => str(r.visitor_name) },
    { key: 'phone', header: '联系电话', value: (r) => phone(r.visitor_phone), personal: true },
    { key: 'visitorCount', header: '人数', value: (r) => Number(r.visitor_count) },
    { key: 'channel', header: '方式', value: (r) => labelOf(VISIT_CHANNELS, str(r.channel)) },
    { key: 'category', header: '类别', value: (r) => labelOf(VISIT_CATEGORIES, str(r.category)) },
    { key: 'summary', header: '来访事由', value: (r) => str(r.summary) },
    { key: 'handling', header: '处理方式', value: (r) => labelOf(VISIT_HANDLINGS, str(r.handling)) },
    { key: 'transferredTo', header: '转办单位', value: (r) => str(r.transferred_to) },
    { key: 'outcome', header: '处理结果', value: (r) => str(r.outcome) },
    { key: 'settledDate', header: '息访日期', value: (r) => str(r.settled_date) },
    { key: 'caseNo', header: '代办件号', value: (r) => str(r.case_no) },
    { key: 'agentName', header: '代办员', value: (r) => str(r.agent_name) },
  ];
}

function followupColumns(): Column[] {
  const rating = (v: SqlValue) => labelOf(RATINGS, v === null ? null : String(v));
  return [
    { key: 'caseNo', header: '件号', value: (r) => str(r.case_no) },
    { key: 'applicantName', header: '申请人', value: (r) => str(r.applicant_name) },
    { key: 'itemName', header: '事项', value: (r) => str(r.item_name) },
    { key: 'kind', header: '回访类型', value: (r) => labelOf(FOLLOWUP_KINDS, str(r.kind)) },
    { key: 'method', header: '方式', value: (r) => labelOf(FOLLOWUP_METHODS, str(r.method)) },
    { key: 'reached', header: '联系上', value: (r) => yesNo(r.reached) },
    { key: 'rating', header: '整体满意度', value: (r) => rating(r.rating) },
    { key: 'efficiency', header: '服务效率', value: (r) => rating(r.efficiency) },
    { key: 'serviceLevel', header: '服务水平', value: (r) => rating(r.service_level) },
    { key: 'attitude', header: '服务态度', value: (r) => rating(r.attitude) },
    { key: 'comment', header: '意见', value: (r) => str(r.comment) },
    { key: 'followDate', header: '回访日期', value: (r) => str(r.follow_date) },
    { key: 'backfilled', header: '补录', value: (r) => yesNo(r.backfilled) },
    { key: 'rectification', header: '差评整改', value: (r) => (r.rect_status === 'open' ? '整改中' : r.rect_status === 'closed' ? '已整改' : '') },
    { key: 'agentName', header: '代办员', value: (r) => str(r.agent_name) },
  ];
}

function query(what: ExportWhat, from?: string, to?: string): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const range = (col: string) => {
    const c: string[] = [];
    if (from) {
      c.push(`${col} >= ?`);
      params.push(from);
    }
    if (to) {
      c.push(`${col} <= ?`);
      params.push(to);
    }
    return c.length ? `WHERE ${c.join(' AND ')}` : '';
  };
  switch (what) {
    case 'cases':
      return {
        sql: `SELECT c.*, a.name AS applicant_name, a.sex, a.id_number, a.phone, a.village_group, g.name AS agent_name,
                (SELECT f.rating FROM followups f WHERE f.case_id = c.id AND f.kind = 'returnVisit' AND f.rating IS NOT NULL
                 ORDER BY f.followed_at DESC LIMIT 1) AS rating
              FROM cases c JOIN applicants a ON a.id = c.applicant_id JOIN agents g ON g.id = c.agent_id
              ${range('c.intake_date')} ORDER BY c.intake_date, c.case_no`,
        params,
      };
    case 'visits':
      return {
        sql: `SELECT v.*, c.case_no, g.name AS agent_name FROM visits v LEFT JOIN cases c ON c.id = v.case_id
              JOIN agents g ON g.id = v.agent_id ${range('v.visit_date')} ORDER BY v.visited_at`,
        params,
      };
    case 'followups':
      return {
        sql: `SELECT f.*, c.case_no, c.item_name, a.name AS applicant_name, g.name AS agent_name,
                (SELECT r.status FROM rectifications r WHERE r.followup_id = f.id LIMIT 1) AS rect_status
              FROM followups f JOIN cases c ON c.id = f.case_id JOIN applicants a ON a.id = c.applicant_id
              JOIN agents g ON g.id = f.agent_id ${range('f.follow_date')} ORDER BY f.follow_date, f.followed_at`,
        params,
      };
  }
}

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula is defused. */
function csvCell(v: Value, forceText: boolean): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return String(v);
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  // Long digit strings (full ID numbers and phones) would become 1.5E+17 in Excel; a leading tab keeps them text.
  else if (forceText && /^\d{7,}/.test(s)) s = `\t${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportRegister(reg: Register, o: ExportOptions): { rows: number; file: string; bytes: number } {
  const file = path.resolve(o.out);
  const dir = path.dirname(file);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`导出文件所在的文件夹不存在：${dir}`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error(`${file} 是一个文件夹，请给出导出文件的名称`);
  const full = o.full === true;
  const cols = o.what === 'cases' ? caseColumns(full, reg.today()) : o.what === 'visits' ? visitColumns(full) : followupColumns();
  const { sql, params } = query(o.what, o.from, o.to);

  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  let rows = 0;
  try {
    let buf: string[] = [];
    let size = 0;
    const write = (s: string) => {
      buf.push(s);
      size += s.length;
      if (size > 1 << 16) flush();
    };
    const flush = () => {
      if (buf.length) fs.writeSync(fd, buf.join(''));
      buf = [];
      size = 0;
    };
    if (o.format === 'csv') {
      // The BOM tells Excel the file is UTF-8; without it Chinese comes out garbled.
      write('\uFEFF');
      write(cols.map((c) => csvCell(c.header, false)).join(',') + '\r\n');
    } else {
      write('[\n');
    }
    for (const r of reg.db.prepare(sql).iterate(...params) as IterableIterator<Row>) {
      if (o.format === 'csv') {
        write(cols.map((c) => csvCell(c.value(r), full && c.personal === true)).join(',') + '\r\n');
      } else {
        const obj: Record<string, Value> = {};
        for (const c of cols) obj[c.key] = c.value(r);
        write((rows ? ',\n' : '') + JSON.stringify(obj));
      }
      rows++;
    }
    if (o.format === 'json') write(rows ? '\n]\n' : ']\n');
    flush();
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  if (full) {
    // Accountability (issue 8): who took the full numbers out, when, what — chained and synced like any change.
    const data = { what: o.what, format: o.format, rows, from: o.from ?? null, to: o.to ?? null };
    reg.tx(() => reg.writer.recordEvent({ entity: 'register', action: 'register.exportFull', eventData: data }, o.agentId ?? null));
  }
  return { rows, file, bytes: fs.statSync(file).size };
}
