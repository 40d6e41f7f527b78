// The point's records relayed by the county (docs/sync-protocol.md §5a): what the point's other
// laptops recorded, the county's decisions, and — for a replacement laptop or a restored register —
// everything this register lacks. Each record arrives as the county's current row with its per-field
// clocks; it is merged field by field, the later clock winning, exactly as the county merges.
//
// These writes deliberately bypass the ChangeWriter: they are other devices' changes that the county
// already holds. Put into this device's outbox they would go back up as this device's changes and be
// imported twice. Their clocks are kept in sync_field_clocks so that later edits, here or elsewhere,
// are ordered against them.
import type { Statement } from '../../db/connection';
import { isCompactedPayload } from '../../db/outboxCompaction';
import type { Register } from '../../db/register';
import { SYNCED_TABLES, type SqlValue } from '../../db/changes';
import { uuidv7 } from '../../domain/ids';
import type { RecLine, RecsLine } from '../wire/protocol';
import { FIELD_LABELS } from './state';

/** Fields that are bookkeeping, not something two people decide differently. */
const NO_CONFLICT_FIELDS = new Set(['updated_at', 'updated_by', 'county_decision_id', 'due_date', 'due_estimated']);
/** Sign-in security of an agent stays on each laptop (it never leaves it); a relayed agent gets no PIN here. */
const LOCAL_DEFAULTS: Record<string, Record<string, SqlValue>> = { agents: { secret_hash: '' } };

export type RecordsApplied = { changed: number; conflicts: number; skipped: number; events: number; warnings: string[]; complete: boolean };

/** A county decision: every laptop of the point applies it itself (and records its own event), so another laptop's application is not repeated. */
const DECISION_ACTIONS = new Set(['case.countyDecision', 'case.countyDecisionKept']);

/**
 * The history events other devices recorded for a relayed record, so that this laptop's timeline shows
 * who did what there. They are stored as events of their origin device (`data_json.origin`: device,
 * sequence, clock; id = the change id, so a record relayed again adds nothing twice) without an outbox
 * row: they are not this device's changes and must not go up again. Skipped: changes this register
 * already holds in its own outbox (it was that device before a restore), and applications of county
 * decisions that this laptop records itself (`decisionsHere`: cases with a decision in this reply).
 */
function applyEvents(reg: Register, r: RecLine, hasCaseId: boolean, own: Set<string>, decisionsHere: Set<string>): number {
  if (!r.ev?.length) return 0;
  const caseId = r.tbl === 'cases' ? r.id : hasCaseId && typeof r.row.case_id === 'string' ? r.row.case_id : null;
  let n = 0;
  // In the order they were made there (the timeline orders events of the same second by insertion).
  for (const e of [...r.ev].sort((x, y) => (x.h < y.h ? -1 : x.h > y.h ? 1 : 0))) {
    if (own.has(e.d) && stmt(reg, `SELECT 1 FROM outbox WHERE seq = ? AND device_id = ?`).get(e.s, e.d)) continue;
    if (DECISION_ACTIONS.has(e.a) && caseId) {
      if (decisionsHere.has(caseId)) continue;
      const mine = stmt(
        reg,
        `SELECT 1 FROM events WHERE case_id = ? AND action IN ('case.countyDecision', 'case.countyDecisionKept') AND note = ? AND json_extract(data_json, '$.origin') IS NULL`,
      ).get(caseId, e.n);
      if (mine) continue;
    }
    n += stmt(
      reg,
      `INSERT INTO events (id, entity, entity_id, case_id, action, agent_id, at, note, data_json, outbox_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT(id) DO NOTHING`,
    ).run(e.c, r.tbl, r.id, caseId, e.a, e.g, e.at, e.n, JSON.stringify({ origin: { device: e.d, seq: e.s, hlc: e.h } })).changes;
  }
  return n;
}

const columnCache = new WeakMap<object, Map<string, Set<string>>>();
function columns(reg: Register): Map<string, Set<string>> {
  let m = columnCache.get(reg.db);
  if (!m) {
    m = new Map();
    for (const t of SYNCED_TABLES) m.set(t, new Set((reg.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name)));
    columnCache.set(reg.db, m);
  }
  return m;
}

type LocalClock = { hlc: string; unacked: boolean };

const stmtCache = new WeakMap<object, Map<string, Statement<unknown[]>>>();
/** Prepared once per connection: a replacement laptop applies hundreds of thousands of rows. */
function stmt(reg: Register, sql: string): Statement<unknown[]> {
  let m = stmtCache.get(reg.db);
  if (!m) stmtCache.set(reg.db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = reg.db.prepare<unknown[]>(sql)));
  return s;
}

