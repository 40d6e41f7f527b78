// 《来信来访登记簿》 for one month (landscape): walk-ins, calls and letters, how each was handled
// and whether the matter is settled (息访).
import { A4_LANDSCAPE, cnDate, renderDocument, signatureRow, standardHeader, STANDARD_HEADER_MM, type Col, type Document } from './html';
import type { VisitBookData } from './data';
import { periodLabel } from '../domain/statistics';

export const VISIT_BOOK_TITLE = '来信来访登记簿';

export const VISIT_BOOK_COLUMNS: Col[] = [
  { title: '序号', widthMm: 8, align: 'center' },
  { title: '日期', widthMm: 22.5, align: 'center' },
  { title: '时间', widthMm: 11, align: 'center' },
  { title: '来访人', widthMm: 17, align: 'center' },
  { title: '人数', widthMm: 10, align: 'center' },
  { title: '联系电话', widthMm: 24.5, align: 'center' },
  { title: '方式', widthMm: 11, align: 'center' },
  { title: '类别', widthMm: 13, align: 'center' },
  { title: '来访事由', widthMm: 51.5 },
  { title: '处理方式', widthMm: 17, align: 'center' },
  { title: '处理结果', widthMm: 45 },
  { title: '息访情况', widthMm: 20, align: 'center' },
  { title: '接待人', widthMm: 22.5, align: 'center' },
];

export function visitBookDocument(d: VisitBookData): Document {
  const period = periodLabel(d.from, d.to);
  return {
    title: `${VISIT_BOOK_TITLE}（${period}）`,
    landscape: true,
    size: A4_LANDSCAPE,
    parts: {
      header: () => standardHeader(d.point.unitName, VISIT_BOOK_TITLE, `统计期：${period}\u3000\u3000共 ${d.rows.length} 次`, `打印日期：${cnDate(d.today)}`),
      headerMm: STANDARD_HEADER_MM,
      footer: () => signatureRow(['登记人（代办员）', '审核人（乡镇）'], '审核日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日'),
      footerMm: 10,
    },
    blocks: [
      {
        kind: 'table',
        cols: VISIT_BOOK_COLUMNS,
        fontPt: 9,
        minRowMm: 8,
        maxLines: 6,
        emptyText: `${period}没有来信来访登记`,
        rows: d.rows.map((r) => [
          String(r.seq),
          r.date,
          r.time,
          r.visitorName,
          String(r.visitorCount),
          r.phoneMasked,
          r.channel,
          r.category,
          r.summary,
          r.handling,
          r.outcome,
          r.settled,
          r.agentName,
        ]),
      },
    ],
  };
}

export function renderVisitBook(d: VisitBookData): string {
  return renderDocument(visitBookDocument(d));
}
