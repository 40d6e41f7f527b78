// Village laptops with wrong clocks: one three days behind, one three days ahead, both editing the
// same case records as the county. Hybrid logical clocks order causally related edits correctly
// whatever the wall clocks say; concurrent edits of the same field keep the later one (by HLC) and
// leave a visible conflict with both values on both sides; the county shows each laptop's skew.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideCase } from '../../county/publish';
import { countyDoctor, countyStatus, skewText } from '../../county/report';
import { startCountyServer } from '../../county/server';
import { runDoctor } from '../../db/doctor';
import { chinaDate } from '../../db/clock';
import { enrolByFile, runSync, setCountyUrl } from '../../sync/village/engine';
import { listConflicts } from '../../sync/village/state';
import { TestClock } from '../support/tempRegister';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs } from './helpers';

afterAll(removeDirs);

const DAY = 86_400_000;
const FIELDS = ['status', 'decision', 'decision_date', 'decision_note', 'returned_at', 'handed_at', 'delivered_at'];

describe('clock skew', () => {
  it('orders edits by hybrid logical clocks, records concurrent edits as conflicts, and shows the skew', async () => {
    const T = Date.parse('2026-11-16T02:00:00.000Z'); // a Monday, 10:00 in China
    const countyClock = new TestClock(T);
    const county = await openCounty({ clock: countyClock });
    const behind = await openVillage({ code: '150822101201', village: '红旗村', clock: new TestClock(T - 3 * DAY) });
    const ahead = await openVillage({ code: '150822101202', village: '光明村', clock: new TestClock(T + 3 * DAY) });
    const srv = await startCountyServer(county);
    const tick = (ms: number) => {
      countyClock.ms += ms;
      behind.clock.ms += ms;
      ahead.clock.ms += ms;
    };
    try {
      for (const v of [behind, ahead]) {
        const f = path.join(newDir(), 'e.enrol');
        fs.writeFileSync(f, enrolmentFile(county, v.code, v.code.endsWith('1') ? '红旗村' : '光明村').bytes);
        enrolByFile(v.reg, f);
        setCountyUrl(v.reg, srv.url);
      }
      const a = await addCase(behind, { handUp: true });
      const b = await addCase(ahead, { handUp: true });
      await runSync(behind.reg);
      await runSync(ahead.reg);

      // The county shows how far off each laptop's clock is.
      const s = countyStatus(county);
      const skew = (code: string) => s.points.find((p) => p.code === code)!.devices[0].clockSkewMs!;
      expect(skew(behind.code)).toBeCloseTo(-3 * DAY, -4);
      expect(skew(ahead.code)).toBeCloseTo(3 * DAY, -4);
      expect(skewText(skew(behind.code))).toBe('慢 3 天');
      expect(skewText(skew(ahead.code))).toBe('快 3 天');

      // 1. The county decides AFTER the fast laptop handed up, although the county's wall clock is
      //    three days earlier than that hand-up: the decision must still count as the later edit.
      tick(3600_000);
      const today = chinaDate(countyClock.ms);
      // (The fast laptop dated its intake three days ahead; a decision cannot predate the intake.)
      decideCase(county, { caseNo: b.caseNo, action: 'decide', decision: 'approved', date: b.intakeDate, note: '准予', by: '县民政局' });
      decideCase(county, { caseNo: a.caseNo, action: 'returnForCorrection', decision: null, date: today, note: '补充收入证明', by: '县民政局' });
      const countyCase = (id: string) => county.db.prepare(`SELECT ${FIELDS.join(', ')} FROM cases WHERE id = ?`).get(id) as Record<string, unknown>;
      expect(countyCase(b.id).status).toBe('decided');

      tick(3600_000);
      await runSync(ahead.reg);
      await runSync(behind.reg);
      expect((await ahead.api.getCase({ id: b.id })).status).toBe('decided');
      expect((await behind.api.getCase({ id: a.id })).status).toBe('returned');

      // 2. The slow laptop resubmits after receiving the 退回补正: its wall clock says three days
      //    before the county's decision, but the edit follows it, and the county takes it.
      tick(3600_000);
      await behind.api.transitionCase({ id: a.id, action: 'resubmit', note: '已补收入证明' });
      await ahead.api.transitionCase({ id: b.id, action: 'deliver', deliveryMethod: 'inPerson', deliveredTo: '本人', note: '' });
      await runSync(behind.reg);
      await runSync(ahead.reg);
      expect(countyCase(a.id).status).toBe('handedUp');
      expect(countyCase(b.id).status).toBe('delivered');

      // 3. Concurrent edits of the same fields: the county decides the resubmitted case while the
      //    slow laptop, not yet synced, records a different decision from a paper notice.
      tick(3600_000);
      decideCase(county, { caseNo: a.caseNo, action: 'decide', decision: 'approved', date: today, note: '县里准予', by: '县民政局' });
      await behind.api.transitionCase({ id: a.id, action: 'decide', decision: 'refused', note: '乡里电话通知不予' });
      const r = await runSync(behind.reg);
      expect(r.conflicts).toBeGreaterThan(0);
      await runSync(behind.reg);

      const villageConflicts = listConflicts(behind.reg, false);
      const countyConflicts = county.db.prepare(`SELECT field, village_value, county_value, winner FROM conflicts WHERE record_id = ? ORDER BY field`).all(a.id) as {
        field: string;
        village_value: string;
        county_value: string;
        winner: 'village' | 'county';
      }[];
      const decisionConflictV = villageConflicts.find((c) => c.field === 'decision')!;
      const decisionConflictC = countyConflicts.find((c) => c.field === 'decision')!;
      // Both values are kept, on both sides, and both sides agree on the winner.
      expect(decisionConflictV).toMatchObject({ caseNo: a.caseNo, fieldLabel: '办理结果', localValue: '不予', remoteValue: '准予' });
      expect(decisionConflictC).toMatchObject({ village_value: 'refused', county_value: 'approved' });
      expect(decisionConflictV.winner === 'local').toBe(decisionConflictC.winner === 'village');
      // Nothing lost, nothing diverged: the village register and the county hold the same values.
      const villageRow = behind.reg.db.prepare(`SELECT ${FIELDS.join(', ')} FROM cases WHERE id = ?`).get(a.id);
      expect(countyCase(a.id)).toEqual(villageRow);
      expect(countyCase(b.id)).toEqual(ahead.reg.db.prepare(`SELECT ${FIELDS.join(', ')} FROM cases WHERE id = ?`).get(b.id));
      expect((await behind.api.syncStatus({})).conflicts).toBe(villageConflicts.length);

      // 4. The fast laptop withdraws a case while the county, concurrently, decides it. The laptop's
      //    clock is ahead, so its edit is the later one: both sides keep the withdrawal, and both
      //    record the conflict with the county's decision.
      const c2 = await addCase(ahead, { handUp: true });
      await runSync(ahead.reg);
      tick(3600_000);
      decideCase(county, { caseNo: c2.caseNo, action: 'decide', decision: 'approved', date: c2.intakeDate, note: '准予', by: '县民政局' });
      await ahead.api.transitionCase({ id: c2.id, action: 'withdraw', reason: '申请人撤回', note: '' });
      await runSync(ahead.reg);
      await runSync(ahead.reg);
      const aheadConflicts = listConflicts(ahead.reg, false).filter((k) => k.entityId === c2.id);
      expect(aheadConflicts.find((k) => k.field === 'status')).toMatchObject({ localValue: '已撤回', remoteValue: '已办结', winner: 'local' });
      const c2County = county.db.prepare(`SELECT field, winner FROM conflicts WHERE record_id = ?`).all(c2.id) as { field: string; winner: string }[];
      expect(c2County.find((k) => k.field === 'status')?.winner).toBe('village');
      expect(countyCase(c2.id)).toEqual(ahead.reg.db.prepare(`SELECT ${FIELDS.join(', ')} FROM cases WHERE id = ?`).get(c2.id));
      expect(countyCase(c2.id).status).toBe('withdrawn');
      const decisionCols = `decision, decision_date, decision_note, decided_by_county, withdraw_reason`;
      expect(county.db.prepare(`SELECT ${decisionCols} FROM cases WHERE id = ?`).get(c2.id)).toEqual(
        ahead.reg.db.prepare(`SELECT ${decisionCols} FROM cases WHERE id = ?`).get(c2.id),
      );

      for (const v of [behind, ahead]) expect(runDoctor(v.reg).ok).toBe(true);
      expect(countyDoctor(county).ok).toBe(true);
    } finally {
      await srv.close();
      behind.close();
      ahead.close();
      county.close();
    }
  });
});
