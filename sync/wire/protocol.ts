// Manifests and body lines of the sync protocol (docs/sync-protocol.md), parsed strictly: every
// file and request is treated as hostile until its signature and hash have been checked.
import { z } from 'zod';
import { SYNCED_TABLES, type SyncedTable } from '../../db/changes';
import { SyncRejection, type RejectCode } from './container';

export const MAX_BATCH_CHANGES = 2000;
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** Largest body the county accepts for a batch (a little over MAX_BATCH_BYTES for framing). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_SMALL_REQUEST_BYTES = 64 * 1024;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/);
const hlc = z.string().regex(/^\d{15}-\d{5}-[0-9A-Za-z_-]{1,64}$/);
const b64key = z.string().regex(/^[A-Za-z0-9+/]{40,120}={0,2}$/);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const countyCode = z.string().regex(/^\d{6}$/);
export const pointCode = z.string().regex(/^\d{12}$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const body = { bodyBytes: z.number().int().min(0).max(64 * 1024 * 1024), bodySha256: hex64 };

/** Proof that a device holds an enrolment file: HMAC-SHA256(ticket secret, device|publicKey). */
export const enrolProof = z.strictObject({ ticket: uuid, publicKey: b64key, proof: hex64 });

/**
 * A restored register proving it holds the old device's key: the old device's signature over
 * retireMessage(old, new, through). The county then closes the old device's sequence at `through`
 * (or at what it already has, if more).
 */
export const retireProof = z.strictObject({ device: uuid, through: z.number().int().min(0), signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/) });
export type RetireProof = z.infer<typeof retireProof>;
export function retireMessage(oldDevice: string, newDevice: string, through: number): Buffer {
  return Buffer.from(`daibantong-retire|${oldDevice}|${newDevice}|${through}`, 'utf8');
}

/** Optional fields a device sends with every batch and poll (absent from older programs). */
const deviceCursor = {
  /** The device's sequence starts after this number (a restored register continues the outbox it inherited). */
  seqStart: z.number().int().min(0).optional(),
  /** The last record version of the point this device has applied (sibling relay / replacement download). */
  recordsThrough: z.number().int().min(0).optional(),
  retire: retireProof.optional(),
};

export const batchManifest = z
  .strictObject({
    type: z.literal('batch'),
    batchId: uuid,
    county: countyCode,
    point: pointCode,
    device: uuid,
    fromSeq: seq,
    toSeq: seq,
    count: z.number().int().min(1).max(MAX_BATCH_CHANGES),
    schemaVersion: z.number().int().min(1).max(10_000),
    createdAt: iso,
    deviceHlc: hlc,
    downstreamThrough: z.number().int().min(0),
    enrol: enrolProof.optional(),
    ...deviceCursor,
    /**
     * The device's history chain (db/historyChain.ts) just before fromSeq ('' when fromSeq starts it)
     * and after toSeq. Signed with the manifest, it vouches for every change of the batch long after the
     * body is gone: the county recomputes the chain from what it stored (county verify).
     */
    historyPrev: z.string().regex(/^([0-9a-f]{32})?$/).optional(),
    historyHead: z.string().regex(/^[0-9a-f]{32}$/).optional(),
    ...body,
  })
  .refine((m) => m.toSeq - m.fromSeq + 1 === m.count, { message: '序号范围与条数不符' });
export type BatchManifest = z.infer<typeof batchManifest>;

export const pollManifest = z.strictObject({
  type: z.literal('poll'),
  requestId: uuid,
  county: countyCode,
  point: pointCode,
  device: uuid,
  createdAt: iso,
  deviceHlc: hlc,
  downstreamThrough: z.number().int().min(0),
  enrol: enrolProof.optional(),
  ...deviceCursor,
  /** Largest number of relayed records wanted in the reply (a slow line asks for smaller pages). */
  recordsLimit: z.number().int().min(1).max(20_000).optional(),
  /**
   * Where the reply's records should start when it is not `recordsThrough`: a device downloading the
   * point's register asks for the next page while it still applies the one before (not yet its cursor,
   * so the county does not record it as applied).
   */
  recordsFrom: z.number().int().min(0).optional(),
  /** The device takes a compressed reply body (absent from older programs, which then get it plain). */
  accept: z.literal('deflate').optional(),
  ...body,
});
export type PollManifest = z.infer<typeof pollManifest>;

