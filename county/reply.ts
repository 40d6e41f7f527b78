// The county's signed reply to a point: acknowledgements per device (applied-through, held
// ranges, revoked, closed), every downstream message the point's devices have not confirmed yet,
// and a page of the point's records the device has not seen (sibling relay, replacement download).
import { SYNCED_TABLES } from '../db/changes';
import type { Statement } from '../db/connection';
import { encodeContainer } from '../sync/wire/container';
import { sealBody } from '../sync/wire/seal';
import { deflateRawSync } from 'node:zlib';
import { uuidv7 } from '../domain/ids';
import { MAX_RELAYED_EVENTS as MAX_EVENTS } from '../sync/wire/protocol';
import type { County } from './db';

const MAX_MESSAGES = 5000;
/** Records per reply over HTTP (a poll may ask for fewer; 10,000 when compressed) and in a reply file carried by USB. */
export const RECORDS_PAGE = 5000;
export const RECORDS_PAGE_COMPRESSED = 10_000;
export const RECORDS_PAGE_FILE = 10_000;
const RECORDS_PAGE_BYTES = 8 * 1024 * 1024;

type Dev = { id: string; public_key: string; applied_through: number; downstream_through: number; records_through: number; revoked_at: string | null; closed_at: string | null; closed_through: number | null; replaced_by: string | null };

export type ReplyOptions = {
  /** Relay the point's records after this version (absent: an older program that does not take them). */
  recordsThrough?: number;
  recordsLimit?: number;
  /**
   * Compress the lines before sealing (raw DEFLATE, level 1): relayed records are repetitive JSON that
   * shrinks about sevenfold, which a village line feels far more than the county's CPU. Only for a poll
   * that says it takes it; reply files stay plain so any program of the point can import them.
   */
  compress?: boolean;
};

/** For one device (HTTP) or for every device of the point (a reply file carried back by USB). */
export function buildReply(county: County, pointCode: string, onlyDevice?: string, opts: ReplyOptions = {}): { bytes: Buffer; messages: number; devices: number; records: number; more: boolean } {
  const id = county.requireIdentity();
  if (!county.db.prepare(`SELECT 1 FROM points WHERE code = ?`).get(pointCode)) throw new Error(`代办点 ${pointCode} 未在本县登记`);
  const all = county.db
    .prepare(`SELECT id, public_key, applied_through, downstream_through, records_through, revoked_at, closed_at, closed_through, replaced_by FROM devices WHERE point_code = ? ORDER BY enrolled_at`)
    .all(pointCode) as Dev[];
  // A restored register also hears about the device it used to be (whose rest it may still send).
  const devs = all.filter((d) => !onlyDevice || d.id === onlyDevice || d.replaced_by === onlyDevice);
  const lines: string[] = [];
  for (const d of devs) {
    const held = (county.db.prepare(`SELECT from_seq, to_seq FROM held_batches WHERE device_id = ? ORDER BY from_seq`).all(d.id) as { from_seq: number; to_seq: number }[]).map(
      (h) => [h.from_seq, h.to_seq],
    );
    lines.push(
      JSON.stringify({
        t: 'ack',
        device: d.id,
        appliedThrough: d.applied_through,
        held,
        revoked: d.revoked_at !== null,
        ...(d.closed_at ? { closedThrough: d.closed_through ?? d.applied_through } : {}),
      }),
    );
  }
  const active = devs.filter((d) => !d.revoked_at && !d.closed_at);
  const since = active.length ? Math.min(...active.map((d) => d.downstream_through)) : Number.MAX_SAFE_INTEGER;
  const msgs = county.db
    .prepare(`SELECT seq, id, kind, hlc, body, created_at FROM downstream WHERE (point_code IS NULL OR point_code = ?) AND seq > ? ORDER BY seq LIMIT ?`)
    .all(pointCode, since, MAX_MESSAGES) as { seq: number; id: string; kind: string; hlc: string; body: string; created_at: string }[];
  for (const m of msgs) {
    lines.push(`{"t":"msg","seq":${m.seq},"id":${JSON.stringify(m.id)},"hlc":${JSON.stringify(m.hlc)},"createdAt":${JSON.stringify(m.created_at)},"kind":${JSON.stringify(m.kind)},"body":${m.body}}`);
  }
  let records = 0;
  let more = false;
  // A replaced device (its register restored elsewhere) only delivers what it never sent: no relay for it.
  const asking = onlyDevice ? devs.find((d) => d.id === onlyDevice) : undefined;
  const from = onlyDevice ? (asking?.closed_at ? undefined : opts.recordsThrough) : active.length ? Math.min(...active.map((d) => d.records_through)) : undefined;
  if (from !== undefined) {
    const most = !onlyDevice ? RECORDS_PAGE_FILE : opts.compress ? RECORDS_PAGE_COMPRESSED : RECORDS_PAGE;
    const limit = Math.min(opts.recordsLimit ?? most, most);
    const page = recordsPage(county, pointCode, from, limit, onlyDevice ?? null);
    lines.push(...page.lines);
    records = page.lines.length - 1;
    more = page.more;
  }
  if (devs.length === 0) throw new Error(`代办点 ${pointCode} 还没有登记的电脑，无法生成回执文件（先在代办点的电脑上完成登记）`);
  // Sealed to the laptops it is for (any of the point's, for a USB reply file): it may carry the point's records.
  const readers = devs.filter((d) => !d.revoked_at).map((d) => d.public_key);
  const plain = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
  const body = sealBody(opts.compress ? deflateRawSync(plain, { level: 1 }) : plain, readers.length ? readers : devs.map((d) => d.public_key), 'reply');
  const bytes = encodeContainer(
    'REPLY',
    {
      type: 'reply',
      replyId: uuidv7(county.clock.nowMs()),
      county: id.code,
      point: pointCode,
      createdAt: county.nowIso(),
      countyHlc: county.nextHlc(),
      messages: msgs.length,
      ...(opts.compress ? { compression: 'deflate' } : {}),
    },
    body,
    id.private_key,
  );
  return { bytes, messages: msgs.length, devices: devs.length, records, more };
}

