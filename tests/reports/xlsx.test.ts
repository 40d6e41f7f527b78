// The .xlsx exports opened back with exceljs: a title, one header row, column widths set, dates
// stored as dates, rates as percentages, and the same figures as the screen and the prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildScenario, type Scenario } from './scenario';

let s: Scenario;
beforeAll(async () => {
  s = await buildScenario();
}, 120_000);
afterAll(() => s?.env.close());

async function open(base64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  return wb;
}

describe('xlsx exports', () => {
  it('the monthly ledger: header row, widths, dates as dates, masked phones', async () => {
    const out = await s.env.api.exportXlsx({ kind: 'ledger', month: '2026-11' });
    expect(out.fileName).toBe('行政服务代办记录-2026年11月.xlsx');
    const wb = await open(out.base64);
    const ws = wb.getWorksheet('代办记录')!;
    expect(String(ws.getCell('A1').value)).toContain('五原县巴彦镇红旗村便民服务代办点');
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    expect(header).toEqual(['序号', '件号', '受理日期', '申请人', '联系电话', '事项', '办理方式', '报送单位', '承诺办结日期', '办结日期', '结果', '送达方式', '送达日期', '回访满意度', '代办员']);
    expect(ws.getCell('A3').font?.bold).toBe(true);
    for (let i = 1; i <= header.length; i++) expect(ws.getColumn(i).width).toBeGreaterThan(5);
    expect(ws.getColumn(6).width).toBeGreaterThanOrEqual(25); // 事项 is the wide one
    // Row 4 is the first case of the month: C, 2026-11-02, decided 2026-11-04.
    const first = ws.getRow(4);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe(s.cases.C.caseNo);
    const intake = first.getCell(3).value;
    expect(intake).toBeInstanceOf(Date);
    expect((intake as Date).toISOString().slice(0, 10)).toBe('2026-11-02');
    expect(first.getCell(3).numFmt).toBe('yyyy-mm-dd');
    expect((first.getCell(10).value as Date).toISOString().slice(0, 10)).toBe('2026-11-04');
    expect(first.getCell(5).value).toBe('150****2345');
    // 8 cases in November, then nothing.
    expect(ws.getRow(11).getCell(1).value).toBe(8);
    expect(ws.getRow(12).getCell(1).value ?? null).toBeNull();
    // The refused request has no due date: an empty cell, not a bogus date.
    const refused = ws.getRow(8);
    expect(refused.getCell(11).value).toBe('不予受理');
    expect(refused.getCell(9).value ?? null).toBeNull();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup.orientation).toBe('landscape');
  });

  it('the statistics: the same figures, rates as percentages, one sheet per breakdown and the 差评', async () => {
    const out = await s.env.api.exportXlsx({ kind: 'statistics', from: '2026-11-01', to: '2026-11-30' });
    expect(out.fileName).toBe('代办统计-2026年11月.xlsx');
    const wb = await open(out.base64);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总体', '按事项', '按部门', '按办理方式', '按代办员', '差评']);
    const main = wb.getWorksheet('总体')!;
    const find = (label: string) => {
      for (let r = 4; r <= main.rowCount; r++) if (main.getRow(r).getCell(1).value === label) return main.getRow(r);
      throw new Error(label);
    };
    expect(find('受理量').getCell(2).value).toBe(7);
    expect(find('办结').getCell(2).value).toBe(5);
    const rate = find('办结率').getCell(3);
    expect(rate.value).toBeCloseTo(5 / 7, 10);
    expect(rate.numFmt).toBe('0.0%');
    expect(find('满意率').getCell(3).value).toBeCloseTo(2 / 3, 10);
    const items = wb.getWorksheet('按事项')!;
    const head = (items.getRow(3).values as unknown[]).slice(1);
    expect(head[0]).toBe('事项');
    expect(head).toContain('按时办结率');
    const last = items.getRow(items.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(head.indexOf('受理量') + 1).value).toBe(7);
    const poor = wb.getWorksheet('差评')!;
    expect(poor.getRow(4).getCell(1).value).toBe(s.cases.B.caseNo);
    expect((poor.getRow(4).getCell(4).value as Date).toISOString().slice(0, 10)).toBe('2026-11-05');
  });

  it('says in Chinese what is missing', async () => {
    await expect(s.env.api.exportXlsx({ kind: 'ledger' })).rejects.toThrow(/请选择月份/);
  });
});
