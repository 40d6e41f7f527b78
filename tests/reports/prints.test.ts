// Every print rendered to PDF in Chromium (the Node renderer the browser shell uses) and read back
// with pdftotext: the right rows and figures, masked ID numbers, 第 x 页 共 y 页 on every page,
// the page count of a ledger of known length, and the receipt's QR code decoding to the case number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenario, MORE_IDS, type Scenario } from './scenario';
import { bodyOverflowMm, closeTools, decodeQr, pdfPages, pdfPageSize, pdfText, savePdf } from './pdfTools';
import { closePdfRenderer } from '../../print/pdfRenderer';
import { IDS, openTestRegister, type TestEnv } from '../support/tempRegister';

let s: Scenario;
beforeAll(async () => {
  s = await buildScenario();
}, 120_000);
afterAll(async () => {
  s?.env.close();
  await closePdfRenderer();
  await closeTools();
});

type PrintArgs = Parameters<Scenario['env']['api']['savePdf']>[0];

async function print(env: TestEnv, args: PrintArgs) {
  const pdf = await env.api.savePdf(args);
  const file = savePdf(Buffer.from(pdf.base64, 'base64'), args.kind);
  const { html, landscape } = await env.api.renderPrint(args);
  return { file, fileName: pdf.fileName, html, landscape, pages: pdfPages(file), text: pdfText(file) };
}

/** Every page says 第 k 页 共 n 页 once, and n is the PDF's real page count. */
function expectPageNumbers(file: string, pages: number) {
  for (let k = 1; k <= pages; k++) {
    // pdftotext drops the thin spaces around the numbers.
    const t = pdfText(file, k).replace(/\s+/g, '');
    expect(t.split(`第${k}页共${pages}页`)).toHaveLength(2);
  }
}

const flat = (t: string) => t.replace(/[ \t]+/g, ' ');
const ALL_IDS = [...Object.values(IDS), ...Object.values(MORE_IDS)];

function expectNoFullIds(text: string) {
  for (const id of ALL_IDS) expect(text).not.toContain(id);
}

