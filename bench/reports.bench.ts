// 打印与统计 benchmarks (`npm run bench reports`):
//   - a 1,000-row monthly ledger rendered to PDF (target ≤ 5 s, Chromium launch included);
//   - the statistics screen's queries for a whole year on a 100,000-case register (target ≤ 200 ms).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from './run';
import { Register } from '../db/register';
import { setupPoint } from '../db/point';
import { seedDemo, DEMO_SETUP } from '../db/seed';
import { createContext } from '../api/context';
import { createDaibanApi } from '../api/service';
import { closePdfRenderer } from '../print/pdfRenderer';
import { uuidv7 } from '../domain/ids';
import { formatCaseNumber } from '../domain/caseNumber';
import { chinaInstant } from '../db/clock';
import { GROUP_BYS, type GroupBy } from '../domain/statistics';

const TODAY = '2026-11-20';
const clockAt = (date: string, time = '18:00') => ({ nowMs: () => Date.parse(chinaInstant(date, time)) });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function openApi(dir: string, date: string) {
  const open = () => Register.open({ dataDir: dir, clock: clockAt(date) });
  const reg = await open();
  const ctx = createContext({ open, initial: reg, shell: 'web' });
  return { reg, ctx, api: createDaibanApi(ctx) };
}

/** 1,000 cases registered in October 2026, written straight into the tables (with prepared statements). */
function insertMonth(reg: Register, n: number): void {
  const db = reg.db;
  const agents = (db.prepare(`SELECT id FROM agents`).all() as { id: string }[]).map((a) => a.id);
  const items = db.prepare(`SELECT code, name FROM catalog_items ORDER BY code`).all() as { code: string; name: string }[];
  const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const given = '秀兰建国桂英志强丽娟海军玉梅永刚春花国华红霞宝山';
  const insA = db.prepare(`INSERT INTO applicants (id, kind, name, phone, created_at, created_by, updated_at, updated_by) VALUES (?, 'person', ?, ?, ?, ?, ?, ?)`);
  const insC = db.prepare(`INSERT INTO cases (id, case_no, applicant_id, item_code, item_name, status, handling_mode, intake_date, intake_at,
      committed_workdays, due_date, agent_id, handed_to, handed_at, decision, decision_date, delivery_method, delivered_at,
      created_at, created_by, updated_at, updated_by)
      VALUES (@id, @caseNo, @app, @code, @name, @status, @mode, @intake, @at, 10, @due, @agent, @handedTo, @handedAt, @decision, @decisionDate,
      @delivery, @deliveredAt, @at, @agent, @at, @agent)`);
  const insF = db.prepare(`INSERT INTO followups (id, case_id, kind, method, reached, rating, followed_at, follow_date, agent_id, created_at, created_by)
      VALUES (?, ?, 'returnVisit', 'phone', 1, ?, ?, ?, ?, ?, ?)`);
  reg.tx(() => {
    for (let i = 0; i < n; i++) {
      const day = 8 + (i % 23); // 10-08 .. 10-30
      const intake = `2026-10-${String(day).padStart(2, '0')}`;
      const at = chinaInstant(intake, '10:00');
      const agent = agents[i % agents.length];
      const app = uuidv7();
      insA.run(app, surnames[i % surnames.length] + given[(i * 7) % given.length] + (i % 3 ? given[(i * 3) % given.length] : ''), `139${String(10000000 + i * 7919).slice(-8)}`, at, agent, at, agent);
      const item = items[i % items.length];
      const done = i % 4 !== 0;
      const decisionDate = done ? `2026-11-${String(1 + (i % 19)).padStart(2, '0')}` : null;
      const id = uuidv7();
      insC.run({
        id,
        caseNo: formatCaseNumber('150822101201', intake, 1 + Math.floor(i / 23)),
        app,
        code: item.code,
        name: item.name,
        status: done ? 'delivered' : 'handedUp',
        mode: ['proxy', 'guide', 'transfer', 'supervise'][i % 4],
        intake,
        at,
        due: `2026-11-${String(1 + (i % 25)).padStart(2, '0')}`,
        agent,
        handedTo: i % 4 === 1 ? '' : '巴彦镇便民服务中心',
        handedAt: intake,
        decision: done ? (i % 10 ? 'approved' : 'refused') : null,
        decisionDate,
        delivery: done ? 'inPerson' : null,
        deliveredAt: decisionDate,
      });
      if (done && i % 2) insF.run(uuidv7(), id, 1 + (i % 5), at, decisionDate, agent, at, agent);
    }
  });
}

