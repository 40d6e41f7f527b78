// Two laptops at one point, over real HTTP to a county service: each numbers its cases without asking
// anyone, the numbers never collide, and each laptop ends up holding (finding, continuing) all of them.
import { afterAll, describe, expect, it } from 'vitest';
import { startCountyServer } from '../../county/server';
import { createTicket, upsertPoint } from '../../county/enrol';
import { enrolByCode, runSync } from '../../sync/village/engine';
import { listConflicts } from '../../sync/village/state';
import { parseCaseNumber } from '../../domain/caseNumber';
import { runDoctor } from '../../db/doctor';
import { addCase, count, openCounty, openVillage, removeDirs, type Village } from './helpers';
import type { County } from '../../county/db';
import { verifyPointHistory } from '../../county/verify';

afterAll(removeDirs);

const POINT = '150822101201';

function ticket(county: County): string {
  return county.tx(() => {
    upsertPoint(county, { code: POINT, villageName: '红旗村', townshipName: '巴彦镇' });
    return createTicket(county, POINT, 7).code;
  });
}

async function caseNumbers(v: Village): Promise<string[]> {
  return (v.reg.db.prepare(`SELECT case_no FROM cases ORDER BY case_no`).all() as { case_no: string }[]).map((r) => r.case_no);
}

describe('two laptops at one point', () => {
  it('number 300 cases each on the same days without a duplicate, and each finds all 600', { timeout: 600_000 }, async () => {
    const county = await openCounty();
    const srv = await startCountyServer(county);
    const start = Date.UTC(2026, 10, 23, 1, 0, 0); // 09:00 in China, a Monday
    const a = await openVillage({ code: POINT });
    const b = await openVillage({ code: POINT });
    a.clock.ms = start;
    b.clock.ms = start + 7;
    try {
      await enrolByCode(a.reg, srv.url, ticket(county));
      await enrolByCode(b.reg, srv.url, ticket(county));
      // Both laptops record on the same two days, interleaved, syncing now and then.
      for (let i = 0; i < 300; i++) {
        if (i === 150) {
          a.clock.ms = start + 86_400_000;
          b.clock.ms = start + 86_400_000 + 7;
        }
        await addCase(a, { name: '张三' });
        await addCase(b, { name: '李四' });
        a.clock.ms += 1000;
        b.clock.ms += 1000;
        if (i % 100 === 99) {
          await runSync(a.reg);
          await runSync(b.reg);
        }
      }
      await runSync(a.reg);
      await runSync(b.reg);
      await runSync(a.reg);

      const na = await caseNumbers(a);
      const nb = await caseNumbers(b);
      expect(na).toHaveLength(600);
      expect(new Set(na).size).toBe(600);
      expect(nb).toEqual(na);
      // The first laptop's numbers keep the old form; the second laptop's carry its letter.
      const letters = new Set(na.map((n) => parseCaseNumber(n)!.letter));
      expect(letters).toEqual(new Set(['', 'B']));
      expect(na.filter((n) => parseCaseNumber(n)!.date === '2026-11-23')).toHaveLength(300);
      // The county holds every case once, under the same numbers.
      expect(count(county.db, `SELECT COUNT(*) AS n FROM cases WHERE point_code = ?`, POINT)).toBe(600);
      expect(count(county.db, `SELECT COUNT(DISTINCT case_no) AS n FROM cases WHERE point_code = ?`, POINT)).toBe(600);
      // Each laptop's history is its own chain at the county, vouched for by its own signed batches.
      expect(verifyPointHistory(county, POINT)).toMatchObject({ ok: true, devices: 2, unverifiable: 0, broken: null });

      // Each laptop finds the other's cases by number and by name, and can continue them.
      const fromB = nb.find((n) => parseCaseNumber(n)!.letter === 'B')!;
      const found = await a.api.searchCases({ q: fromB });
      expect(found.rows.map((c) => c.caseNo)).toEqual([fromB]);
      expect((await a.api.searchCases({ q: '李四', limit: 50 })).total).toBe(300);
      const id = found.rows[0].id;
      const handed = await a.api.transitionCase({ id, action: 'handUp', handedTo: '县民政局', note: '' });
      expect(handed.status).toBe('handedUp');
      await runSync(a.reg);
      await runSync(b.reg);
      expect((await b.api.getCase({ id })).status).toBe('handedUp');
      expect(runDoctor(a.reg).ok).toBe(true);
      expect(runDoctor(b.reg).ok).toBe(true);

      // Both laptops change the same case before either syncs: the later edit wins on both, and the
      // laptop whose edit lost sees the conflict, as with the county's decisions.
      await a.api.transitionCase({ id, action: 'withdraw', reason: '申请人撤回', note: '' });
      b.clock.ms += 60_000;
      await b.api.transitionCase({ id, action: 'returnForCorrection', note: '缺材料' });
      await runSync(b.reg);
      await runSync(a.reg);
      await runSync(b.reg);
      const sa = (await a.api.getCase({ id })).status;
      const sb = (await b.api.getCase({ id })).status;
      expect(sa).toBe(sb);
      expect(listConflicts(a.reg, false).length + listConflicts(b.reg, false).length).toBeGreaterThan(0);
    } finally {
      a.close();
      b.close();
      await srv.close();
      county.close();
    }
  });
});
