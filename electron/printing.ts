import { BrowserWindow } from 'electron';
import { electronPdfOptions, electronPrintOptions, type PdfRenderer, type PrinterBridge } from '../print/pdfRenderer';

/** Loads a print layout in a hidden, script-less window so Chromium lays it out exactly as it prints. */
async function withPrintWindow<T>(html: string, fn: (win: BrowserWindow) => Promise<T>): Promise<T> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
  });
  try {
    await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    return await fn(win);
  } finally {
    win.destroy();
  }
}

/** Electron's own PDF renderer and printers, for the report handlers. */
export function electronPrinting(): { pdfRenderer: PdfRenderer; printer: PrinterBridge } {
  const pdfRenderer: PdfRenderer = (html: string, opts: { landscape: boolean }) =>
    withPrintWindow(html, (win) => win.webContents.printToPDF(electronPdfOptions(opts.landscape)));
  const printer: PrinterBridge = {
    async list() {
      const win = BrowserWindow.getAllWindows()[0];
      if (!win) return [];
      const ps = await win.webContents.getPrintersAsync();
      return ps.map((p) => ({ name: p.name, isDefault: (p as { isDefault?: boolean }).isDefault === true }));
    },
    print(html: string, opts: { landscape: boolean; deviceName?: string }) {
      return withPrintWindow(
        html,
        (win) =>
          new Promise<void>((resolve, reject) => {
            win.webContents.print(electronPrintOptions(opts.landscape, opts.deviceName ?? ''), (ok, reason) =>
              ok ? resolve() : reject(new Error(reason === 'cancelled' ? '已取消打印' : `打印失败：${reason}`)),
            );
          }),
      );
    },
  };
  return { pdfRenderer, printer };
}
