// Points, enrolment tickets and enrolment packages. A ticket is used once: either its code is
// typed into a village laptop with a network, or its enrolment file is carried there on a USB stick.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { encodeContainer, SyncRejection } from '../sync/wire/container';
import { enrolRequest, strictParse } from '../sync/wire/protocol';
import { isPublicKey } from '../sync/wire/keys';
import { uuidv7 } from '../domain/ids';
import { parseVillageCode } from '../domain/villageCode';
import { deviceLetter } from '../domain/caseNumber';
import type { County } from './db';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

export function normaliseCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

function newCode(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.match(/.{4}/g)!.join('-');
}

const hashCode = (code: string) => createHash('sha256').update(normaliseCode(code)).digest();

export type PointInput = { code: string; villageName: string; townshipName: string };

export function upsertPoint(county: County, p: PointInput): void {
  const id = county.requireIdentity();
  const v = parseVillageCode(p.code);
  if (!v.ok) throw new Error(v.error);
  if (v.value.county !== id.code) throw new Error(`代办点 ${p.code} 不属于本县（${id.code}）`);
  const now = county.nowIso();
  county.db
    .prepare(
      `INSERT INTO points (code, village_name, township_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(code) DO UPDATE SET village_name = excluded.village_name, township_name = excluded.township_name, updated_at = excluded.updated_at`,
    )
    .run(p.code, p.villageName, p.townshipName, now, now);
}

export type Ticket = { id: string; code: string; secret: string; expiresAt: string; pointCode: string; caseLetter: string };

export function createTicket(county: County, pointCode: string, days: number): Ticket {
  if (!county.db.prepare(`SELECT 1 FROM points WHERE code = ?`).get(pointCode)) throw new Error(`代办点 ${pointCode} 尚未登记`);
  if (!Number.isInteger(days) || days < 1 || days > 90) throw new Error('有效天数应为 1–90 天');
  const code = newCode();
  // Each ticket of a point brings the next case-number letter ('' for the first, then B, C, …), so
  // the point's laptops number cases without ever colliding (domain/caseNumber.ts).
  const issued = (county.db.prepare(`SELECT COUNT(*) AS n FROM enrol_tickets WHERE point_code = ?`).get(pointCode) as { n: number }).n;
  const t: Ticket = {
    id: uuidv7(county.clock.nowMs()),
    code,
    secret: randomBytes(32).toString('hex'),
    expiresAt: new Date(county.clock.nowMs() + days * 86_400_000).toISOString(),
    pointCode,
    caseLetter: deviceLetter(issued),
  };
  county.db
    .prepare(`INSERT INTO enrol_tickets (id, point_code, code_hash, secret, created_at, expires_at, case_letter) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(t.id, pointCode, hashCode(code).toString('hex'), t.secret, county.nowIso(), t.expiresAt, t.caseLetter);
  return t;
}

/** The open (unused, unexpired) ticket of a point with this code, for printing its sheet; null if none. */
export function openTicket(county: County, pointCode: string, code: string): { expiresAt: string } | null {
  const r = county.db
    .prepare(`SELECT expires_at FROM enrol_tickets WHERE point_code = ? AND code_hash = ? AND used_at IS NULL AND expires_at > ?`)
    .get(pointCode, hashCode(code).toString('hex'), county.nowIso()) as { expires_at: string } | undefined;
  return r ? { expiresAt: r.expires_at } : null;
}

export function latestCatalog(county: County): unknown {
  const r = county.db.prepare(`SELECT json FROM catalog_versions ORDER BY published_at DESC, rowid DESC LIMIT 1`).get() as { json: string } | undefined;
  if (!r) throw new Error('县级中心还没有事项目录');
  return JSON.parse(r.json);
}

export function maxDownstreamSeq(county: County, pointCode: string): number {
  return (
    county.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM downstream WHERE point_code IS NULL OR point_code = ?`).get(pointCode) as { n: number }
  ).n;
}

