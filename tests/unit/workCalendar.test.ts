import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkCalendar, loadBundledHolidayTables } from '../../domain/bundledData';
import { createWorkCalendar, holidayTablesFromJson, isCalendarDate, type HolidayTable } from '../../domain/workCalendar';
import { statutoryRestDays } from '../../domain/statutoryHolidays';

const rawJson: unknown = JSON.parse(readFileSync(new URL('../../data/holidays-cn.json', import.meta.url), 'utf8'));
const cal = createWorkCalendar(holidayTablesFromJson(rawJson));

describe('bundled holiday data', () => {
  it('loads the 2025 and 2026 tables with their sources', () => {
    const tables = loadBundledHolidayTables();
    expect(tables.map((t) => t.year)).toEqual([2025, 2026]);
    const t2026 = tables[1];
    expect(t2026.off).toHaveLength(33);
    expect(t2026.work).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(tables[0].work).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    const def = defaultWorkCalendar();
    expect(def.tableYears()).toEqual([2025, 2026]);
    expect(def.tableSource(2026)).toContain('2026年部分节假日安排');
    expect(def.tableSource(2027)).toBeUndefined();
    expect(defaultWorkCalendar()).toBe(def);
  });
});

describe('isWorkday', () => {
  it('follows the 2026 notice including 调休 working weekends', () => {
    expect(cal.isWorkday('2026-01-01')).toBe(false); // 元旦, Thursday
    expect(cal.isWorkday('2026-01-02')).toBe(false); // Friday inside the 元旦 period
    expect(cal.isWorkday('2026-01-04')).toBe(true); // Sunday, 调休上班
    expect(cal.isWorkday('2026-01-05')).toBe(true); // ordinary Monday
    expect(cal.isWorkday('2026-01-10')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2026-02-14')).toBe(true); // Saturday, 调休上班 before 春节
    expect(cal.isWorkday('2026-02-23')).toBe(false); // Monday, last day of 春节
    expect(cal.isWorkday('2026-02-28')).toBe(true); // Saturday, 调休上班 after 春节
  });

  it('estimates a year with no table: Monday–Friday less the statutory rest days', () => {
    expect(cal.isWorkday('2027-01-01')).toBe(false); // Friday, 元旦: a rest day by law before any notice
    expect(cal.isWorkday('2027-01-02')).toBe(false);
    expect(cal.isWorkday('2027-01-04')).toBe(true);
    expect(cal.hasTable(2027)).toBe(false);
    expect(cal.hasTable(2026)).toBe(true);
  });

  it('throws on malformed dates', () => {
    expect(() => cal.isWorkday('2026-02-30')).toThrow(/日期格式不正确/);
    expect(() => cal.isWorkday('2026-2-3')).toThrow();
    expect(() => cal.isWorkday('')).toThrow();
  });
});

describe('addWorkdays (民法典第二百零一条: start day not counted)', () => {
  it('n = 0 returns the same date, even on a holiday', () => {
    expect(cal.addWorkdays('2026-02-16', 0)).toEqual({ date: '2026-02-16', estimated: false });
    expect(cal.addWorkdays('2027-06-01', 0)).toEqual({ date: '2027-06-01', estimated: false });
  });

  it('intake on the Friday before the 2026 Spring Festival', () => {
    const d = (n: number) => cal.addWorkdays('2026-02-13', n).date;
    expect(d(1)).toBe('2026-02-14'); // 调休 Saturday
    expect(d(2)).toBe('2026-02-24'); // 15–23 off
    expect(d(3)).toBe('2026-02-25');
    expect(d(5)).toBe('2026-02-27');
    expect(d(6)).toBe('2026-02-28'); // 调休 Saturday
    expect(d(7)).toBe('2026-03-02');
    expect(cal.addWorkdays('2026-02-13', 7).estimated).toBe(false);
  });

  it('intake on the Friday before the 2025 Spring Festival', () => {
    const d = (n: number) => cal.addWorkdays('2025-01-24', n).date;
    expect(d(1)).toBe('2025-01-26'); // 调休 Sunday
    expect(d(2)).toBe('2025-01-27');
    expect(d(3)).toBe('2025-02-05'); // Jan 28 – Feb 4 off
    expect(d(6)).toBe('2025-02-08'); // 调休 Saturday
    expect(d(7)).toBe('2025-02-10');
  });

  it('other holidays of 2025 and 2026', () => {
    expect(cal.addWorkdays('2026-04-03', 1).date).toBe('2026-04-07'); // Friday before 清明, Apr 4–6 off
    expect(cal.addWorkdays('2026-04-30', 1).date).toBe('2026-05-06'); // 劳动节 May 1–5
    expect(cal.addWorkdays('2026-04-30', 4).date).toBe('2026-05-09'); // 调休 Saturday
    expect(cal.addWorkdays('2026-04-30', 5).date).toBe('2026-05-11');
    expect(cal.addWorkdays('2026-09-18', 1).date).toBe('2026-09-20'); // 调休 Sunday
    expect(cal.addWorkdays('2026-09-24', 1).date).toBe('2026-09-28'); // 中秋 Sep 25–27
    expect(cal.addWorkdays('2026-09-30', 1).date).toBe('2026-10-08'); // 国庆 Oct 1–7
    expect(cal.addWorkdays('2026-09-30', 3).date).toBe('2026-10-10'); // 调休 Saturday
    expect(cal.addWorkdays('2025-09-26', 1).date).toBe('2025-09-28');
    expect(cal.addWorkdays('2025-09-30', 1).date).toBe('2025-10-09'); // 国庆中秋 Oct 1–8
    expect(cal.addWorkdays('2025-09-30', 3).date).toBe('2025-10-11');
    expect(cal.addWorkdays('2025-09-30', 4).date).toBe('2025-10-13');
    expect(cal.addWorkdays('2025-05-30', 1).date).toBe('2025-06-03'); // 端午 May 31 – Jun 2
  });

  it('crosses from 2025 into 2026 using both tables', () => {
    expect(cal.addWorkdays('2025-12-31', 1)).toEqual({ date: '2026-01-04', estimated: false });
    expect(cal.addWorkdays('2025-12-31', 2)).toEqual({ date: '2026-01-05', estimated: false });
  });

  it('estimates 2027 from the statutory rest days and flags it as estimated', () => {
    expect(cal.addWorkdays('2026-12-30', 1)).toEqual({ date: '2026-12-31', estimated: false });
    expect(cal.addWorkdays('2026-12-31', 1)).toEqual({ date: '2027-01-04', estimated: true }); // 元旦 Fri, weekend
    expect(cal.addWorkdays('2026-12-31', 3)).toEqual({ date: '2027-01-06', estimated: true });
    // 除夕 Fri 5 Feb to 初三 Mon 8 Feb 2027.
    expect(cal.addWorkdays('2027-02-04', 1)).toEqual({ date: '2027-02-09', estimated: true });
    expect(cal.addWorkdays('2027-03-05', 1)).toEqual({ date: '2027-03-08', estimated: true });
  });

  it('flags a year without table only when days of it are counted', () => {
    expect(cal.addWorkdays('2024-12-31', 1)).toEqual({ date: '2025-01-02', estimated: false });
    expect(cal.addWorkdays('2024-12-30', 1)).toEqual({ date: '2024-12-31', estimated: true });
  });

  it('rejects n that is negative, fractional or not a number', () => {
    expect(() => cal.addWorkdays('2026-01-05', -1)).toThrow(/工作日天数/);
    expect(() => cal.addWorkdays('2026-01-05', 1.5)).toThrow(/工作日天数/);
    expect(() => cal.addWorkdays('2026-01-05', Number.NaN)).toThrow(/工作日天数/);
    expect(() => cal.addWorkdays('2026-01-05', '3' as unknown as number)).toThrow(/工作日天数/);
    expect(() => cal.addWorkdays('2026-01-05', 1e9)).toThrow(/工作日天数/);
    expect(() => cal.addWorkdays('2026-13-01', 1)).toThrow(/日期格式不正确/);
  });
});

describe('workdaysBetween (from < d <= to)', () => {
  it('counts hand-checked spans', () => {
    expect(cal.workdaysBetween('2026-02-13', '2026-02-28')).toBe(6);
    expect(cal.workdaysBetween('2026-02-13', '2026-03-02')).toBe(7);
    expect(cal.workdaysBetween('2026-01-01', '2026-01-31')).toBe(21);
    expect(cal.workdaysBetween('2026-02-14', '2026-02-14')).toBe(0);
    expect(cal.workdaysBetween('2026-03-02', '2026-02-13')).toBe(0);
  });

  it('gives 248 working days for both 2025 and 2026, and 254 for 2027 by estimate', () => {
    expect(cal.workdaysBetween('2024-12-31', '2025-12-31')).toBe(248);
    expect(cal.workdaysBetween('2025-12-31', '2026-12-31')).toBe(248);
    // 261 weekdays less the 7 statutory rest days on weekdays (1 Jan, 5 and 8 Feb, 5 Apr, 9 Jun, 15 Sep, 1 Oct).
    expect(cal.workdaysBetweenDetailed('2026-12-31', '2027-12-31')).toEqual({
      count: 254,
      estimated: true,
      estimatedYears: [2027],
    });
    expect(cal.workdaysBetweenDetailed('2025-01-01', '2026-06-30')).toEqual({
      count: cal.workdaysBetween('2025-01-01', '2026-06-30'),
      estimated: false,
      estimatedYears: [],
    });
    expect(cal.workdaysBetweenDetailed('2023-06-01', '2028-01-03').estimatedYears).toEqual([2023, 2024, 2027, 2028]);
  });

  it('agrees with a brute-force walk and with addWorkdays', () => {
    const tables = holidayTablesFromJson(rawJson);
    const off = new Set(tables.flatMap((t) => t.off));
    const work = new Set(tables.flatMap((t) => t.work));
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const tableYears = new Set(tables.map((t) => String(t.year)));
    const statutory = new Set([2024, 2027, 2028].flatMap((y) => statutoryRestDays(y).map((h) => h.date)));
    const bruteIsWork = (s: string) => {
      if (work.has(s)) return true;
      if (off.has(s)) return false;
      if (!tableYears.has(s.slice(0, 4)) && statutory.has(s)) return false;
      const w = new Date(`${s}T00:00:00Z`).getUTCDay();
      return w !== 0 && w !== 6;
    };
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const base = Date.UTC(2024, 5, 1);
    for (let i = 0; i < 400; i++) {
      const start = iso(base + (rnd() % 1100) * 86_400_000);
      const n = rnd() % 60;
      // brute force addWorkdays
      let t = Date.parse(`${start}T00:00:00Z`);
      let left = n;
      while (left > 0) {
        t += 86_400_000;
        if (bruteIsWork(iso(t))) left--;
      }
      const r = cal.addWorkdays(start, n);
      expect(r.date).toBe(iso(t));
      expect(cal.workdaysBetween(start, r.date)).toBe(n);
      if (n > 0) expect(cal.isWorkday(r.date)).toBe(true);
      const end = iso(Date.parse(`${start}T00:00:00Z`) + (rnd() % 400) * 86_400_000);
      let count = 0;
      for (let u = Date.parse(`${start}T00:00:00Z`) + 86_400_000; u <= Date.parse(`${end}T00:00:00Z`); u += 86_400_000) {
        if (bruteIsWork(iso(u))) count++;
      }
      expect(cal.workdaysBetween(start, end)).toBe(count);
    }
  });
});

describe('missingYears', () => {
  it('lists years without a table', () => {
    expect(cal.missingYears(2024, 2028)).toEqual([2024, 2027, 2028]);
    expect(cal.missingYears(2025, 2026)).toEqual([]);
    expect(cal.missingYears(2028, 2024)).toEqual([]);
    expect(() => cal.missingYears(2024.5, 2026)).toThrow();
  });
});

describe('time zone independence', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('gives the same dates whatever the machine time zone', () => {
    const results: string[] = [];
    for (const tz of ['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      process.env.TZ = tz;
      const c = createWorkCalendar(holidayTablesFromJson(rawJson));
      results.push(
        [c.addWorkdays('2026-02-13', 2).date, c.addWorkdays('2026-12-31', 3).date, String(c.workdaysBetween('2025-12-31', '2026-12-31'))].join(
          ',',
        ),
      );
    }
    expect(new Set(results)).toEqual(new Set(['2026-02-24,2027-01-06,248']));
  });
});

describe('performance', () => {
  // How fast is measured by `npm run bench -- calendar`, not here: a timed test fails on a busy machine.
  it('gives the same due date however often it is asked, across official and estimated years', () => {
    const starts: string[] = [];
    for (let i = 0; i < 1000; i++) starts.push(new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
    const first = starts.map((d) => cal.addWorkdays(d, 30).date);
    for (let i = 0; i < 20_000; i++) expect(cal.addWorkdays(starts[i % 1000], 30).date).toBe(first[i % 1000]);
    expect(first.every(isCalendarDate)).toBe(true);
  });
});

describe('holiday table validation', () => {
  const good = (): Record<string, unknown> => ({
    years: {
      '2026': {
        source: '测试通知',
        periods: [{ name: '元旦', off: ['2026-01-01', '2026-01-02', '2026-01-03'], work: ['2026-01-04'] }],
      },
    },
  });

  it('accepts a minimal well-formed file and ignores unknown fields', () => {
    const json = { ...good(), about: 'x', extra: 1 };
    expect(holidayTablesFromJson(json)).toEqual([
      { year: 2026, source: '测试通知', off: ['2026-01-01', '2026-01-02', '2026-01-03'], work: ['2026-01-04'] },
    ]);
  });

  const mutate = (f: (y: Record<string, unknown>, p: Record<string, unknown>) => void): unknown => {
    const json = good();
    const year = (json.years as Record<string, Record<string, unknown>>)['2026'];
    f(year, (year.periods as Record<string, unknown>[])[0]);
    return json;
  };

  const malformed: [string, unknown][] = [
    ['null', null],
    ['an array', []],
    ['a string', '{"years":{}}'],
    ['no years', {}],
    ['empty years', { years: {} }],
    ['years as array', { years: [] }],
    ['bad year key', { years: { '20x6': { source: 's', periods: [] } } }],
    ['year before 1900', { years: { '1899': { source: 's', periods: [] } } }],
    ['year entry null', { years: { '2026': null } }],
    ['missing source', mutate((y) => delete y.source)],
    ['blank source', mutate((y) => (y.source = '  '))],
    ['periods not an array', mutate((y) => (y.periods = {}))],
    ['period not an object', mutate((y) => (y.periods = ['元旦']))],
    ['period without name', mutate((_y, p) => delete p.name)],
    ['off missing', mutate((_y, p) => delete p.off)],
    ['work not an array', mutate((_y, p) => (p.work = '2026-01-04'))],
    ['number in off', mutate((_y, p) => (p.off = [20260101]))],
    ['impossible date', mutate((_y, p) => (p.off = ['2026-02-30']))],
    ['unpadded date', mutate((_y, p) => (p.off = ['2026-1-1']))],
    ['date with time', mutate((_y, p) => (p.off = ['2026-01-01T00:00:00Z']))],
    ['date of another year', mutate((_y, p) => (p.off = ['2025-12-31']))],
    ['work day on a weekday', mutate((_y, p) => (p.work = ['2026-01-05']))],
    ['off and work overlap', mutate((_y, p) => (p.work = ['2026-01-03']))],
    ['huge list', mutate((_y, p) => (p.off = Array.from({ length: 400 }, () => '2026-01-01')))],
  ];

  it.each(malformed)('rejects %s', (_label, json) => {
    expect(() => holidayTablesFromJson(json)).toThrow(/节假日数据格式不正确/);
  });

  it('createWorkCalendar validates tables too and rejects duplicate years', () => {
    const t: HolidayTable = { year: 2026, source: 's', off: ['2026-01-01'], work: [] };
    expect(() => createWorkCalendar([t, { ...t }])).toThrow(/2026 年的表重复/);
    expect(() => createWorkCalendar([{ ...t, off: ['2026-02-29'] }])).toThrow(/节假日数据格式不正确/);
    expect(() => createWorkCalendar([{ ...t, year: 2026.5 }])).toThrow(/节假日数据格式不正确/);
    expect(createWorkCalendar([]).addWorkdays('2026-01-01', 1)).toEqual({ date: '2026-01-02', estimated: true });
  });
});
