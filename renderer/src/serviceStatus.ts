// Whether the local 代办通 service answers. A call that fails for transport reasons (the web shell's
// process is gone, the Electron main side does not answer) is "unreachable" — never to be shown as an
// empty list, which would read as lost data. Any answer from the service clears it.
import { useSyncExternalStore } from 'react';
import { AppError } from '../../domain/errors';

export const UNREACHABLE_TITLE = '无法连接到代办通服务';
export const UNREACHABLE_DETAIL = '已保存的数据没有丢失。请确认代办通程序仍在运行，然后点“重试”；如果刚重新打开过代办通，请改用它新打开的窗口。';
export const UNREACHABLE_MESSAGE = `${UNREACHABLE_TITLE}。${UNREACHABLE_DETAIL}`;

let unreachable = false;
const listeners = new Set<() => void>();

function set(v: boolean): void {
  if (unreachable === v) return;
  unreachable = v;
  for (const fn of listeners) fn();
}

/** Called by the transport after every call. */
export function noteServiceAnswer(reached: boolean): void {
  set(!reached);
}

export function isUnreachable(e: unknown): boolean {
  return e instanceof AppError && e.code === 'unreachable';
}

/** True while the last call could not reach the service. */
export function useServiceUnreachable(): boolean {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => unreachable,
  );
}
