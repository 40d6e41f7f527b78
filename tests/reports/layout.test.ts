// The page engine estimates each row's height from its text; if it ever guessed short, a page
// would overflow its sheet. Long and mixed texts (CJK, digits, capitals, punctuation) are laid
// out here and measured in Chromium: every page body must fit, and the PDF must have exactly the
// pages the layout numbered.
import { afterAll, describe, expect, it } from 'vitest';
import { renderLedger } from '../../print/ledger';
import { renderVisitBook } from '../../print/visitBook';
import { renderReceipt } from '../../print/receipt';
import { textLines } from '../../print/html';
import { closePdfRenderer, nodePdfRenderer } from '../../print/pdfRenderer';
import type { CasePrintData, LedgerData, VisitBookData } from '../../print/data';
import type { CaseDetail, PointInfo } from '../../domain/records';
import { bodyOverflowMm, closeTools, decodeQr, pdfPages, pdfText, savePdf } from './pdfTools';

afterAll(async () => {
  await closePdfRenderer();
  await closeTools();
});

let seed = 7;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const POOL = '城乡居民最低生活保障审核确认临时救助申请（县民政局）、；：。ABCDEFGHMWmwxyz0123456789-—·“”《》，巴彦镇便民服务中心';
const text = (max: number) => Array.from({ length: Math.floor(rnd() * max) }, () => POOL[Math.floor(rnd() * POOL.length)]).join('');

const point: PointInfo = {
  villageCode: '150822101201',
  villageName: '红旗村',
  townshipName: '巴彦镇',
  countyName: '五原县',
  unitName: '五原县巴彦镇红旗村便民服务代办点',
  consultPhone: '0478-5211234',
  complaintPhone: '12345',
  idleLockMinutes: 10,
};

describe('page engine', () => {
  it('counts lines as Chromium wraps them', () => {
    // 9 pt, a 22.5 mm date column (2.7 mm of padding and border): a date fits on one line.
    expect(textLines('2026-11-20', 22.5 - 2.7, 9)).toBe(1);
    expect(textLines('上门送达\n2026-10-14', 22 - 2.7, 9)).toBe(2);
    // 4 CJK glyphs in an 11 mm column wrap once (2 per line).
    expect(textLines('办理方式', 11 - 2.7, 9)).toBe(2);
    // A comma may not start a line: the glyph before it moves down too.
    expect(textLines('一二，三四', 2 * 9 * 0.3528 + 1, 9)).toBe(3);
    expect(textLines('第一行\n第二行', 100, 9)).toBe(2);
  });

  it('lays out 300 ledger rows of random length without overflowing any page', async () => {
    const d: LedgerData = {
      point,
      today: '2026-11-30',
      month: '2026-11',
      from: '2026-11-01',
      to: '2026-11-30',
      rows: Array.from({ length: 300 }, (_, i) => ({
        seq: i + 1,
        caseNo: `150822101201-20261101-${String(i + 1).padStart(3, '0')}`,
        intakeDate: '2026-11-01',
        applicantName: text(12) || '某',
        phoneMasked: rnd() < 0.5 ? '138****5678' : '0478-*****45',
        itemName: text(60),
        mode: '代办',
        handedTo: text(40),
        dueDate: '2026-12-15',
        decisionDate: rnd() < 0.5 ? '2026-11-20' : '',
        result: rnd() < 0.3 ? '退回补正（超期）' : '准予',
        delivery: rnd() < 0.5 ? '申请人自取 11-22' : '',
        deliveryMethod: '',
        deliveredAt: '',
        rating: rnd() < 0.5 ? '非常不满意' : '',
        agentName: '王秀兰',
      })),
    };
    const html = renderLedger(d);
    const sections = html.match(/<section class="page"/g)!.length;
    const overflow = await bodyOverflowMm(html);
    expect(overflow).toHaveLength(sections);
    expect(Math.max(...overflow)).toBe(0);
    const file = savePdf(await nodePdfRenderer(html, { landscape: true }), 'ledger-random');
    expect(pdfPages(file)).toBe(sections);
    expect(pdfText(file, sections).replace(/\s+/g, '')).toContain(`第${sections}页共${sections}页`);
  }, 120_000);

  it('cuts a 1000-character visit summary to fit its row instead of running off the page', async () => {
    const d: VisitBookData = {
      point,
      today: '2026-11-30',
      month: '2026-11',
      from: '2026-11-01',
      to: '2026-11-30',
      rows: Array.from({ length: 30 }, (_, i) => ({
        seq: i + 1,
        date: '2026-11-02',
        time: '09:30',
        visitorName: text(10) || '某',
        visitorCount: 1 + Math.floor(rnd() * 30),
        phoneMasked: '138****5678',
        channel: '来访',
        category: '矛盾纠纷',
        summary: i === 3 ? '反映'.repeat(500) : text(200),
        handling: '登记为代办件',
        outcome: text(120),
        settled: '已息访\n2026-11-20',
        agentName: '李建国',
      })),
    };
    const html = renderVisitBook(d);
    expect(Math.max(...(await bodyOverflowMm(html)))).toBe(0);
    expect(html).toContain('…');
  }, 60_000);

  it('moves a receipt with many materials onto two pages, stub and receipt each whole', async () => {
    const materials = Array.from({ length: 24 }, (_, i) => ({
      id: `m${i}`,
      position: i + 1,
      name: `${text(30)}证明材料${i + 1}`,
      form: '原件及复印件',
      copies: 1,
      required: true,
      deferrable: true,
      state: i % 5 === 0 ? ('deferred' as const) : ('both' as const),
      promisedDate: i % 5 === 0 ? '2026-11-30' : null,
      receivedAt: null,
      custody: 'none' as const,
    }));
    const c = {
      caseNo: '150822101201-20261120-001',
      status: 'accepted',
      applicant: { kind: 'person', name: '张三', idNumberMasked: '150822********0010', creditCodeMasked: '', phoneMasked: '138****5678' },
      itemName: '城乡居民最低生活保障审核确认',
      handlingMode: 'proxy',
      intakeDate: '2026-11-20',
      dueDate: '2027-01-05',
      dueEstimated: false,
      committedWorkdays: 30,
      materials,
    } as unknown as CaseDetail;
    const d: CasePrintData = { point, today: '2026-11-20', c, agent: { name: '王秀兰', phone: '13904781234' }, department: '县民政局' };
    const r = await renderReceipt(d);
    expect(r.layout).toBe('twoPages');
    expect(Math.max(...(await bodyOverflowMm(r.html)))).toBe(0);
    const file = savePdf(await nodePdfRenderer(r.html, { landscape: false }), 'receipt-long');
    expect(pdfPages(file)).toBe(2);
    expect(decodeQr(file, 2)).toBe('150822101201-20261120-001');
    const all = pdfText(file).replace(/\s+/g, '');
    // Every owed material is listed in the 一次性告知 on both parts.
    for (const m of materials.filter((x) => x.state === 'deferred')) expect(all.split(`证明材料${m.position}（`).length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
