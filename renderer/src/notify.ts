// User-facing feedback. antd's message/modal instances are taken from <App> so they follow the theme.
import type { App } from 'antd';
import { AppError } from '../../domain/errors';

type Holder = ReturnType<typeof App.useApp>;
let holder: Holder | null = null;

export function setFeedbackHolder(h: Holder): void {
  holder = h;
}

export function feedback(): Holder {
  if (!holder) throw new Error('feedback holder not mounted');
  return holder;
}

/** Plain-Chinese text for any failure; AppError messages are already meant for the user. */
export function errorText(e: unknown): string {
  if (e instanceof AppError) return e.message;
  if (e instanceof Error && /[\u4e00-\u9fff]/.test(e.message)) return e.message;
  return '操作失败，请重试。如果问题反复出现，请到“设置”里运行数据检查。';
}

export function showError(e: unknown, prefix?: string): void {
  const text = prefix ? `${prefix}：${errorText(e)}` : errorText(e);
  if (holder) holder.message.error({ content: text, duration: 6 });
  else console.error(text);
}

export function showSuccess(text: string): void {
  holder?.message.success({ content: text, duration: 3 });
}

export function showInfo(text: string): void {
  holder?.message.info({ content: text, duration: 4 });
}
