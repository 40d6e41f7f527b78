import type { Statement } from './connection';
import type { Db } from './connection';
import { uuidv7 } from '../domain/ids';
import { decodeHlc, encodeHlc, tickHlc, type Hlc } from '../domain/hlc';
import { historyEventDigest, LINK_AT_SQL } from './historyChain';

export type SqlValue = string | number | null;

/** The register tables whose rows are synced; their primary key column is `id`. */
export const SYNCED_TABLES = ['applicants', 'cases', 'case_materials', 'visits', 'followups', 'rectifications', 'agents', 'supervision_answers'] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

// Security state of the sign-in stays on the laptop; it is not part of the record of account.
const LOCAL_ONLY: Partial<Record<SyncedTable, readonly string[]>> = {
  agents: ['secret_hash', 'failed_attempts', 'locked_until'],
};

export type ChangeSpec = {
  table: SyncedTable;
  id: string;
  op: 'insert' | 'update';
  /** insert: every column but id; update: only the changed columns. */
  fields: Record<string, SqlValue>;
  /** History action, e.g. 'case.create', 'case.handUp'. */
  action: string;
  caseId?: string | null;
  note?: string;
  /** Extra detail for the timeline; never personal data (it is shown to every agent). */
  eventData?: Record<string, unknown>;
};

/** What a history event is about: a synced record, or the register itself (a backup, a restore, an export). */
export type HistoryEntity = SyncedTable | 'register';
/** 'event': an accountability event that changes no record (reveal, full export, backup, restore). */
export type ChangeOp = 'insert' | 'update' | 'event';

export type AuditEventSpec = {
  entity: HistoryEntity;
  /** The record the event is about; for 'register', the device (default). */
  entityId?: string;
  /** e.g. 'applicant.reveal', 'register.backup'. */
  action: string;
  caseId?: string | null;
  note?: string;
  /** What kind (which field, which backup) — never a revealed value. */
  eventData?: Record<string, unknown>;
};

export type OutboxPayload = {
  table: HistoryEntity;
  id: string;
  op: ChangeOp;
  fields: Record<string, SqlValue>;
  action: string;
  note: string;
  agentId: string | null;
  at: string;
};

/**
 * The only way a register record changes. In one transaction it writes the row, its history
 * event and its outbox entry (with an HLC timestamp and the next contiguous device sequence
 * number); callers never write these tables directly, so none can be forgotten.
 */
export class ChangeWriter {
  private columns = new Map<string, Set<string>>();
  private stmts = new Map<string, Statement<unknown[]>>();
  private lastHlc: Hlc | null;

  constructor(
    private readonly db: Db,
    readonly deviceId: string,
    private readonly nowMs: () => number,
  ) {
    for (const t of SYNCED_TABLES) {
      const cols = db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[];
      this.columns.set(t, new Set(cols.map((c) => c.name)));
    }
    const saved = db.prepare(`SELECT value FROM meta WHERE key = 'hlc'`).get() as { value: string } | undefined;
    this.lastHlc = saved ? decodeHlc(saved.value) : null;
  }