/** This register's own clock for each field of a record: its outbox (every device it has been) and earlier relays. */
function localClocks(reg: Register, tbl: string, id: string, acked: Map<string, number>): { fields: Map<string, LocalClock>; star: LocalClock } {
  const fields = new Map<string, LocalClock>();
  let star: LocalClock = { hlc: '', unacked: false };
  for (const r of stmt(reg, `SELECT field, hlc FROM sync_field_clocks WHERE tbl = ? AND id = ?`).all(tbl, id) as { field: string; hlc: string }[]) {
    if (r.field === '*') star = { hlc: r.hlc, unacked: false };
    else fields.set(r.field, { hlc: r.hlc, unacked: false });
  }
  const rows = stmt(reg, `SELECT seq, device_id, hlc, op, payload FROM outbox WHERE entity = ? AND entity_id = ? ORDER BY seq`).all(tbl, id) as {
    seq: number;
    device_id: string;
    hlc: string;
    op: string;
    payload: string;
  }[];
  for (const r of rows) {
    const unacked = r.seq > (acked.get(r.device_id) ?? 0);
    if (r.op === 'insert' && r.hlc > star.hlc) star = { hlc: r.hlc, unacked };
    // A compacted row (acknowledged long ago, payload dropped): the county already merged it, so what
    // it relays for those fields includes this change.
    if (isCompactedPayload(r.payload)) continue;
    const p = JSON.parse(r.payload) as { fields: Record<string, SqlValue> };
    for (const f of Object.keys(p.fields)) {
      const cur = fields.get(f);
      if (!cur || r.hlc > cur.hlc) fields.set(f, { hlc: r.hlc, unacked });
    }
  }
  return { fields, star };
}

/** The clock node names of the devices this register has been: a relayed value with one of these clocks is our own. */
function ownNodes(reg: Register): Set<string> {
  const ids = [reg.deviceId, ...(reg.db.prepare(`SELECT device_id FROM sync_retired_devices`).all() as { device_id: string }[]).map((r) => r.device_id)];
  return new Set(ids.map((d) => d.replace(/-/g, '').slice(0, 16)));
}
const nodeOf = (hlc: string) => hlc.slice(hlc.indexOf('-', hlc.indexOf('-') + 1) + 1);

/** Last sequence number the county acknowledged, per device this register has been. */
function ackedByDevice(reg: Register): Map<string, number> {
  const m = new Map<string, number>();
  const st = reg.db.prepare(`SELECT acked_through FROM sync_state WHERE id = 1`).get() as { acked_through: number };
  m.set(reg.deviceId, st.acked_through);
  for (const r of reg.db.prepare(`SELECT device_id, acked_through FROM sync_retired_devices`).all() as { device_id: string; acked_through: number }[]) {
    m.set(r.device_id, r.acked_through);
  }
  return m;
}

/**
 * Applies one page of relayed records and moves the cursor, in one transaction, so a cut leaves the
 * register at a page boundary and the next poll resumes from there. On the last page the register's
 * counts are checked against the county's; a shortfall is reported and the download starts over.
 */
