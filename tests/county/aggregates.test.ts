// The county keeps day figures, per-point case counts and a name index up to date with triggers
// (county/migrations/007_console_speed.ts). On a small county seeded with every status, odd rows
// (no dates, no status, decisions on open cases), follow-ups with changing ratings, and then edits,
// moves and deletions, they must give exactly what the direct definitions give:
// - every figure of domain/statistics.ts, per point and county-wide, for many periods and two
//   "todays", equals db/statistics.ts computeStatistics over the same cases;
// - the triggers' running sums equal the same sums computed again from scratch;
// - the name index finds exactly the applicants a substring test on names finds, and the ledger's
//   search counts only up to its cap ("1000+") while its page stays the newest cases first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { County } from '../../county/db';
import { countyNameMatch, countyPinyinMatch, searchCountyCases } from '../../county/console/cases';
import { applicantMatch } from '../../db/applicants';
import { pinyinKeys } from '../../domain/pinyin';
import { caseSearchPage } from '../../db/caseSearch';
import { pointFigures, sumFigures } from '../../county/console/statDays';
import { computeStatistics } from '../../db/statistics';
import { addCalendarDays } from '../../domain/deadlines';
import { emptyCounts } from '../../domain/statistics';
import { sql as MIGRATION_SQL } from '../../county/migrations/007_console_speed';
import { newDir, openCounty, removeDirs } from '../sync/helpers';

let county: County;
let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const maybe = <T>(p: number, v: () => T): T | null => (rand() < p ? v() : null);

const POINTS = ['150822101201', '150822101202', '150822102201', '150822103201'];
const STATUSES = ['accepted', 'handedUp', 'returned', 'decided', 'delivered', 'archived', 'withdrawn', 'refusedIntake'];
const NAMES = ['王秀兰', '李秀英', '张三', '阿卜杜·热合曼', '秀兰', '王', '欧阳秀兰芳', '五原县兰秀农业合作社', 'Li Na 李娜'];
const day = (i: number) => addCalendarDays('2025-11-01', i);

function caseRow(i: number) {
  const intake = maybe(0.97, () => day(Math.floor(rand() * 150)));
  const status = maybe(0.98, () => pick(STATUSES));
  const due = maybe(0.95, () => addCalendarDays(intake ?? day(60), Math.floor(rand() * 20)));
  const decidedStatus = status === 'decided' || status === 'delivered' || status === 'archived';
  // Mostly consistent with the status, sometimes not (a county must count what arrived).
  const decision = decidedStatus || rand() < 0.05 ? maybe(0.97, () => addCalendarDays(intake ?? day(70), Math.floor(rand() * 30))) : null;
  const withdrawn = status === 'withdrawn' ? maybe(0.8, () => addCalendarDays(intake ?? day(80), Math.floor(rand() * 25))) : null;
  return { id: `case-${i}`, point: pick(POINTS), status, intake, due, decision, withdrawn };
}

