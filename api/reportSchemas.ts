// Inputs and outputs of the prints and statistics methods (issue: 打印与统计).
import { z } from 'zod';
import { dateStr } from './schemas';
import { COUNT_FIGURES, GROUP_BYS, type GroupBy } from '../domain/statistics';
import type { StatCaseRow, StatisticsResult } from '../db/statistics';
import type { Page } from '../domain/records';

export const PRINT_KIND_VALUES = ['receipt', 'refusal', 'caseRecord', 'ledger', 'visitBook', 'monthlyStats'] as const;
export const monthStr = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM（如 2026-11）');
const id = z.string().min(1).max(64);
const groupBy = z.enum(Object.keys(GROUP_BYS) as [GroupBy, ...GroupBy[]]);

const printFields = {
  kind: z.enum(PRINT_KIND_VALUES),
  /** receipt, refusal, caseRecord */
  caseId: id.optional(),
  /** ledger, visitBook, monthlyStats: 'YYYY-MM' */
  month: monthStr.optional(),
};

function needsTarget(p: { kind: (typeof PRINT_KIND_VALUES)[number]; caseId?: string; month?: string }, ctx: z.RefinementCtx) {
  const caseKinds = ['receipt', 'refusal', 'caseRecord'];
  if (caseKinds.includes(p.kind) && !p.caseId) ctx.addIssue({ code: 'custom', message: '请先选择代办件', path: ['caseId'] });
  if (!caseKinds.includes(p.kind) && !p.month) ctx.addIssue({ code: 'custom', message: '请选择月份', path: ['month'] });
}

export const printInput = z.object(printFields).superRefine(needsTarget);
export const printHtmlInput = z
  .object({ ...printFields, printer: z.string().trim().max(200).default('') })
  .superRefine(needsTarget);

const MAX_SPAN_DAYS = 366 * 20;
function checkPeriod(p: { from: string; to: string }, ctx: z.RefinementCtx) {
  if (p.from > p.to) ctx.addIssue({ code: 'custom', message: '开始日期不能晚于结束日期', path: ['to'] });
  else if ((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 > MAX_SPAN_DAYS) {
    ctx.addIssue({ code: 'custom', message: '统计期太长（最多20年）', path: ['from'] });
  }
}

export const statisticsInput = z.object({ from: dateStr, to: dateStr, groupBy: groupBy.optional() }).superRefine(checkPeriod);

export const statisticsCasesInput = z
  .object({
    from: dateStr,
    to: dateStr,
    figure: z.enum(COUNT_FIGURES),
    /** One group of a grouped table, e.g. { by: 'item', key: 'MZ-0003' }. */
    group: z.object({ by: groupBy, key: z.string().max(100) }).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .superRefine(checkPeriod);

export const exportXlsxInput = z
  .object({
    kind: z.enum(['ledger', 'statistics']),
    month: monthStr.optional(),
    from: dateStr.optional(),
    to: dateStr.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'ledger' && !p.month) ctx.addIssue({ code: 'custom', message: '请选择月份', path: ['month'] });
    if (p.kind === 'statistics' && !p.month && !(p.from && p.to)) ctx.addIssue({ code: 'custom', message: '请选择统计期', path: ['from'] });
    if (p.from && p.to) checkPeriod({ from: p.from, to: p.to }, ctx);
  });

export const REPORT_INPUTS = {
  /** A print as a complete HTML document (for the preview iframe and the browser's own print). */
  renderPrint: printInput,
  /** The same print as a PDF file, made by the shell's PDF renderer. */
  savePdf: printInput,
  /** Electron only: the system's printers. */
  printers: z.object({}).default({}),
  /** Electron only: print straight to a printer ('' = the default printer). */
  printHtml: printHtmlInput,
  statistics: statisticsInput,
  /** The cases behind one figure, in pages. */
  statisticsCases: statisticsCasesInput,
  exportXlsx: exportXlsxInput,
} as const;

export type FileOutput = { fileName: string; base64: string };

export type ReportOutputs = {
  renderPrint: { html: string; title: string; landscape: boolean };
  savePdf: FileOutput;
  printers: { name: string; isDefault: boolean }[];
  printHtml: { ok: true; printer: string };
  statistics: StatisticsResult;
  statisticsCases: Page<StatCaseRow>;
  exportXlsx: FileOutput;
};

export type { StatCaseRow, StatisticsResult };
