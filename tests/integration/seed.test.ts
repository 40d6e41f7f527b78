// The demo register: realistic, consistent with its own dates, and written through the ChangeWriter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRegister, type TestEnv } from '../support/tempRegister';
import { seedDemo, type SeedResult } from '../../db/seed';
import { runDoctor } from '../../db/doctor';
import { parseResidentId } from '../../domain/idNumber';
import { parsePhone } from '../../domain/phone';
import { OPEN_STATUSES } from '../../domain/caseStatus';

const TODAY = '2026-11-20';
const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(',');
let env: TestEnv;
let result: SeedResult;
let changesBefore = 0;

beforeAll(async () => {
  env = await openTestRegister({ date: TODAY });
  changesBefore = (env.reg.db.prepare(`SELECT COUNT(*) AS n FROM outbox`).get() as { n: number }).n;
  result = await seedDemo(env.reg, { cases: 2000 });
}, 120_000);
afterAll(() => env?.close());

const n = (sql: string, ...p: (string | number)[]) => (env.reg.db.prepare(sql).get(...p) as { n: number }).n;

describe('seedDemo (2,000 cases)', () => {
  it('writes every record with its history and its sync entry, and passes the data check', () => {
    expect(result.pointCreated).toBe(false);
    expect(n(`SELECT COUNT(*) AS n FROM cases`)).toBe(2000);
    const report = runDoctor(env.reg);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(n(`SELECT COUNT(*) AS n FROM outbox`)).toBe(changesBefore + result.changes);
    // The simulated clock walked forward: sync stamps follow the sequence and no change is in the future.
    expect(n(`SELECT COUNT(*) AS n FROM outbox a JOIN outbox b ON b.seq = a.seq + 1 WHERE b.hlc <= a.hlc`)).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM events WHERE at > ?`, env.reg.nowIso())).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE created_at < intake_at AND backfilled = 0`)).toBe(0);
  });

  it('gives every applicant a valid ID number of the county, a plausible birth date and a matching sex', () => {
    const rows = env.reg.db.prepare(`SELECT name, id_number, birth_date, sex, phone, village_group FROM applicants`).all() as {
      name: string;
      id_number: string;
      birth_date: string;
      sex: string;
      phone: string;
      village_group: string;
    }[];
    expect(rows.length).toBeGreaterThan(1000);
    for (const r of rows) {
      const p = parseResidentId(r.id_number, { today: TODAY });
      expect(p.ok, r.id_number).toBe(true);
      if (!p.ok) continue;
      expect(p.value.addressCode).toBe('150822');
      expect(p.value.birthDate).toBe(r.birth_date);
      expect(p.value.sex).toBe(r.sex);
      expect(r.birth_date >= '1935-01-01' && r.birth_date <= '2008-12-31').toBe(true);
      if (r.phone) expect(parsePhone(r.phone)).toMatchObject({ ok: true, value: { kind: 'mobile' } });
      expect(r.village_group).toMatch(/^第[一二三四五六七八]村民小组$/);
      expect([...r.name].length).toBeGreaterThanOrEqual(2);
      expect([...r.name].length).toBeLessThanOrEqual(4);
    }
    // Some villagers come back for another item.
    expect(n(`SELECT COUNT(*) AS n FROM (SELECT applicant_id FROM cases GROUP BY applicant_id HAVING COUNT(*) > 1)`)).toBeGreaterThan(50);
  });

  it('has a sane mix of statuses, consistent with the dates', () => {
    const total = 2000;
    const completed = n(`SELECT COUNT(*) AS n FROM cases WHERE decision_date IS NOT NULL`);
    expect(completed / total).toBeGreaterThan(0.8);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE decision = 'approved'`) / completed).toBeGreaterThan(0.8);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE decision = 'refused'`)).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE status = 'archived'`) / total).toBeGreaterThan(0.5);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE status = 'withdrawn'`)).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE status = 'refusedIntake'`)).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(DISTINCT case_id) AS n FROM events WHERE action = 'case.returnForCorrection'`)).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE backfilled = 1`)).toBeGreaterThan(0);

    // Overdue: some open cases past their due date, some completed late; most on time.
    const overdueOpen = n(`SELECT COUNT(*) AS n FROM cases WHERE status IN (${OPEN}) AND due_date < ?`, TODAY);
    expect(overdueOpen).toBeGreaterThan(0);
    const late = n(`SELECT COUNT(*) AS n FROM cases WHERE decision_date > due_date`);
    expect(late).toBeGreaterThan(0);
    expect(late / completed).toBeLessThan(0.25);

    // Dates follow the workflow; open cases are recent.
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE decision_date < intake_date OR handed_at < intake_date OR delivered_at < decision_date OR archived_at < delivered_at`)).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE intake_date > ? OR decision_date > ? OR delivered_at > ? OR archived_at > ?`, TODAY, TODAY, TODAY, TODAY)).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE status IN (${OPEN}) AND intake_date < date(?, '-400 days')`, TODAY)).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE status IN ('decided','delivered','archived') AND decision_date IS NULL`)).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE status IN ('delivered','archived') AND delivered_at IS NULL`)).toBe(0);

    // 低保, 养老保险 and 医保 are the most common items.
    const top = (env.reg.db.prepare(`SELECT item_code FROM cases GROUP BY item_code ORDER BY COUNT(*) DESC LIMIT 4`).all() as { item_code: string }[]).map((r) => r.item_code);
    expect(top).toEqual(expect.arrayContaining(['MZ-0001', 'YB-0001']));
    expect(top.some((c) => c.startsWith('RS-'))).toBe(true);
  });

  it('has 好差评 ratings, mostly satisfied, every 差评 with a rectification, most closed', () => {
    const rated = n(`SELECT COUNT(*) AS n FROM followups WHERE kind = 'returnVisit' AND rating IS NOT NULL`);
    const satisfied = n(`SELECT COUNT(*) AS n FROM followups WHERE kind = 'returnVisit' AND rating IN (1, 2)`);
    expect(rated).toBeGreaterThan(1000);
    expect(satisfied / rated).toBeGreaterThan(0.75);
    const poor = n(`SELECT COUNT(*) AS n FROM followups WHERE rating >= 4`);
    expect(poor).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(*) AS n FROM followups f WHERE f.rating >= 4 AND NOT EXISTS (SELECT 1 FROM rectifications r WHERE r.followup_id = f.id)`)).toBe(0);
    const closed = n(`SELECT COUNT(*) AS n FROM rectifications WHERE status = 'closed'`);
    expect(closed / poor).toBeGreaterThan(0.7);
    expect(n(`SELECT COUNT(*) AS n FROM rectifications WHERE status = 'closed' AND (closed_date < opened_date OR action_note = '')`)).toBe(0);
    expect(n(`SELECT COUNT(*) AS n FROM followups WHERE kind = 'feedback'`)).toBeGreaterThan(1000);
    expect(n(`SELECT COUNT(*) AS n FROM followups f JOIN cases c ON c.id = f.case_id WHERE f.follow_date < c.intake_date OR f.follow_date > ?`, TODAY)).toBe(0);
  });

  it('has visits of every category, some turned into cases and linked both ways', () => {
    const cats = (env.reg.db.prepare(`SELECT DISTINCT category FROM visits`).all() as { category: string }[]).map((r) => r.category).sort();
    expect(cats).toEqual(['complaint', 'consult', 'dispute', 'errand', 'help', 'report']);
    const toCase = n(`SELECT COUNT(*) AS n FROM visits WHERE case_id IS NOT NULL`);
    expect(toCase).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(*) AS n FROM visits v JOIN cases c ON c.id = v.case_id WHERE c.visit_id = v.id AND v.handling = 'toCase'`)).toBe(toCase);
    expect(n(`SELECT COUNT(*) AS n FROM cases WHERE visit_id IS NOT NULL`)).toBe(toCase);
    expect(n(`SELECT COUNT(*) AS n FROM visits WHERE settled_date IS NULL`)).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(*) AS n FROM visits WHERE handling = 'transferred' AND transferred_to = ''`)).toBe(0);
  });

  it('has deferred materials with promised dates, and a today screen with work to do', async () => {
    expect(n(`SELECT COUNT(*) AS n FROM events WHERE action = 'material.update'`)).toBeGreaterThan(0);
    expect(n(`SELECT COUNT(*) AS n FROM case_materials WHERE state = 'deferred' AND promised_date IS NULL`)).toBe(0);
    const t = await env.api.today({ limit: 20 });
    expect(t.overdue.count).toBeGreaterThan(0);
    expect(t.returnVisitsDue.count + t.feedbackDue.count).toBeGreaterThan(0);
    const found = await env.api.searchCases({ q: 'wang' });
    expect(found.total).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and a day, and sets up the demo point on an empty register', async () => {
    const pick = (e: TestEnv) =>
      e.reg.db.prepare(`SELECT c.case_no, a.name, a.id_number, c.item_code, c.status FROM cases c JOIN applicants a ON a.id = c.applicant_id ORDER BY c.case_no`).all();
    const a = await openTestRegister({ date: TODAY, setup: false });
    const b = await openTestRegister({ date: TODAY, setup: false });
    try {
      const ra = await seedDemo(a.reg, { cases: 150, seed: 42, years: 2 });
      const rb = await seedDemo(b.reg, { cases: 150, seed: 42, years: 2 });
      expect(ra.pointCreated).toBe(true);
      expect(rb.byStatus).toEqual(ra.byStatus);
      expect(pick(b)).toEqual(pick(a));
      const state = await a.api.getAppState({});
      expect(state.point?.villageCode).toBe('150822101201');
      expect(state.agents.map((x) => x.name)).toEqual(['王秀兰', '李建国']);
      await a.api.signIn({ agentId: state.agents[1].id, pin: '246135' });
      expect(runDoctor(a.reg).ok).toBe(true);
      // The register keeps working after the seed: a new intake gets the next number of the day.
      const item = await a.api.getCatalogItem({ code: 'YB-0001' });
      const c = await a.api.createCase({
        applicant: { kind: 'person', name: '新来的', idNumber: '150822199001010020', phone: '13912345678' },
        itemCode: item.code,
        handlingMode: 'proxy',
        materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
      });
      expect(c.caseNo.startsWith('150822101201-20261120-')).toBe(true);
      expect(runDoctor(a.reg).ok).toBe(true);
      const hlc = a.reg.db.prepare(`SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 2`).all() as { hlc: string }[];
      expect(hlc[0].hlc > hlc[1].hlc).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });
});
