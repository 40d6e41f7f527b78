// The county's signed reply to a point: acknowledgements per device (applied-through, held
// ranges, revoked) and every downstream message the point's devices have not confirmed yet.
import { encodeContainer } from '../sync/wire/container';
import { uuidv7 } from '../domain/ids';
import type { County } from './db';

const MAX_MESSAGES = 5000;

type Dev = { id: string; applied_through: number; downstream_through: number; revoked_at: string | null };

/** For one device (HTTP) or for every device of the point (a reply file carried back by USB). */
export function buildReply(county: County, pointCode: string, onlyDevice?: string): { bytes: Buffer; messages: number; devices: number } {
  const id = county.requireIdentity();
  if (!county.db.prepare(`SELECT 1 FROM points WHERE code = ?`).get(pointCode)) throw new Error(`代办点 ${pointCode} 未在本县登记`);
  const devs = (county.db.prepare(`SELECT id, applied_through, downstream_through, revoked_at FROM devices WHERE point_code = ? ORDER BY enrolled_at`).all(pointCode) as Dev[]).filter(
    (d) => !onlyDevice || d.id === onlyDevice,
  );
  const lines: string[] = [];
  for (const d of devs) {
    const held = (county.db.prepare(`SELECT from_seq, to_seq FROM held_batches WHERE device_id = ? ORDER BY from_seq`).all(d.id) as { from_seq: number; to_seq: number }[]).map(
      (h) => [h.from_seq, h.to_seq],
    );
    lines.push(JSON.stringify({ t: 'ack', device: d.id, appliedThrough: d.applied_through, held, revoked: d.revoked_at !== null }));
  }
  const active = devs.filter((d) => !d.revoked_at);
  const since = active.length ? Math.min(...active.map((d) => d.downstream_through)) : Number.MAX_SAFE_INTEGER;
  const msgs = county.db
    .prepare(`SELECT seq, id, kind, hlc, body, created_at FROM downstream WHERE (point_code IS NULL OR point_code = ?) AND seq > ? ORDER BY seq LIMIT ?`)
    .all(pointCode, since, MAX_MESSAGES) as { seq: number; id: string; kind: string; hlc: string; body: string; created_at: string }[];
  for (const m of msgs) {
    lines.push(`{"t":"msg","seq":${m.seq},"id":${JSON.stringify(m.id)},"hlc":${JSON.stringify(m.hlc)},"createdAt":${JSON.stringify(m.created_at)},"kind":${JSON.stringify(m.kind)},"body":${m.body}}`);
  }
  const body = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
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
    },
    body,
    id.private_key,
  );
  return { bytes, messages: msgs.length, devices: devs.length };
}