export function applyRecords(reg: Register, recs: RecLine[], end: RecsLine, decisionsHere: Set<string> = new Set()): RecordsApplied {
  const out: RecordsApplied = { changed: 0, conflicts: 0, skipped: 0, events: 0, warnings: [], complete: false };
  const ownDevices = new Set([reg.deviceId, ...(reg.db.prepare(`SELECT device_id FROM sync_retired_devices`).all() as { device_id: string }[]).map((d) => d.device_id)]);
  const cols = columns(reg);
  const acked = ackedByDevice(reg);
  const mineNodes = ownNodes(reg);
  const setClock = reg.db.prepare(
    `INSERT INTO sync_field_clocks (tbl, id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(tbl, id, field) DO UPDATE SET hlc = excluded.hlc WHERE excluded.hlc > sync_field_clocks.hlc`,
  );
  const conflict = reg.db.prepare(
    `INSERT INTO sync_conflicts (id, entity, entity_id, field, local_value, remote_value, local_hlc, remote_hlc, winner, reason, message_id, detected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  // A replacement download inserts hundreds of thousands of rows into tables with several indexes: with
  // SQLite's default 2 MB page cache each insert rereads (and, encrypted, decrypts) index pages. 64 MB
  // stays for this connection (the laptop has the memory; later searches benefit too).
  if (recs.length > 1000 && (reg.db.pragma('cache_size', { simple: true }) as number) > -65536) reg.db.pragma('cache_size = -65536');
  // Rows of one page may point at rows of a later page (a case whose applicant changed later has the
  // older version): references are checked when the whole download is in (doctor), not per page.
  reg.db.pragma('foreign_keys = OFF');
  try {
    reg.tx(() => {
      for (const r of recs) {
        const known = cols.get(r.tbl)!;
        const local = stmt(reg, `SELECT * FROM ${r.tbl} WHERE id = ?`).get(r.id) as Record<string, SqlValue> | undefined;
        const names = Object.keys(r.row).filter((f) => f !== 'id' && known.has(f) && !(f in (LOCAL_DEFAULTS[r.tbl] ?? {})));
        if (!local) {
          // The county holds only later edits of a record whose creation has not reached it yet: it comes again when it does.
          if (!r.clocks['*']) {
            out.skipped++;
            continue;
          }
          const row: Record<string, SqlValue> = { ...(LOCAL_DEFAULTS[r.tbl] ?? {}) };
          for (const f of names) row[f] = r.row[f];
          const keys = Object.keys(row);
          try {
            stmt(reg, `INSERT INTO ${r.tbl} (id, ${keys.join(', ')}) VALUES (?, ${keys.map(() => '?').join(', ')})`).run(r.id, ...keys.map((k) => row[k]));
          } catch (e) {
            out.skipped++;
            const what = r.tbl === 'cases' ? `代办件 ${String(r.row.case_no ?? '')}` : `一条${r.tbl}记录`;
            out.warnings.push(`县里转来的${what}未能写入本机（${e instanceof Error && /UNIQUE/.test(e.message) ? '件号与本机已有的代办件重复' : '数据不完整'}），请联系县政务服务中心核对`);
            continue;
          }
          for (const [f, h] of Object.entries(r.clocks)) if (f === '*' || known.has(f)) setClock.run(r.tbl, r.id, f, h);
          out.events += applyEvents(reg, r, known.has('case_id'), ownDevices, decisionsHere);
          out.changed++;
          continue;
        }
        const lc = localClocks(reg, r.tbl, r.id, acked);
        const set: Record<string, SqlValue> = {};
        for (const f of names) {
          const remote = r.clocks[f] ?? r.clocks['*'] ?? '';
          const mine = lc.fields.get(f) ?? lc.star;
          if (remote === mine.hlc) continue;
          const differs = local[f] !== r.row[f];
          // Concurrent: this laptop changed the field and the county had not yet received that change,
          // so whoever wrote the other value could not have seen it.
          if (differs && mine.unacked && !NO_CONFLICT_FIELDS.has(f) && !mineNodes.has(nodeOf(remote))) {
            const remoteWins = remote > mine.hlc;
            out.conflicts++;
            conflict.run(
              uuidv7(reg.clock.nowMs()),
              r.tbl,
              r.id,
              f,
              local[f] == null ? null : String(local[f]),
              r.row[f] == null ? null : String(r.row[f]),
              mine.hlc,
              remote,
              remoteWins ? 'remote' : 'local',
              `${FIELD_LABELS[f] ?? f}：本代办点另一台电脑同时修改，${remoteWins ? '那台电脑的修改较晚' : '本机的修改较晚'}`,
              reg.nowIso(),
            );
          }
          if (remote > mine.hlc) {
            if (differs) set[f] = r.row[f];
            setClock.run(r.tbl, r.id, f, remote);
          }
        }
        out.events += applyEvents(reg, r, known.has('case_id'), ownDevices, decisionsHere);
        const keys = Object.keys(set);
        if (keys.length) {
          reg.db.prepare(`UPDATE ${r.tbl} SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((k) => set[k]), r.id);
          out.changed++;
        }
      }
      const patch: Record<string, number | string | null> = { records_through: end.through, records_done: end.done, records_total: end.total };
      if (!end.more) {
        const short: string[] = [];
        for (const [t, n] of Object.entries(end.counts)) {
          const have = (reg.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
          if (have < n) short.push(`${t} 少 ${n - have} 条`);
        }
        if (short.length && out.skipped === 0) {
          out.warnings.push(`与县里核对记录条数不符（${short.join('，')}），下次同步将重新下载本代办点的全部记录`);
          patch.records_through = 0;
          patch.records_done = 0;
          patch.records_complete_at = null;
        } else {
          patch.records_complete_at = reg.nowIso();
          out.complete = true;
        }
      }
      const ks = Object.keys(patch);
      reg.db.prepare(`UPDATE sync_state SET ${ks.map((k) => `${k} = ?`).join(', ')} WHERE id = 1`).run(...ks.map((k) => patch[k]));
    });
  } finally {
    reg.db.pragma('foreign_keys = ON');
  }
  return out;
}