describe('prints rendered to PDF', () => {
  it('受理回执 + 一次性告知单: both parts on one A4 sheet, masked ID, what is owed, QR of the case number', async () => {
    const d = s.cases.D; // 周八, 临时救助, 户口簿 容缺 until 2026-11-10
    const p = await print(s.env, { kind: 'receipt', caseId: d.id });
    expect(p.fileName).toBe(`受理回执-${d.caseNo}.pdf`);
    expect(p.pages).toBe(1);
    const size = pdfPageSize(p.file);
    expect(Math.round(size.w)).toBe(595); // A4 portrait in points
    expect(Math.round(size.h)).toBe(842);
    const t = flat(p.text);
    expect(t).toContain('五原县巴彦镇红旗村便民服务代办点');
    expect(t).toContain('受理回执（存根）');
    expect(t).toContain('一次性告知单');
    expect(t.split(d.caseNo).length - 1).toBeGreaterThanOrEqual(2); // on both parts
    expect(t).toContain('150822********0033'); // 周八, masked
    expectNoFullIds(p.text);
    expect(t).toContain('186****2345');
    expect(t).toContain('临时救助申请');
    expect(t).toContain('户口簿');
    expect(t).toMatch(/容缺受理，请于 2026年11月10日 前补交/);
    expect(t).toContain('2026年11月17日'); // promised completion
    expect(t).toContain('王秀兰');
    expect(t).toContain('139 0478 1234'); // the agent's phone, grouped (domain/phone.ts)
    expect(t).toContain('0478-5211234'); // consultation
    expect(t).toContain('12345'); // complaints
    expect(t).toContain('沿此线剪开');
    expectPageNumbers(p.file, 1);
    // The villager's half (bottom) carries a QR code that reads back as the case number; so does the stub.
    expect(decodeQr(p.file, 1, { top: 0.5, bottom: 1 })).toBe(d.caseNo);
    expect(decodeQr(p.file, 1, { top: 0, bottom: 0.5 })).toBe(d.caseNo);
    expect(await bodyOverflowMm(p.html)).toEqual([0]);
  });

  it('a receipt with everything received says so, and a refused request has no receipt', async () => {
    const c = await print(s.env, { kind: 'receipt', caseId: s.cases.C.id });
    expect(flat(c.text)).toContain('所需材料已收齐');
    await expect(s.env.api.renderPrint({ kind: 'receipt', caseId: s.cases.G.id })).rejects.toThrow(/不予受理告知书/);
  });

  it('不予受理告知书 with the reason and a signed-for slip', async () => {
    const g = s.cases.G;
    const p = await print(s.env, { kind: 'refusal', caseId: g.id });
    expect(p.pages).toBe(1);
    const t = flat(p.text);
    expect(t).toContain('不予受理告知书');
    expect(t).toContain('申请人未满80周岁，不符合高龄津贴申领条件');
    expect(t).toContain('王五');
    expect(t).toContain('150822********0047');
    expectNoFullIds(p.text);
    expect(t).toContain('送达回执');
    expect(t).toContain(g.caseNo);
    expectPageNumbers(p.file, 1);
    expect(await bodyOverflowMm(p.html)).toEqual([0]);
    await expect(s.env.api.renderPrint({ kind: 'refusal', caseId: s.cases.D.id })).rejects.toThrow(/已受理/);
  });

  it('代办件记录: the whole record and timeline, header repeated, pages numbered', async () => {
    const e = s.cases.E;
    const p = await print(s.env, { kind: 'caseRecord', caseId: e.id });
    const t = flat(p.text);
    expect(t).toContain('代办件记录');
    expect(t).toContain(e.caseNo);
    expect(t).toContain('150822********0018'); // 赵六
    expectNoFullIds(p.text);
    for (const label of ['受理登记', '报送', '办结', '回访登记', '差评整改立项']) expect(t).toContain(label);
    expect(t).toContain('县社会保险事业管理局');
    expect(t).toContain('非常不满意');
    expect(t).toContain('已道歉，基本满意');
    expect(t).toContain('审核人（乡镇）');
    for (let k = 1; k <= p.pages; k++) expect(flat(pdfText(p.file, k))).toContain('五原县巴彦镇红旗村便民服务代办点');
    expectPageNumbers(p.file, p.pages);
    expect((await bodyOverflowMm(p.html)).every((x) => x === 0)).toBe(true);
  });

  it('《行政服务代办记录》: landscape, every November request in order, signature blanks', async () => {
    const p = await print(s.env, { kind: 'ledger', month: '2026-11' });
    expect(p.landscape).toBe(true);
    const size = pdfPageSize(p.file);
    expect(Math.round(size.w)).toBe(842);
    expect(p.pages).toBe(1);
    const t = flat(p.text);
    expect(t).toContain('行政服务代办记录');
    expect(t).toContain('统计期：2026年11月');
    expect(t).toContain('共 8 件');
    for (const h of ['序', '受理日期', '申请人', '联系电话', '事项', '报送单位', '办结日期', '结果', '送达', '代办员签字']) expect(t).toContain(h);
    // Rows in intake order: C D E F G H I J.
    const order = ['C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'].map((k) => s.cases[k]);
    const lines = p.text.split('\n');
    order.forEach((c, i) => {
      const line = lines.find((l) => new RegExp(`^\\s*${i + 1}\\s+${c.intakeDate}\\s+${c.applicantName}`).test(l));
      expect(line, `row ${i + 1}`).toBeTruthy();
    });
    expect(t).toContain('不予受理');
    expect(t).toContain('已撤回');
    expect(t).toContain('在办（超');
    expect(t).toContain('150****2345'); // phones masked
    expect(t).not.toContain('15047812345');
    expect(t).toContain('制表人（代办员）');
    expect(t).toContain('审核人（乡镇）');
    expectPageNumbers(p.file, 1);
    expect(await bodyOverflowMm(p.html)).toEqual([0]);
  });

  it('《来信来访登记簿》 for the month', async () => {
    const p = await print(s.env, { kind: 'visitBook', month: '2026-11' });
    expect(p.landscape).toBe(true);
    const t = flat(p.text);
    expect(t).toContain('来信来访登记簿');
    expect(t).toContain('共 2 次');
    expect(t).toContain('刘大爷');
    expect(t).toContain('陈某某');
    expect(t).toContain('137****1111');
    expect(t).not.toContain('13704781111');
    expect(t).toContain('矛盾纠');
    expect(t).toContain('巴彦镇综治中心');
    expect(t).toContain('已息访');
    expect(t).toContain('未息访');
    expectPageNumbers(p.file, p.pages);
  });

  it('the monthly statistics sheet shows the figures defined once', async () => {
    const p = await print(s.env, { kind: 'monthlyStats', month: '2026-11' });
    const t = flat(p.text);
    expect(t).toContain('代办点月度统计表');
    expect(t).toContain('（截至2026年11月20日）');
    const sq = p.text.replace(/\s+/g, '');
    expect(sq).toContain('受理量7件');
    expect(sq).toContain('不予受理1件');
    expect(sq).toContain('办结率71.4%（5/7）');
    expect(sq).toContain('按时办结率80.0%（4/5）');
    expect(sq).toContain('超期4件');
    expect(sq).toContain('回访率80.0%（4/5）');
    expect(sq).toContain('满意率66.7%（2/3）');
    expect(t).toContain('临时救助申请');
    expect(t).toContain('李建国');
    expect(t).toContain(s.cases.B.caseNo); // the one 差评
    expect(t).toContain('跑了两趟才办好');
    expect(t).toContain('填报人（代办员）');
    expectPageNumbers(p.file, p.pages);
    expect((await bodyOverflowMm(p.html)).every((x) => x === 0)).toBe(true);
  });
});

