// The background sync loop the shells start (Electron main, web bridge). It tries when due, backs
// off exponentially with jitter while the county is unreachable (capped at a few minutes), resets
// on success, and never counts a timeout as success (the round only succeeds on the signed reply).
import type { Register } from '../../db/register';
import { getEnrolment } from './state';
import { runSync, runtimeFor } from './engine';

/** What the loop needs: the register that is open now (it changes after a restore). */
export type RegisterHolder = { readonly reg: Register };

export type AutoSyncOptions = {
  /** First retry delay after a failure. */
  baseDelayMs?: number;
  /** Cap of the retry delay. */
  maxDelayMs?: number;
  /** Between successful rounds (to pick up the county's replies and new changes). */
  intervalMs?: number;
  /** Delay of the first attempt after start. */
  initialDelayMs?: number;
  random?: () => number;
  onResult?: (r: { ok: boolean; message: string; nextDelayMs: number }) => void;
};

export type AutoSync = { stop(): void; kick(): void };

export function backoffDelay(failures: number, base: number, max: number, random: () => number): number {
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  // "Equal jitter": half fixed, half random, so many villages coming back at once spread out.
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export function startAutoSync(ctx: RegisterHolder, opts: AutoSyncOptions = {}): AutoSync {
  const base = opts.baseDelayMs ?? 15_000;
  const max = opts.maxDelayMs ?? 5 * 60_000;
  const interval = opts.intervalMs ?? 2 * 60_000;
  const random = opts.random ?? Math.random;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let busy = false;
  let kicked = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), delay);
    timer.unref?.();
    try {
      runtimeFor(ctx.reg.dataDir).nextAttemptAt = new Date(ctx.reg.clock.nowMs() + delay).toISOString();
    } catch {
      /* register being reopened */
    }
  };

  const tick = async () => {
    timer = null;
    if (stopped) return;
    busy = true;
    kicked = false;
    let next = interval;
    try {
      const reg = ctx.reg;
      if (!reg.db.open) {
        next = base;
        return;
      }
      const e = getEnrolment(reg);
      if (!e || !e.county_url) {
        next = interval;
        return;
      }
      try {
        const r = await runSync(reg);
        failures = 0;
        next = interval;
        opts.onResult?.({ ok: true, message: r.message, nextDelayMs: next });
      } catch (err) {
        failures++;
        next = backoffDelay(failures, base, max, random);
        opts.onResult?.({ ok: false, message: err instanceof Error ? err.message : String(err), nextDelayMs: next });
      }
    } catch {
      next = backoffDelay(++failures, base, max, random);
    } finally {
      busy = false;
      schedule(kicked ? 0 : next);
    }
  };

  schedule(opts.initialDelayMs ?? 3_000);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    kick() {
      if (stopped) return;
      if (busy) kicked = true;
      else schedule(0);
    },
  };
}
