// Schema migrations: from an empty file, from every earlier released version (with data in it),
// refusal of a database written by a newer program, and the backup taken before an upgrade.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../db/migrations/index';
import { migrate, schemaVersion, SchemaFromFutureError } from '../../db/migrate';
import { openDatabase, type Db } from '../../db/connection';
import { Register } from '../../db/register';
import { backupsDir, registerPath } from '../../db/dataDir';
import { runDoctor } from '../../db/doctor';
import { buildHistoryChains } from '../../db/historyChain';
import { hashSecret } from '../../db/secrets';
import { createContext } from '../../api/context';
import { createDaibanApi } from '../../api/service';
import { tempDir, TestClock } from '../support/tempRegister';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function newDir(): string {
  const d = tempDir('daiban-migr-');
  dirs.push(d);
  return d;
}

// ---------------------------------------------------------------- data at each released version
//
// One fixture per released schema version, written in the SQL of THAT version (never with the
// current code, which targets the latest schema). When version N+1 is released, add FIXTURES[N+1]
// before N+2 appears; the test below fails with a clear message when one is missing.

const AGENT = '01900000-0000-7000-8000-000000000001';
const APPLICANT = '01900000-0000-7000-8000-000000000002';
const CASE = '01900000-0000-7000-8000-000000000003';
const MATERIAL = '01900000-0000-7000-8000-000000000004';
const VISIT = '01900000-0000-7000-8000-000000000005';
const FOLLOWUP = '01900000-0000-7000-8000-000000000006';
const RECT = '01900000-0000-7000-8000-000000000007';
const DEVICE = '01900000-0000-7000-8000-0000000000aa';