  private stmt(key: string, sql: string) {
    let s = this.stmts.get(key);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.stmts.set(key, s);
    }
    return s;
  }

  private checkColumns(table: SyncedTable, names: string[]): void {
    const known = this.columns.get(table)!;
    for (const n of names) if (!known.has(n)) throw new Error(`unknown column ${table}.${n}`);
  }

  /** Current HLC after a tick; also used by sync when receiving remote clocks. */
  nextHlc(): string {
    this.lastHlc = tickHlc(this.lastHlc, this.nowMs(), this.deviceId.replace(/-/g, '').slice(0, 16));
    const s = encodeHlc(this.lastHlc);
    this.stmt('hlc', `INSERT INTO meta(key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(s);
    return s;
  }

  /** Lets sync move the clock past a timestamp seen from another side. */
  observeHlc(h: Hlc): void {
    if (!this.lastHlc || h.ms > this.lastHlc.ms || (h.ms === this.lastHlc.ms && h.counter > this.lastHlc.counter)) {
      this.lastHlc = { ms: h.ms, counter: h.counter, node: this.lastHlc?.node ?? h.node };
    }
  }

  /** Must run inside a transaction (see `Register.tx`). Returns the outbox sequence number. */
  apply(spec: ChangeSpec, agentId: string | null): number {
    if (!this.db.inTransaction) throw new Error('ChangeWriter.apply must run inside a transaction');
    const names = Object.keys(spec.fields);
    this.checkColumns(spec.table, names);
    if (spec.op === 'insert') {
      const cols = ['id', ...names];
      this.stmt(
        `ins:${spec.table}:${cols.join(',')}`,
        `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      ).run(spec.id, ...names.map((n) => spec.fields[n]));
    } else {
      if (!names.length) throw new Error('empty update');
      const r = this.stmt(
        `upd:${spec.table}:${names.join(',')}`,
        `UPDATE ${spec.table} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`,
      ).run(...names.map((n) => spec.fields[n]), spec.id);
      if (r.changes !== 1) throw new Error(`record not found: ${spec.table}`);
    }

    const hidden = LOCAL_ONLY[spec.table] ?? [];
    const synced: Record<string, SqlValue> = {};
    for (const n of names) if (!hidden.includes(n)) synced[n] = spec.fields[n];
    return this.log(spec.table, spec.id, spec.op, synced, spec, agentId);
  }

  /**
   * An accountability event that changes no record — a full number revealed, a full export, a backup,
   * a restore — written like any change (history event + sync-queue entry, op 'event', no fields), so
   * it is chained, synced and seen at the county. Never the revealed value. Must run inside a transaction.
   */
  recordEvent(spec: AuditEventSpec, agentId: string | null): number {
    if (!this.db.inTransaction) throw new Error('ChangeWriter.recordEvent must run inside a transaction');
    return this.log(spec.entity, spec.entityId ?? this.deviceId, 'event', {}, spec, agentId);
  }

  private log(
    entity: HistoryEntity,
    id: string,
    op: ChangeOp,
    fields: Record<string, SqlValue>,
    spec: { action: string; caseId?: string | null; note?: string; eventData?: Record<string, unknown> },
    agentId: string | null,
  ): number {
    const at = new Date(this.nowMs()).toISOString();
    const note = spec.note ?? '';
    const payload: OutboxPayload = { table: entity, id, op, fields, action: spec.action, note, agentId, at };
    const hlc = this.nextHlc();
    const changeId = uuidv7(this.nowMs());
    const seqRow = this.stmt(
      'outbox',
      `INSERT INTO outbox (seq, change_id, hlc, device_id, entity, entity_id, op, payload, created_at)
       VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
    ).get(changeId, hlc, this.deviceId, entity, id, op, JSON.stringify(payload), at) as {
      seq: number;
    };
    const eventId = uuidv7(this.nowMs());
    const caseId = spec.caseId ?? null;
    // Absent means null: unset fields (a transition without a decision …) are not stored in every event.
    const data = JSON.stringify(spec.eventData ?? {}, (_k, v: unknown) => (v === null ? undefined : v));
    // The previous link of this device's chain (db/historyChain.ts): the event of its previous queue row
    // (a compacted row has no device: it is this device's when the row after it is; see storedDigestAt).
    const prev = this.stmt('prevLink', LINK_AT_SQL).get(seqRow.seq - 1, seqRow.seq - 1, this.deviceId) as { digest: Buffer | null } | undefined;
    const digest = historyEventDigest(
      { device: this.deviceId, seq: seqRow.seq, changeId, hlc, op, entity, entityId: id, action: spec.action, agentId, at, note, eventId, caseId, data },
      prev?.digest ?? null,
    );
    this.stmt(
      'event',
      `INSERT INTO events (id, entity, entity_id, case_id, action, agent_id, at, note, data_json, outbox_seq, digest)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(eventId, entity, id, caseId, spec.action, agentId, at, note, data, seqRow.seq, digest);
    return seqRow.seq;
  }
}
