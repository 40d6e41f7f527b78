// Outbox compaction (db/outboxCompaction.ts): payloads of changes the county acknowledged more than
// the grace period ago are dropped; unacknowledged changes are never touched, and sync — uploads,
// acknowledgements, county decisions coming back — carries on as before.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBatch } from '../../county/importer';
import { decideCase } from '../../county/publish';
import { buildReply } from '../../county/reply';
import { openDatabase } from '../../db/connection';
import { registerPath } from '../../db/dataDir';
import { runDoctor } from '../../db/doctor';
import { migrate } from '../../db/migrate';
import { MIGRATIONS } from '../../db/migrations/index';
import { COMPACTION_GRACE_DAYS, compactAcknowledgedOutbox, registerBytesPerCase, type OutboxRow } from '../../db/outboxCompaction';
import { queueDigest } from '../../db/historyChain';
import { enrolByFile } from '../../sync/village/engine';
import { applyReply } from '../../sync/village/reply';
import { buildBatch, getSyncState, maxOwnSeq, waitingCount } from '../../sync/village/state';
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

      // Past it: every acknowledged change is reduced to its seq, op and the digest of its place in the queue.
      clock.ms += 10 * DAY;
      const before = v.reg.db.prepare(`SELECT seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at FROM outbox ORDER BY seq`).all() as OutboxRow[];
      const timelineBefore = (await v.api.getCase({ id: first[0].id })).timeline;
      const pendingBefore = waitingCount(v.reg);
      const r = compactAcknowledgedOutbox(v.reg);
      expect(r.compacted).toBe(ackedThrough);
      expect(r.freedBytes).toBeGreaterThan(ackedThrough * 100);
      const after = v.reg.db.prepare(`SELECT * FROM outbox ORDER BY seq`).all() as (OutboxRow & { acked_at: string | null; digest: Buffer | null })[];
      expect(after.map((o) => o.seq)).toEqual(before.map((o) => o.seq));
      for (const [i, o] of after.entries()) {
        if (o.seq > ackedThrough) {
          expect(o).toMatchObject(before[i]);
          expect(o.digest).toBeNull();
          continue;
        }
        const queue = queueDigest({ device: before[i].device_id, seq: o.seq, changeId: before[i].change_id, hlc: before[i].hlc, op: before[i].op });
        expect(o).toEqual({ seq: o.seq, op: before[i].op, payload: '', digest: queue, change_id: null, hlc: null, device_id: null, entity: null, entity_id: null, created_at: null, acked_at: null });
      }
      // Another clock would not match the digest.
      const q0 = { device: before[0].device_id, seq: 1, changeId: before[0].change_id, hlc: before[0].hlc, op: before[0].op };
      expect(queueDigest({ ...q0, hlc: `${q0.hlc}0` })).not.toEqual(after[0].digest);
      // The unacknowledged changes are exactly as they were.
      expect(v.reg.db.prepare(`SELECT seq, payload FROM outbox WHERE seq > ? ORDER BY seq`).all(ackedThrough)).toEqual(unacked);
      // What the agent sees is unchanged: the case's timeline (who, when, what) and the changes waiting.
      expect((await v.api.getCase({ id: first[0].id })).timeline).toEqual(timelineBefore);
      expect(waitingCount(v.reg)).toBe(pendingBefore);
      expect(maxOwnSeq(v.reg)).toBe(before[before.length - 1].seq);
      // Running again changes nothing; the doctor still finds the sequence whole.
      expect(compactAcknowledgedOutbox(v.reg).compacted).toBe(0);
      const doctor = runDoctor(v.reg);
      expect(doctor.checks.filter((c) => !c.ok)).toEqual([]);
      expect(doctor.checks.find((c) => c.name === '同步队列重放与现有记录一致')?.detail).toMatch(/早期变更已压缩/);
      expect(registerBytesPerCase(v.reg).cases).toBe(3);
      // The history chain still checks out through the compacted rows, and still names an altered old event.
      expect(doctor.checks.find((c) => c.name === '历史记录链完整（防篡改）')?.ok).toBe(true);
      const oldEvent = v.reg.db.prepare(`SELECT rowid AS rid, note FROM events WHERE outbox_seq = 2`).get() as { rid: number; note: string };
      v.reg.db.prepare(`UPDATE events SET note = ? WHERE rowid = ?`).run(`${oldEvent.note}改`, oldEvent.rid);
      expect(runDoctor(v.reg).checks.find((c) => c.name === '历史记录链完整（防篡改）')?.detail).toMatch(/第 2 条历史.*被改动过/);
      v.reg.db.prepare(`UPDATE events SET note = ? WHERE rowid = ?`).run(oldEvent.note, oldEvent.rid);

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

  it('keeps the newest change of a quiet laptop whole, so its sequence carries on after compaction', async () => {
    const clock = new TestClock(Date.parse('2026-03-02T02:00:00.000Z'));
    const county = await openCounty({ clock });
    const v = await openVillage({ clock });
    try {
      const f = path.join(newDir(), 'e.enrol');
      fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
      enrolByFile(v.reg, f);
      const sync = () => {
        const batch = buildBatch(v.reg, getSyncState(v.reg).acked_through + 1, 'usb');
        if (batch) expect(importBatch(county, batch.bytes, { source: 't' }).result).toBe('imported');
        return applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      };
      const c = await addCase(v, { handUp: true });
      sync();
      const end = maxOwnSeq(v.reg);
      expect(getSyncState(v.reg).acked_through).toBe(end);
      // Nothing happens at the point for longer than the grace period.
      clock.ms += (COMPACTION_GRACE_DAYS + 1) * DAY;
      expect(compactAcknowledgedOutbox(v.reg).compacted).toBe(end - 1);
      expect(count(v.reg.db, `SELECT COUNT(*) AS n FROM outbox WHERE seq = ? AND device_id = ? AND payload <> ''`, end, v.reg.deviceId)).toBe(1);
      expect(maxOwnSeq(v.reg)).toBe(end);
      expect(waitingCount(v.reg)).toBe(0);
      expect(runDoctor(v.reg).checks.filter((x) => !x.ok)).toEqual([]);
      // The next change continues the sequence and reaches the county.
      await v.api.transitionCase({ id: c.id, action: 'withdraw', reason: '申请人撤回', note: '' });
      expect(maxOwnSeq(v.reg)).toBe(end + 1);
      sync();
      expect(getSyncState(v.reg).acked_through).toBe(end + 1);
      expect(count(county.db, `SELECT COUNT(*) AS n FROM cases WHERE id = ? AND status = 'withdrawn'`, c.id)).toBe(1);
      expect(runDoctor(v.reg).checks.filter((x) => !x.ok)).toEqual([]);
      // The doctor still replays what the queue holds: a status changed behind the change writer's back shows.
      const d = await addCase(v, { handUp: true });
      v.reg.db.prepare(`UPDATE cases SET status = 'accepted' WHERE id = ?`).run(d.id);
      expect(runDoctor(v.reg).checks.find((x) => x.name === '同步队列重放与现有记录一致')).toMatchObject({ ok: false, detail: expect.stringMatching(/代办件 .* 的 status/) });
    } finally {
      v.close();
      county.close();
    }
  });

  it('reduces rows compacted before schema 10 (payload dropped) the same way, keeping each device\'s newest row', async () => {
    const dir = newDir();
    const db = openDatabase(registerPath(dir));
    try {
      await migrate(db, { migrations: MIGRATIONS.filter((m) => m.version < 10) });
      const ins = db.prepare(
        `INSERT INTO outbox (seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at, acked_at) VALUES (?, ?, ?, ?, 'agents', ?, ?, ?, ?, ?)`,
      );
      const at = '2026-01-01T00:00:00.000Z';
      // A restored register: its old device B wrote seq 1–2, the new device A writes on from 3 (a
      // register's devices hold contiguous runs). Old-style compacted rows: 1 and 3; 2 is B's newest.
      ins.run(1, 'c1', 'h1', 'B', 'r1', 'insert', '', at, at);
      ins.run(2, 'c2', 'h2', 'B', 'r2', 'insert', '', at, at);
      ins.run(3, 'c3', 'h3', 'A', 'r1', 'update', '', at, at);
      ins.run(4, 'c4', 'h4', 'A', 'r1', 'update', '{"fields":{}}', at, null);
      await migrate(db);
      const rows = db.prepare(`SELECT seq, device_id, entity_id, op, payload, acked_at, digest FROM outbox ORDER BY seq`).all();
      expect(rows).toEqual([
        { seq: 1, device_id: null, entity_id: null, op: 'insert', payload: '', acked_at: null, digest: queueDigest({ device: 'B', seq: 1, changeId: 'c1', hlc: 'h1', op: 'insert' }) },
        { seq: 2, device_id: 'B', entity_id: 'r2', op: 'insert', payload: '', acked_at: at, digest: null },
        { seq: 3, device_id: null, entity_id: null, op: 'update', payload: '', acked_at: null, digest: queueDigest({ device: 'A', seq: 3, changeId: 'c3', hlc: 'h3', op: 'update' }) },
        { seq: 4, device_id: 'A', entity_id: 'r1', op: 'update', payload: '{"fields":{}}', acked_at: null, digest: null },
      ]);
    } finally {
      db.close();
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