// A batch line is validated by hand rather than with zod: the county checks every one of up to
// millions of lines, and this is several times faster while just as strict (exact keys, types, formats).
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const HLC_RE = /^\d{15}-\d{5}-[0-9A-Za-z_-]{1,64}$/;
const COLUMN_RE = /^[a-z][a-z0-9_]{0,40}$/;
const TABLES: ReadonlySet<string> = new Set(SYNCED_TABLES);
/** An accountability event (op 'event') may be about the register itself rather than a record. */
const EVENT_ENTITIES: ReadonlySet<string> = new Set([...SYNCED_TABLES, 'register']);
const LINE_KEYS = ['seq', 'changeId', 'hlc', 'entity', 'entityId', 'op', 'createdAt', 'payload'];
/** Since schema 9 a line also carries its history event's own columns (`event`), for the history chain. */
const EVENT_KEYS = ['id', 'caseId', 'data'];
const PAYLOAD_KEYS = ['table', 'id', 'op', 'fields', 'action', 'note', 'agentId', 'at'];
const MAX_FIELDS = 100;
const MAX_TEXT = 100_000;

export type SqlFieldValue = string | number | null;
export type BatchLine = {
  seq: number;
  changeId: string;
  hlc: string;
  entity: SyncedTable | 'register';
  entityId: string;
  op: 'insert' | 'update' | 'event';
  createdAt: string;
  /** The change's history event (absent from programs before schema 9). */
  event?: { id: string; caseId: string | null; data: string };
  payload: {
    table: SyncedTable | 'register';
    id: string;
    op: 'insert' | 'update' | 'event';
    fields: Record<string, SqlFieldValue>;
    action: string;
    note: string;
    agentId: string | null;
    at: string;
  };
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exactKeys(o: Record<string, unknown>, keys: string[]): string | null {
  const got = Object.keys(o);
  for (const k of got) if (!keys.includes(k)) return k;
  for (const k of keys) if (!(k in o)) return k;
  return null;
}

/** Checks one parsed batch line; returns a short reason (field path) when it is not a valid line. */
export function checkBatchLine(v: unknown): { ok: true; line: BatchLine } | { ok: false; where: string } {
  if (!isPlainObject(v)) return { ok: false, where: '' };
  const k = exactKeys(v, 'event' in v ? [...LINE_KEYS, 'event'] : LINE_KEYS);
  if (k) return { ok: false, where: k };
  if ('event' in v) {
    const e = v.event;
    if (!isPlainObject(e) || exactKeys(e, EVENT_KEYS)) return { ok: false, where: 'event' };
    // Only hashed and kept (ids of very old registers may not be UUIDs): bounded strings.
    if (typeof e.id !== 'string' || e.id.length < 1 || e.id.length > 64) return { ok: false, where: 'event.id' };
    if (e.caseId !== null && (typeof e.caseId !== 'string' || e.caseId.length > 64)) return { ok: false, where: 'event.caseId' };
    if (typeof e.data !== 'string' || e.data.length > 20_000) return { ok: false, where: 'event.data' };
  }
  const isEvent = v.op === 'event';
  if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || v.seq < 1) return { ok: false, where: 'seq' };
  if (typeof v.changeId !== 'string' || !UUID_RE.test(v.changeId)) return { ok: false, where: 'changeId' };
  if (typeof v.hlc !== 'string' || !HLC_RE.test(v.hlc)) return { ok: false, where: 'hlc' };
  if (typeof v.entity !== 'string' || !(isEvent ? EVENT_ENTITIES : TABLES).has(v.entity)) return { ok: false, where: 'entity' };
  if (typeof v.entityId !== 'string' || !UUID_RE.test(v.entityId)) return { ok: false, where: 'entityId' };
  if (v.op !== 'insert' && v.op !== 'update' && !isEvent) return { ok: false, where: 'op' };
  if (typeof v.createdAt !== 'string' || !ISO_RE.test(v.createdAt)) return { ok: false, where: 'createdAt' };
  const p = v.payload;
  if (!isPlainObject(p)) return { ok: false, where: 'payload' };
  const pk = exactKeys(p, PAYLOAD_KEYS);
  if (pk) return { ok: false, where: `payload.${pk}` };
  if (typeof p.table !== 'string' || !(isEvent ? EVENT_ENTITIES : TABLES).has(p.table)) return { ok: false, where: 'payload.table' };
  if (typeof p.id !== 'string' || !UUID_RE.test(p.id)) return { ok: false, where: 'payload.id' };
  if (p.op !== 'insert' && p.op !== 'update' && p.op !== 'event') return { ok: false, where: 'payload.op' };
  if (typeof p.action !== 'string' || p.action.length > 60) return { ok: false, where: 'payload.action' };
  if (typeof p.note !== 'string' || p.note.length > 20_000) return { ok: false, where: 'payload.note' };
  if (p.agentId !== null && (typeof p.agentId !== 'string' || !UUID_RE.test(p.agentId))) return { ok: false, where: 'payload.agentId' };
  if (typeof p.at !== 'string' || !ISO_RE.test(p.at)) return { ok: false, where: 'payload.at' };
  const f = p.fields;
  if (!isPlainObject(f)) return { ok: false, where: 'payload.fields' };
  let n = 0;
  for (const name in f) {
    if (!Object.prototype.hasOwnProperty.call(f, name)) continue;
    if (++n > MAX_FIELDS) return { ok: false, where: 'payload.fields' };
    if (!COLUMN_RE.test(name)) return { ok: false, where: `payload.fields.${name.slice(0, 40)}` };
    const val = f[name];
    if (val === null) continue;
    if (typeof val === 'number' ? !Number.isFinite(val) : typeof val !== 'string' || val.length > MAX_TEXT) {
      return { ok: false, where: `payload.fields.${name}` };
    }
  }
  // An accountability event changes no record.
  if (isEvent && n > 0) return { ok: false, where: 'payload.fields' };
  return { ok: true, line: v as BatchLine };
}

