// Hybrid logical clock (Kulkarni et al.): orders changes across devices even when a village
// laptop's wall clock is days off, because a receive always moves the clock past what was seen.
// Encoded as a fixed-width string so that plain string comparison is clock order.

export type Hlc = { ms: number; counter: number; node: string };

const MS_WIDTH = 15;
const COUNTER_WIDTH = 5;
const MAX_COUNTER = 10 ** COUNTER_WIDTH - 1;

export function encodeHlc(h: Hlc): string {
  return `${String(h.ms).padStart(MS_WIDTH, '0')}-${String(h.counter).padStart(COUNTER_WIDTH, '0')}-${h.node}`;
}

export function decodeHlc(s: string): Hlc {
  const m = /^(\d{15})-(\d{5})-([0-9A-Za-z_-]{1,64})$/.exec(s);
  if (!m) throw new Error(`时钟戳格式不正确：${s.slice(0, 40)}`);
  return { ms: Number(m[1]), counter: Number(m[2]), node: m[3] };
}

/** Next timestamp for a local event. */
export function tickHlc(prev: Hlc | null, wallMs: number, node: string): Hlc {
  const last = prev ?? { ms: 0, counter: 0, node };
  if (wallMs > last.ms) return { ms: wallMs, counter: 0, node };
  if (last.counter >= MAX_COUNTER) return { ms: last.ms + 1, counter: 0, node };
  return { ms: last.ms, counter: last.counter + 1, node };
}

/** Clock after receiving a remote timestamp: strictly after both the local clock and the remote one. */
export function receiveHlc(local: Hlc | null, remote: Hlc, wallMs: number, node: string): Hlc {
  const l = local ?? { ms: 0, counter: 0, node };
  const ms = Math.max(l.ms, remote.ms, wallMs);
  let counter: number;
  if (ms === l.ms && ms === remote.ms) counter = Math.max(l.counter, remote.counter) + 1;
  else if (ms === l.ms) counter = l.counter + 1;
  else if (ms === remote.ms) counter = remote.counter + 1;
  else counter = 0;
  if (counter > MAX_COUNTER) return { ms: ms + 1, counter: 0, node };
  return { ms, counter, node };
}
