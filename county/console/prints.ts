// 打印 at the county: the village's own A4 layouts (print/ledger.ts, print/visitBook.ts,
// print/monthlyStats.ts) filled from the county's copy of the records, for one village or every
// village of a township (one PDF, each village's pages numbered on their own), a township summary
// sheet with signature lines, and the 周上报 sheet.
import { ledgerDataFrom, monthlyStatsDataFrom, visitBookDataFrom } from '../../print/data';
import { A4_LANDSCAPE, A4_PORTRAIT, cnDate, documentShell, renderDocument, renderPages, signatureRow, standardHeader, STANDARD_HEADER_MM, type Document } from '../../print/html';
import { ledgerDocument, LEDGER_TITLE } from '../../print/ledger';
import { visitBookDocument, VISIT_BOOK_TITLE } from '../../print/visitBook';
import { monthlyStatsDocument, MONTHLY_STATS_TITLE, type MonthlyStatsLabels } from '../../print/monthlyStats';
import { nodePdfRenderer } from '../../print/pdfRenderer';
import { enrolSheetHtml } from '../../print/enrolSheet';
import { computeStatistics } from '../../db/statistics';
import { formatRate, monthRange, periodLabel } from '../../domain/statistics';
import type { PointInfo } from '../../domain/records';
import type { County } from '../db';
import { countyToday } from './cases';
import { notFound, scopeSql, type Scope } from './http';
import type { PointRef, WeeklyReport } from './types';
import { pointRefs } from './views';

export type Pdf = { file: Buffer; fileName: string; contentType: string };

function pointInfo(county: County, p: PointRef): PointInfo {
  const countyName = county.requireIdentity().name;
  return {
    villageCode: p.code,
    villageName: p.villageName,
    townshipName: p.townshipName,
    countyName,
    unitName: `${countyName}${p.townshipName}${p.villageName}便民服务代办点`,
    consultPhone: '',
    complaintPhone: '',
    idleLockMinutes: 10,
  };
}

async function pdf(html: string, landscape: boolean, fileName: string): Promise<Pdf> {
  return { file: await nodePdfRenderer(html, { landscape }), fileName, contentType: 'application/pdf' };
}

function scopePoints(county: County, scope: Scope): PointRef[] {
  const pts = pointRefs(county, scope);
  if (!pts.length) throw notFound();
  return pts;
}

function scopeName(pts: PointRef[], scope: Scope): string {
  return scope.pointCode ? `${pts[0].townshipName}${pts[0].villageName}` : `${pts[0].townshipName}`;
}

/** 《行政服务代办记录》 or 《来信来访登记簿》 for one village, or every village of a township in one PDF. */
export async function monthBook(county: County, kind: 'ledger' | 'visitBook', scope: Scope, month: string): Promise<Pdf> {
  if (!scope.townshipCode && !scope.pointCode) throw new Error('请选择一个乡镇或一个村');
  const pts = scopePoints(county, scope);
  const today = countyToday(county);
  const docs: Document[] = pts.map((p) =>
    kind === 'ledger'
      ? ledgerDocument(ledgerDataFrom(county.db, pointInfo(county, p), today, month, { sql: 'c.point_code = ?', params: [p.code] }))
      : visitBookDocument(visitBookDataFrom(county.db, pointInfo(county, p), today, month, { sql: 'v.point_code = ?', params: [p.code] })),
  );
  const title = kind === 'ledger' ? LEDGER_TITLE : VISIT_BOOK_TITLE;
  const period = periodLabel(monthRange(month).from, monthRange(month).to);
  const html = documentShell(`${title}（${period}）`, true, A4_LANDSCAPE, docs.map((d) => renderPages(d)).join('\n'));
  return pdf(html, true, `${title}-${scopeName(pts, scope)}-${month}.pdf`);
}