// ---- county → village ----

export const replyManifest = z.strictObject({
  type: z.literal('reply'),
  replyId: uuid,
  county: countyCode,
  point: pointCode,
  createdAt: iso,
  countyHlc: hlc,
  messages: z.number().int().min(0),
  /** The sealed body holds the reply lines compressed with raw DEFLATE (only when the poll accepted it). */
  compression: z.literal('deflate').optional(),
  ...body,
});
export type ReplyManifest = z.infer<typeof replyManifest>;

export const ackLine = z.strictObject({
  t: z.literal('ack'),
  device: uuid,
  appliedThrough: z.number().int().min(0),
  /** Sequence ranges received but waiting for an earlier gap to be filled. */
  held: z.array(z.tuple([seq, seq])).max(1000),
  revoked: z.boolean(),
  /** Set for a device whose sequence was closed (its register was restored and became a new device). */
  closedThrough: z.number().int().min(0).optional(),
});
export type AckLine = z.infer<typeof ackLine>;

export const decisionBody = z.strictObject({
  caseId: uuid,
  caseNo: z.string().max(40),
  action: z.enum(['decide', 'returnForCorrection']),
  decision: z.enum(['approved', 'refused']).nullable(),
  date,
  note: z.string().max(2000),
  /** Per device: the last sequence number the county had applied when it decided. */
  basis: z.record(uuid, z.number().int().min(0)),
});
export type DecisionBody = z.infer<typeof decisionBody>;

const holidayTable = z.strictObject({
  year: z.number().int(),
  source: z.string().max(500),
  off: z.array(date).max(366),
  work: z.array(date).max(366),
});

/** 督办: the county (or a township) asks the point about a case, to be answered by a date. */
export const supervisionBody = z.strictObject({
  noticeId: uuid,
  caseId: uuid,
  caseNo: z.string().max(40),
  note: z.string().max(2000),
  replyBy: date,
});
export type SupervisionBody = z.infer<typeof supervisionBody>;

/** 考评预警: a lagging point is told so (shown on its 今日 until acknowledged). */
export const warningBody = z.strictObject({
  warningId: uuid,
  month: z.string().regex(/^\d{4}-\d{2}$/),
  note: z.string().max(2000),
});
export type WarningBody = z.infer<typeof warningBody>;

