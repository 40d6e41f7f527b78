// Form rules that show the register's own date-bound messages (domain/dateBounds.ts) under a date
// field before saving. The DatePickers using them have no disabledDate: antd silently puts back the
// previous value when a typed date is disabled, so a typed 1900-01-01 or a future date would vanish
// without a word. Here it stays in the box, with the reason it is refused.
import type { Dayjs } from 'dayjs';
import type { DateCheck } from '../../../domain/dateBounds';

export function dateCheckRule(check: (date: string) => DateCheck) {
  return {
    validator: (_: unknown, v: string | Dayjs | null | undefined) => {
      const s = !v ? '' : typeof v === 'string' ? v : v.format('YYYY-MM-DD');
      if (!s) return Promise.resolve();
      const r = check(s);
      return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
    },
  };
}
