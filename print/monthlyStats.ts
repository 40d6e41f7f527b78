// The monthly statistics sheet for 周上报/月会商: the point's figures with their definitions,
// broken down by item, handling mode and agent, the visits, and every 差评 with its rectification.
import { A4_PORTRAIT, cnDate, esc, renderDocument, signatureRow, standardHeader, STANDARD_HEADER_MM, type Cell, type Col, type Document } from './html';
import type { MonthlyStatsData } from './data';
import { ratingLabel } from './data';
import { FIGURE_DEFS, RATE_PARTS, formatRate, periodLabel, type CountFigure, type RateFigure, type StatFigures } from '../domain/statistics';
import type { StatGroup } from '../db/statistics';

export const MONTHLY_STATS_TITLE = '代办点月度统计表';

const n = (x: number) => `${x}`;
const rateCell = (f: StatFigures, r: RateFigure) => `${formatRate(f[r])}（${f[RATE_PARTS[r].num]}/${f[RATE_PARTS[r].den]}）`;

const GROUP_COLS = (first: string): Col[] => [
  { title: first, widthMm: 62 },
  { title: '受理', widthMm: 12, align: 'center' },
  { title: '办结', widthMm: 12, align: 'center' },
  { title: '办结率', widthMm: 17, align: 'center' },
  { title: '按时办结率', widthMm: 19, align: 'center' },
  { title: '超期', widthMm: 12, align: 'center' },
  { title: '回访率', widthMm: 17, align: 'center' },
  { title: '满意率', widthMm: 17, align: 'center' },
  { title: '差评', widthMm: 12, align: 'center' },
];

function groupRow(label: string, f: StatFigures): Cell[] {
  return [
    label,
    n(f.accepted),
    n(f.completed),
    formatRate(f.completionRate),
    formatRate(f.onTimeRate),
    n(f.overdue),
    formatRate(f.returnVisitRate),
    formatRate(f.satisfactionRate),
    n(f.poor),
  ];
}

function groupRows(groups: StatGroup[], totals: StatFigures): Cell[][] {
  return [...groups.map((g) => groupRow(g.label, g.figures)), groupRow('合计', totals)];
}

/**
 * The words that differ when the county prints the sheet for itself or a township: its title, the
 * breakdown in part four (by township or village instead of by agent), the note and who signs.
 * A village's own sheet uses the defaults.
 */
export type MonthlyStatsLabels = {
  title: string;
  unitBreakdown?: { caption: string; first: string; groups: StatGroup[]; totals: StatFigures };
  note: string;
  signatures: string[];
};
const VILLAGE_LABELS: MonthlyStatsLabels = {
  title: MONTHLY_STATS_TITLE,
  note: '说明：统计口径全县统一，由代办通按登记数据自动计算；比率保留一位小数，分母为0时记“—”。',
  signatures: ['填报人（代办员）', '审核人（乡镇）'],
};

