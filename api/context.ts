import type { z } from 'zod';
import type { Register } from '../db/register';
import type { PdfRenderer, PrinterBridge } from '../print/pdfRenderer';
import { AppError } from '../domain/errors';

/** What every handler can reach: the open register and the signed-in agent of this window/tab. */
export type ServiceContext = {
  readonly reg: Register;
  readonly shell: 'electron' | 'web';
  session: { agentId: string | null };
  /** The agent making this change; refuses when nobody is signed in (首问负责 needs a name). */
  requireAgent(): string;
  /** Reopen after the database file was replaced (restore). */
  reopen(): Promise<void>;
  /** HTML → PDF for 保存为PDF (Electron: printToPDF; browser shell: local Chromium). */
  readonly pdfRenderer?: PdfRenderer;
  /** The system's printers (Electron only; the browser shell prints through the browser's dialog). */
  readonly printer?: PrinterBridge;
};

export type Handlers<I extends Record<string, z.ZodType>, O extends { [K in keyof I]: unknown }> = {
  [K in keyof I]: (input: z.output<I[K]>) => Promise<O[K]>;
};

export function createContext(opts: {
  open: () => Promise<Register>;
  initial: Register;
  shell: 'electron' | 'web';
  pdfRenderer?: PdfRenderer;
  printer?: PrinterBridge;
}): ServiceContext {
  let reg = opts.initial;
  const ctx: ServiceContext = {
    get reg() {
      return reg;
    },
    shell: opts.shell,
    pdfRenderer: opts.pdfRenderer,
    printer: opts.printer,
    session: { agentId: null },
    requireAgent() {
      if (!ctx.session.agentId) throw new AppError('not_signed_in', '请先登录（选择代办员并输入密码）');
      return ctx.session.agentId;
    },
    async reopen() {
      reg.close();
      reg = await opts.open();
    },
  };
  return ctx;
}
