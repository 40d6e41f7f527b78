// The 受理回执 as printed: every table's borders lie inside the frame that clips its half of the sheet
// (the right border was cut off by one pixel), and the case-number QR code carries its own quiet zone
// (4 modules of white on every side) and still decodes from the rendered PDF.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QR_QUIET_MODULES, renderReceipt } from '../../print/receipt';
import { CHROMIUM_ARGS, closePdfRenderer, findChromium, nodePdfRenderer } from '../../print/pdfRenderer';
import type { CaseDetail, PointInfo } from '../../domain/records';

const point: PointInfo = {
  villageCode: '150822101201', villageName: '红旗村', townshipName: '巴彦镇', countyName: '五原县',
  unitName: '五原县巴彦镇红旗村便民服务代办点', consultPhone: '0478-5211234', complaintPhone: '12345', idleLockMinutes: 10,
};
const CASE_NO = '150822101201-20261120-001';
const c = {
  caseNo: CASE_NO, status: 'accepted',
  applicant: { kind: 'person', name: '张三', idNumberMasked: '150822********0010', creditCodeMasked: '', phoneMasked: '138****5678' },
  itemName: '城乡居民最低生活保障审核确认', handlingMode: 'proxy', intakeDate: '2026-11-20', dueDate: '2027-01-05', dueEstimated: false, committedWorkdays: 30,
  materials: ['申请人居民身份证', '户口簿', '收入证明'].map((name, i) => ({
    id: `m${i}`, position: i + 1, name, form: '原件及复印件', copies: 1, required: true, deferrable: true,
    state: i === 1 ? 'deferred' : 'both', promisedDate: i === 1 ? '2026-11-30' : null, receivedAt: null, custody: 'none',
  })),
} as unknown as CaseDetail;

let browser: Browser;
let html: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-receipt-'));
beforeAll(async () => {
  html = (await renderReceipt({ point, today: '2026-11-20', c, agent: { name: '王秀兰', phone: '13904781234' }, department: '县民政局' })).html;
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await closePdfRenderer();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('受理回执 frame and QR code', () => {
  it('keeps every table, borders included, inside the box that clips it', async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ media: 'print' });
    await page.setContent(html, { waitUntil: 'load' });
    const spill = await page.evaluate(() =>
      [...document.querySelectorAll('table')].map((t) => {
        let clip = t.parentElement!;
        while (getComputedStyle(clip).overflow === 'visible' && clip.parentElement) clip = clip.parentElement;
        const a = t.getBoundingClientRect();
        const b = clip.getBoundingClientRect();
        return { left: b.left - a.left, right: a.right - b.right };
      }),
    );
    await page.close();
    expect(spill.length).toBeGreaterThanOrEqual(4); // two tables on each half
    for (const s of spill) {
      expect(s.left).toBeLessThanOrEqual(0);
      expect(s.right).toBeLessThanOrEqual(0);
    }
  });

  it('draws the QR code with a quiet zone of 4 modules on every side', async () => {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const margins = await page.evaluate(() =>
      [...document.querySelectorAll('[title="件号二维码"] svg')].map((svg) => {
        const vb = (svg as SVGSVGElement).viewBox.baseVal;
        const dark = [...svg.querySelectorAll('path')].find((p) => p.getAttribute('stroke') || p.getAttribute('fill') === '#000000')!;
        const bb = (dark as SVGPathElement).getBBox();
        return [bb.x - vb.x, bb.y - vb.y, vb.x + vb.width - (bb.x + bb.width), vb.y + vb.height - (bb.y + bb.height)];
      }),
    );
    await page.close();
    expect(margins).toHaveLength(2);
    for (const m of margins) for (const side of m) expect(side).toBeGreaterThanOrEqual(QR_QUIET_MODULES - 0.01);
  });

  it('prints a QR code that decodes, with white around it in the rendered PDF', async () => {
    const pdf = path.join(dir, 'receipt.pdf');
    fs.writeFileSync(pdf, await nodePdfRenderer(html, { landscape: false }));
    const base = path.join(dir, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '200', '-f', '1', '-l', '1', '-singlefile', pdf, base]);
    const png = PNG.sync.read(fs.readFileSync(`${base}.png`));
    // The lower half (the applicant's receipt): decode it and look at the ring around the code.
    const y0 = Math.floor(png.height / 2);
    const h = png.height - y0;
    const data = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset + y0 * png.width * 4, h * png.width * 4);
    const qr = jsQR(data, png.width, h);
    expect(qr?.data).toBe(CASE_NO);
    const loc = qr!.location;
    const modules = 25; // version 2
    const modulePx = (loc.topRightCorner.x - loc.topLeftCorner.x) / modules;
    const ring = Math.floor(modulePx * QR_QUIET_MODULES) - 1;
    const left = Math.ceil(loc.topLeftCorner.x);
    const right = Math.floor(loc.topRightCorner.x);
    const top = Math.ceil(loc.topLeftCorner.y);
    const bottom = Math.floor(loc.bottomLeftCorner.y);
    const dark = (x: number, y: number) => data[(y * png.width + x) * 4] < 128;
    let darkInRing = 0;
    for (let y = top - ring; y <= bottom + ring; y++)
      for (let x = left - ring; x <= right + ring; x++) {
        const inCode = x >= left - 1 && x <= right + 1 && y >= top - 1 && y <= bottom + 1;
        if (!inCode && dark(x, y)) darkInRing++;
      }
    expect(darkInRing).toBe(0);
  });
});
