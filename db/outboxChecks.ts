// Doctor checks of the outbox against the register (issue 9): the outbox is the record of every
// change, so replaying it must give the rows as they are; each device's clock only moves forward
// along its sequence; and the county never acknowledged more than this register wrote.
import type { Db } from './connection';
import type { SqlValue } from './changes';
import { isCompactedPayload } from './outboxCompaction';

type Check = { name: string; ok: boolean; detail: string };

/**
 * Columns that change outside the outbox on purpose: due dates are a cache of the calendar in force,
 * recomputed locally when a new holiday table arrives (db/cases.ts recomputeDueDates; the county
 * recomputes with the same rule).
 */
const DERIVED: Record<string, readonly string[]> = { cases: ['due_date', 'due_estimated'] };

const TABLE_LABELS: Record<string, string> = {
  cases: '代办件',
  applicants: '申请人',
  case_materials: '材料',
  visits: '来访登记',
  followups: '回访',
  rectifications: '整改',
  agents: '代办员',
};

function same(a: SqlValue | undefined, b: SqlValue | undefined): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == b;
  return String(a) === String(b);
}

/** Replays the outbox record by record and compares with the current rows (fields a relay set later excepted). */
function replayCheck(db: Db): Check {
  // A compacted row names no record: its history event does (both are written together).
  // Accountability events (op 'event': a reveal, a backup…) change no record.
  const rows = db.prepare(
    `SELECT COALESCE(o.entity, e.entity) AS entity, COALESCE(o.entity_id, e.entity_id) AS entity_id, o.hlc, o.op, o.payload
       FROM outbox o LEFT JOIN events e ON e.outbox_seq = o.seq WHERE o.op <> 'event' ORDER BY 1, 2, o.seq`,
  );
  const clocks = db.prepare(`SELECT field, hlc FROM sync_field_clocks WHERE tbl = ? AND id = ?`);
  const current = new Map<string, ReturnType<Db['prepare']>>();
  const bad: string[] = [];
  let checked = 0;
  let key = '';
  let state: Record<string, { v: SqlValue; hlc: string }> = {};
  let entity = '';
  let id = '';
  // A record whose older changes were compacted (db/outboxCompaction.ts: acknowledged payloads dropped)
  // can't be replayed from the queue alone; the county holds those changes.
  let partial = false;
  let skipped = 0;
  const flush = () => {
    if (!key) return;
    if (partial) {
      skipped++;
      return;
    }
    checked++;
    let stmt = current.get(entity);
    if (!stmt) {
      stmt = db.prepare(`SELECT * FROM ${entity} WHERE id = ?`);
      current.set(entity, stmt);
    }
    const row = stmt.get(id) as Record<string, SqlValue> | undefined;
    if (!row) {
      bad.push(`${TABLE_LABELS[entity] ?? entity} ${id.slice(0, 8)} 不存在`);
      return;
    }
    const relayed = new Map((clocks.all(entity, id) as { field: string; hlc: string }[]).map((c) => [c.field, c.hlc]));
    for (const [f, s] of Object.entries(state)) {
      if (DERIVED[entity]?.includes(f)) continue;
      const r = relayed.get(f) ?? relayed.get('*');
      if (r && r > s.hlc) continue; // a later value from another laptop or the county
      if (!same(row[f], s.v)) bad.push(`${TABLE_LABELS[entity] ?? entity} ${id.slice(0, 8)} 的 ${f}`);
    }
  };
  for (const r of rows.iterate() as IterableIterator<{ entity: string; entity_id: string; hlc: string; op: string; payload: string }>) {
    const k = `${r.entity}|${r.entity_id}`;
    if (k !== key) {
      flush();
      key = k;
      entity = r.entity;
      id = r.entity_id;
      state = {};
      partial = false;
    }
    if (isCompactedPayload(r.payload)) {
      partial = true;
      continue;
    }
    const p = JSON.parse(r.payload) as { fields: Record<string, SqlValue> };
    for (const [f, v] of Object.entries(p.fields)) state[f] = { v, hlc: r.hlc };
    if (bad.length > 20) break;
  }
  if (bad.length <= 20) flush();
  return {
    name: '同步队列重放与现有记录一致',
    ok: bad.length === 0,
    detail:
      bad.length === 0
        ? `按同步队列重放 ${checked} 条记录，与现有记录一致${skipped ? `（${skipped} 条记录的早期变更已压缩，县级中心保有，未重放）` : ''}`
        : `重放同步队列后与现有记录不一致：${bad.slice(0, 10).join('，')}${bad.length > 10 ? ' 等' : ''}`,
  };
}

/** Along each device's sequence the hybrid clock only moves forward. */
function clockCheck(db: Db): Check {
  const last = new Map<string, { seq: number; hlc: string }>();
  const bad: string[] = [];
  for (const r of db.prepare(`SELECT seq, device_id, hlc FROM outbox WHERE hlc IS NOT NULL ORDER BY seq`).iterate() as IterableIterator<{ seq: number; device_id: string; hlc: string }>) {
    const p = last.get(r.device_id);
    if (p && r.hlc <= p.hlc) {
      bad.push(`第 ${r.seq} 条（前一条第 ${p.seq} 条）`);
      if (bad.length > 10) break;
    }
    last.set(r.device_id, { seq: r.seq, hlc: r.hlc });
  }
  return {
    name: '每台设备的时钟不倒退',
    ok: bad.length === 0,
    detail: bad.length === 0 ? `${last.size} 台设备的变更时钟都随序号递增` : `变更时钟倒退：${bad.join('，')}`,
  };
}

/** The county's acknowledgement never goes past what this register wrote, and matches the acked rows. */
function ackCheck(db: Db, deviceId: string): Check {
  const st = db.prepare(`SELECT acked_through, seq_start FROM sync_state WHERE id = 1`).get() as { acked_through: number; seq_start: number } | undefined;
  if (!st) return { name: '县里确认的不超过已写入的', ok: true, detail: '尚未同步' };
  const mine = (db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM outbox WHERE device_id = ?`).get(deviceId) as { n: number }).n || st.seq_start;
  const problems: string[] = [];
  if (st.acked_through > mine) problems.push(`县里确认到第 ${st.acked_through} 条，本机只写到第 ${mine} 条`);
  const ackedBeyond = (db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE device_id = ? AND acked_at IS NOT NULL AND seq > ?`).get(deviceId, st.acked_through) as { n: number }).n;
  if (ackedBeyond) problems.push(`${ackedBeyond} 条变更标为已确认，但在确认范围之外`);
  const notAcked = (db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE device_id = ? AND acked_at IS NULL AND seq <= ?`).get(deviceId, st.acked_through) as { n: number }).n;
  if (notAcked) problems.push(`${notAcked} 条变更在确认范围之内却未标为已确认`);
  for (const r of db.prepare(`SELECT device_id, through, acked_through FROM sync_retired_devices`).all() as { device_id: string; through: number; acked_through: number }[]) {
    if (r.acked_through > r.through) problems.push(`恢复前的设备 ${r.device_id.slice(0, 8)} 确认到第 ${r.acked_through} 条，超过其最后一条（第 ${r.through} 条）`);
  }
  return {
    name: '县里确认的不超过已写入的',
    ok: problems.length === 0,
    detail: problems.length === 0 ? `县里确认到第 ${st.acked_through} 条，本机写到第 ${mine} 条` : problems.join('；'),
  };
}

export function outboxChecks(db: Db, deviceId: string): Check[] {
  return [replayCheck(db), clockCheck(db), ackCheck(db, deviceId)];
}
