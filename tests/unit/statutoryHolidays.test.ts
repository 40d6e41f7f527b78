// The estimate for a year without the State Council's notice: the statutory rest days of
// 《全国年节及纪念日放假办法》, with lunar dates and the 清明 solar term from tyme4ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';
import { statutoryRestDays } from '../../domain/statutoryHolidays';
import { createWorkCalendar, holidayTablesFromJson } from '../../domain/workCalendar';

const json = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));
const iso = (d: SolarDay) => `${d.getYear()}-${String(d.getMonth()).padStart(2, '0')}-${String(d.getDay()).padStart(2, '0')}`;
const namesOn = (year: number) => Object.fromEntries(statutoryRestDays(year).map((h) => [h.date, h.name]));

describe('statutory rest days (2024 revision, from 2025)', () => {
  it('2027: 除夕 5 Feb, 清明 5 Apr, 端午 9 Jun, 中秋 15 Sep', () => {
    expect(statutoryRestDays(2027)).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' },
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-04-05', name: '清明节' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-06-09', name: '端午节' },
      { date: '2027-09-15', name: '中秋节' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
    ]);
  });

  it('2028–2030 follow the lunar calendar and the solar terms of the library', () => {
    const hand: Record<number, [string, string, string, string]> = {
      // 除夕, 清明, 端午, 中秋
      2028: ['2028-01-25', '2028-04-04', '2028-05-28', '2028-10-03'],
      2029: ['2029-02-12', '2029-04-04', '2029-06-16', '2029-09-22'],
      2030: ['2030-02-02', '2030-04-05', '2030-06-05', '2030-09-12'],
    };
    for (let y = 2027; y <= 2030; y++) {
      const days = namesOn(y);
      const newYear = LunarDay.fromYmd(y, 1, 1).getSolarDay();
      for (let k = -1; k <= 2; k++) expect(days[iso(newYear.next(k))], `${y} 春节`).toBe('春节');
      expect(days[iso(SolarTerm.fromName(y, '清明').getSolarDay())]).toBe('清明节');
      expect(days[iso(LunarDay.fromYmd(y, 5, 5).getSolarDay())]).toBe('端午节');
      const midAutumn = iso(LunarDay.fromYmd(y, 8, 15).getSolarDay());
      // 2028: 中秋 falls on 3 October, inside 国庆; the date is a rest day once.
      expect(days[midAutumn]).toBe(midAutumn === `${y}-10-03` ? '国庆节' : '中秋节');
      if (hand[y]) {
        const [eve, qingming, duanwu, zhongqiu] = hand[y];
        expect([iso(newYear.next(-1)), iso(SolarTerm.fromName(y, '清明').getSolarDay()), iso(LunarDay.fromYmd(y, 5, 5).getSolarDay()), midAutumn]).toEqual([
          eve,
          qingming,
          duanwu,
          zhongqiu,
        ]);
      }
      for (const d of [`${y}-01-01`, `${y}-05-01`, `${y}-05-02`, `${y}-10-01`, `${y}-10-02`, `${y}-10-03`]) expect(days[d], d).toBeDefined();
    }
    expect(statutoryRestDays(2028)).toHaveLength(12);
  });

  it('are rest days in every official table we have, ours and other projects’ (2025, 2026)', () => {
    const ext = new URL('../fixtures/external', import.meta.url).pathname;
    const official: Record<string, Set<string>> = {};
    for (const t of holidayTablesFromJson(json(new URL('../../data/holidays-cn.json', import.meta.url).pathname))) {
      official[`ours-${t.year}`] = new Set(t.off);
    }
    for (const y of [2025, 2026]) {
      const nate = json(`${ext}/holiday-cn-${y}.json`) as { days: { date: string; isOffDay: boolean }[] };
      official[`holiday-cn-${y}`] = new Set(nate.days.filter((d) => d.isOffDay).map((d) => d.date));
      const vsme = json(`${ext}/chinese-days-2025-2026.json`) as { years: Record<string, { off: string[] }> };
      official[`chinese-days-${y}`] = new Set(vsme.years[String(y)].off);
    }
    expect(Object.keys(official)).toHaveLength(6);
    for (const [name, off] of Object.entries(official)) {
      const year = Number(name.slice(-4));
      for (const h of statutoryRestDays(year)) expect(off.has(h.date), `${name}: ${h.date} ${h.name}`).toBe(true);
    }
  });
});