function fillV1(db: Db): void {
  const at = '2026-03-02T01:30:00.000Z';
  let seq = 0;
  // Every row goes in with its outbox entry and history event, as the ChangeWriter of v1 wrote them.
  const row = (table: string, id: string, fields: Record<string, string | number | null>, action: string, caseId: string | null, agent: string | null) => {
    const cols = ['id', ...Object.keys(fields)];
    db.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`).run(id, ...Object.values(fields));
    seq++;
    const hlc = `${String(Date.parse(at) + seq).padStart(15, '0')}-00000-0190000000007000`;
    const payload = JSON.stringify({ table, id, op: 'insert', fields, action, note: '', agentId: agent, at });
    db.prepare(`INSERT INTO outbox (seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, 'insert', ?, ?)`).run(
      seq,
      `01900000-0000-7000-9000-${String(seq).padStart(12, '0')}`,
      hlc,
      DEVICE,
      table,
      id,
      payload,
      at,
    );
    db.prepare(`INSERT INTO events (id, entity, entity_id, case_id, action, agent_id, at, note, data_json, outbox_seq) VALUES (?, ?, ?, ?, ?, ?, ?, '', '{}', ?)`).run(
      `01900000-0000-7000-a000-${String(seq).padStart(12, '0')}`,
      table,
      id,
      caseId,
      action,
      agent,
      at,
      seq,
    );
    db.prepare(`INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(hlc);
  };
  db.prepare(`INSERT INTO meta(key, value) VALUES ('device_id', ?)`).run(DEVICE);
  db.prepare(
    `INSERT INTO point (id, village_code, village_name, township_name, county_name, consult_phone, complaint_phone, created_at, updated_at)
     VALUES (1, '150822101201', '红旗村', '巴彦镇', '五原县', '0478-5211234', '12345', ?, ?)`,
  ).run(at, at);
  db.prepare(
    `INSERT INTO catalog_items (code, name, name_pinyin, name_initials, department, category, decided_at, committed_workdays, materials_json, catalog_version, updated_at)
     VALUES ('MZ-0003', '临时救助申请', 'linshijiuzhushenqing', 'lsjzsq', '乡镇人民政府', '行政给付', '乡镇', 10, ?, 'demo-2026.1', ?)`,
  ).run(JSON.stringify([{ name: '申请人居民身份证', form: '原件', copies: 1, required: true, deferrable: false }]), at);
  db.prepare(`INSERT INTO holiday_tables (year, source, off_json, work_json, received_at) VALUES (2026, '国务院办公厅通知', ?, ?, ?)`).run(
    JSON.stringify(['2026-01-01', '2026-10-01']),
    JSON.stringify(['2026-01-04']),
    at,
  );
  row('agents', AGENT, { name: '王秀兰', phone: '13904781234', secret_hash: hashSecret('1234'), active: 1, failed_attempts: 0, locked_until: null, created_at: at, created_by: null, updated_at: at }, 'agent.create', null, null);
  row(
    'applicants',
    APPLICANT,
    {
      kind: 'person', name: '张三', name_pinyin: 'zhangsan', name_initials: 'zs', id_number: '150822198503150010', id_rev: '010051305891228051',
      birth_date: '1985-03-15', sex: 'male', credit_code: null, phone: '13812345678', phone_rev: '87654321831', village_group: '第三村民小组',
      address: '红旗村三组12号', created_at: at, created_by: AGENT, updated_at: at, updated_by: AGENT,
    },
    'applicant.create',
    CASE,
    AGENT,
  );
  row('visits', VISIT, {
    visited_at: at, visit_date: '2026-03-02', backfilled: 0, visitor_name: '张三', name_pinyin: 'zhangsan', name_initials: 'zs', visitor_phone: '13812345678',
    applicant_id: null, visitor_count: 1, channel: 'walkIn', category: 'errand', summary: '来申请临时救助', handling: 'toCase', transferred_to: '', outcome: '',
    settled_date: '2026-03-02', case_id: null, agent_id: AGENT, created_at: at, created_by: AGENT, updated_at: at, updated_by: AGENT,
  }, 'visit.create', null, AGENT);
  row(
    'cases',
    CASE,
    {
      case_no: '150822101201-20260302-001', applicant_id: APPLICANT, item_code: 'MZ-0003', item_name: '临时救助申请', status: 'decided', handling_mode: 'proxy',
      intake_date: '2026-03-02', intake_at: at, backfilled: 0, committed_workdays: 10, pause_on_wait: 0, waiting_workdays: 0, due_date: '2026-03-16',
      due_estimated: 0, agent_id: AGENT, handed_to: '巴彦镇便民服务中心', handed_at: '2026-03-03', returned_at: null, decision: 'approved', decision_date: '2026-03-10',
      decision_note: '准予', decided_by_county: 0, delivery_method: null, delivered_at: null, delivered_to: '', archived_at: null, withdrawn_at: null,
      withdraw_reason: '', refusal_reason: '', visit_id: VISIT, note: '', created_at: at, created_by: AGENT, updated_at: at, updated_by: AGENT,
    },
    'case.create',
    CASE,
    AGENT,
  );
  // The visit became the case: an update with its own outbox entry and event, as the ChangeWriter wrote it
  // (doctor replays the outbox against the rows).
  db.prepare(`UPDATE visits SET case_id = ? WHERE id = ?`).run(CASE, VISIT);
  seq++;
  const upHlc = `${String(Date.parse(at) + seq).padStart(15, '0')}-00000-0190000000007000`;
  db.prepare(`INSERT INTO outbox (seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, 'visits', ?, 'update', ?, ?)`).run(
    seq,
    `01900000-0000-7000-9000-${String(seq).padStart(12, '0')}`,
    upHlc,
    DEVICE,
    VISIT,
    JSON.stringify({ table: 'visits', id: VISIT, op: 'update', fields: { case_id: CASE }, action: 'visit.toCase', note: '', agentId: AGENT, at }),
    at,
  );
  db.prepare(`INSERT INTO events (id, entity, entity_id, case_id, action, agent_id, at, note, data_json, outbox_seq) VALUES (?, 'visits', ?, ?, 'visit.toCase', ?, ?, '', '{}', ?)`).run(
    `01900000-0000-7000-a000-${String(seq).padStart(12, '0')}`,
    VISIT,
    CASE,
    AGENT,
    at,
    seq,
  );
  db.prepare(`INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(upHlc);
  db.prepare(`INSERT INTO day_sequences(day, last) VALUES ('2026-03-02', 1)`).run();
  row('case_materials', MATERIAL, {
    case_id: CASE, position: 1, name: '申请人居民身份证', form: '原件', copies: 1, required: 1, can_defer: 0, state: 'both', promised_date: null,
    received_at: at, custody: 'none', updated_at: at, updated_by: AGENT,
  }, 'material.create', CASE, AGENT);
  row('followups', FOLLOWUP, {
    case_id: CASE, kind: 'returnVisit', method: 'phone', reached: 1, rating: 4, efficiency: 4, service_level: 3, attitude: 4, comment: '跑了两趟',
    followed_at: at, follow_date: '2026-03-12', backfilled: 0, agent_id: AGENT, created_at: at, created_by: AGENT,
  }, 'followup.create', CASE, AGENT);
  row('rectifications', RECT, {
    case_id: CASE, followup_id: FOLLOWUP, opened_date: '2026-03-12', due_date: '2026-04-02', status: 'open', action_note: '', closed_date: null, closed_by: null,
    created_at: at, created_by: AGENT, updated_at: at, updated_by: AGENT,
  }, 'rectification.open', CASE, AGENT);
}

// Version 2 only added sync tables and a defaulted column, so version 1's rows are valid version 2 data.
// Version 3 only added defaulted catalog columns and indexes: the same rows are valid version 3 data.
// Version 4 only added the supervision (督办) tables, version 5 the drafts table, version 6 defaulted
// as-at-intake columns on cases, version 7 normalised the point's phones: the same rows are valid data
// of each.
// From version 6 a case carries its applicant as at intake, written at intake time.
function fillV6(db: Db): void {
  fillV1(db);
  db.prepare(`UPDATE cases SET intake_applicant_name = '张三', intake_applicant_phone = '13812345678'`).run();
}
// Version 9 chains the history (db/historyChain.ts): rows written at 9 carry their digests.
function fillV9(db: Db): void {
  fillV6(db);
  buildHistoryChains(db);
}
// Version 8 only added defaulted device columns and empty tables (several laptops per point): version 6's rows are valid.
const FIXTURES: Record<number, (db: Db) => void> = { 1: fillV1, 2: fillV1, 3: fillV1, 4: fillV1, 5: fillV1, 6: fillV6, 7: fillV6, 8: fillV6, 9: fillV9 };

// ---------------------------------------------------------------- helpers

type Snapshot = Record<string, { columns: string[]; rows: unknown[][] }>;

/** Every user table's rows, in rowid order (WITHOUT ROWID tables by primary key). */
function snapshot(db: Db): Snapshot {
  const out: Snapshot = {};
  const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string; sql: string }[];
  for (const t of tables) {
    const columns = (db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]).map((c) => c.name);
    const order = /WITHOUT ROWID/i.test(t.sql) ? '1' : 'rowid';
    out[t.name] = { columns, rows: db.prepare(`SELECT ${columns.join(', ')} FROM ${t.name} ORDER BY ${order}`).raw().all() as unknown[][] };
  }
  return out;
}

/** The old rows, read back through the old columns only (a migration may add columns and tables). */
function project(db: Db, before: Snapshot): Snapshot {
  const out: Snapshot = {};
  for (const [name, { columns }] of Object.entries(before)) {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
    if (!exists) continue;
    const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(name) as { sql: string }).sql;
    const order = /WITHOUT ROWID/i.test(sql) ? '1' : 'rowid';
    out[name] = { columns, rows: db.prepare(`SELECT ${columns.join(', ')} FROM ${name} ORDER BY ${order}`).raw().all() as unknown[][] };
  }
  return out;
}

async function buildAt(dir: string, version: number): Promise<Snapshot> {
  const db = openDatabase(registerPath(dir));
  try {
    await migrate(db, { migrations: MIGRATIONS.filter((m) => m.version <= version) });
    expect(schemaVersion(db)).toBe(version);
    db.transaction(() => FIXTURES[version](db))();
    return snapshot(db);
  } finally {
    db.close();
  }
}

function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

// ---------------------------------------------------------------- tests

describe('migrations', () => {
  it('are numbered 1, 2, 3 … without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('create the latest schema in an empty data folder, without a backup', async () => {
    const dir = newDir();
    const reg = await Register.open({ dataDir: dir });
    try {
      expect(reg.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const tables = (reg.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
      for (const t of ['point', 'agents', 'applicants', 'cases', 'case_materials', 'visits', 'followups', 'rectifications', 'events', 'outbox']) expect(tables).toContain(t);
      expect(runDoctor(reg).ok).toBe(true);
    } finally {
      reg.close();
    }
    expect(fs.existsSync(backupsDir(dir)) ? fs.readdirSync(backupsDir(dir)) : []).toEqual([]);
  });

  const earlier = MIGRATIONS.slice(0, -1);
  for (const m of earlier) {
    it(`upgrade a register at version ${m.version} with data to version ${LATEST_SCHEMA_VERSION}, keeping every row, after a backup`, async () => {
      expect(FIXTURES[m.version], `tests/integration/migrations.test.ts needs FIXTURES[${m.version}] (data written in the SQL of version ${m.version})`).toBeTypeOf('function');
      const dir = newDir();
      const before = await buildAt(dir, m.version);

      const clock = new TestClock(0);
      clock.setChinaDate('2026-03-20');
      const open = () => Register.open({ dataDir: dir, clock });
      const reg = await open();
      try {
        expect(reg.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
        // Every row of every old table is still there, unchanged, in the same order.
        expect(project(reg.db, before)).toEqual(before);
        expect(runDoctor(reg).checks.filter((c) => !c.ok)).toEqual([]);

        // The upgraded register works: sign in with the old PIN and take a new case.
        const api = createDaibanApi(createContext({ open, initial: reg, shell: 'web' }));
        await api.signIn({ agentId: AGENT, pin: '1234' });
        const old = await api.getCase({ id: CASE });
        expect(old.caseNo).toBe('150822101201-20260302-001');
        expect(old.rectifications).toHaveLength(1);
        // Cases from before the as-at-intake snapshot take the applicant as the register knew them.
        const snap = reg.db.prepare(`SELECT intake_applicant_name AS name, intake_applicant_phone AS phone FROM cases WHERE id = ?`).get(CASE);
        expect(snap).toEqual({ name: '张三', phone: '13812345678' });
        const c = await api.createCase({
          applicant: { id: APPLICANT, kind: 'person', name: '张三', phone: '13812345678' },
          itemCode: 'MZ-0003',
          handlingMode: 'proxy',
          materials: [{ name: '申请人居民身份证', form: '原件', copies: 1, required: true, deferrable: false, state: 'both', custody: 'none' }],
        });
        expect(c.caseNo).toBe('150822101201-20260320-001');
        expect(runDoctor(reg).ok).toBe(true);
      } finally {
        reg.close();
      }

      // The backup was taken before the upgrade and holds the old version with the same data.
      const backups = fs.readdirSync(backupsDir(dir)).filter((f) => f.startsWith(`升级前备份-v${m.version}-`));
      expect(backups).toHaveLength(1);
      const b = new Database(path.join(backupsDir(dir), backups[0]), { readonly: true });
      try {
        expect(schemaVersion(b)).toBe(m.version);
        expect(snapshot(b)).toEqual(before);
      } finally {
        b.close();
      }
    });
  }

  it('take the pre-migration backup when a non-empty register is upgraded (next version simulated)', async () => {
    const dir = newDir();
    const db = openDatabase(registerPath(dir));
    try {
      await migrate(db);
      db.prepare(`INSERT INTO meta(key, value) VALUES ('marker', '升级前的数据')`).run();
      const before = snapshot(db);
      const next = { version: LATEST_SCHEMA_VERSION + 1, name: 'test-next', sql: `CREATE TABLE test_next (id INTEGER PRIMARY KEY); ALTER TABLE cases ADD COLUMN test_flag INTEGER NOT NULL DEFAULT 0;` };
      const r = await migrate(db, { backupDir: backupsDir(dir), migrations: [...MIGRATIONS, next] });
      expect(r).toMatchObject({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION + 1 });
      expect(r.backup).toBeTruthy();
      expect(project(db, before)).toEqual(before);
      const b = new Database(r.backup!, { readonly: true });
      try {
        expect(schemaVersion(b)).toBe(LATEST_SCHEMA_VERSION);
        expect(snapshot(b)).toEqual(before);
      } finally {
        b.close();
      }
      // A failing migration rolls back as a whole: the version and the data stay as they were.
      const broken = { version: LATEST_SCHEMA_VERSION + 2, name: 'broken', sql: `CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);` };
      const mid = snapshot(db);
      await expect(migrate(db, { migrations: [...MIGRATIONS, next, broken] })).rejects.toThrow();
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION + 1);
      expect(snapshot(db)).toEqual(mid);
    } finally {
      db.close();
    }
  });

  it('take no backup of an empty database', async () => {
    const dir = newDir();
    const db = openDatabase(registerPath(dir));
    try {
      const r = await migrate(db, { backupDir: backupsDir(dir) });
      expect(r).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION, backup: null });
    } finally {
      db.close();
    }
  });

  for (const journal of ['wal', 'delete'] as const) {
    it(`refuse a register from a newer program (${journal} journal) in Chinese and leave it byte-identical`, async () => {
      const dir = newDir();
      const file = registerPath(dir);
      const db = new Database(file);
      db.pragma(`journal_mode = ${journal}`);
      await migrate(db);
      db.prepare(`INSERT INTO meta(key, value) VALUES ('written_by', '代办通 9.0')`).run();
      db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
      db.close();
      const hash = fileHash(file);
      const listing = fs.readdirSync(dir).sort();

      const err = await Register.open({ dataDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaFromFutureError);
      expect((err as Error).message).toMatch(/更新版本的代办通/);
      expect((err as Error).message).toContain(`数据结构版本 ${LATEST_SCHEMA_VERSION + 1}`);
      expect((err as Error).message).toMatch(/数据没有被改动/);

      expect(fileHash(file)).toBe(hash);
      expect(fs.readdirSync(dir).sort()).toEqual(listing);
      const check = new Database(file, { readonly: true });
      try {
        expect(schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION + 1);
      } finally {
        check.close();
      }
    });
  }
});
