// The tamper-evident history (issue 8): each device's history events form a hash chain. An event's
// digest covers its own stored columns, its change in the sync queue (device, sequence number, change
// id, clock, kind) and the digest of the same device's previous event, so changing, removing or
// reordering one event breaks every link after it. The same function is used by the ChangeWriter,
// by `doctor` and by the county (county/import, county/verify.ts), which recomputes the chain from
// what the batches carried and checks it against the chain head each device signed in its batches.
//
// An event enters its device's chain through its sync-queue row (outbox_seq → outbox.device_id, seq);
// a device's first event has no predecessor. Only reveal events written before schema 9 have no
// queue row: they stay outside the chain (doctor counts them).
import { createHash } from 'node:crypto';
import type { Db } from './connection';
import { EVENT_LABELS } from '../domain/eventLabels';

/** Stored digest length: SHA-256 cut to 128 bits (compact; still 2^128 work to forge a link). */
export const HISTORY_DIGEST_BYTES = 16;

/** A change's place in the sync queue: which device, which sequence number, which change, clock and kind. */
export type QueueRef = { device: string; seq: number; changeId: string; hlc: string; op: string };

/** What a link of the chain covers: the event's own columns and its change in the sync queue. */
export type HistoryLink = QueueRef & {
  entity: string;
  entityId: string;
  action: string;
  agentId: string | null;
  at: string;
  note: string;
  eventId: string;
  caseId: string | null;
  data: string;
};

/**
 * The queue row's part of a link, 16 bytes. A compacted queue row (db/outboxCompaction.ts) keeps
 * exactly this as its digest, so its event's link can still be recomputed after the row's change id,
 * clock and device are gone.
 */
export function queueDigest(q: QueueRef): Buffer {
  const canonical = JSON.stringify(['daibantong-queue/1', q.device, q.seq, q.changeId, q.hlc, q.op]);
  return createHash('sha256').update(canonical, 'utf8').digest().subarray(0, HISTORY_DIGEST_BYTES);
}

