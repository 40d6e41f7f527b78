// Reading printed PDFs back the way a person would: the text (pdftotext -layout), the page count
// (pdfinfo), the QR code on a rendered page (pdftoppm -png + jsQR), and whether every page's body
// really fits its sheet in Chromium (nothing pushed off or clipped).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../print/pdfRenderer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-pdf-'));
let n = 0;

export function savePdf(buf: Buffer, name = 'print'): string {
  const file = path.join(dir, `${name}-${++n}.pdf`);
  fs.writeFileSync(file, buf);
  return file;
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}

export function pdfPageSize(file: string): { w: number; h: number } {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
  return { w: Number(m[1]), h: Number(m[2]) };
}

/** Text of the whole PDF, or of one page (1-based), keeping the layout. */
export function pdfText(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8' });
}

/** Renders a page to PNG at `dpi` and decodes the QR code in the given part of it (fractions of the page). */
export function decodeQr(file: string, page = 1, crop: { top: number; bottom: number } = { top: 0, bottom: 1 }, dpi = 150): string | null {
  const base = path.join(dir, `qr-${++n}`);
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, base]);
  const png = PNG.sync.read(fs.readFileSync(`${base}.png`));
  const y0 = Math.floor(png.height * crop.top);
  const y1 = Math.floor(png.height * crop.bottom);
  const h = y1 - y0;
  const data = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset + y0 * png.width * 4, h * png.width * 4);
  return jsQR(data, png.width, h)?.data ?? null;
}

let browser: Browser | null = null;

/** For each page of a print: how many mm its body overflows its sheet, or a signature line its width (0 when all fits). */
export async function bodyOverflowMm(html: string): Promise<number[]> {
  browser ??= await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  try {
    await page.emulateMedia({ media: 'print' });
    await page.setContent(html, { waitUntil: 'load' });
    return await page.evaluate(() => {
      const pxPerMm = 96 / 25.4;
      return [...document.querySelectorAll('section.page')].map((s) => {
        const b = s.querySelector('.body') as HTMLElement;
        const wide = [...s.querySelectorAll<HTMLElement>('.sign')].map((e) => e.scrollWidth - e.clientWidth);
        return Math.max(0, (b.scrollHeight - b.clientHeight) / pxPerMm, (s.scrollHeight - s.clientHeight) / pxPerMm, ...wide.map((w) => w / pxPerMm));
      });
    });
  } finally {
    await page.close();
  }
}

export async function closeTools(): Promise<void> {
  await browser?.close();
  browser = null;
  fs.rmSync(dir, { recursive: true, force: true });
}
