// Working-day calendar (工作日) for 限时办结 deadlines.
//
// Dates are plain 'YYYY-MM-DD' strings meaning a calendar day in China. Internally a date is a
// "day number" (days since 1970-01-01) computed with UTC arithmetic, so no result ever depends on
// the time zone of the laptop it runs on.
//
// Rules (State Council yearly notice, see data/holidays-cn.json):
//   - a date listed in `work` of its year's table is a working day (调休上班, always a weekend day);
//   - a date listed in `off` is a rest day;
//   - any other date is a working day Monday to Friday.
// A year with no published table is estimated: Monday–Friday, less the statutory rest days of
// 《全国年节及纪念日放假办法》 (domain/statutoryHolidays.ts: 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆,
// lunar dates from tyme4ts). The notice's 调休 working weekends cannot be known in advance, so
// every result that relied on such a year is flagged `estimated` and the UI says so.

import { statutoryRestDays } from './statutoryHolidays';

export type HolidayTable = {
  year: number;
  source: string;
  /** Every day of every announced holiday period (weekend days inside a period included). */
  off: string[];
  /** Weekend days announced as working days (调休上班). */
  work: string[];
};

export type WorkdaySum = {
  date: string;
  /** True when a year without a published table was walked through (statutory-days estimate). */
  estimated: boolean;
};

export type WorkdayCount = {
  count: number;
  /** True when `estimatedYears` is non-empty. */
  estimated: boolean;
  /** Years inside the counted span that have no published table (estimated), ascending. */
  estimatedYears: number[];
};

export interface WorkCalendar {
  /** Throws on a malformed date. */
  isWorkday(date: string): boolean;
  hasTable(year: number): boolean;
  /**
   * 民法典第二百零一条: the start day is not counted; returns the Nth working day after `date`
   * (n = 0 returns `date` itself, even when it is a rest day). `estimated` covers the days
   * actually walked, i.e. the span (date, result]; the start day's own year does not count.
   * Throws when n is not an integer in 0..MAX_WORKDAYS or the date is malformed.
   */
  addWorkdays(date: string, n: number): WorkdaySum;
  /** Number of working days d with from < d <= to; 0 when to <= from. Throws on malformed dates. */
  workdaysBetween(from: string, to: string): number;
  /** Same count as workdaysBetween, plus which years of (from, to] were estimated. */
  workdaysBetweenDetailed(from: string, to: string): WorkdayCount;
  /** Years in [fromYear, toYear] without a published table, ascending; [] when fromYear > toYear. */
  missingYears(fromYear: number, toYear: number): number[];
  /** Years that have a published table, ascending. */
  tableYears(): number[];
  /** The notice a year's table comes from, for display next to deadlines. */
  tableSource(year: number): string | undefined;
}

export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;
// A 承诺时限 is days to months; the cap only stops a corrupt value from spinning the loop.
export const MAX_WORKDAYS = 10_000;

