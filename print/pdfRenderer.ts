// HTML → PDF. Each shell injects its own renderer into the service context (ServiceContext.pdfRenderer):
//   - Electron: webContents.printToPDF(electronPdfOptions(landscape)) on a hidden window that
//     loaded the print's HTML;
//   - the browser shell / CLI / tests: `nodePdfRenderer` below, driving a local Chromium through
//     playwright-core.
// Both print the same self-paginated HTML with the same options (A4, CSS page size, no margins,
// no browser header/footer), so both give the same pages.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { AppError } from '../domain/errors';

export type PdfRenderer = (html: string, opts: { landscape: boolean }) => Promise<Buffer>;

/** The system's printers, provided by the Electron shell (see electronPrintOptions). */
export type PrinterBridge = {
  list(): Promise<{ name: string; isDefault: boolean }[]>;
  print(html: string, opts: { landscape: boolean; deviceName: string }): Promise<void>;
};

/** Electron's printToPDF options giving the same PDF as nodePdfRenderer. */
export function electronPdfOptions(landscape: boolean) {
  return {
    landscape,
    pageSize: 'A4' as const,
    printBackground: true,
    preferCSSPageSize: true,
    displayHeaderFooter: false,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
  };
}

/** Electron's webContents.print options for a chosen printer (same page setup as the PDF). */
export function electronPrintOptions(landscape: boolean, deviceName: string) {
  return {
    silent: true,
    deviceName,
    landscape,
    pageSize: 'A4' as const,
    printBackground: true,
    margins: { marginType: 'none' as const },
  };
}

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/microsoft-edge',
  '/snap/bin/chromium',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The browser to drive: $DAIBAN_CHROMIUM, else the first one installed, else Playwright's own (undefined). */
export function findChromium(): string | undefined {
  const env = process.env.DAIBAN_CHROMIUM?.trim();
  if (env) return env;
  return CANDIDATES.find((p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

let browserPromise: Promise<Browser> | null = null;

async function launch(): Promise<Browser> {
  // Loaded on first use only, and by a computed name so that bundlers (the Electron build) leave it out.
  const name = 'playwright-core';
  let pw: typeof import('playwright-core');
  try {
    pw = (await import(/* @vite-ignore */ name)) as typeof import('playwright-core');
  } catch {
    throw new AppError('internal', '无法生成PDF：缺少组件 playwright-core。请重新安装代办通，或在预览中使用“打印”并选择“另存为PDF”。');
  }
  const executablePath = findChromium();
  try {
    const b = await pw.chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    b.on('disconnected', () => {
      browserPromise = null;
    });
    return b;
  } catch {
    throw new AppError(
      'internal',
      `无法生成PDF：没有找到可用的浏览器（Chromium、Chrome 或 Edge）${executablePath ? `，或无法启动 ${executablePath}` : ''}。` +
        '请安装 Chromium/Chrome，或设置环境变量 DAIBAN_CHROMIUM 指向浏览器程序；也可以在预览中使用“打印”并选择“另存为PDF”。',
    );
  }
}

function browser(): Promise<Browser> {
  if (!browserPromise) {
    browserPromise = launch();
    browserPromise.catch(() => {
      browserPromise = null;
    });
  }
  return browserPromise;
}

/** One Chromium kept alive and reused; each print gets its own offline, script-free page. */
export const nodePdfRenderer: PdfRenderer = async (html, opts) => {
  const b = await browser();
  const context = await b.newContext({ javaScriptEnabled: false, offline: true });
  try {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load', timeout: 60_000 });
    return await page.pdf({
      format: 'A4',
      landscape: opts.landscape,
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: false,
      margin: { top: '0', bottom: '0', left: '0', right: '0' },
    });
  } finally {
    await context.close().catch(() => undefined);
  }
};

/** Closes the shared browser (tests, bench, shutdown). */
export async function closePdfRenderer(): Promise<void> {
  const p = browserPromise;
  browserPromise = null;
  if (p) await (await p.catch(() => null))?.close().catch(() => undefined);
}
