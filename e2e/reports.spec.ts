// 打印与统计 end to end in the browser shell: register a case, print its receipt from the intake
// screen in one step, open the month's ledger preview and save it as PDF, then see the case in
// the statistics and open the list behind a figure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, IDS, screenshot } from './fixtures';
import { choose, readyToWork } from './helpers';

function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The system print dialog cannot be driven from a test: every frame's print() is replaced with a
 * recorder (frames are same-origin; the print documents themselves run no scripts).
 */
async function recordPrints(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __prints: string[] };
    w.__prints = [];
    const desc = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')!;
    Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
      configurable: true,
      get(this: HTMLIFrameElement) {
        const cw = desc.get!.call(this) as Window | null;
        if (cw) {
          try {
            cw.print = () => {
              w.__prints.push(cw.document.body.innerText);
            };
          } catch {
            /* cross-origin frame: not ours */
          }
        }
        return cw;
      },
    });
  });
  return () => page.evaluate(() => (window as unknown as { __prints: string[] }).__prints);
}

test('receipt from the intake screen, the month ledger saved as PDF, the case in the statistics', async ({ page, shell }) => {
  const prints = await recordPrints(page);
  await readyToWork(page, shell.url);

  // Intake: 城乡居民基本医疗保险参保登记, 户口簿 容缺.
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('居民身份证号码').fill(IDS.zhangSan);
  await page.getByLabel('姓名').fill('张三');
  await page.getByLabel('手机/电话').fill('13812345678');
  await page.getByLabel('办理事项').click();
  await page.keyboard.type('医疗保险参保');
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '城乡居民基本医疗保险参保登记' }).first();
  await expect(option).toBeVisible();
  await page.waitForTimeout(500);
  await option.click();
  const rows = page.locator('[data-testid^="material-row-"]');
  for (let i = 0; i < (await rows.count()); i++) {
    const name = (await rows.nth(i).locator('td').nth(1).locator('div').first().innerText()).trim();
    await choose(page, `${name} 收取情况`, '已收原件及复印件');
  }
  await page.getByTestId('save-intake').click();
  const caseNo = (await page.getByTestId('case-no').innerText()).trim();
  expect(caseNo).toMatch(/^150822101201-\d{8}-\d{3}$/);

  // One step after saving: 打印受理回执. (Straight to the print dialog; an intake screen that
  // shows a preview first gets one more click on 打印.)
  await page.getByTestId('print-receipt').click();
  const direct = page.getByTestId('print-frame');
  const previewPrint = page.getByRole('dialog').getByTestId('print-now');
  await expect(direct.or(previewPrint).first()).toBeAttached();
  if (await previewPrint.isVisible()) await previewPrint.click();
  await expect.poll(async () => (await prints()).length).toBe(1);
  const printed = (await prints())[0];
  expect(printed).toContain('受理回执');
  expect(printed).toContain(caseNo);
  expect(printed).toContain('150822********0010'); // masked
  expect(printed).not.toContain(IDS.zhangSan);
  await screenshot(page, 'receipt-printed');
  const closePreview = page.getByRole('dialog').getByRole('button', { name: '关闭', exact: true });
  if (await closePreview.isVisible()) await closePreview.click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The month's ledger: preview, then 保存为PDF.
  await page.getByTestId('nav-prints').click();
  const preview = page.frameLocator('[data-testid="print-preview"]');
  await expect(preview.locator('body')).toContainText('行政服务代办记录');
  await expect(preview.locator('body')).toContainText('张三');
  await expect(preview.locator('body')).toContainText('138****5678');
  await expect(preview.locator('body')).toContainText('第 1 页 共 1 页');
  await screenshot(page, 'ledger-preview');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('save-pdf').click();
  const download = await downloading;
  const month = chinaToday().slice(0, 7);
  expect(download.suggestedFilename()).toBe(`行政服务代办记录-${Number(month.slice(0, 4))}年${Number(month.slice(5))}月.pdf`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-e2e-pdf-')), 'ledger.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain('五原县巴彦镇红旗村便民服务代办点');
  expect(text).toContain('行政服务代办记录');
  expect(text).toContain('张三');
  expect(text).toContain(chinaToday());
  expect(text.replace(/\s+/g, '')).toContain('第1页共1页');
  expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts/);

  // The statistics count it, and the figure opens the case.
  await page.getByTestId('nav-statistics').click();
  await expect(page.getByTestId('figure-accepted-value')).toHaveText('1');
  await page.getByTestId('figure-accepted').click();
  const drawer = page.getByTestId('figure-cases');
  await expect(drawer.getByRole('link', { name: caseNo })).toBeVisible();
  await screenshot(page, 'statistics-drill');
  await drawer.getByRole('link', { name: caseNo }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已受理');
});
