// .xlsx exports of the ledger and the statistics, laid out as a clerk expects: a title row, one
// bold header row (frozen, with filters), sensible column widths, dates as real dates, rates as
// percentages, and a page setup that prints on A4.
import ExcelJS from 'exceljs';
import type { LedgerData } from './data';
import { ratingLabel } from './data';
import type { StatCaseRow, StatGroup, StatisticsResult } from '../db/statistics';
import { FIGURE_DEFS, GROUP_BYS, RATE_PARTS, periodLabel, type CountFigure, type GroupBy, type RateFigure, type StatFigures } from '../domain/statistics';
import { cnDate } from './html';

/** 'YYYY-MM-DD' → a Date that Excel shows as that day whatever the time zone (exceljs writes UTC). */
export function excelDate(d: string | null | undefined): Date | null {
  if (!d) return null;
  const [y, m, day] = d.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, day));
}

const DATE_FMT = 'yyyy-mm-dd';
const PCT_FMT = '0.0%';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

type ColSpec = { header: string; key: string; width: number; kind?: 'date' | 'pct' | 'int' | 'text' };

function sheetWithTable(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  subtitle: string,
  cols: ColSpec[],
  rows: Record<string, unknown>[],
  opts: { landscape: boolean; totalRow?: boolean },
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: opts.landscape ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '3:3',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '第 &P 页 共 &N 页' },
  });
  ws.columns = cols.map((c) => ({ key: c.key, width: c.width }));
  ws.mergeCells(1, 1, 1, cols.length);
  ws.mergeCells(2, 1, 2, cols.length);
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { name: '黑体', size: 14, bold: true };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 26;
  const st = ws.getCell(2, 1);
  st.value = subtitle;
  st.font = { name: '宋体', size: 10 };
  st.alignment = { horizontal: 'left' };
  const head = ws.getRow(3);
  cols.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: '宋体', size: 10, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EDF3' } };
    cell.border = BORDER;
  });
  head.height = 30;
  rows.forEach((r, ri) => {
    const row = ws.getRow(4 + ri);
    cols.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const v = r[c.key];
      if (c.kind === 'date') {
        cell.value = typeof v === 'string' ? excelDate(v) : null;
        cell.numFmt = DATE_FMT;
        cell.alignment = { horizontal: 'center', vertical: 'middle' };
      } else if (c.kind === 'pct') {
        cell.value = typeof v === 'number' ? v : v == null ? '—' : String(v);
        cell.numFmt = PCT_FMT;
        cell.alignment = { horizontal: 'right', vertical: 'middle' };
      } else if (c.kind === 'int') {
        cell.value = typeof v === 'number' ? v : null;
        cell.alignment = { horizontal: 'right', vertical: 'middle' };
      } else {
        cell.value = v == null ? '' : String(v);
        cell.alignment = { vertical: 'middle', wrapText: true };
      }
      cell.font = { name: '宋体', size: 10, bold: opts.totalRow && ri === rows.length - 1 };
      cell.border = BORDER;
    });
  });
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + Math.max(rows.length, 0), column: cols.length } };
  return ws;
}

