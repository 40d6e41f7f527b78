import type { z } from 'zod';
import type { Register } from '../db/register';
import type { Vault } from '../db/vault';
import { PinThrottle, type MonoClock } from '../db/pinThrottle';
import type { PdfRenderer, PrinterBridge } from '../print/pdfRenderer';
import { AppError } from '../domain/errors';

/** What every handler can reach: the open register and the signed-in agent of this window/tab. */
export type ServiceContext = {
  /** The open register; refuses while the encrypted register is still locked (nobody signed in yet). */
  readonly reg: Register;
  /** False until an agent's PIN (or the recovery code) has opened the encrypted register. */
  readonly isOpen: boolean;
  /** The key file and lock of an encrypted register (the shells and the CLI); null for a plain test register. */
  readonly vault: Vault | null;
  /** Throttles wrong PINs of a plain register (an encrypted one keeps its counters in keys.json). */
  readonly throttle: PinThrottle;
  readonly shell: 'electron' | 'web';
  session: { agentId: string | null };
  /** The agent making this change; refuses when nobody is signed in (首问负责 needs a name). */
  requireAgent(): string;
  /** Reopen after the database file was replaced (restore). */
  reopen(): Promise<void>;
  /** Puts a newly opened register in place (after unlocking, converting or restoring). */
  setRegister(reg: Register): void;
  /** HTML → PDF for 保存为PDF (Electron: printToPDF; browser shell: local Chromium). */
  readonly pdfRenderer?: PdfRenderer;
  /** The system's printers (Electron only; the browser shell prints through the browser's dialog). */
  readonly printer?: PrinterBridge;
};

export type Handlers<I extends Record<string, z.ZodType>, O extends { [K in keyof I]: unknown }> = {
  [K in keyof I]: (input: z.output<I[K]>) => Promise<O[K]>;
};

export function createContext(opts: {
  /** Plain mode: how to (re)open the register. */
  open?: () => Promise<Register>;
  initial?: Register | null;
  vault?: Vault;
  shell: 'electron' | 'web';
  mono?: MonoClock;
  pdfRenderer?: PdfRenderer;
  printer?: PrinterBridge;
}): ServiceContext {
  let reg: Register | null = opts.initial ?? null;
  const ctx: ServiceContext = {
    get reg() {
      if (!reg) throw new AppError('not_signed_in', '登记簿已加密，请先登录（选择代办员并输入 PIN）');
      return reg;
    },
    get isOpen() {
      return reg !== null && reg.db.open;
    },
    vault: opts.vault ?? null,
    throttle: opts.vault?.throttle ?? new PinThrottle(opts.mono),
    shell: opts.shell,
    pdfRenderer: opts.pdfRenderer,
    printer: opts.printer,
    session: { agentId: null },
    requireAgent() {
      if (!ctx.session.agentId) throw new AppError('not_signed_in', '请先登录（选择代办员并输入密码）');
      return ctx.session.agentId;
    },
    async reopen() {
      const old = reg;
      old?.close();
      if (opts.vault) reg = old ? await opts.vault.open(old.dataKey ?? undefined) : null;
      else if (opts.open) reg = await opts.open();
    },
    setRegister(r: Register) {
      if (reg && reg !== r) reg.close();
      reg = r;
    },
  };
  return ctx;
}