/** One township's month on one sheet, village by village, with the township's signature lines. */
export async function townshipSummary(county: County, scope: Scope, month: string): Promise<Pdf> {
  const pts = scopePoints(county, { townshipCode: scope.townshipCode, pointCode: null });
  const { from, to } = monthRange(month);
  const today = countyToday(county);
  const period = periodLabel(from, to);
  const countyName = county.requireIdentity().name;
  const rows = pts.map((p) => {
    const f = computeStatistics(county.db, { from, to, today, extraWhere: { sql: 'c.point_code = ?', params: [p.code] } }).totals;
    const visits = (county.db.prepare(`SELECT COUNT(*) AS n FROM visits WHERE point_code = ? AND visit_date BETWEEN ? AND ?`).get(p.code, from, to) as { n: number }).n;
    return { p, f, visits };
  });
  const sc = scopeSql({ townshipCode: pts[0].townshipCode, pointCode: null }, 'c.point_code');
  const t = computeStatistics(county.db, { from, to, today, extraWhere: { sql: sc.sql, params: sc.params } }).totals;
  const line = (label: string, f: typeof t, visits: number) => [
    label,
    `${f.accepted}`,
    `${f.completed}`,
    formatRate(f.completionRate),
    formatRate(f.onTimeRate),
    `${f.overdue}`,
    formatRate(f.immediateRate),
    formatRate(f.returnVisitRate),
    formatRate(f.satisfactionRate),
    `${f.poor}`,
    `${visits}`,
  ];
  const doc: Document = {
    title: `代办点月度汇总表（${period}）`,
    landscape: false,
    size: A4_PORTRAIT,
    parts: {
      header: () => standardHeader(`${countyName}${pts[0].townshipName}便民服务中心`, '代办点月度汇总表', `统计期：${period}\u3000\u3000共 ${pts.length} 个代办点`, `打印日期：${cnDate(today)}`),
      headerMm: STANDARD_HEADER_MM,
      closing: `<div style="font-size:9pt;margin-bottom:5mm">说明：数据来自各代办点同步到县里的登记，统计口径全县统一（与代办点月度统计表相同）。</div>${signatureRow(['制表人', '审核人（乡镇）', '分管领导'], '日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日')}`,
      closingMm: 18,
    },
    blocks: [
      {
        kind: 'table',
        cols: [
          { title: '代办点', widthMm: 34 },
          { title: '受理', widthMm: 12, align: 'center' },
          { title: '办结', widthMm: 12, align: 'center' },
          { title: '办结率', widthMm: 15, align: 'center' },
          { title: '按时办结率', widthMm: 17, align: 'center' },
          { title: '超期', widthMm: 12, align: 'center' },
          { title: '即办率', widthMm: 15, align: 'center' },
          { title: '回访率', widthMm: 15, align: 'center' },
          { title: '满意率', widthMm: 15, align: 'center' },
          { title: '差评', widthMm: 12, align: 'center' },
          { title: '来访', widthMm: 21, align: 'center' },
        ],
        rows: [...rows.map((r) => line(r.p.villageName, r.f, r.visits)), line('合计', t, rows.reduce((s, r) => s + r.visits, 0))],
        fontPt: 9.5,
        minRowMm: 7,
      },
    ],
  };
  return pdf(renderDocument(doc), false, `代办点月度汇总表-${pts[0].townshipName}-${month}.pdf`);
}

/**
 * The monthly statistics sheet for the county, a township or a village: the village's layout and
 * figures, with the county's words — its title, part four by township (county) or by village
 * (township) instead of by agent, the note on where the data comes from, and the county's signatures.
 */