const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function dayNumberOf(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

/** Day number of a real 'YYYY-MM-DD' date in MIN_YEAR..MAX_YEAR, or null. */
function tryDayNumber(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return dayNumberOf(y, mo, d);
}

function describe(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  // Hostile input can be huge; an error message only needs enough to find it.
  return s.length > 30 ? `${s.slice(0, 30)}…` : s;
}

function dayNumber(s: string): number {
  const n = tryDayNumber(s);
  if (n === null) throw new Error(`日期格式不正确，应为“年-月-日”（如 2026-01-05）的真实日期：${describe(s)}`);
  return n;
}

function formatDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOfDayNumber(n: number): number {
  return new Date(n * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

function isWeekend(n: number): boolean {
  const w = weekdayOf(n);
  return w === 0 || w === 6;
}

/** Monday–Friday days with day number <= n, counted from an arbitrary Monday; only differences matter. */
function weekdaysUpTo(n: number): number {
  const k = n - 4; // day 4 (1970-01-05) is a Monday
  const weeks = Math.floor(k / 7);
  const r = k - weeks * 7; // 0 = Monday
  return weeks * 5 + Math.min(r + 1, 5);
}

/** Count of values v in ascending `arr` with v <= x. */
function countUpTo(arr: readonly number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True for a real 'YYYY-MM-DD' calendar date between 1900 and 9999. */
export function isCalendarDate(s: string): boolean {
  return tryDayNumber(s) !== null;
}

function fail(detail: string): never {
  throw new Error(`节假日数据格式不正确：${detail}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkYear(year: unknown, where: string): number {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    fail(`${where}的年份“${describe(year)}”无效`);
  }
  return year;
}

// A year has at most 366 days; anything longer is corrupt or an attempt to exhaust memory.
const MAX_LIST = 366;

function checkDateList(list: unknown, year: number, where: string): string[] {
  if (!Array.isArray(list)) fail(`${where}必须是日期列表`);
  if (list.length > MAX_LIST) fail(`${where}的日期过多`);
  const out: string[] = [];
  for (const item of list) {
    const n = tryDayNumber(item);
    if (typeof item !== 'string' || n === null) fail(`${where}中的“${describe(item)}”不是有效日期（应为 YYYY-MM-DD）`);
    if (yearOfDayNumber(n) !== year) fail(`${where}中的 ${item} 不属于 ${year} 年`);
    out.push(item);
  }
  return out;
}

/** Validates one table (shape, real dates in its own year, consistent rules); returns a clean copy. */
function checkTable(t: unknown, index: number): HolidayTable {
  if (!isRecord(t)) fail(`第 ${index + 1} 张表必须是对象`);
  const year = checkYear(t.year, `第 ${index + 1} 张表`);
  const source = t.source;
  if (typeof source !== 'string' || source.trim() === '') fail(`${year} 年的表缺少发布来源（source）`);
  if (source.length > 500) fail(`${year} 年的发布来源过长`);
  const off = checkDateList(t.off, year, `${year} 年的放假日期（off）`);
  const work = checkDateList(t.work, year, `${year} 年的调休上班日期（work）`);
  const offSet = new Set(off);
  for (const w of work) {
    if (offSet.has(w)) fail(`${w} 同时出现在放假和调休上班日期中`);
    // The notice only ever moves weekend days to working days; a weekday here means a typo.
    if (!isWeekend(dayNumber(w))) fail(`调休上班日期 ${w} 不是周六或周日`);
  }
  return { year, source, off: [...offSet].sort(), work: [...new Set(work)].sort() };
}

/**
 * Parses the holidays-cn.json format ({ years: { "2026": { source, periods: [{ name, off, work }] } } })
 * into flat tables. Throws an Error with a Chinese message on anything malformed. Unknown extra
 * fields are ignored so that a newer county file with additional fields still loads.
 */
export function holidayTablesFromJson(json: unknown): HolidayTable[] {
  if (!isRecord(json)) fail('顶层必须是对象');
  const years = json.years;
  if (!isRecord(years)) fail('缺少“years”对象');
  const keys = Object.keys(years);
  if (keys.length === 0) fail('没有任何年份的安排');
  const tables: HolidayTable[] = [];
  keys.forEach((key, i) => {
    if (!/^\d{4}$/.test(key)) fail(`年份“${describe(key)}”无效，应为四位数字`);
    const year = checkYear(Number(key), `年份 ${key} `);
    const entry = years[key];
    if (!isRecord(entry)) fail(`${year} 年的安排必须是对象`);
    const periods = entry.periods;
    if (!Array.isArray(periods)) fail(`${year} 年缺少假期列表（periods）`);
    if (periods.length > 50) fail(`${year} 年的假期过多`);
    const off: unknown[] = [];
    const work: unknown[] = [];
    periods.forEach((p, j) => {
      const where = `${year} 年第 ${j + 1} 个假期`;
      if (!isRecord(p)) fail(`${where}必须是对象`);
      if (typeof p.name !== 'string' || p.name.trim() === '') fail(`${where}缺少名称（name）`);
      if (!Array.isArray(p.off)) fail(`${where}（${describe(p.name)}）的放假日期（off）必须是日期列表`);
      if (!Array.isArray(p.work)) fail(`${where}（${describe(p.name)}）的调休上班日期（work）必须是日期列表`);
      off.push(...checkDateList(p.off, year, `${where}（${p.name}）的放假日期`));
      work.push(...checkDateList(p.work, year, `${where}（${p.name}）的调休上班日期`));
    });
    tables.push(checkTable({ year, source: entry.source, off, work }, i));
  });
  return tables.sort((a, b) => a.year - b.year);
}

/** Builds an immutable calendar. Tables are validated again because they may come from sync or a database. */
export function createWorkCalendar(tables: readonly HolidayTable[]): WorkCalendar {
  if (!Array.isArray(tables)) fail('表列表必须是数组');
  const sources = new Map<number, string>();
  const off = new Set<number>();
  const work = new Set<number>();
  tables.forEach((raw, i) => {
    const t = checkTable(raw, i);
    if (sources.has(t.year)) fail(`${t.year} 年的表重复`);
    sources.set(t.year, t.source);
    for (const d of t.off) off.add(dayNumber(d));
    for (const d of t.work) work.add(dayNumber(d));
  });

  // Sorted adjustments against the Monday–Friday rule let workdaysBetween count any span in
  // O(log n) instead of walking it day by day (statistics count millions of spans).
  const offWeekdays = [...off].filter((n) => !isWeekend(n)).sort((a, b) => a - b);
  const workWeekends = [...work].sort((a, b) => a - b);
  const years = [...sources.keys()].sort((a, b) => a - b);

  // Statutory rest days of years without a table, computed once per year on first use (a lunar
  // computation, ~1 ms a year); only weekdays matter to the counts, as weekends are off anyway.
  // `estimatedOffDays` holds the days of every year computed so far, so the per-day check in
  // addWorkdays stays a set lookup; callers make sure a year is computed before asking about it.
  const estimatedOff = new Map<number, number[]>();
  const estimatedOffDays = new Set<number>();
  const estimatedOffOf = (year: number): number[] => {
    let weekdays = estimatedOff.get(year);
    if (!weekdays) {
      const days = statutoryRestDays(year).map((h) => dayNumber(h.date));
      for (const d of days) estimatedOffDays.add(d);
      weekdays = days.filter((n) => !isWeekend(n)).sort((a, b) => a - b);
      estimatedOff.set(year, weekdays);
    }
    return weekdays;
  };
  const prepareYear = (year: number): void => {
    if (!sources.has(year)) estimatedOffOf(year);
  };

  /** Requires prepareYear(year of n) first. */
  const isWorkdayNum = (n: number): boolean => {
    if (work.has(n)) return true;
    if (off.has(n)) return false;
    if (estimatedOffDays.has(n)) return false;
    return !isWeekend(n);
  };

  /** Statutory weekday rest days in (a, b] of the years in `years` (the ones without a table). */
  const estimatedOffBetween = (a: number, b: number, years: number[]): number => {
    let k = 0;
    for (const y of years) {
      const w = estimatedOffOf(y);
      k += countUpTo(w, b) - countUpTo(w, a);
    }
    return k;
  };

  const hasTable = (year: number): boolean => sources.has(year);

  const missingYears = (fromYear: number, toYear: number): number[] => {
    checkYearArg(fromYear);
    checkYearArg(toYear);
    const out: number[] = [];
    for (let y = fromYear; y <= toYear; y++) if (!sources.has(y)) out.push(y);
    return out;
  };

  const workdaysBetweenDetailed = (from: string, to: string): WorkdayCount => {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (b <= a) return { count: 0, estimated: false, estimatedYears: [] };
    const estimatedYears = missingYears(yearOfDayNumber(a + 1), yearOfDayNumber(b));
    const count =
      weekdaysUpTo(b) -
      weekdaysUpTo(a) -
      (countUpTo(offWeekdays, b) - countUpTo(offWeekdays, a)) +
      (countUpTo(workWeekends, b) - countUpTo(workWeekends, a)) -
      estimatedOffBetween(a, b, estimatedYears);
    return { count, estimated: estimatedYears.length > 0, estimatedYears };
  };

  const calendar: WorkCalendar = {
    isWorkday(date) {
      const n = dayNumber(date);
      prepareYear(yearOfDayNumber(n));
      return isWorkdayNum(n);
    },
    hasTable,
    addWorkdays(date, n) {
      const start = dayNumber(date);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_WORKDAYS) {
        throw new Error(`工作日天数必须是 0 到 ${MAX_WORKDAYS} 之间的整数：${describe(n)}`);
      }
      let d = start;
      let remaining = n;
      let estimated = false;
      // Exclusive end of the year being walked; the table lookup happens once per year, not per day.
      let yearEnd = Number.NEGATIVE_INFINITY;
      while (remaining > 0) {
        d += 1;
        if (d >= yearEnd) {
          const y = yearOfDayNumber(d);
          if (y > MAX_YEAR) throw new Error(`日期超出支持范围（${MAX_YEAR} 年以后）`);
          yearEnd = dayNumberOf(y + 1, 1, 1);
          if (!sources.has(y)) estimated = true;
          prepareYear(y);
        }
        if (isWorkdayNum(d)) remaining -= 1;
      }
      return { date: formatDayNumber(d), estimated };
    },
    workdaysBetween: (from, to) => workdaysBetweenDetailed(from, to).count,
    workdaysBetweenDetailed,
    missingYears,
    tableYears: () => [...years],
    tableSource: (year) => sources.get(year),
  };
  return Object.freeze(calendar);
}

function checkYearArg(y: number): void {
  if (typeof y !== 'number' || !Number.isInteger(y) || y < MIN_YEAR || y > MAX_YEAR) {
    throw new Error(`年份必须是 ${MIN_YEAR} 到 ${MAX_YEAR} 之间的整数：${describe(y)}`);
  }
}
