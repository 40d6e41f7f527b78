// Sane bounds for every date an agent types. One definition, used by the register (server side,
// through db/), the forms (to show the same message before saving), the CLI and the county.
//
// The decisions (docs/date-bounds.md explains them for users):
// - Nothing that records something that already happened (受理, 来访, 办结, 送达, 回访, 整改, 息访) may lie
//   in the future: the agent cannot register what has not happened yet.
// - 受理 and 来访 dates are never earlier than one year before the point started using the register
//   (BEFORE_SETUP_DAYS): paper records kept before the laptop arrived may be entered, a 1900 date may not.
//   Without a known setup date the floor is EARLIEST_DATE.
// - 补录 (entering a paper record later) within BACKFILL_WINDOW_DAYS is ordinary; further back the agent
//   must confirm the date explicitly, and the confirmation goes into the case's history.
// - Each later step is never earlier than the step it follows (办结 ≥ 受理, 送达 ≥ 办结, 回访 ≥ 受理 / 办结…).
// - A 承诺补交日期 (promised date of a 容缺 material) is a promise about the future: never before today
//   (for a 补录 case entered from paper, never before its 受理日期), and at most PROMISE_MAX_DAYS ahead.
import { addCalendarDays } from './deadlines';
import { AppError } from './errors';

export const BACKFILL_WINDOW_DAYS = 30;
export const BEFORE_SETUP_DAYS = 365;
export const EARLIEST_DATE = '2000-01-01';
export const PROMISE_MAX_DAYS = 365;

export type DateCheck = { ok: true } | { ok: false; error: string; needsConfirmation: boolean };

const OK: DateCheck = { ok: true };
const refuse = (error: string, needsConfirmation = false): DateCheck => ({ ok: false, error, needsConfirmation });

/** Throws the rule's own message as a user-facing error: the same words the form shows before saving. */
export function assertDate(check: DateCheck): void {
  if (!check.ok) throw new AppError('invalid_input', check.error);
}

/** Whole calendar days from a to b (b later → positive). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The earliest 受理/来访 date the register accepts: a year before the point's setup, never before 2000. */
export function earliestRecordDate(pointSince: string | null): string {
  if (!pointSince) return EARLIEST_DATE;
  const d = addCalendarDays(pointSince, -BEFORE_SETUP_DAYS);
  return d < EARLIEST_DATE ? EARLIEST_DATE : d;
}

export type RecordDateContext = {
  today: string;
  /** The day the point started using the register (point.created_at as a China date), if known. */
  pointSince: string | null;
  /** The agent confirmed a 补录 date older than BACKFILL_WINDOW_DAYS. */
  backfillConfirmed?: boolean;
};

/** The date a record starts with: 受理日期 of a case, 来访日期 of a visit. */
export function checkRecordDate(label: '受理日期' | '来访日期', date: string, c: RecordDateContext): DateCheck {
  if (date > c.today) return refuse(`${label} ${date} 晚于今天（${c.today}）：不能登记还没有发生的事，请核对日期`);
  const floor = earliestRecordDate(c.pointSince);
  if (date < floor) {
    return refuse(
      c.pointSince
        ? `${label} ${date} 太早：本代办点 ${c.pointSince} 开始使用台账，只能补录此前一年内（${floor} 起）的纸质记录，请核对日期`
        : `${label} ${date} 太早：台账只接收 ${floor} 以后的日期，请核对日期`,
    );
  }
  const back = daysBetween(date, c.today);
  if (back > BACKFILL_WINDOW_DAYS && !c.backfillConfirmed) {
    return refuse(
      `${label} ${date} 是 ${back} 天前，超过补录期限（${BACKFILL_WINDOW_DAYS} 天）。请对照纸质记录核对日期，无误后勾选“确认补录”再保存`,
      true,
    );
  }
  return OK;
}

/** True when a 补录 date lies beyond the window and so needs the agent's explicit confirmation. */
export function backfillNeedsConfirmation(date: string, today: string): boolean {
  return date < today && daysBetween(date, today) > BACKFILL_WINDOW_DAYS;
}

export type EarlierStep = { label: string; date: string | null | undefined };

/**
 * A date recording a later step (办结, 送达, 回访, 整改完成, 息访): not in the future, and not before
 * any of the steps it follows. `today` null: no future bound (the county deciding a case whose dates
 * came from a village laptop with a fast clock cannot judge "future" by its own clock).
 */
export function checkStepDate(label: string, date: string, today: string | null, after: EarlierStep[]): DateCheck {
  if (today && date > today) return refuse(`${label} ${date} 晚于今天（${today}）：不能登记还没有发生的事，请核对日期`);
  for (const s of after) {
    // An earlier step dated after our today came from a clock ahead of ours (a county decision, another
    // laptop): no date could satisfy both bounds, so the order bound gives way to the "not future" one.
    if (s.date && today && s.date > today) continue;
    if (s.date && date < s.date) return refuse(`${label} ${date} 早于${s.label}（${s.date}），请核对日期`);
  }
  return OK;
}

export type PromiseContext = {
  today: string;
  intakeDate: string;
  materialName: string;
  /** Entering a 补录 case from paper: its promise may already be past, but not before its 受理日期. */
  backfillIntake?: boolean;
};

/** 承诺补交日期 of a 容缺 material: a promise about the future, within a year of intake. */
export function checkPromisedDate(date: string | null | undefined, c: PromiseContext): DateCheck {
  const what = `“${c.materialName}”的承诺补交日期`;
  if (!date) return refuse(`${what}还没有填写：容缺后补的材料需要申请人承诺补交日期`);
  const floor = c.backfillIntake ? c.intakeDate : c.today;
  if (date < floor) {
    return refuse(
      floor === c.today
        ? `${what} ${date} 已经过去（今天是 ${c.today}）：承诺补交是以后的日期，请和申请人约定今天或以后的日期`
        : `${what} ${date} 早于受理日期（${c.intakeDate}），请核对日期`,
    );
  }
  const latest = addCalendarDays(c.backfillIntake ? c.intakeDate : c.today, PROMISE_MAX_DAYS);
  if (date > latest) return refuse(`${what} ${date} 太远：最多约定一年以内（${latest} 以前），请核对日期`);
  return OK;
}
