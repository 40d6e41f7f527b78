// Outbox compaction (db/outboxCompaction.ts): payloads of changes the county acknowledged more than
// the grace period ago are dropped; unacknowledged changes are never touched, and sync — uploads,
// acknowledgements, county decisions coming back — carries on as before.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBatch } from '../../county/importer';
import { decideCase } from '../../county/publish';
import { buildReply } from '../../county/reply';
import { runDoctor } from '../../db/doctor';
import { COMPACTION_GRACE_DAYS, compactAcknowledgedOutbox, registerBytesPerCase } from '../../db/outboxCompaction';
import { enrolByFile } from '../../sync/village/engine';
import { applyReply } from '../../sync/village/reply';
import { buildBatch, getSyncState } from '../../sync/village/state';
import { TestClock } from '../support/tempRegister';
import { addCase, count, enrolmentFile, newDir, openCounty, openVillage, removeDirs } from './helpers';

afterAll(removeDirs);

const DAY = 86_400_000;

describe('outbox compaction', () => {
  it('drops only payloads acknowledged past the grace period, and sync still works afterwards', async () => {
    const clock = new TestClock(Date.parse('2026-03-02T02:00:00.000Z'));
    const county = await openCounty({ clock });
    const v = await openVillage({ clock });
    try {
      const f = path.join(newDir(), 'e.enrol');
      fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
      enrolByFile(v.reg, f);
      const first = [await addCase(v, { handUp: true }), await addCase(v, { handUp: true })];
      const sync = () => {
        const st = getSyncState(v.reg);
        const batch = buildBatch(v.reg, st.acked_through + 1, 'usb');
        if (batch) expect(importBatch(county, batch.bytes, { source: 't' }).result).toBe('imported');
        return applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      };
      sync();
      const ackedThrough = getSyncState(v.reg).acked_through;
      expect(ackedThrough).toBeGreaterThan(5);

      // A day later: more work, not yet synced (unacknowledged).
      clock.ms += DAY;
      const later = await addCase(v, { handUp: true });
      const unacked = v.reg.db.prepare(`SELECT seq, payload FROM outbox WHERE seq > ? ORDER BY seq`).all(ackedThrough) as { seq: number; payload: string }[];
      expect(unacked.length).toBeGreaterThan(0);

      // Within the grace period nothing is dropped.
      clock.ms += (COMPACTION_GRACE_DAYS - 5) * DAY;
      expect(compactAcknowledgedOutbox(v.reg).compacted).toBe(0);

      // Past it: every acknowledged payload goes, the rows (seq, change id, HLC, ack) stay.
      clock.ms += 10 * DAY;
      const before = v.reg.db.prepare(`SELECT seq, change_id, hlc, entity, entity_id, op, created_at, acked_at FROM outbox ORDER BY seq`).all();
      const r = compactAcknowledgedOutbox(v.reg);
      expect(r.compacted).toBe(ackedThrough);
      expect(r.freedBytes).toBeGreaterThan(ackedThrough * 100);
      expect(v.reg.db.prepare(`SELECT seq, change_id, hlc, entity, entity_id, op, created_at, acked_at FROM outbox ORDER BY seq`).all()).toEqual(before);
      expect(count(v.reg.db, `SELECT COUNT(*) AS n FROM outbox WHERE seq <= ? AND payload <> ''`, ackedThrough)).toBe(0);
      // The unacknowledged changes are exactly as they were.
      expect(v.reg.db.prepare(`SELECT seq, payload FROM outbox WHERE seq > ? ORDER BY seq`).all(ackedThrough)).toEqual(unacked);
      // Running again changes nothing; the doctor still finds the sequence whole.
      expect(compactAcknowledgedOutbox(v.reg).compacted).toBe(0);
      expect(runDoctor(v.reg).ok).toBe(true);
      expect(registerBytesPerCase(v.reg).cases).toBe(3);

      // Sync after compaction: the pending changes upload, a county decision on a compacted case
      // and on the new one comes back and lands.
      decideCase(county, { caseNo: first[0].caseNo, action: 'decide', decision: 'approved', date: first[0].intakeDate, note: '准予', by: '县民政局' });
      const replied = sync();
      expect(replied.applied.length).toBe(1);
      expect(getSyncState(v.reg).acked_through).toBeGreaterThanOrEqual(unacked[unacked.length - 1].seq);
      expect(count(county.db, `SELECT COUNT(*) AS n FROM cases WHERE id = ?`, later.id)).toBe(1);
      expect(count(v.reg.db, `SELECT COUNT(*) AS n FROM cases WHERE id = ? AND status = 'decided'`, first[0].id)).toBe(1);
      // An edit to a compacted case after the decision still syncs (and its payload is kept).
      await v.api.transitionCase({ id: first[1].id, action: 'withdraw', reason: '申请人撤回', note: '' });
      const pending = getSyncState(v.reg).acked_through;
      sync();
      expect(getSyncState(v.reg).acked_through).toBeGreaterThan(pending);
      expect(count(county.db, `SELECT COUNT(*) AS n FROM cases WHERE id = ? AND status = 'withdrawn'`, first[1].id)).toBe(1);
      expect(runDoctor(v.reg).ok).toBe(true);
    } finally {
      v.close();
      county.close();
    }
  });

  it('never compacts a change the county has not acknowledged, however old', async () => {
    const clock = new TestClock(Date.parse('2026-03-02T02:00:00.000Z'));
    const v = await openVillage({ clock });
    try {
      await addCase(v);
      const all = v.reg.db.prepare(`SELECT seq, payload FROM outbox ORDER BY seq`).all();
      clock.ms += 400 * DAY;
      expect(compactAcknowledgedOutbox(v.reg).compacted).toBe(0);
      // Even a row marked acknowledged beyond what the county confirmed (acked_through) is kept.
      v.reg.db.prepare(`UPDATE outbox SET acked_at = '2026-01-01T00:00:00.000Z' WHERE seq = 1`).run();
      expect(compactAcknowledgedOutbox(v.reg).compacted).toBe(0);
      expect(v.reg.db.prepare(`SELECT seq, payload FROM outbox ORDER BY seq`).all()).toEqual(all);
    } finally {
      v.close();
    }
  });
});
