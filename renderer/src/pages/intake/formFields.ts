// Small antd Form helpers shared by the intake sections.
import dayjs, { type Dayjs } from 'dayjs';

/** A DatePicker bound to a 'YYYY-MM-DD' string field. */
export const dateProps = {
  getValueProps: (v: string | null | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

/**
 * A validator that stays quiet while the number is still being typed (fewer than 15 characters and
 * the box has focus) and reports the parser's Chinese message otherwise: live for a wrong check
 * character, on leaving the box for a number that is too short.
 */
export function typingAware(inputId: string, parse: (v: string) => { ok: true } | { ok: false; error: string }) {
  return (_: unknown, v: string | undefined) => {
    if (!v?.trim()) return Promise.resolve();
    const typing = document.activeElement?.id === inputId && v.replace(/\s/g, '').length < 15;
    if (typing) return Promise.resolve();
    const r = parse(v);
    return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
  };
}