beforeAll(async () => {
  county = await openCounty({ dir: newDir('daiban-county-agg-') });
  const db = county.db;
  for (const p of POINTS) db.prepare(`INSERT INTO points (code, village_name, township_name, created_at, updated_at) VALUES (?, ?, ?, '', '')`).run(p, `村${p.slice(-3)}`, `镇${p.slice(6, 9)}`);
  const insApp = db.prepare(`INSERT INTO applicants (id, point_code, kind, name, name_pinyin, name_initials) VALUES (?, ?, 'person', ?, ?, ?)`);
  const app = (id: string, point: string, name: string | null) => {
    const k = name ? pinyinKeys(name) : { full: '', initials: '' };
    insApp.run(id, point, name, k.full, k.initials);
  };
  const insCase = db.prepare(
    `INSERT INTO cases (id, point_code, case_no, applicant_id, item_code, item_name, status, handling_mode, intake_date, due_date, decision_date, withdrawn_at, agent_id)
     VALUES (?, ?, ?, ?, 'MZ-0003', '事项', ?, 'proxy', ?, ?, ?, ?, 'agent')`,
  );
  const insFu = db.prepare(`INSERT INTO followups (id, point_code, case_id, kind, rating, followed_at, follow_date) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  county.tx(() => {
    for (let i = 0; i < 900; i++) {
      const c = caseRow(i);
      app(`app-${i}`, c.point, i % 50 === 0 ? null : `${pick(NAMES)}${i % 3 ? '' : pick(NAMES)}`);
      insCase.run(c.id, c.point, `${c.point}-${i}`, `app-${i}`, c.status, c.intake, c.due, c.decision, c.withdrawn);
      for (let k = Math.floor(rand() * 4); k > 0; k--) {
        const at = addCalendarDays(c.decision ?? c.intake ?? day(90), Math.floor(rand() * 10));
        insFu.run(`fu-${i}-${k}`, c.point, c.id, pick(['returnVisit', 'feedback']), maybe(0.7, () => 1 + Math.floor(rand() * 5)), `${at}T0${k}:00:00.000Z`, at);
      }
    }
  });
  // Then the kinds of writes that happen later: imports moving cases on, county decisions, rating
  // changes, follow-ups removed or moved to another case, cases moved to another point or removed,
  // applicants renamed or removed.
  county.tx(() => {
    for (let i = 0; i < 900; i += 3) {
      const c = caseRow(10_000 + i);
      db.prepare(`UPDATE cases SET status = ?, decision_date = ?, due_date = ?, withdrawn_at = ? WHERE id = ?`).run(c.status, c.decision, c.due, c.withdrawn, `case-${i}`);
    }
    for (let i = 1; i < 900; i += 7) db.prepare(`UPDATE cases SET intake_date = ?, point_code = ? WHERE id = ?`).run(day(Math.floor(rand() * 150)), pick(POINTS), `case-${i}`);
    for (let i = 2; i < 900; i += 11) db.prepare(`UPDATE cases SET status = 'decided', decision_date = ? WHERE id = ?`).run(day(Math.floor(rand() * 160)), `case-${i}`);
    for (let i = 0; i < 900; i += 5) db.prepare(`UPDATE followups SET rating = ? WHERE case_id = ?`).run(maybe(0.6, () => 1 + Math.floor(rand() * 5)), `case-${i}`);
    for (let i = 0; i < 900; i += 13) db.prepare(`UPDATE followups SET kind = 'returnVisit', followed_at = '2026-09-09T00:00:00.000Z' WHERE case_id = ?`).run(`case-${i}`);
    for (let i = 3; i < 900; i += 17) db.prepare(`UPDATE followups SET case_id = ? WHERE case_id = ?`).run(`case-${i + 1}`, `case-${i}`);
    for (let i = 4; i < 900; i += 19) db.prepare(`DELETE FROM followups WHERE case_id = ?`).run(`case-${i}`);
    for (let i = 5; i < 900; i += 23) db.prepare(`DELETE FROM cases WHERE id = ?`).run(`case-${i}`);
    for (let i = 6; i < 900; i += 29) db.prepare(`UPDATE applicants SET name = ? WHERE id = ?`).run(pick(NAMES), `app-${i}`);
    for (let i = 7; i < 900; i += 31) db.prepare(`DELETE FROM applicants WHERE id = ?`).run(`app-${i}`);
  });
});

afterAll(() => {
  county?.close();
  removeDirs();
});

describe('day figures', () => {
  const periods: [string, string][] = [
    ['2025-11-01', '2025-11-30'],
    ['2025-12-01', '2025-12-31'],
    ['2026-01-01', '2026-01-31'],
    ['2026-03-01', '2026-03-31'],
    ['2025-01-01', '2026-12-31'],
    ['2025-11-01', '2026-04-30'],
    ['2025-12-15', '2025-12-15'],
    ['2026-01-20', '2026-02-05'],
  ];
  const todays = ['2025-12-20', '2026-02-01', '2026-08-01'];

  it('give every figure exactly as the direct definitions do, per point and for the county', () => {
    let checked = 0;
    for (const today of todays) {
      for (const [from, to] of periods) {
        const p = { from, to, today };
        const per = pointFigures(county, p, { townshipCode: null, pointCode: null });
        for (const code of POINTS) {
          const direct = computeStatistics(county.db, { ...p, extraWhere: { sql: 'c.point_code = ?', params: [code] } }).totals;
          expect(sumFigures([per.get(code) ?? emptyCounts()]), `${code} ${from}–${to} today ${today}`).toEqual(direct);
          checked++;
        }
        expect(sumFigures(per.values())).toEqual(computeStatistics(county.db, p).totals);
        // A township's scope gives its points only.
        const town = pointFigures(county, p, { townshipCode: '150822101', pointCode: null });
        expect([...town.keys()].every((k) => k.startsWith('150822101'))).toBe(true);
        expect(sumFigures(town.values())).toEqual(computeStatistics(county.db, { ...p, extraWhere: { sql: 'c.point_code BETWEEN ? AND ?', params: ['150822101000', '150822101999'] } }).totals);
      }
    }
    expect(checked).toBe(todays.length * periods.length * POINTS.length);
    // The seed is not trivial: every figure is non-zero somewhere.
    const all = sumFigures(pointFigures(county, { from: '2025-01-01', to: '2026-12-31', today: '2026-08-01' }, { townshipCode: null, pointCode: null }).values());
    for (const [f, v] of Object.entries(all)) if (typeof v === 'number' && !f.endsWith('Rate')) expect(v, f).toBeGreaterThan(0);
  });

  it('keep the same running sums as counting again from scratch', () => {
    const db = county.db;
    const kept = db.prepare(`SELECT * FROM stat_days WHERE accepted + refused + due_decided + due_undecided + completed + return_visited + rated > 0 ORDER BY day, point_code`).all();
    const facts = db.prepare(`SELECT * FROM stat_case_facts WHERE case_id IN (SELECT case_id FROM followups) ORDER BY case_id`).all();
    const points = db.prepare(`SELECT * FROM stat_points WHERE cases > 0 ORDER BY point_code`).all();
    db.exec(`DELETE FROM stat_days; DELETE FROM stat_case_facts; DELETE FROM stat_points;`);
    // The migration's own backfill statements (everything between its table definitions and its triggers).
    db.exec(backfillSql());
    expect(db.prepare(`SELECT * FROM stat_days WHERE accepted + refused + due_decided + due_undecided + completed + return_visited + rated > 0 ORDER BY day, point_code`).all()).toEqual(kept);
    expect(db.prepare(`SELECT * FROM stat_case_facts ORDER BY case_id`).all()).toEqual(facts);
    expect(db.prepare(`SELECT * FROM stat_points WHERE cases > 0 ORDER BY point_code`).all()).toEqual(points);
    expect((db.prepare(`SELECT SUM(cases) AS n FROM stat_points`).get() as { n: number }).n).toBe((db.prepare(`SELECT COUNT(*) AS n FROM cases`).get() as { n: number }).n);
  });
});

describe('name index', () => {
  it('finds exactly the applicants whose name contains the text, or whose pinyin starts with it', () => {
    const db = county.db;
    const queries = ['秀', '兰', '王', '秀兰', '王秀', '兰秀', '张三', '三', '热合曼', '·热', '杜·', '欧阳秀兰芳', '李娜', 'Na', 'a 李', '合作社', '没有这个人', '兰芳农'];
    for (const q of queries) {
      const direct = (db.prepare(`SELECT id FROM applicants WHERE instr(name, ?) > 0 ORDER BY id`).all(q) as { id: string }[]).map((r) => r.id);
      const m = countyNameMatch(q);
      const indexed = (db.prepare(`SELECT a.id FROM applicants a WHERE ${m.sql} ORDER BY a.id`).all(...m.params) as { id: string }[]).map((r) => r.id);
      expect(indexed, q).toEqual(direct);
    }
    // Pinyin initials and full pinyin, read from the covering indexes: the village's matches.
    for (const q of ['w', 'wxl', 'wang', 'wangxiu', 'zs', 'x', 'ouyang', 'abdu', 'lina', 'q']) {
      const village = applicantMatch(q, '2026-01-01')!;
      const rows = (sql: string, params: unknown[]) => (db.prepare(`SELECT a.id FROM applicants a WHERE ${sql} ORDER BY a.id`).all(...params) as { id: string }[]).map((r) => r.id);
      const p = countyPinyinMatch(q);
      expect(rows(p.sql, p.params), q).toEqual(rows(village.sql, village.params));
    }
    expect(applicantMatch('wxl', '2026-01-01')!.sql).not.toContain('UNION');
    // The lookup goes through the index, not every name.
    const m = countyNameMatch('秀兰');
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT a.id FROM applicants a WHERE ${m.sql}`).all(...m.params) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH g USING PRIMARY KEY \(gram=\?\)/);
    expect(plan).not.toMatch(/SCAN applicants/);
  });
});