describe('earlier revisions of the law', () => {
  it('2014–2024: 春节 from 正月初一, 劳动节 one day', () => {
    const d = namesOn(2024);
    expect(d['2024-02-09']).toBeUndefined(); // 除夕 was not a statutory day before 2025
    expect([d['2024-02-10'], d['2024-02-11'], d['2024-02-12']]).toEqual(['春节', '春节', '春节']);
    expect(d['2024-05-02']).toBeUndefined();
    expect(statutoryRestDays(2024)).toHaveLength(11);
  });

  it('2008–2013: 春节 from 除夕; 2000–2007: no 清明, 端午, 中秋, and 劳动节 three days', () => {
    expect(namesOn(2010)['2010-02-13']).toBe('春节'); // 除夕
    expect(namesOn(2005)['2005-05-03']).toBe('劳动节');
    expect(Object.values(namesOn(2005))).not.toContain('清明节');
  });

  it('cover the whole supported range and refuse years outside it', () => {
    expect(statutoryRestDays(1900).length).toBeGreaterThan(0);
    expect(statutoryRestDays(9999).length).toBe(13);
    expect(() => statutoryRestDays(1899)).toThrow(/1900 到 9999/);
    expect(() => statutoryRestDays(2027.5)).toThrow();
  });
});

describe('the calendar', () => {
  const tables = holidayTablesFromJson(json(new URL('../../data/holidays-cn.json', import.meta.url).pathname));

  it('lets an official table win over the estimate where there is one', () => {
    const withTables = createWorkCalendar(tables);
    const estimateOnly = createWorkCalendar([]);
    // The 2026 notice extends 春节 to Monday 23 Feb and makes Saturday 14 Feb a working day;
    // the statutory estimate (除夕 16 Feb – 初三 19 Feb) knows neither.
    expect(withTables.isWorkday('2026-02-23')).toBe(false);
    expect(estimateOnly.isWorkday('2026-02-23')).toBe(true);
    expect(withTables.isWorkday('2026-02-14')).toBe(true);
    expect(estimateOnly.isWorkday('2026-02-14')).toBe(false);
    expect(estimateOnly.isWorkday('2026-02-16')).toBe(false);
    expect(withTables.addWorkdays('2026-02-13', 1)).toEqual({ date: '2026-02-14', estimated: false });
    expect(estimateOnly.addWorkdays('2026-02-13', 1)).toEqual({ date: '2026-02-20', estimated: true });
  });

  it('counts 2027–2030 as weekdays less their statutory rest days on weekdays, flagged as estimated', () => {
    const cal = createWorkCalendar(tables);
    for (let y = 2027; y <= 2030; y++) {
      let weekdays = 0;
      for (let t = Date.UTC(y, 0, 1); t < Date.UTC(y + 1, 0, 1); t += 86_400_000) {
        const w = new Date(t).getUTCDay();
        if (w !== 0 && w !== 6) weekdays++;
      }
      const offOnWeekdays = statutoryRestDays(y).filter((h) => ![0, 6].includes(new Date(`${h.date}T00:00:00Z`).getUTCDay())).length;
      expect(cal.workdaysBetweenDetailed(`${y - 1}-12-31`, `${y}-12-31`), String(y)).toEqual({
        count: weekdays - offOnWeekdays,
        estimated: true,
        estimatedYears: [y],
      });
      for (const h of statutoryRestDays(y)) expect(cal.isWorkday(h.date), h.date).toBe(false);
    }
  });
});