/**
 * One statement per county connection that reads a page of the point's records in version order with
 * each record's JSON already made by SQLite (`json_object` of the row without point_code, and
 * `json_group_object` of its field clocks): a replacement download reads hundreds of thousands of
 * records, and building the lines in SQL instead of materialising rows and clocks as JS objects and
 * stringifying them made the county's side of the download about 3× faster (bench/sync.bench.ts).
 */
const pageStmts = new WeakMap<object, Statement<unknown[]>>();
function pageStatement(county: County): Statement<unknown[]> {
  const db = county.db;
  let s = pageStmts.get(db);
  if (!s) {
    const rowJson = SYNCED_TABLES.map((t) => {
      const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'point_code');
      return `WHEN '${t}' THEN (SELECT json_object(${cols.map((c) => `'${c}', ${c}`).join(', ')}) FROM ${t} WHERE id = rv.id)`;
    });
    // The history events of each record: every change of it the county imported from a device other than
    // the one asking (that one has its own), with who, when and the note; the latest MAX_EVENTS of them.
    // Not the creation of applicants and materials: they are made with the case (whose case.create is
    // relayed), no timeline shows them, and they are nearly half of all events in a replacement download.
    s = db.prepare<unknown[]>(
      `SELECT rv.version AS v, rv.tbl AS tbl, rv.id AS id, CASE rv.tbl ${rowJson.join(' ')} END AS row,
              (SELECT json_group_object(field, hlc) FROM field_clocks WHERE tbl = rv.tbl AND id = rv.id) AS clocks,
              (SELECT json_group_array(json_object('d', device_id, 's', seq, 'c', change_id, 'h', hlc, 'a', action, 'g', agent_id, 'at', at, 'n', COALESCE(note, '')))
                 FROM (SELECT device_id, seq, change_id, hlc, action, agent_id, at, note FROM changes
                       WHERE entity = rv.tbl AND entity_id = rv.id AND at IS NOT NULL AND device_id IS NOT @asking
                         AND action NOT IN ('applicant.create', 'material.create')
                       ORDER BY hlc DESC LIMIT ${MAX_EVENTS})) AS ev
       FROM record_versions rv WHERE rv.point_code = @point AND rv.version > @from ORDER BY rv.version LIMIT @limit`,
    );
    pageStmts.set(db, s);
  }
  return s;
}

/**
 * The point's records after version `from`, in version order: each the county's current row with
 * its per-field clocks. Ends with a `recs` line saying how far it went, whether more follow, and
 * (on the last page) the point's record counts per table, which the village checks its copy against.
 */
function recordsPage(county: County, point: string, from: number, limit: number, asking: string | null): { lines: string[]; more: boolean } {
  const db = county.db;
  const vers = pageStatement(county).all({ point, from, limit: limit + 1, asking }) as { v: number; tbl: string; id: string; row: string | null; clocks: string | null; ev: string }[];
  let more = vers.length > limit;
  if (more) vers.pop();
  const lines: string[] = [];
  let size = 0;
  let through = from;
  for (const r of vers) {
    if (r.row) {
      const ev = r.ev === '[]' ? '' : `,"ev":${r.ev}`;
      const line = `{"t":"rec","v":${r.v},"tbl":${JSON.stringify(r.tbl)},"id":${JSON.stringify(r.id)},"row":${r.row},"clocks":${r.clocks ?? '{}'}${ev}}`;
      if (lines.length && size + line.length > RECORDS_PAGE_BYTES) {
        more = true;
        break;
      }
      size += line.length;
      lines.push(line);
    }
    through = r.v;
  }
  // One pass over the point's versions for both (a download asks this once per page).
  const { done, total } = db
    .prepare(`SELECT COUNT(*) AS total, COALESCE(SUM(version <= ?), 0) AS done FROM record_versions WHERE point_code = ?`)
    .get(through, point) as { done: number; total: number };
  const counts: Record<string, number> = {};
  if (!more) {
    for (const r of db.prepare(`SELECT tbl, COUNT(*) AS n FROM record_versions WHERE point_code = ? GROUP BY tbl`).all(point) as { tbl: string; n: number }[]) counts[r.tbl] = r.n;
  }
  lines.push(JSON.stringify({ t: 'recs', from, through, more, done, total, counts }));
  return { lines, more };
}
