// The statutory rest days (全体公民放假的节日) of 《全国年节及纪念日放假办法》, used to estimate a year
// whose State Council notice (with its 调休 and bridge days) is not yet published or received.
// The days themselves are certain before the notice: the law fixes them, and the lunar dates and
// the 清明 solar term come from a maintained calendar library (tyme4ts), not a hand-made table.
//
// The law changed over time; each year is estimated with the revision in force that year:
//   2024 revision (from 2025): 元旦 1, 春节 4 (除夕–正月初三), 清明 1, 劳动节 2 (5/1–5/2), 端午 1, 中秋 1, 国庆 3
//   2013 revision (2014–2024): 元旦 1, 春节 3 (正月初一–初三), 清明 1, 劳动节 1, 端午 1, 中秋 1, 国庆 3
//   2007 revision (2008–2013): 元旦 1, 春节 3 (除夕–正月初二), 清明 1, 劳动节 1, 端午 1, 中秋 1, 国庆 3
//   1999 revision (2000–2007): 元旦 1, 春节 3 (正月初一–初三), 劳动节 3, 国庆 3
//   1949 original  (to 1999):  元旦 1, 春节 3 (正月初一–初三), 劳动节 1, 国庆 2

import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';

export type StatutoryHoliday = { date: string; name: string };

type Revision = {
  from: number;
  /** Days of 春节 counted from 正月初一 (除夕 = -1). */
  springOffsets: number[];
  mayDays: number;
  octDays: number;
  /** 清明, 端午 and 中秋 are statutory rest days. */
  traditional: boolean;
};

// Newest first.
const REVISIONS: Revision[] = [
  { from: 2025, springOffsets: [-1, 0, 1, 2], mayDays: 2, octDays: 3, traditional: true },
  { from: 2014, springOffsets: [0, 1, 2], mayDays: 1, octDays: 3, traditional: true },
  { from: 2008, springOffsets: [-1, 0, 1], mayDays: 1, octDays: 3, traditional: true },
  { from: 2000, springOffsets: [0, 1, 2], mayDays: 3, octDays: 3, traditional: false },
  { from: -Infinity, springOffsets: [0, 1, 2], mayDays: 1, octDays: 2, traditional: false },
];

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: SolarDay) => `${d.getYear()}-${pad(d.getMonth())}-${pad(d.getDay())}`;
const solar = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/**
 * The statutory rest days of `year` (1900–9999), ascending, one entry per date (when 中秋 falls
 * inside 国庆 the date is listed once, under 国庆). Weekend dates are included: whether a statutory
 * day on a weekend is made up by another day is for the yearly notice to say.
 */
export function statutoryRestDays(year: number): StatutoryHoliday[] {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new Error(`年份必须是 1900 到 9999 之间的整数：${year}`);
  const r = REVISIONS.find((v) => year >= v.from)!;
  const out = new Map<string, string>();
  const add = (date: string, name: string) => {
    if (!out.has(date)) out.set(date, name);
  };
  add(solar(year, 1, 1), '元旦');
  // 正月初一 of the lunar year that begins in this solar year (between 21 Jan and 20 Feb).
  const newYear = LunarDay.fromYmd(year, 1, 1).getSolarDay();
  for (const k of r.springOffsets) add(iso(newYear.next(k)), '春节');
  if (r.traditional) add(iso(SolarTerm.fromName(year, '清明').getSolarDay()), '清明节');
  for (let d = 1; d <= r.mayDays; d++) add(solar(year, 5, d), '劳动节');
  if (r.traditional) add(iso(LunarDay.fromYmd(year, 5, 5).getSolarDay()), '端午节');
  for (let d = 1; d <= r.octDays; d++) add(solar(year, 10, d), '国庆节');
  if (r.traditional) add(iso(LunarDay.fromYmd(year, 8, 15).getSolarDay()), '中秋节');
  return [...out].map(([date, name]) => ({ date, name })).sort((a, b) => (a.date < b.date ? -1 : 1));
}