export function monthlyStatsDocument(d: MonthlyStatsData, labels: MonthlyStatsLabels = VILLAGE_LABELS): Document {
  const t = d.overall.totals;
  const period = periodLabel(d.overall.from, d.overall.to);
  const running = d.overall.ref < d.overall.to;
  const def = (f: CountFigure | RateFigure) => FIGURE_DEFS[f].definition;
  const main: Cell[][] = [
    ['受理量', `${t.accepted} 件`, def('accepted')],
    ['不予受理', `${t.refused} 件`, def('refused')],
    ['应办结', `${t.due} 件`, def('due')],
    ['办结', `${t.completed} 件`, def('completed')],
    ['办结率', rateCell(t, 'completionRate'), `${def('completionRate')}（${def('dueCompleted')}）`],
    ['按时办结率', rateCell(t, 'onTimeRate'), `${def('onTimeRate')}（${def('onTime')}）`],
    ['超期', `${t.overdue} 件`, `超期未办结 ${t.overdueOpen} 件 + 超期办结 ${t.completedLate} 件。超期未办结：${def('overdueOpen')}；超期办结：${def('completedLate')}`],
    ['即办率', rateCell(t, 'immediateRate'), `${def('immediateRate')}（${def('decidedSameDay')}）`],
    ['回访率', rateCell(t, 'returnVisitRate'), `${def('returnVisitRate')}（${def('returnVisited')}）`],
    ['满意率', rateCell(t, 'satisfactionRate'), `${def('satisfactionRate')}（非常满意、满意、基本满意为满意；${def('rated')}）`],
    ['差评', `${t.poor} 件`, '评为不满意、非常不满意的；每件差评须回访并在15个工作日内整改'],
  ];
  const visitRows: Cell[][] = [
    [...d.visits.byCategory.map((c) => n(c.n)), n(d.visits.total), n(d.visits.unsettled)],
  ];
  const visitCols: Col[] = [
    ...d.visits.byCategory.map((c) => ({ title: c.category, widthMm: 18, align: 'center' as const })),
    { title: '合计', widthMm: 36, align: 'center' },
    { title: '其中未息访', widthMm: 36, align: 'center' },
  ];
  const poorRows: Cell[][] = d.poor.map((p) => [
    p.caseNo,
    p.applicantName,
    p.itemName,
    ratingLabel(p.rating),
    p.ratingComment,
    p.rectification === 'closed' ? '已整改' : p.rectification === 'open' ? '整改中' : '未立项',
  ]);
  return {
    title: `${labels.title}（${period}）`,
    landscape: false,
    size: A4_PORTRAIT,
    parts: {
      header: () =>
        standardHeader(
          d.point.unitName,
          labels.title,
          `统计期：${period}${running ? `（截至${cnDate(d.overall.ref)}）` : ''}`,
          `打印日期：${cnDate(d.today)}`,
        ),
      headerMm: STANDARD_HEADER_MM,
      closing: `<div style="font-size:9pt;margin-bottom:5mm">${esc(labels.note)}</div>${signatureRow(labels.signatures, '日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日')}`,
      closingMm: 18,
    },
    blocks: [
      {
        kind: 'table',
        caption: '一、主要指标',
        cols: [
          { title: '指标', widthMm: 26, align: 'center' },
          { title: '数值', widthMm: 40, align: 'center' },
          { title: '统计口径', widthMm: 114 },
        ],
        rows: main,
        fontPt: 10,
        minRowMm: 7,
      },
      { kind: 'table', caption: '二、分事项情况', cols: GROUP_COLS('事项'), rows: groupRows(d.byItem.groups, d.byItem.totals), fontPt: 9.5, minRowMm: 6.5 },
      { kind: 'table', caption: '三、分办理方式情况', cols: GROUP_COLS('办理方式'), rows: groupRows(d.byMode.groups, d.byMode.totals), fontPt: 9.5, minRowMm: 6.5 },
      labels.unitBreakdown
        ? { kind: 'table', caption: labels.unitBreakdown.caption, cols: GROUP_COLS(labels.unitBreakdown.first), rows: groupRows(labels.unitBreakdown.groups, labels.unitBreakdown.totals), fontPt: 9.5, minRowMm: 6.5 }
        : { kind: 'table', caption: '四、分代办员情况', cols: GROUP_COLS('代办员'), rows: groupRows(d.byAgent.groups, d.byAgent.totals), fontPt: 9.5, minRowMm: 6.5 },
      { kind: 'table', caption: '五、来信来访（按登记日期）', cols: visitCols, rows: visitRows, fontPt: 9.5, minRowMm: 6.5 },
      {
        kind: 'table',
        caption: `六、差评及整改情况（${d.poorTotal} 件）`,
        cols: [
          { title: '件号', widthMm: 50, align: 'center' },
          { title: '申请人', widthMm: 18, align: 'center' },
          { title: '事项', widthMm: 40 },
          { title: '评价', widthMm: 20, align: 'center' },
          { title: '意见', widthMm: 34 },
          { title: '整改', widthMm: 18, align: 'center' },
        ],
        rows: poorRows,
        fontPt: 9.5,
        minRowMm: 6.5,
        emptyText: '本期无差评',
      },
    ],
  };
}

export function renderMonthlyStats(d: MonthlyStatsData): string {
  return renderDocument(monthlyStatsDocument(d));
}

