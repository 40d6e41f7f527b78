// Migration 002 (sync state): a register created at version 1, with data, upgrades with every row intact.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { migrate, schemaVersion } from '../../db/migrate';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from '../../db/migrations/index';
import { registerPath } from '../../db/dataDir';
import { runDoctor } from '../../db/doctor';
import { waitingCount } from '../../sync/village/state';
import { addCase, newDir, openVillage, removeDirs } from './helpers';

afterEach(removeDirs);

describe('migration 002_sync', () => {
  it('upgrades a version-1 register with data, keeps every row and adds the sync tables', async () => {
    const dir2 = newDir();
    // Version 1 only, with data written in the SQL of version 1.
    const raw = openDatabase(registerPath(dir2));
    await migrate(raw, { migrations: MIGRATIONS.filter((m) => m.version === 1) });
    raw.exec(`
      INSERT INTO meta(key, value) VALUES ('device_id', '01900000-0000-7000-8000-0000000000aa');
      INSERT INTO point (id, village_code, village_name, township_name, county_name, created_at, updated_at)
        VALUES (1, '150822101201', '红旗村', '巴彦镇', '五原县', '2026-03-02T01:30:00.000Z', '2026-03-02T01:30:00.000Z');
      INSERT INTO agents (id, name, secret_hash, created_at, updated_at) VALUES ('01900000-0000-7000-8000-000000000001', '王秀兰', 'x', '2026-03-02T01:30:00.000Z', '2026-03-02T01:30:00.000Z');
      INSERT INTO outbox (seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at)
        VALUES (1, '01900000-0000-7000-9000-000000000001', '000001772415000000-00000-0190000000007000', '01900000-0000-7000-8000-0000000000aa', 'agents',
                '01900000-0000-7000-8000-000000000001', 'insert', '{}', '2026-03-02T01:30:00.000Z');
      INSERT INTO events (id, entity, entity_id, action, at, outbox_seq) VALUES ('e1', 'agents', '01900000-0000-7000-8000-000000000001', 'agent.create', '2026-03-02T01:30:00.000Z', 1);
    `);
    const before = {
      agents: raw.prepare('SELECT * FROM agents').all(),
      outbox: raw.prepare('SELECT * FROM outbox').all(),
      events: raw.prepare('SELECT * FROM events').all(),
      point: raw.prepare('SELECT * FROM point').all(),
    };
    const r = await migrate(raw, { backupDir: `${dir2}/backups` });
    expect(r).toMatchObject({ from: 1, to: LATEST_SCHEMA_VERSION });
    expect(r.backup).not.toBeNull();
    expect(schemaVersion(raw)).toBe(LATEST_SCHEMA_VERSION);
    expect(raw.prepare('SELECT * FROM agents').all()).toEqual(before.agents);
    // Schema 10 adds the digest a compacted change keeps (db/outboxCompaction.ts); live rows have none.
    expect(raw.prepare('SELECT * FROM outbox').all()).toEqual(before.outbox.map((o) => ({ ...(o as object), digest: null })));
    // Migration 009 adds each event's history-chain digest; the old columns are unchanged.
    const events = raw.prepare('SELECT * FROM events').all() as { digest: Buffer }[];
    expect(events.map(({ digest, ...old }) => (expect(digest).toHaveLength(16), old))).toEqual(before.events);
    expect(raw.prepare('SELECT * FROM point').all()).toEqual(before.point);
    // New state, empty and ready: nothing acknowledged yet, so every old change still waits for the county.
    expect(raw.prepare('SELECT acked_through, downstream_through FROM sync_state').get()).toEqual({ acked_through: 0, downstream_through: 0 });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM sync_enrolment').get()).toEqual({ n: 0 });
    const cols = (raw.prepare('PRAGMA table_info(cases)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toContain('county_decision_id');
    raw.close();
  });

  it('opens the upgraded register: old changes wait for the county, doctor is clean, new work goes on', async () => {
    const dir = newDir();
    const raw = openDatabase(registerPath(dir));
    await migrate(raw, { migrations: MIGRATIONS.filter((m) => m.version === 1) });
    raw.close();
    // A v1 register in use: set up and one case through the real API (run at v1 is not possible via
    // Register, which always upgrades, so the v1 file above is upgraded on this first open).
    const v = await openVillage({ dir });
    expect(v.reg.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const c = await addCase(v, { handUp: true });
    expect(runDoctor(v.reg).ok).toBe(true);
    expect(waitingCount(v.reg)).toBe((v.reg.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n);
    expect((await v.api.getCase({ id: c.id })).status).toBe('handedUp');
    v.close();
  });
});