export async function statisticsSheet(county: County, scope: Scope, month: string): Promise<Pdf> {
  const id = county.requireIdentity();
  const today = countyToday(county);
  const pts = pointRefs(county, scope);
  const level = scope.pointCode && pts[0] ? 'village' : scope.townshipCode && pts[0] ? 'township' : 'county';
  const name = level === 'village' ? `${id.name}${pts[0].townshipName}${pts[0].villageName}便民服务代办点` : level === 'township' ? `${id.name}${pts[0].townshipName}便民服务中心` : `${id.name}政务服务中心`;
  const sc = scopeSql(scope, 'x.point_code');
  const info: PointInfo = { villageCode: scope.pointCode ?? '', villageName: '', townshipName: pts[0]?.townshipName ?? '', countyName: id.name, unitName: name, consultPhone: '', complaintPhone: '', idleLockMinutes: 10 };
  const d = monthlyStatsDataFrom(county.db, info, today, month, sc.sql === '1' ? undefined : { sql: sc.sql, params: sc.params });
  const { from, to } = monthRange(month);
  const figures = (s: Scope) => {
    const w = scopeSql(s, 'c.point_code');
    return computeStatistics(county.db, { from, to, today, extraWhere: { sql: w.sql, params: w.params } }).totals;
  };
  const units =
    level === 'county'
      ? [...new Map(pts.map((p) => [p.townshipCode, p.townshipName])).entries()].map(([code, label]) => ({ key: code, label, figures: figures({ townshipCode: code, pointCode: null }) }))
      : level === 'township'
        ? pts.map((p) => ({ key: p.code, label: p.villageName, figures: figures({ townshipCode: p.townshipCode, pointCode: p.code }) }))
        : null;
  const labels: MonthlyStatsLabels = {
    title: level === 'county' ? '全县代办点月度统计表' : level === 'township' ? '乡镇代办点月度统计表' : MONTHLY_STATS_TITLE,
    unitBreakdown: units ? { caption: level === 'county' ? '四、分乡镇情况' : '四、分代办点（村）情况', first: level === 'county' ? '乡镇' : '代办点（村）', groups: units, totals: d.overall.totals } : undefined,
    note: `说明：数据来自${level === 'village' ? '该代办点' : `${level === 'county' ? '全县' : '本乡镇'} ${pts.length} 个代办点`}同步到县里的登记（截至打印时已导入的批次），统计口径全县统一；比率保留一位小数，分母为0时记“—”。`,
    signatures: ['制表人', level === 'county' ? '审核人（分管领导）' : level === 'township' ? '审核人（乡镇）' : '审核人'],
  };
  return pdf(renderDocument(monthlyStatsDocument(d, labels)), false, `${labels.title}-${name}-${month}.pdf`);
}

/** 周上报 printed: one row per village, with signature lines. */
export async function weeklySheet(county: County, r: WeeklyReport): Promise<Pdf> {
  const countyName = county.requireIdentity().name;
  const today = countyToday(county);
  const sum = (k: 'open' | 'overdue' | 'newCases' | 'completed' | 'poor') => `${r.rows.reduce((s, x) => s + x[k], 0)}`;
  const doc: Document = {
    title: `代办点周报（${r.from}至${r.to}）`,
    landscape: false,
    size: A4_PORTRAIT,
    parts: {
      header: () => standardHeader(`${countyName}${r.townshipName}便民服务中心`, '代办点周报', `${cnDate(r.from)}至${cnDate(r.to)}`, `打印日期：${cnDate(today)}`),
      headerMm: STANDARD_HEADER_MM,
      closing: signatureRow(['制表人', '审核人（乡镇）'], '日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日'),
      closingMm: 12,
    },
    blocks: [
      {
        kind: 'table',
        cols: [
          { title: '代办点', widthMm: 50 },
          { title: '在办', widthMm: 26, align: 'center' },
          { title: '超期未办结', widthMm: 26, align: 'center' },
          { title: '本周新受理', widthMm: 26, align: 'center' },
          { title: '本周办结', widthMm: 26, align: 'center' },
          { title: '本周差评', widthMm: 26, align: 'center' },
        ],
        rows: [...r.rows.map((x) => [x.villageName, `${x.open}`, `${x.overdue}`, `${x.newCases}`, `${x.completed}`, `${x.poor}`]), ['合计', sum('open'), sum('overdue'), sum('newCases'), sum('completed'), sum('poor')]],
        fontPt: 10,
        minRowMm: 7.5,
      },
    ],
  };
  return pdf(renderDocument(doc), false, `周报-${r.townshipName}-${r.from}.pdf`);
}

/** 代办点登记单 for a code just issued (the code itself is stored only as a hash, so the caller brings it). */
export async function enrolSheet(county: County, pointCode: string, code: string, expiresAt: string, countyUrl: string): Promise<Pdf> {
  const p = pointRefs(county, { townshipCode: null, pointCode })[0];
  if (!p) throw notFound();
  const html = await enrolSheetHtml({
    countyName: county.requireIdentity().name,
    townshipName: p.townshipName,
    villageName: p.villageName,
    pointCode,
    code,
    countyUrl,
    expiresAt,
    today: countyToday(county),
  });
  return pdf(html, false, `代办点登记单-${p.townshipName}${p.villageName}.pdf`);
}