async function ledgerBench(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-ledger-'));
  try {
    const { reg, ctx, api } = await openApi(dir, TODAY);
    const { agentIds } = setupPoint(reg, DEMO_SETUP);
    ctx.session.agentId = agentIds[0];
    insertMonth(reg, 1000);
    let t = performance.now();
    const first = await api.savePdf({ kind: 'ledger', month: '2026-10' });
    const cold = performance.now() - t;
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await api.savePdf({ kind: 'ledger', month: '2026-10' });
      runs.push(performance.now() - t);
    }
    const bytes = Buffer.from(first.base64, 'base64');
    const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    report({ bench: 'reports', metric: 'ledger_1000_rows_pdf_ms_first', value: Math.round(cold), unit: 'ms', target: '<= 5000', ok: cold <= 5000, pages, note: 'includes starting Chromium' });
    report({ bench: 'reports', metric: 'ledger_1000_rows_pdf_ms', value: Math.round(median(runs)), unit: 'ms', target: '<= 5000', ok: median(runs) <= 5000, pages });
    reg.close();
  } finally {
    await closePdfRenderer();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function statisticsBench(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-stats-'));
  try {
    // A village register of 100,000 cases: ten years online (domain.md), about 10,000 a year.
    const { reg, ctx, api } = await openApi(dir, TODAY);
    const t0 = performance.now();
    const seeded = await seedDemo(reg, { cases: 100_000, years: 10 });
    report({ bench: 'reports', metric: 'seed_100k_cases_s', value: Math.round((performance.now() - t0) / 100) / 10, unit: 's' });
    ctx.session.agentId = (reg.db.prepare(`SELECT id FROM agents ORDER BY created_at LIMIT 1`).get() as { id: string }).id;
    // What the statistics screen asks when it opens a period: the figures with the table cut the
    // selected way (one call gives totals and groups) and the 差评 list.
    const screen = async (period: { from: string; to: string }, groupBy: GroupBy) => {
      const t = performance.now();
      const stats = await api.statistics({ ...period, groupBy });
      await api.statisticsCases({ ...period, figure: 'poor', limit: 50 });
      return { ms: performance.now() - t, stats };
    };
    const year = { from: '2026-01-01', to: '2026-12-31' };
    const first = await screen(year, 'item');
    const inYear = first.stats.totals.accepted + first.stats.totals.refused;
    report({ bench: 'reports', metric: 'statistics_year_first_ms', value: Math.round(first.ms), unit: 'ms', target: '<= 200', ok: first.ms <= 200, casesInYear: inYear, registerCases: seeded.cases });
    for (const by of Object.keys(GROUP_BYS) as GroupBy[]) {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push((await screen(year, by)).ms);
      const m = median(runs);
      report({ bench: 'reports', metric: `statistics_year_by_${by}_ms`, value: Math.round(m), unit: 'ms', target: '<= 200', ok: m <= 200, casesInYear: inYear });
    }
    // For information: the whole register as one range (all 100,000 cases).
    const all = { from: seeded.from, to: TODAY };
    const whole = async () => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push((await screen(all, 'item')).ms);
      return Math.round(median(runs));
    };
    report({ bench: 'reports', metric: 'statistics_whole_register_100k_ms', value: await whole(), unit: 'ms', note: 'informational: every case in one range' });
    reg.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(report: Report): Promise<void> {
  await ledgerBench(report);
  await statisticsBench(report);
}
