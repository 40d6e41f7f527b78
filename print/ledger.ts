// 《行政服务代办记录》: the month's proxy-record ledger the township official checks and signs
// (landscape). One row per request registered in the month, in order of intake.
import { A4_LANDSCAPE, cnDate, renderDocument, signatureRow, standardHeader, STANDARD_HEADER_MM, type Col, type Document } from './html';
import type { LedgerData } from './data';
import { periodLabel } from '../domain/statistics';

export const LEDGER_TITLE = '行政服务代办记录';

export const LEDGER_COLUMNS: Col[] = [
  { title: '序号', widthMm: 8, align: 'center' },
  { title: '受理日期', widthMm: 22.5, align: 'center' },
  { title: '申请人', widthMm: 17, align: 'center' },
  { title: '联系电话', widthMm: 24.5, align: 'center' },
  { title: '事项', widthMm: 38.5 },
  { title: '办理方式', widthMm: 11, align: 'center' },
  { title: '报送单位', widthMm: 26 },
  { title: '承诺办结日期', widthMm: 22.5, align: 'center' },
  { title: '办结日期', widthMm: 22.5, align: 'center' },
  { title: '结果', widthMm: 18, align: 'center' },
  { title: '送达', widthMm: 22, align: 'center' },
  { title: '回访满意度', widthMm: 14, align: 'center' },
  { title: '代办员签字', widthMm: 26.5 },
];

export function ledgerDocument(d: LedgerData): Document {
  const period = periodLabel(d.from, d.to);
  return {
    title: `${LEDGER_TITLE}（${period}）`,
    landscape: true,
    size: A4_LANDSCAPE,
    parts: {
      header: () => standardHeader(d.point.unitName, LEDGER_TITLE, `统计期：${period}\u3000\u3000共 ${d.rows.length} 件`, `打印日期：${cnDate(d.today)}`),
      headerMm: STANDARD_HEADER_MM,
      footer: () => signatureRow(['制表人（代办员）', '审核人（乡镇）'], '审核日期：\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日'),
      footerMm: 10,
    },
    blocks: [
      {
        kind: 'table',
        cols: LEDGER_COLUMNS,
        fontPt: 9,
        minRowMm: 8,
        maxLines: 4,
        emptyText: `${period}没有登记代办件`,
        rows: d.rows.map((r) => [
          String(r.seq),
          r.intakeDate,
          r.applicantName,
          r.phoneMasked,
          r.itemName,
          r.mode,
          r.handedTo,
          r.dueDate,
          r.decisionDate,
          r.result,
          r.delivery,
          r.rating,
          '',
        ]),
      },
    ],
  };
}

export function renderLedger(d: LedgerData): string {
  return renderDocument(ledgerDocument(d));
}