/** A link's digest from its queue digest, the event's columns and the previous link. */
function linkDigest(queue: Buffer, l: Omit<HistoryLink, keyof QueueRef>, prev: Buffer | null): Buffer {
  const canonical = JSON.stringify([
    'daibantong-history/1',
    prev ? prev.toString('hex') : '',
    queue.toString('hex'),
    l.entity,
    l.entityId,
    l.action,
    l.agentId,
    l.at,
    l.note,
    l.eventId,
    l.caseId,
    l.data,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest().subarray(0, HISTORY_DIGEST_BYTES);
}

/** The one definition of a link's digest (village writer, doctor, county import and verify). */
export function historyEventDigest(l: HistoryLink, prev: Buffer | null): Buffer {
  return linkDigest(queueDigest(l), l, prev);
}

/** Hex form carried in batch manifests ('' for "no predecessor"). */
export function digestHex(d: Buffer | null | undefined): string {
  return d ? Buffer.from(d).toString('hex') : '';
}

type ChainRow = {
  rid: number;
  id: string;
  entity: string;
  entity_id: string;
  case_id: string | null;
  action: string;
  agent_id: string | null;
  at: string;
  note: string;
  data_json: string;
  digest: Buffer | null;
  seq: number;
  device_id: string;
  change_id: string;
  hlc: string;
  op: string;
};

const CHAIN_SQL = `SELECT e.rowid AS rid, e.id, e.entity, e.entity_id, e.case_id, e.action, e.agent_id, e.at, e.note, e.data_json, e.digest,
         o.seq, o.device_id, o.change_id, o.hlc, o.op
  FROM events e JOIN outbox o ON o.seq = e.outbox_seq ORDER BY o.seq, e.rowid`;

function linkOf(r: ChainRow): HistoryLink {
  return {
    device: r.device_id,
    seq: r.seq,
    changeId: r.change_id,
    hlc: r.hlc,
    op: r.op,
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    agentId: r.agent_id,
    at: r.at,
    note: r.note,
    eventId: r.id,
    caseId: r.case_id,
    data: r.data_json,
  };
}

/**
 * The digest of a device's event at `seq`, or null when that queue row is another device's (or absent).
 * A compacted row has no device left; it is never its device's newest row (compaction keeps that one
 * whole), and a register's devices hold contiguous runs of the sequence, so it is the device of the
 * row after it — the one asking.
 */
export function storedDigestAt(db: Db, device: string, seq: number): Buffer | null {
  if (seq < 1) return null;
  const r = db.prepare(LINK_AT_SQL).get(seq, seq, device) as { digest: Buffer | null } | undefined;
  return r?.digest ?? null;
}

/**
 * The event of queue row ?1 when that row is device ?3's (or compacted). No index on
 * events.outbox_seq (it would cost ~110 B a case): the rows asked for are the newest ones (the
 * writer's previous link, a batch's predecessor), so the table is read backwards and stops there.
 */
export const LINK_AT_SQL = `SELECT e.digest FROM events e
  WHERE e.outbox_seq = ? AND EXISTS (SELECT 1 FROM outbox o WHERE o.seq = ? AND (o.device_id = ? OR o.device_id IS NULL))
  ORDER BY e.rowid DESC LIMIT 1`;

/** Migration 009 (before any queue row lost its columns): the chain of every existing event, in each device's sequence order. */
export function buildHistoryChains(db: Db): number {
  const set = db.prepare(`UPDATE events SET digest = ? WHERE rowid = ?`);
  const last = new Map<string, { seq: number; digest: Buffer }>();
  let n = 0;
  for (const r of db.prepare(CHAIN_SQL).all() as ChainRow[]) {
    const p = last.get(r.device_id);
    const d = historyEventDigest(linkOf(r), p && p.seq === r.seq - 1 ? p.digest : null);
    set.run(d, r.rid);
    last.set(r.device_id, { seq: r.seq, digest: d });
    n++;
  }
  return n;
}

export type BrokenLink = {
  device: string;
  seq: number;
  at: string;
  action: string;
  caseNo: string | null;
  reason: 'altered' | 'missing_digest' | 'missing_previous' | 'duplicate';
};

export type ChainVerdict = { ok: boolean; events: number; devices: number; unchained: number; relayed: number; broken: BrokenLink | null };

type VerifyRow = Omit<ChainRow, 'device_id' | 'change_id' | 'hlc'> & {
  device_id: string | null;
  change_id: string | null;
  hlc: string | null;
  queue: Buffer | null;
};

// The latest schema: a compacted queue row (schema 10) keeps only seq, op and its queue digest.
const VERIFY_SQL = `SELECT e.rowid AS rid, e.id, e.entity, e.entity_id, e.case_id, e.action, e.agent_id, e.at, e.note, e.data_json, e.digest,
         o.seq, o.device_id, o.change_id, o.hlc, o.op, o.digest AS queue
  FROM events e JOIN outbox o ON o.seq = e.outbox_seq ORDER BY o.seq, e.rowid`;

/**
 * Which device each compacted queue row belonged to: the device of the next whole row. A register's
 * devices write contiguous runs of the sequence and each device's newest row stays whole, so that
 * row closes the run the compacted row is in.
 */
function deviceOfCompacted(db: Db): (seq: number) => string {
  const whole = db.prepare(`SELECT seq, device_id FROM outbox WHERE device_id IS NOT NULL ORDER BY seq`).all() as { seq: number; device_id: string }[];
  return (seq) => {
    let lo = 0;
    let hi = whole.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (whole[mid].seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return whole[lo]?.device_id ?? '';
  };
}

/** Walks every device's chain in sequence order and stops at the first link that does not hold. */
export function verifyHistoryChain(db: Db): ChainVerdict {
  const last = new Map<string, { seq: number; digest: Buffer | null }>();
  let events = 0;
  let broken: BrokenLink | null = null;
  const caseNo = db.prepare(`SELECT case_no FROM cases WHERE id = ?`);
  let deviceOf: ((seq: number) => string) | null = null;
  for (const r of db.prepare(VERIFY_SQL).iterate() as IterableIterator<VerifyRow>) {
    events++;
    const compacted = r.device_id === null;
    const device = r.device_id ?? (deviceOf ??= deviceOfCompacted(db))(r.seq);
    const p = last.get(device);
    let reason: BrokenLink['reason'] | null = null;
    if (p && p.seq === r.seq) reason = 'duplicate';
    else if (!r.digest) reason = 'missing_digest';
    else if (p && p.seq !== r.seq - 1) reason = 'missing_previous';
    else if (compacted && !r.queue) reason = 'altered';
    else {
      const queue = compacted
        ? (r.queue as Buffer)
        : queueDigest({ device, seq: r.seq, changeId: r.change_id ?? '', hlc: r.hlc ?? '', op: r.op });
      if (!linkDigest(queue, linkOf({ ...r, device_id: device, change_id: '', hlc: '' }), p ? p.digest : null).equals(r.digest)) reason = 'altered';
    }
    if (reason) {
      const no = r.case_id ? (caseNo.get(r.case_id) as { case_no: string } | undefined)?.case_no ?? null : null;
      broken = { device, seq: r.seq, at: r.at, action: r.action, caseNo: no, reason };
      break;
    }
    last.set(device, { seq: r.seq, digest: r.digest });
  }
  // Events relayed from the point's other laptops (data_json.origin) belong to their origin device's
  // chain, which the county checks (county/verify.ts); the rest without a queue row are pre-chain reveals.
  const outside = db
    .prepare(`SELECT COUNT(*) FILTER (WHERE json_extract(data_json, '$.origin') IS NULL) AS own, COUNT(*) AS n FROM events WHERE outbox_seq IS NULL`)
    .get() as { own: number; n: number };
  return { ok: broken === null, events, devices: last.size, unchained: outside.own, relayed: outside.n - outside.own, broken };
}

/** China time, minutes: how a person at the point reads a moment. */
export function chinaMinute(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

const REASONS: Record<BrokenLink['reason'], string> = {
  altered: '内容与链上摘要不符，这条记录（或它的同步记录）被改动过',
  missing_digest: '缺少链上摘要',
  missing_previous: '它的前一条历史记录缺失',
  duplicate: '与前一条历史记录的序号重复',
};

/** The doctor's sentence for the first broken link, in the words of the person at the desk. */
export function describeBrokenLink(b: BrokenLink, thisDevice: string): string {
  const who = b.device === thisDevice ? `本机（设备 ${b.device.slice(0, 8)}）` : `设备 ${b.device.slice(0, 8)}`;
  const what = EVENT_LABELS[b.action] ?? b.action;
  return `历史记录链第一处断开：${who}的第 ${b.seq} 条历史（${chinaMinute(b.at)}，${what}${b.caseNo ? `，件号 ${b.caseNo}` : ''}）${REASONS[b.reason]}`;
}
