// What an agent did on one laptop shows in the case timeline of the point's other laptops: the relay
// carries each record's history events (who, when, what) with it, attributed to the laptop they were
// recorded on, and the receiving laptop does not send them back up as its own changes.
import { afterAll, describe, expect, it } from 'vitest';
import { startCountyServer } from '../../county/server';
import { createTicket, upsertPoint } from '../../county/enrol';
import { decideCase } from '../../county/publish';
import { enrolByCode, runSync } from '../../sync/village/engine';
import { waitingCount } from '../../sync/village/state';
import { runDoctor } from '../../db/doctor';
import { addCase, count, openCounty, openVillage, removeDirs } from './helpers';
import type { County } from '../../county/db';

afterAll(removeDirs);

const POINT = '150822101201';

function ticket(county: County): string {
  return county.tx(() => {
    upsertPoint(county, { code: POINT, villageName: '红旗村', townshipName: '巴彦镇' });
    return createTicket(county, POINT, 7).code;
  });
}

describe('history events travel with the relay', () => {
  it("laptop B's case timeline shows what the agent on laptop A did, once, and B does not send it up again", { timeout: 120_000 }, async () => {
    const county = await openCounty();
    const srv = await startCountyServer(county);
    const start = Date.UTC(2026, 10, 23, 1, 0, 0);
    const a = await openVillage({ code: POINT });
    const b = await openVillage({ code: POINT, setup: false });
    a.clock.ms = start;
    b.clock.ms = start + 3_600_000;
    try {
      await b.api.setupPoint({
        villageCode: POINT, villageName: '红旗村', townshipName: '巴彦镇', countyName: '五原县', consultPhone: '0478-5211234', complaintPhone: '12345',
        agents: [{ name: '李建国', phone: '13904781235', pin: '135246' }],
      });
      await enrolByCode(a.reg, srv.url, ticket(county));
      await enrolByCode(b.reg, srv.url, ticket(county));

      // On laptop A, 王秀兰 takes in a case and hands it up to the county a day later.
      const c = await addCase(a, { name: '张三' });
      a.clock.ms += 86_400_000;
      await a.api.transitionCase({ id: c.id, action: 'handUp', handedTo: '县民政局', note: '材料已齐' });
      const onA = (await a.api.getCase({ id: c.id })).timeline;
      await runSync(a.reg);
      const outboxBefore = count(b.reg.db, `SELECT COUNT(*) AS n FROM outbox`);
      await runSync(b.reg);

      const onB = (await b.api.getCase({ id: c.id })).timeline;
      // Who, when and what, as laptop A recorded it.
      expect(onB.map((e) => [e.action, e.agentName, e.at, e.note])).toEqual(onA.map((e) => [e.action, '王秀兰', e.at, e.note]));
      expect(onB.map((e) => e.label)).toEqual(onA.map((e) => e.label));
      expect(onB.find((e) => e.action === 'case.handUp')?.note).toBe('材料已齐');
      // Attributed to laptop A, and not in B's sync queue.
      const origins = b.reg.db.prepare(`SELECT DISTINCT json_extract(data_json, '$.origin.device') AS d FROM events WHERE case_id = ?`).all(c.id) as { d: string }[];
      expect(origins).toEqual([{ d: a.reg.deviceId }]);
      expect(count(b.reg.db, `SELECT COUNT(*) AS n FROM outbox`)).toBe(outboxBefore);
      expect(waitingCount(b.reg)).toBe(0);
      expect(count(b.reg.db, `SELECT COUNT(*) AS n FROM outbox WHERE entity_id = ?`, c.id)).toBe(0);

      // B continues the case: its own event joins A's; A gets B's in turn. Nothing appears twice.
      b.clock.ms = a.clock.ms + 3_600_000;
      await b.api.transitionCase({ id: c.id, action: 'returnForCorrection', note: '缺户口簿' });
      await runSync(b.reg);
      await runSync(a.reg);
      await runSync(b.reg);
      const actionsA = (await a.api.getCase({ id: c.id })).timeline.map((e) => `${e.action}:${e.agentName}`);
      const actionsB = (await b.api.getCase({ id: c.id })).timeline.map((e) => `${e.action}:${e.agentName}`);
      expect(actionsA).toEqual(['case.create:王秀兰', 'case.handUp:王秀兰', 'case.returnForCorrection:李建国']);
      expect(actionsB).toEqual(actionsA);
      // The county imported B's change once and nothing of A's from B.
      expect(count(county.db, `SELECT COUNT(*) AS n FROM changes WHERE device_id = ? AND entity_id = ?`, b.reg.deviceId, c.id)).toBe(1);

      // A county decision: each laptop records applying it once, not also the other laptop's application.
      a.clock.ms += 3_600_000;
      await a.api.transitionCase({ id: c.id, action: 'resubmit', note: '' });
      await runSync(a.reg);
      await runSync(b.reg);
      decideCase(county, { caseNo: c.caseNo, action: 'decide', decision: 'approved', date: '2026-11-26', note: '符合条件', by: '县中心' });
      await runSync(a.reg);
      await runSync(b.reg);
      await runSync(a.reg);
      for (const v of [a, b]) {
        const decisions = (await v.api.getCase({ id: c.id })).timeline.filter((e) => e.action === 'case.countyDecision');
        expect(decisions).toHaveLength(1);
      }
      expect(runDoctor(a.reg).ok).toBe(true);
      expect(runDoctor(b.reg).ok).toBe(true);

      // 王秀兰 was relayed to B without a PIN (PINs never leave a laptop): B's sign-in says what to do,
      // without counting it as a wrong PIN; 李建国, signed in on B, gives her one; then she signs in.
      const wang = (await b.api.getAppState({})).agents.find((x) => x.name === '王秀兰')!;
      expect(wang.noPinHere).toBe(true);
      await expect(b.api.signIn({ agentId: wang.id, pin: '135246' })).rejects.toThrow(/该代办员尚未在本机设置 PIN.*设置 → 值班代办员.*恢复码/);
      expect(count(b.reg.db, `SELECT failed_attempts AS n FROM agents WHERE id = ?`, wang.id)).toBe(0);
      const li = (await b.api.getAppState({})).agents.find((x) => x.name === '李建国')!;
      await b.api.signIn({ agentId: li.id, pin: '135246' });
      expect((await b.api.setAgentPin({ agentId: wang.id, pin: '246813' })).noPinHere).toBeUndefined();
      await expect(b.api.setAgentPin({ agentId: wang.id, pin: '975312' })).rejects.toThrow(/已在本机设置过 PIN/);
      await b.api.signOut({});
      expect((await b.api.signIn({ agentId: wang.id, pin: '246813' })).name).toBe('王秀兰');
      // Her PIN stays on B: nothing of it goes to the county or to laptop A.
      await runSync(b.reg);
      await runSync(a.reg);
      expect(count(a.reg.db, `SELECT COUNT(*) AS n FROM agents WHERE id = ? AND secret_hash <> ''`, wang.id)).toBe(1);
      expect(await a.api.signIn({ agentId: wang.id, pin: '135246' })).toMatchObject({ name: '王秀兰' });
    } finally {
      a.close();
      b.close();
      await srv.close();
      county.close();
    }
  });
});
