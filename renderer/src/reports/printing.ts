// Printing from the renderer, the same way in every screen:
//   - Electron: straight to the chosen printer (remembered on this computer) through printHtml;
//   - browser shell: the print's own A4 pages in a hidden frame, handed to the browser's print dialog
//     (the pages carry no margins, so the browser adds no header or footer of its own).
import type { ApiInput, DaibanApi } from '../../../api/contract';

export type PrintInput = ApiInput<'renderPrint'>;

const PRINTER_KEY = 'daiban.printer';

/** The printer chosen on this computer ('' = the system's default printer). */
export function chosenPrinter(): string {
  try {
    return localStorage.getItem(PRINTER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function choosePrinter(name: string): void {
  try {
    if (name) localStorage.setItem(PRINTER_KEY, name);
    else localStorage.removeItem(PRINTER_KEY);
  } catch {
    /* storage disabled: the default printer is used */
  }
}

export const isElectron = () => typeof window !== 'undefined' && !!window.daiban;

let frame: HTMLIFrameElement | null = null;

/**
 * Prints a complete HTML document through the browser's dialog from a hidden frame. The frame stays
 * in the page (marked data-testid="print-frame") until the next print, so what was printed can be checked.
 */
export function printHtmlInBrowser(html: string, title: string): Promise<void> {
  frame?.remove();
  const f = document.createElement('iframe');
  frame = f;
  f.setAttribute('data-testid', 'print-frame');
  f.setAttribute('aria-hidden', 'true');
  f.title = title;
  // No scripts in the print: allow-same-origin only lets this page reach the frame to print it.
  f.setAttribute('sandbox', 'allow-same-origin allow-modals');
  Object.assign(f.style, { position: 'fixed', right: '0', bottom: '0', width: '0', height: '0', border: '0', visibility: 'hidden' });
  return new Promise<void>((resolve, reject) => {
    f.onload = () => {
      const w = f.contentWindow;
      if (!w) return reject(new Error('无法打开打印内容，请改用“保存为PDF”后打印。'));
      window.setTimeout(() => {
        try {
          w.focus();
          w.print();
          document.dispatchEvent(new CustomEvent('daiban:print', { detail: { title } }));
          resolve();
        } catch {
          reject(new Error('浏览器未能打开打印对话框，请改用“保存为PDF”后打印。'));
        }
      }, 50);
    };
    f.srcdoc = html;
    document.body.appendChild(f);
  });
}

/** Prints one print: to the chosen printer in Electron, through the print dialog in the browser. Returns where it went. */
export async function printDocument(api: DaibanApi, input: PrintInput): Promise<{ printer: string | null }> {
  if (isElectron()) {
    const r = await api.printHtml({ ...input, printer: chosenPrinter() });
    return { printer: r.printer };
  }
  const doc = await api.renderPrint(input);
  await printHtmlInBrowser(doc.html, doc.title);
  return { printer: null };
}

/** Saves a base64 file through the browser's download (both shells). */
export function downloadBase64(fileName: string, base64: string, type: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const PDF_TYPE = 'application/pdf';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