/** The signed package a device receives at enrolment (by HTTP answer, or as the enrolment file). */
export function buildEnrolPackage(county: County, pointCode: string, opts: { ticket?: Ticket; device?: string; caseLetter?: string }): Buffer {
  const id = county.requireIdentity();
  const p = county.db.prepare(`SELECT * FROM points WHERE code = ?`).get(pointCode) as { village_name: string; township_name: string };
  const body = {
    point: { code: pointCode, villageName: p.village_name, townshipName: p.township_name, countyName: id.name },
    catalog: latestCatalog(county),
    holidays: county.holidayTables(),
    downstreamThrough: maxDownstreamSeq(county, pointCode),
    ...(opts.ticket ? { ticketSecret: opts.ticket.secret } : {}),
    caseLetter: opts.ticket?.caseLetter ?? opts.caseLetter ?? '',
  };
  return encodeContainer(
    'ENROL',
    {
      type: 'enrol',
      county: id.code,
      countyName: id.name,
      countyPublicKey: id.public_key,
      point: pointCode,
      createdAt: county.nowIso(),
      countyHlc: county.nextHlc(),
      ...(opts.ticket ? { ticket: { id: opts.ticket.id, expiresAt: opts.ticket.expiresAt } } : {}),
      ...(opts.device ? { device: opts.device } : {}),
    },
    Buffer.from(JSON.stringify(body), 'utf8'),
    id.private_key,
  );
}

/** Online enrolment: checks the one-time code (constant time, single use, not expired) and registers the device's key. */
export function enrolWithCode(county: County, raw: unknown): Buffer {
  const req = strictParse(enrolRequest, raw, '登记请求');
  if (!isPublicKey(req.publicKey)) throw new SyncRejection('bad_manifest', '登记请求中的公钥无效');
  const given = hashCode(req.code);
  const now = county.nowIso();
  return county.tx(() => {
    const open = county.db.prepare(`SELECT id, point_code, code_hash, expires_at, case_letter FROM enrol_tickets WHERE used_at IS NULL`).all() as {
      id: string;
      point_code: string;
      code_hash: string;
      expires_at: string;
      case_letter: string;
    }[];
    let hit: (typeof open)[number] | null = null;
    for (const t of open) {
      // Compare every candidate the same way, so timing does not tell how close a guess was.
      if (timingSafeEqual(Buffer.from(t.code_hash, 'hex'), given) && !hit) hit = t;
    }
    if (!hit) throw new SyncRejection('not_enrolled', '登记码不正确，或已经使用过。请核对后重试，或向县政务服务中心重新申请');
    if (hit.expires_at < now) throw new SyncRejection('not_enrolled', `登记码已于 ${hit.expires_at.slice(0, 10)} 过期，请向县政务服务中心重新申请`);
    if (req.point && req.point !== hit.point_code) {
      throw new SyncRejection('other_point', `这个登记码属于代办点 ${hit.point_code}，与本机设置的区划代码 ${req.point} 不一致`);
    }
    const dev = county.db.prepare(`SELECT point_code FROM devices WHERE id = ?`).get(req.device) as { point_code: string } | undefined;
    if (dev && dev.point_code !== hit.point_code) throw new SyncRejection('other_point', '这台电脑已登记在另一个代办点');
    county.db
      .prepare(
        `INSERT INTO devices (id, point_code, public_key, name, enrolled_at, enrolled_via, downstream_through, case_letter) VALUES (?, ?, ?, ?, ?, 'code', ?, ?)
         ON CONFLICT(id) DO UPDATE SET public_key = excluded.public_key, name = excluded.name, revoked_at = NULL, revoked_reason = '', case_letter = excluded.case_letter`,
      )
      .run(req.device, hit.point_code, req.publicKey, req.deviceName ?? '', now, maxDownstreamSeq(county, hit.point_code), hit.case_letter);
    county.db.prepare(`UPDATE enrol_tickets SET used_at = ?, used_by = ?, used_via = 'code' WHERE id = ?`).run(now, req.device, hit.id);
    return buildEnrolPackage(county, hit.point_code, { device: req.device, caseLetter: hit.case_letter });
  });
}

export function revokeDevice(county: County, deviceId: string, reason: string): { pointCode: string } {
  const d = county.db.prepare(`SELECT point_code, revoked_at FROM devices WHERE id = ?`).get(deviceId) as { point_code: string; revoked_at: string | null } | undefined;
  if (!d) throw new Error(`没有编号为 ${deviceId} 的设备`);
  county.db.prepare(`UPDATE devices SET revoked_at = COALESCE(revoked_at, ?), revoked_reason = ? WHERE id = ?`).run(county.nowIso(), reason, deviceId);
  return { pointCode: d.point_code };
}
