// Applying verified batch lines to the county's record tables: exactly once per (device, seq), the
// overlap with what was imported before checked to be the same changes, field-level last-writer-wins
// with per-field hybrid clocks, and conflicts with county decisions recorded.
import type { Statement } from '../../db/connection';
import type { SqlValue } from '../../db/changes';
import { SYNCED_TABLES, type SyncedTable } from '../../db/changes';
import { SyncRejection, type Container } from '../../sync/wire/container';
import { openSealedBody } from '../../sync/wire/seal';
import { checkBatchLine, type BatchLine, type BatchManifest } from '../../sync/wire/protocol';
import { CONTESTED_FIELDS } from '../../sync/wire/decisions';
import { uuidv7 } from '../../domain/ids';
import type { County } from '../db';
import type { DeviceRow } from './authenticate';

const NO_CONFLICT_FIELDS = new Set(['updated_at', 'updated_by', 'county_decision_id', 'decided_by_county']);


/** The batch's lines, after opening its body with the county's own key (batches are sealed to it). */
export function parseLines(county: County, c: Container, m: BatchManifest): BatchLine[] {
  const text = openSealedBody(c.body, county.requireIdentity().private_key, 'batch').toString('utf8');
  if (!text.endsWith('\n')) throw new SyncRejection('bad_content', '批次内容格式不正确（缺少结尾换行）');
  const raw = text.slice(0, -1).split('\n');
  if (raw.length !== m.count) throw new SyncRejection('bad_content', `批次内容有 ${raw.length} 条，清单写的是 ${m.count} 条`);
  const out: BatchLine[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    let json: unknown;
    try {
      json = JSON.parse(raw[i]);
    } catch {
      throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更不是有效的 JSON`);
    }
    const checked = checkBatchLine(json);
    if (!checked.ok) throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更格式不正确${checked.where ? `（${checked.where}）` : ''}`);
    const l = checked.line;
    if (l.seq !== m.fromSeq + i) throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更的序号是 ${l.seq}，应为 ${m.fromSeq + i}`);
    if (l.payload.table !== l.entity || l.payload.id !== l.entityId || l.payload.op !== l.op) {
      throw new SyncRejection('bad_content', `批次第 ${i + 1} 条变更的内容前后不一致`);
    }
    out[i] = l;
  }
  return out;
}

/** A record of the point changed: it gets the point's next record version, so the relay sends it to the point's devices. */
export function bumpRecordVersion(county: County, point: string, tbl: string, id: string): void {
  county.db
    .prepare(
      `INSERT INTO record_versions (tbl, id, point_code, version) VALUES (?, ?, ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM record_versions WHERE point_code = ?))
       ON CONFLICT(tbl, id) DO UPDATE SET version = excluded.version`,
    )
    .run(tbl, id, point, point);
}

/** Applies changes to the county's record tables with per-field clocks. One instance per county connection. */
class Applier {
  private cols = new Map<SyncedTable, Set<string>>();
  private stmts = new Map<string, Statement<unknown[]>>();

  constructor(private readonly county: County) {
    for (const t of SYNCED_TABLES) {
      const names = (county.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
      this.cols.set(t, new Set(names.filter((n) => n !== 'id' && n !== 'point_code')));
    }
  }

  private stmt(key: string, sql: string): Statement<unknown[]> {
    let s = this.stmts.get(key);
    if (!s) {
      s = this.county.db.prepare<unknown[]>(sql);
      this.stmts.set(key, s);
    }
    return s;
  }

  /** Unknown columns mean a village newer than this county program: refuse the batch before applying. */
  checkColumns(lines: BatchLine[]): void {
    for (const l of lines) {
      const known = this.cols.get(l.entity)!;
      for (const f of Object.keys(l.payload.fields)) {
        if (!known.has(f)) throw new SyncRejection('newer_schema', `批次含有县级系统不认识的字段（${l.entity}.${f}），请先升级县级系统`);
      }
    }
  }

  apply(deviceId: string, point: string, l: BatchLine, stats: { conflicts: number }): void {
    const t = l.entity;
    // With who and when (village wall time) and the note: the relay makes history events of them for the point's other laptops.
    this.stmt('chg', `INSERT INTO changes (device_id, seq, change_id, hlc, entity, entity_id, op, action, agent_id, at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      deviceId,
      l.seq,
      l.changeId,
      l.hlc,
      t,
      l.entityId,
      l.op,
      l.payload.action,
      l.payload.agentId,
      l.payload.at,
      l.payload.note,
    );
    const fields = l.payload.fields;
    const names = Object.keys(fields);
    if (l.op === 'insert') {
      const cols = ['id', 'point_code', ...names];
      const r = this.stmt(
        `ins:${t}:${names.join(',')}`,
        `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`,
      ).run(l.entityId, point, ...names.map((n) => fields[n]));
      if (r.changes === 1) {
        this.stmt('fc*', `INSERT INTO field_clocks (tbl, id, field, hlc, origin) VALUES (?, ?, '*', ?, 'v')`).run(t, l.entityId, l.hlc);
        this.bumpVersion(point, t, l.entityId);
        return;
      }
    }
    const existing = this.stmt(`pt:${t}`, `SELECT point_code FROM ${t} WHERE id = ?`).get(l.entityId) as { point_code: string } | undefined;
    if (existing && existing.point_code !== point) {
      throw new SyncRejection('bad_content', `批次中的记录编号与其他代办点的记录重复（${t}），不予接收`);
    }
    if (!existing) {
      // An update before its insert (the insert comes from another device of the point, still to
      // come): the fields it carries get their own clocks, the rest waits at the lowest clock.
      const cols = ['id', 'point_code', ...names];
      this.stmt(`ins:${t}:${names.join(',')}`, `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`).run(
        l.entityId,
        point,
        ...names.map((n) => fields[n]),
      );
      this.stmt('fc*', `INSERT INTO field_clocks (tbl, id, field, hlc, origin) VALUES (?, ?, '*', ?, 'v')`).run(t, l.entityId, '');
      this.setClocks(t, l.entityId, names, l.hlc);
      this.bumpVersion(point, t, l.entityId);
      return;
    }
    if (this.merge(deviceId, point, l, stats)) this.bumpVersion(point, t, l.entityId);
  }

  /** The record changed: it gets the point's next record version, so the relay sends it to the point's devices. */
  private bumpVersion(point: string, t: string, id: string): void {
    this.stmt(
      'ver',
      `INSERT INTO record_versions (tbl, id, point_code, version) VALUES (?, ?, ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM record_versions WHERE point_code = ?))
       ON CONFLICT(tbl, id) DO UPDATE SET version = excluded.version`,
    ).run(t, id, point, point);
  }

  /** Village clocks for several fields of one record, in one statement. */
  private setClocks(t: string, id: string, fields: string[], hlc: string): void {
    if (!fields.length) return;
    const n = fields.length;
    this.stmt(
      `fcset:${n}`,
      `INSERT INTO field_clocks (tbl, id, field, hlc, origin, decision_id) VALUES ${Array.from({ length: n }, () => `(?, ?, ?, ?, 'v', NULL)`).join(', ')}
       ON CONFLICT(tbl, id, field) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin, decision_id = excluded.decision_id`,
    ).run(...fields.flatMap((f) => [t, id, f, hlc]));
  }

  /** Field-level last-writer-wins against what is there; concurrent edits of county decisions are recorded. */
  private merge(deviceId: string, point: string, l: BatchLine, stats: { conflicts: number }): boolean {
    const t = l.entity;
    const fields = l.payload.fields;
    const clocks = this.stmt('fcget', `SELECT field, hlc, origin, decision_id FROM field_clocks WHERE tbl = ? AND id = ?`).all(t, l.entityId) as {
      field: string;
      hlc: string;
      origin: string;
      decision_id: string | null;
    }[];
    const byField = new Map(clocks.map((c) => [c.field, c]));
    const star = byField.get('*') ?? { field: '*', hlc: '', origin: 'v', decision_id: null };
    // The village saying "this change comes after I applied county decision D".
    const seenDecision = t === 'cases' && typeof fields.county_decision_id === 'string' ? fields.county_decision_id : null;
    if (seenDecision) {
      this.stmt('seen', `UPDATE decisions SET seen_device = ?, seen_seq = ? WHERE id = ? AND seen_seq IS NULL`).run(deviceId, l.seq, seenDecision);
      // The village could not take the decision (its case had moved on) and keeps its own record:
      // the conflicts about that decision end with the village's values.
      if (l.payload.action === 'case.countyDecisionKept') {
        this.stmt('kept', `UPDATE conflicts SET winner = 'village' WHERE record_id = ? AND decision_id = ?`).run(l.entityId, seenDecision);
      }
    }
    let current: Record<string, SqlValue> | null = null;
    const set: string[] = [];
    for (const f of Object.keys(fields)) {
      const c = byField.get(f) ?? star;
      if (c.origin === 'c' && c.decision_id && !NO_CONFLICT_FIELDS.has(f) && CONTESTED_FIELDS.includes(f)) {
        const d = this.stmt('dseen', `SELECT seen_seq, hlc FROM decisions WHERE id = ?`).get(c.decision_id) as { seen_seq: number | null } | undefined;
        if (d && d.seen_seq === null) {
          current ??= this.stmt(`row:${t}`, `SELECT * FROM ${t} WHERE id = ?`).get(l.entityId) as Record<string, SqlValue>;
          if (current[f] !== fields[f]) {
            const villageWins = l.hlc > c.hlc;
            stats.conflicts++;
            this.stmt(
              'conflict',
              `INSERT INTO conflicts (id, point_code, tbl, record_id, field, village_value, county_value, village_hlc, county_hlc, winner, decision_id, device_id, seq, detected_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            ).run(
              uuidv7(this.county.clock.nowMs()),
              point,
              t,
              l.entityId,
              f,
              fields[f] == null ? null : String(fields[f]),
              current[f] == null ? null : String(current[f]),
              l.hlc,
              c.hlc,
              villageWins ? 'village' : 'county',
              c.decision_id,
              deviceId,
              l.seq,
              this.county.nowIso(),
            );
          }
        }
      }
      if (l.hlc > c.hlc) set.push(f);
    }
    this.setClocks(t, l.entityId, set, l.hlc);
    if (set.length) {
      this.stmt(`upd:${t}:${set.join(',')}`, `UPDATE ${t} SET ${set.map((f) => `${f} = ?`).join(', ')} WHERE id = ?`).run(
        ...set.map((f) => fields[f]),
        l.entityId,
      );
    }
    return set.length > 0;
  }
}

const appliers = new WeakMap<County, Applier>();
export function applierFor(county: County): Applier {
  let a = appliers.get(county);
  if (!a) {
    a = new Applier(county);
    appliers.set(county, a);
  }
  return a;
}

export type Applied = { applied: number; skipped: number; conflicts: number; maxHlc: string };

/** Applies the part of `lines` past the device's applied_through; verifies the overlap is the same changes. */
export function applyLines(county: County, dev: DeviceRow, lines: BatchLine[], acc: Applied): void {
  const from = lines[0].seq;
  const through = dev.applied_through;
  if (from <= through) {
    const hi = Math.min(through, lines[lines.length - 1].seq);
    const rows = county.db.prepare(`SELECT seq, change_id FROM changes WHERE device_id = ? AND seq BETWEEN ? AND ?`).all(dev.id, from, hi) as {
      seq: number;
      change_id: string;
    }[];
    const known = new Map(rows.map((r) => [r.seq, r.change_id]));
    for (const l of lines) {
      if (l.seq > hi) break;
      const k = known.get(l.seq);
      if (k !== undefined && k !== l.changeId) {
        throw new SyncRejection(
          'replaced_history',
          `该设备的第 ${l.seq} 条变更此前已导入，但内容不同（这台电脑可能从旧备份恢复过）。批次不予接收，请联系县政务服务中心核对`,
        );
      }
      acc.skipped++;
    }
  }
  const a = applierFor(county);
  const stats = { conflicts: 0 };
  for (const l of lines) {
    if (l.seq <= through) continue;
    a.apply(dev.id, dev.point_code, l, stats);
    acc.applied++;
    if (l.hlc > acc.maxHlc) acc.maxHlc = l.hlc;
  }
  acc.conflicts += stats.conflicts;
  dev.applied_through = Math.max(through, lines[lines.length - 1].seq);
}

