// Sign-in throttling that moving the clock cannot undo. The wait after repeated wrong PINs is kept
// as "time still to wait" and counted down only by a monotonic clock (performance.now()) while this
// program runs; the count is saved after every attempt, so neither setting the system clock ahead
// nor restarting the program clears it (a restart pauses the countdown, it never resets it).
import { AppError } from '../domain/errors';
import type { LockState } from './keyring';

export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60 * 1000;

export type MonoClock = () => number;
export const monotonicNow: MonoClock = () => performance.now();

export const NO_LOCK: LockState = { failures: 0, remainingMs: 0 };

function waitText(ms: number): string {
  const secs = Math.ceil(ms / 1000);
  return secs >= 60 ? `${Math.ceil(secs / 60)} 分钟` : `${secs} 秒`;
}

export class PinThrottle {
  /** Per agent: the monotonic instant the saved remainingMs was last brought up to date. */
  private seen = new Map<string, number>();

  constructor(private readonly mono: MonoClock = monotonicNow) {}

  /** The saved state with the monotonic time watched since the last look taken off the wait. */
  settle(agentId: string, s: LockState | undefined): LockState {
    const st = s ?? NO_LOCK;
    const now = this.mono();
    const last = this.seen.get(agentId);
    this.seen.set(agentId, now);
    if (st.remainingMs <= 0 || last === undefined) return { ...st };
    return { failures: st.failures, remainingMs: Math.max(0, st.remainingMs - Math.max(0, now - last)) };
  }

  /** Throws `throttled` while the agent must still wait. */
  assertMayTry(s: LockState): void {
    if (s.remainingMs > 0) throw new AppError('throttled', `密码错误次数过多，请 ${waitText(s.remainingMs)} 后再试`);
  }

  /** After a wrong PIN: the new state and the message to show. */
  failure(agentId: string, s: LockState): { state: LockState; message: string } {
    const failures = s.failures + 1;
    let remainingMs = 0;
    if (failures >= FREE_ATTEMPTS) remainingMs = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS));
    this.seen.set(agentId, this.mono());
    const left = FREE_ATTEMPTS - failures;
    return {
      state: { failures, remainingMs },
      message: left > 0 ? `密码不正确，还可以再试 ${left} 次` : `密码不正确，已暂时锁定，请 ${waitText(remainingMs)} 后再试`,
    };
  }
}