export async function ledgerXlsx(d: LedgerData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '代办通';
  wb.created = new Date(0);
  const cols: ColSpec[] = [
    { header: '序号', key: 'seq', width: 6, kind: 'int' },
    { header: '件号', key: 'caseNo', width: 27 },
    { header: '受理日期', key: 'intakeDate', width: 12, kind: 'date' },
    { header: '申请人', key: 'applicantName', width: 10 },
    { header: '联系电话', key: 'phoneMasked', width: 14 },
    { header: '事项', key: 'itemName', width: 30 },
    { header: '办理方式', key: 'mode', width: 10 },
    { header: '报送单位', key: 'handedTo', width: 20 },
    { header: '承诺办结日期', key: 'dueDate', width: 13, kind: 'date' },
    { header: '办结日期', key: 'decisionDate', width: 12, kind: 'date' },
    { header: '结果', key: 'result', width: 14 },
    { header: '送达方式', key: 'deliveryMethod', width: 11 },
    { header: '送达日期', key: 'deliveredAt', width: 12, kind: 'date' },
    { header: '回访满意度', key: 'rating', width: 11 },
    { header: '代办员', key: 'agentName', width: 10 },
  ];
  const period = periodLabel(d.from, d.to);
  sheetWithTable(wb, '代办记录', `${d.point.unitName}\u3000行政服务代办记录`, `统计期：${period}\u3000共 ${d.rows.length} 件\u3000导出日期：${cnDate(d.today)}`, cols, d.rows, {
    landscape: true,
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const GROUP_FIGS: { f: CountFigure | RateFigure; width: number }[] = [
  { f: 'accepted', width: 8 },
  { f: 'refused', width: 9.5 },
  { f: 'due', width: 8 },
  { f: 'dueCompleted', width: 10 },
  { f: 'completed', width: 8 },
  { f: 'completionRate', width: 9.5 },
  { f: 'onTime', width: 9.5 },
  { f: 'onTimeRate', width: 10 },
  { f: 'overdue', width: 8 },
  { f: 'overdueOpen', width: 10 },
  { f: 'completedLate', width: 9.5 },
  { f: 'decidedSameDay', width: 9.5 },
  { f: 'immediateRate', width: 9.5 },
  { f: 'returnVisited', width: 8 },
  { f: 'returnVisitRate', width: 9.5 },
  { f: 'rated', width: 8 },
  { f: 'satisfied', width: 8 },
  { f: 'satisfactionRate', width: 9.5 },
  { f: 'poor', width: 8 },
];

const isRate = (f: string): f is RateFigure => f in RATE_PARTS;

function figureRow(label: string, fig: StatFigures): Record<string, unknown> {
  const r: Record<string, unknown> = { label };
  for (const g of GROUP_FIGS) r[g.f] = fig[g.f];
  return r;
}

export type StatisticsExport = {
  unitName: string;
  today: string;
  overall: StatisticsResult;
  groups: Partial<Record<GroupBy, StatGroup[]>>;
  poor: StatCaseRow[];
};

export async function statisticsXlsx(s: StatisticsExport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '代办通';
  wb.created = new Date(0);
  const period = periodLabel(s.overall.from, s.overall.to);
  const sub = `统计期：${period}${s.overall.ref < s.overall.to ? `（截至${cnDate(s.overall.ref)}）` : ''}\u3000导出日期：${cnDate(s.today)}`;
  const t = s.overall.totals;
  const main = (Object.keys(FIGURE_DEFS) as (CountFigure | RateFigure)[])
    .filter((f) => f !== 'notReturnVisited')
    .map((f) => ({ label: FIGURE_DEFS[f].label, count: isRate(f) ? null : t[f], rate: isRate(f) ? t[f] : '', def: FIGURE_DEFS[f].definition }));
  sheetWithTable(
    wb,
    '总体',
    `${s.unitName}\u3000代办统计`,
    sub,
    [
      { header: '指标', key: 'label', width: 14 },
      { header: '件数', key: 'count', width: 10, kind: 'int' },
      { header: '比率', key: 'rate', width: 10, kind: 'pct' },
      { header: '统计口径', key: 'def', width: 70 },
    ],
    main,
    { landscape: false },
  );
  for (const [by, groups] of Object.entries(s.groups) as [GroupBy, StatGroup[]][]) {
    const cols: ColSpec[] = [
      { header: GROUP_BYS[by], key: 'label', width: by === 'item' ? 30 : 18 },
      ...GROUP_FIGS.map((g) => ({ header: FIGURE_DEFS[g.f].label, key: g.f, width: g.width, kind: isRate(g.f) ? ('pct' as const) : ('int' as const) })),
    ];
    sheetWithTable(wb, `按${GROUP_BYS[by]}`, `${s.unitName}\u3000代办统计（按${GROUP_BYS[by]}）`, sub, cols, [...groups.map((g) => figureRow(g.label, g.figures)), figureRow('合计', t)], {
      landscape: true,
      totalRow: true,
    });
  }
  sheetWithTable(
    wb,
    '差评',
    `${s.unitName}\u3000差评及整改情况`,
    sub,
    [
      { header: '件号', key: 'caseNo', width: 27 },
      { header: '申请人', key: 'applicantName', width: 10 },
      { header: '事项', key: 'itemName', width: 30 },
      { header: '办结日期', key: 'decisionDate', width: 12, kind: 'date' },
      { header: '评价', key: 'rating', width: 11 },
      { header: '意见', key: 'comment', width: 36 },
      { header: '整改', key: 'rect', width: 9.5 },
      { header: '代办员', key: 'agentName', width: 10 },
    ],
    s.poor.map((p) => ({
      ...p,
      rating: ratingLabel(p.rating),
      comment: p.ratingComment,
      rect: p.rectification === 'closed' ? '已整改' : p.rectification === 'open' ? '整改中' : '未立项',
    })),
    { landscape: true },
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
