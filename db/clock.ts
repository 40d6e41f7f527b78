// China runs on one time zone (UTC+8, no DST). Calendar dates are taken there, whatever the
// laptop's own TZ setting says, so deadlines do not shift on a misconfigured machine.
export type Clock = { nowMs(): number };

export const systemClock: Clock = { nowMs: () => Date.now() };

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

export function chinaDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function chinaTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant of a China local date and time, as ISO UTC. */
export function chinaInstant(date: string, time = '00:00'): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hh, mm) - CHINA_OFFSET_MS).toISOString();
}