/**
 * 冲突处理: the county chose which value of a contested case field stands (console 冲突). `apply`: the
 * village writes `value` (the county's copy changed to it); otherwise the value already stands on both
 * sides and the village only closes its own record of the conflict.
 */
export const resolutionBody = z.strictObject({
  conflictId: uuid,
  caseId: uuid,
  caseNo: z.string().max(40),
  field: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/),
  value: z.string().max(2000).nullable(),
  chose: z.enum(['village', 'county']),
  apply: z.boolean(),
});
export type ResolutionBody = z.infer<typeof resolutionBody>;

export const msgLine = z.discriminatedUnion('kind', [
  z.strictObject({ t: z.literal('msg'), seq, id: uuid, hlc, createdAt: iso, kind: z.literal('catalog'), body: z.unknown() }),
  z.strictObject({
    t: z.literal('msg'),
    seq,
    id: uuid,
    hlc,
    createdAt: iso,
    kind: z.literal('holidays'),
    body: z.strictObject({ tables: z.array(holidayTable).min(1).max(50) }),
  }),
  z.strictObject({ t: z.literal('msg'), seq, id: uuid, hlc, createdAt: iso, kind: z.literal('decision'), body: decisionBody }),
  z.strictObject({ t: z.literal('msg'), seq, id: uuid, hlc, createdAt: iso, kind: z.literal('supervision'), body: supervisionBody }),
  z.strictObject({ t: z.literal('msg'), seq, id: uuid, hlc, createdAt: iso, kind: z.literal('warning'), body: warningBody }),
  z.strictObject({ t: z.literal('msg'), seq, id: uuid, hlc, createdAt: iso, kind: z.literal('resolution'), body: resolutionBody }),
]);
export type MsgLine = z.infer<typeof msgLine>;

// Records of the point relayed to its devices: the county's current row with its per-field clocks
// ('*' is the insert's clock, for every field not listed), in the point's record-version order, and the
// history events other devices recorded for it (`ev`, so that the timeline shows who did what there).
// Checked by hand like batch lines: a replacement download checks hundreds of thousands of them.
export type RelayedEvent = {
  /** The device that made the change, and its sequence number there (with it, the event's identity). */
  d: string;
  s: number;
  /** Its change id, hybrid clock, history action, agent (null: the county or the program) and wall time there. */
  c: string;
  h: string;
  a: string;
  g: string | null;
  at: string;
  n: string;
};
export type RecLine = {
  t: 'rec';
  v: number;
  tbl: SyncedTable;
  id: string;
  row: Record<string, SqlFieldValue>;
  clocks: Record<string, string>;
  ev?: RelayedEvent[];
};
const REC_KEYS = new Set(['t', 'v', 'tbl', 'id', 'row', 'clocks', 'ev']);
const EV_KEYS = ['d', 's', 'c', 'h', 'a', 'g', 'at', 'n'];
/** History events relayed with one record at most (the county sends the latest). */
export const MAX_RELAYED_EVENTS = 1000;

function checkEvent(e: unknown): boolean {
  if (!isPlainObject(e) || exactKeys(e, EV_KEYS)) return false;
  return (
    typeof e.d === 'string' && UUID_RE.test(e.d) &&
    typeof e.s === 'number' && Number.isSafeInteger(e.s) && e.s >= 1 &&
    typeof e.c === 'string' && UUID_RE.test(e.c) &&
    typeof e.h === 'string' && HLC_RE.test(e.h) &&
    typeof e.a === 'string' && e.a.length <= 60 &&
    (e.g === null || (typeof e.g === 'string' && UUID_RE.test(e.g))) &&
    typeof e.at === 'string' && ISO_RE.test(e.at) &&
    typeof e.n === 'string' && e.n.length <= 20_000
  );
}

