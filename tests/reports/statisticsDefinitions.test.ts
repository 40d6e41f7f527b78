// The SQL in db/statistics.ts and the definitions in domain/statistics.ts must count the same
// cases. A random register (rows written straight into the tables, any mix of states and dates)
// is counted both ways for many periods, overall and per group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRegister, type TestEnv } from '../support/tempRegister';
import { computeStatistics, listFigureCases } from '../../db/statistics';
import { COUNT_FIGURES, countCases, countsIn, type StatCase } from '../../domain/statistics';
import { addCalendarDays } from '../../domain/deadlines';
import type { CaseStatus } from '../../domain/caseStatus';
import type { Rating } from '../../domain/vocab';

let env: TestEnv;
type Row = StatCase & { id: string; itemCode: string; mode: string; agentId: string };
const rows: Row[] = [];

// Small deterministic PRNG so a failure can be replayed.
let seed = 20261120;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

beforeAll(async () => {
  env = await openTestRegister({ date: '2026-11-20' });
  const db = env.reg.db;
  const agents = (db.prepare('SELECT id FROM agents').all() as { id: string }[]).map((a) => a.id);
  const items = ['MZ-0003', 'RS-0001', 'YB-0001', 'WJ-0001', 'MZ-0005'];
  db.prepare(
    `INSERT INTO applicants (id, kind, name, created_at, created_by, updated_at, updated_by) VALUES ('app', 'person', '测试', 'x', 'x', 'x', 'x')`,
  ).run();
  const insCase = db.prepare(`INSERT INTO cases (id, case_no, applicant_id, item_code, item_name, status, handling_mode, intake_date, intake_at,
      committed_workdays, due_date, agent_id, decision_date, withdrawn_at, created_at, created_by, updated_at, updated_by)
      VALUES (@id, @id, 'app', @item, @item, @status, @mode, @intake, 'x', 5, @due, @agent, @decision, @withdrawn, 'x', 'x', 'x', 'x')`);
  const insF = db.prepare(`INSERT INTO followups (id, case_id, kind, method, reached, rating, followed_at, follow_date, agent_id, created_at, created_by)
      VALUES (@id, @caseId, @kind, 'phone', 1, @rating, @at, @date, @agent, 'x', 'x')`);
  const statuses: CaseStatus[] = ['accepted', 'handedUp', 'returned', 'decided', 'delivered', 'archived', 'withdrawn', 'refusedIntake'];
  const modes = ['guide', 'proxy', 'transfer', 'supervise'];
  for (let i = 0; i < 600; i++) {
    const intake = addCalendarDays('2026-07-01', Math.floor(rnd() * 150));
    const due = addCalendarDays(intake, 1 + Math.floor(rnd() * 40));
    let status = pick(statuses);
    let decision: string | null = null;
    let withdrawn: string | null = null;
    if (['decided', 'delivered', 'archived'].includes(status)) {
      decision = addCalendarDays(intake, Math.floor(rnd() * 45));
      if (decision > '2026-11-20') status = 'accepted';
      if (decision > '2026-11-20') decision = null;
    }
    if (status === 'withdrawn') withdrawn = addCalendarDays(intake, Math.floor(rnd() * 30));
    const id = `c${String(i).padStart(4, '0')}`;
    const row: Row = {
      id,
      itemCode: pick(items),
      mode: pick(modes),
      agentId: pick(agents),
      status,
      intakeDate: intake,
      dueDate: due,
      decisionDate: decision,
      withdrawnAt: withdrawn,
      hasReturnVisit: false,
      latestRating: null,
    };
    insCase.run({ id, item: row.itemCode, status, mode: row.mode, intake, due, agent: row.agentId, decision, withdrawn });
    // 0–3 follow-ups of random kinds, some rated; the latest rating (by time) is the case's rating.
    const n = status === 'refusedIntake' ? 0 : Math.floor(rnd() * 4);
    let latestAt = '';
    for (let k = 0; k < n; k++) {
      const kind = pick(['feedback', 'returnVisit', 'rectification']);
      const rating = rnd() < 0.6 ? (pick([1, 2, 3, 4, 5]) as Rating) : null;
      const date = addCalendarDays(intake, Math.floor(rnd() * 60));
      const at = `${date}T0${k}:00:00.000Z`;
      insF.run({ id: `${id}-f${k}`, caseId: id, kind, rating, at, date, agent: row.agentId });
      if (kind === 'returnVisit') row.hasReturnVisit = true;
      if (rating !== null && at >= latestAt) {
        latestAt = at;
        row.latestRating = rating;
      }
    }
    rows.push(row);
  }
});
afterAll(() => env?.close());

const PERIODS = [
  { from: '2026-07-01', to: '2026-07-31' },
  { from: '2026-08-01', to: '2026-08-31' },
  { from: '2026-10-01', to: '2026-12-31' },
  { from: '2026-11-01', to: '2026-11-30' },
  { from: '2026-01-01', to: '2026-12-31' },
  { from: '2026-09-13', to: '2026-10-02' },
  { from: '2027-01-01', to: '2027-03-31' },
];
const TODAYS = ['2026-11-20', '2026-09-15'];

describe('statistics: SQL and definitions agree', () => {
  for (const today of TODAYS) {
    for (const p of PERIODS) {
      it(`${p.from}..${p.to} seen on ${today}`, () => {
        const period = { ...p, today };
        // Cases entered after `today` do not exist yet on that day.
        const visible = rows.filter((r) => r.intakeDate <= today && (r.decisionDate ?? '') <= today);
        const expected = countCases(visible, period);
        const extraWhere = { sql: `c.intake_date <= ? AND COALESCE(c.decision_date, '') <= ?`, params: [today, today] };
        const got = computeStatistics(env.reg.db, { ...period, extraWhere });
        expect(got.totals).toEqual(expected);
        for (const groupBy of ['item', 'mode', 'agent', 'department'] as const) {
          const g = computeStatistics(env.reg.db, { ...period, extraWhere, groupBy });
          expect(g.totals).toEqual(expected);
          if (groupBy === 'item') {
            for (const grp of g.groups) expect(grp.figures).toEqual(countCases(visible.filter((r) => r.itemCode === grp.key), period));
          }
        }
        for (const f of COUNT_FIGURES) {
          const listed = listFigureCases(env.reg.db, { ...period, extraWhere, figure: f, offset: 0, limit: 1000 });
          const want = visible.filter((r) => countsIn(f, r, period)).map((r) => r.id).sort();
          expect(listed.rows.map((r) => r.id).sort(), f).toEqual(want);
        }
        // 超期 is the sum of its two parts: they never overlap.
        expect(visible.filter((r) => countsIn('overdueOpen', r, period) && countsIn('completedLate', r, period))).toEqual([]);
      });
    }
  }
});
