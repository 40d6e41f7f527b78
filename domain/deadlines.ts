import type { WorkCalendar } from './workCalendar';

// 限时办结: due date = intake date + 承诺时限 working days (start day not counted). When the
// catalog item says waiting time pauses the clock, working days spent waiting for the applicant
// (退回补正) push the due date back by the same count.
export type DueInput = {
  intakeDate: string;
  committedWorkdays: number;
  pauseOnWait: boolean;
  waitingWorkdays: number;
};

export function computeDueDate(cal: WorkCalendar, d: DueInput): { dueDate: string; estimated: boolean } {
  const extra = d.pauseOnWait ? Math.max(0, d.waitingWorkdays) : 0;
  const r = cal.addWorkdays(d.intakeDate, d.committedWorkdays + extra);
  return { dueDate: r.date, estimated: r.estimated };
}

export const DUE_SOON_WORKDAYS = 2;

export type DeadlineState = 'overdue' | 'dueSoon' | 'ok';

/** Warning for an open case: overdue past its due date, due soon within DUE_SOON_WORKDAYS working days. */
export function deadlineState(cal: WorkCalendar, dueDate: string, today: string): DeadlineState {
  if (today > dueDate) return 'overdue';
  if (cal.workdaysBetween(today, dueDate) <= DUE_SOON_WORKDAYS) return 'dueSoon';
  return 'ok';
}

/** The latest due date that still counts as "due soon" on `today`; lets SQL filter with a plain comparison. */
export function dueSoonHorizon(cal: WorkCalendar, today: string): string {
  return cal.addWorkdays(today, DUE_SOON_WORKDAYS).date;
}

// "凡办理事项全部争取一周反馈，两周回访" — calendar days, as the station rule is worded.
export const FEEDBACK_WITHIN_DAYS = 7;
export const RETURN_VISIT_WITHIN_DAYS = 14;
// 差评 must be rectified within 15 working days.
export const RECTIFICATION_WORKDAYS = 15;

export function addCalendarDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}
