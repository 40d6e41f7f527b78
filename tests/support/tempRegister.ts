import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Register } from '../../db/register';
import { createContext, type ServiceContext } from '../../api/context';
import { createDaibanApi } from '../../api/service';
import type { DaibanApi } from '../../api/contract';
import { chinaInstant } from '../../db/clock';
import { DEMO_SETUP } from '../../db/seed';

/** A settable clock so tests can place "today" anywhere (e.g. around holidays). */
export class TestClock {
  constructor(public ms: number) {}
  /** A monotonic clock apart from the wall clock (sign-in lockouts count only this one). */
  mono = 0;
  nowMs = () => this.ms;
  monoMs = () => this.mono;
  setChinaDate(date: string, time = '10:00') {
    this.ms = Date.parse(chinaInstant(date, time));
  }
}

export function tempDir(prefix = 'daiban-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The same demo point the seed uses. */
export const DEMO_POINT = DEMO_SETUP;

export type TestEnv = { dir: string; reg: Register; ctx: ServiceContext; api: DaibanApi; clock: TestClock; close(): void };

export async function openTestRegister(opts: { date?: string; setup?: boolean } = {}): Promise<TestEnv> {
  const dir = tempDir();
  const clock = new TestClock(0);
  clock.setChinaDate(opts.date ?? '2026-11-20');
  const open = () => Register.open({ dataDir: dir, clock });
  const reg = await open();
  const ctx = createContext({ open, initial: reg, shell: 'web', mono: clock.monoMs });
  const api = createDaibanApi(ctx);
  if (opts.setup !== false) await api.setupPoint(DEMO_POINT);
  return {
    dir,
    get reg() {
      return ctx.reg;
    },
    ctx,
    api,
    clock,
    close() {
      ctx.reg.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Valid resident ID numbers (check characters computed by the algorithm in domain/idNumber.ts).
export const IDS = {
  zhangSan: '150822198503150010',
  liSi: '150822199001010020', wangWu: '150822196207080047',
};