/** Checks one parsed relayed-record line; returns where it is wrong, or the line. */
export function checkRecLine(v: unknown): { ok: true; line: RecLine } | { ok: false; where: string } {
  if (!isPlainObject(v)) return { ok: false, where: '' };
  for (const k in v) if (!REC_KEYS.has(k)) return { ok: false, where: k.slice(0, 40) };
  if (v.t !== 'rec') return { ok: false, where: 't' };
  if (typeof v.v !== 'number' || !Number.isSafeInteger(v.v) || v.v < 1) return { ok: false, where: 'v' };
  if (typeof v.tbl !== 'string' || !TABLES.has(v.tbl)) return { ok: false, where: 'tbl' };
  if (typeof v.id !== 'string' || v.id.length < 1 || v.id.length > 64) return { ok: false, where: 'id' };
  const row = v.row;
  if (!isPlainObject(row)) return { ok: false, where: 'row' };
  let n = 0;
  for (const name in row) {
    if (++n > MAX_FIELDS || !COLUMN_RE.test(name)) return { ok: false, where: `row.${name.slice(0, 40)}` };
    const val = row[name];
    if (val === null) continue;
    if (typeof val === 'number' ? !Number.isFinite(val) : typeof val !== 'string' || val.length > MAX_TEXT) return { ok: false, where: `row.${name}` };
  }
  const clocks = v.clocks;
  if (!isPlainObject(clocks)) return { ok: false, where: 'clocks' };
  n = 0;
  for (const name in clocks) {
    if (++n > MAX_FIELDS + 1 || (name !== '*' && !COLUMN_RE.test(name))) return { ok: false, where: `clocks.${name.slice(0, 40)}` };
    const h = clocks[name];
    if (typeof h !== 'string' || h.length > 100) return { ok: false, where: `clocks.${name}` };
  }
  if (v.ev !== undefined) {
    if (!Array.isArray(v.ev) || v.ev.length > MAX_RELAYED_EVENTS) return { ok: false, where: 'ev' };
    for (const e of v.ev as unknown[]) if (!checkEvent(e)) return { ok: false, where: 'ev' };
  }
  return { ok: true, line: v as RecLine };
}

/** Closes the records part of a reply: how far it went, whether more follow, and the point's totals (progress, verification). */
export const recsLine = z.strictObject({
  t: z.literal('recs'),
  from: z.number().int().min(0),
  through: z.number().int().min(0),
  more: z.boolean(),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  counts: z.partialRecord(z.enum(SYNCED_TABLES), z.number().int().min(0)),
});
export type RecsLine = z.infer<typeof recsLine>;

export const enrolManifest = z.strictObject({
  type: z.literal('enrol'),
  county: countyCode,
  countyName: z.string().min(1).max(60),
  countyPublicKey: b64key,
  point: pointCode,
  createdAt: iso,
  countyHlc: hlc,
  /** Present in an enrolment file (offline enrolment); absent in the answer to an enrolment code. */
  ticket: z.strictObject({ id: uuid, expiresAt: iso }).optional(),
  device: uuid.optional(),
  ...body,
});
export type EnrolManifest = z.infer<typeof enrolManifest>;

export const enrolBody = z.strictObject({
  point: z.strictObject({
    code: pointCode,
    villageName: z.string().min(1).max(60),
    townshipName: z.string().min(1).max(60),
    countyName: z.string().min(1).max(60),
  }),
  catalog: z.unknown(),
  holidays: z.array(holidayTable).max(50),
  downstreamThrough: z.number().int().min(0),
  ticketSecret: hex64.optional(),
  /** The letter this device puts in its case numbers (docs/sync-protocol.md §4a); '' for a point's first device. */
  caseLetter: z.string().regex(/^[A-Z]{0,2}$/).optional(),
});
export type EnrolBody = z.infer<typeof enrolBody>;

/** HTTP body of POST /v1/enrol. */
export const enrolRequest = z.strictObject({
  code: z.string().min(4).max(40),
  point: pointCode.optional(),
  device: uuid,
  publicKey: b64key,
  deviceName: z.string().max(60).default(''),
});
export type EnrolRequest = z.input<typeof enrolRequest>;

/** Parses with a schema; any failure becomes a SyncRejection with a one-line Chinese reason naming where. */
export function strictParse<T extends z.ZodType>(schema: T, value: unknown, what: string, code: RejectCode = 'bad_manifest'): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    const where = i?.path.length ? `（${i.path.join('.').slice(0, 60)}）` : '';
    throw new SyncRejection(code, `${what}格式不正确${where}`);
  }
  return r.data;
}