describe('ledger pagination', () => {
  let env: TestEnv;
  afterAll(() => env?.close());

  it('a 40-row month takes 3 pages of 17 rows, header on each, no row split', async () => {
    env = await openTestRegister({ date: '2026-11-02' });
    const item = await env.api.getCatalogItem({ code: 'MZ-0005' }); // 高龄津贴申领, 15 working days: due in late November/December
    const people = [
      ['张三', IDS.zhangSan],
      ['李四', IDS.liSi],
      ['王五', IDS.wangWu],
      ['赵六', MORE_IDS.zhaoLiu],
    ];
    for (let i = 0; i < 40; i++) {
      env.clock.setChinaDate(`2026-11-${String(2 + (i % 15)).padStart(2, '0')}`);
      const [name, idNumber] = people[i % 4];
      await env.api.createCase({
        applicant: { kind: 'person', name, idNumber, phone: '13812345678' },
        itemCode: item.code,
        handlingMode: 'proxy',
        materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
      });
    }
    env.clock.setChinaDate('2026-11-20');
    const p = await print(env, { kind: 'ledger', month: '2026-11' });
    // Landscape A4, 10 mm top / 8 mm bottom padding: 209.4 mm page − 26 mm heading − 10 mm
    // signature footer − 6 mm page number − 2 mm = 147.4 mm of table; the header row is 2 lines
    // (11.0 mm) and every row here is one line, drawn at the 8 mm minimum left for a signature:
    // floor((147.4 − 11.0) / 8) = 17 rows a page → 17 + 17 + 6.
    expect(p.pages).toBe(3);
    expectPageNumbers(p.file, 3);
    const rowsOn = (k: number) =>
      pdfText(p.file, k)
        .split('\n')
        .map((l) => /^\s*(\d+)\s+2026-11-\d\d\s+\S+\s+138\*{4}5678\s+高龄津贴申领/.exec(l)?.[1])
        .filter(Boolean)
        .map(Number);
    expect(rowsOn(1)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(rowsOn(2)).toEqual(Array.from({ length: 17 }, (_, i) => i + 18));
    expect(rowsOn(3)).toEqual(Array.from({ length: 6 }, (_, i) => i + 35));
    for (let k = 1; k <= 3; k++) {
      const t = flat(pdfText(p.file, k));
      expect(t).toContain('行政服务代办记录');
      expect(t).toContain('受理日期');
      expect(t).toContain('代办员签字');
      expect(t).toContain('审核人（乡镇）');
    }
    expect(await bodyOverflowMm(p.html)).toEqual([0, 0, 0]);
  });
});