/** The backfill part of migration 007 (statements filling stat_case_facts, stat_points and stat_days). */
function backfillSql(): string {
  return MIGRATION_SQL.slice(MIGRATION_SQL.indexOf('INSERT INTO stat_case_facts'), MIGRATION_SQL.indexOf('-- A follow-up written'));
}

describe('ledger search at county size', () => {
  it('finds by name through the index what a substring test finds, and counts only up to its cap', () => {
    const all = { townshipCode: null, pointCode: null };
    const direct = (county.db.prepare(`SELECT c.id FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE instr(a.name, '秀兰') > 0`).all() as { id: string }[]).map((r) => r.id).sort();
    const found = searchCountyCases(county, { q: '秀兰', offset: 0, limit: 1000 }, all);
    expect(found.rows.map((r) => r.id).sort()).toEqual(direct);
    expect(found).toMatchObject({ total: direct.length, totalCapped: false });
    // A broad search stops counting at the cap and says so; its page is still the newest cases first.
    const ctx = { db: county.db, today: '2026-02-01', calendar: county.calendar };
    const page = caseSearchPage<{ id: string }>(ctx, { q: '', offset: 20, limit: 10 }, `SELECT c.id FROM cases c`, { countCap: 100 });
    expect(page.total).toBe(100);
    expect(page.totalCapped).toBe(true);
    const newest = (county.db.prepare(`SELECT id FROM cases c ORDER BY c.intake_date DESC, c.case_no DESC LIMIT 10 OFFSET 20`).all() as { id: string }[]).map((r) => r.id);
    expect(page.rows.map((r) => r.id)).toEqual(newest);
  });
});
