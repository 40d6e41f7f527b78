// Who may send a batch or a poll: the county, the point and the device are checked, and the key the
// container must be signed with is found (an enrolled device's, or one proving an enrolment file).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SyncRejection } from '../../sync/wire/container';
import type { BatchManifest, PollManifest } from '../../sync/wire/protocol';
import type { County } from '../db';

export type DeviceRow = {
  id: string;
  point_code: string;
  public_key: string;
  revoked_at: string | null;
  revoked_reason: string;
  applied_through: number;
  downstream_through: number;
  last_hlc: string | null;
  seq_start: number;
  case_letter: string;
  records_through: number;
  closed_at: string | null;
  closed_through: number | null;
  closed_reason: string;
  replaced_by: string | null;
};


export type Auth = { device: DeviceRow | null; key: string; enrol: { ticketId: string; publicKey: string } | null };

/** Finds the key a container must be signed with: an enrolled device's, or one proving an enrolment file. */
/**
 * A device whose sequence was closed (its register was restored from a backup and became a new device)
 * is still heard: the restored register sends the old device's changes up to where it was closed,
 * signed with the old key it holds, and the old register itself — a laptop that turned up again after
 * a repair — may still deliver the work it never sent (its later sequence numbers, which no other
 * register holds: each change still arrives exactly once). Its reply says that it was replaced
 * (docs/sync-protocol.md §5a). Only a revoked device is refused.
 */
export function authenticate(county: County, m: BatchManifest | PollManifest, what: string): Auth {
  const id = county.requireIdentity();
  if (m.county !== id.code) {
    throw new SyncRejection('other_county', `这个${what}来自其他县（区划代码 ${m.county}），本中心是${id.name}（${id.code}）`);
  }
  const point = county.db.prepare(`SELECT code FROM points WHERE code = ?`).get(m.point);
  if (!point) throw new SyncRejection('unknown_point', `代办点 ${m.point} 未在本县登记，${what}不予接收`);
  const device = county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(m.device) as DeviceRow | undefined;
  if (m.enrol && (!device || device.public_key !== m.enrol.publicKey)) {
    const t = county.db.prepare(`SELECT * FROM enrol_tickets WHERE id = ?`).get(m.enrol.ticket) as
      | { id: string; point_code: string; secret: string; expires_at: string; used_at: string | null; used_by: string | null }
      | undefined;
    const expected = t ? createHmac('sha256', Buffer.from(t.secret, 'hex')).update(`${m.device}|${m.enrol.publicKey}`).digest() : null;
    const given = Buffer.from(m.enrol.proof, 'hex');
    const proofOk = !!expected && expected.length === given.length && timingSafeEqual(expected, given);
    if (!t || !proofOk || t.point_code !== m.point) {
      throw new SyncRejection('unknown_device', `发出${what}的设备未在县里登记（登记凭据无效），不予接收`);
    }
    // A used ticket never registers a key again: a copy of an enrolment file that was already used
    // must not let anyone re-key the device it enrolled.
    if (t.used_at) throw new SyncRejection('unknown_device', `这份登记文件已经使用过，不能再用来登记，${what}不予接收`);
    if (t.expires_at < county.nowIso()) {
      throw new SyncRejection('unknown_device', `这份登记文件已于 ${t.expires_at.slice(0, 10)} 过期，请向县政务服务中心重新申请`);
    }
    if (device && device.point_code !== m.point) throw new SyncRejection('unknown_device', `该设备登记在其他代办点，${what}不予接收`);
    return { device: device ?? null, key: m.enrol.publicKey, enrol: { ticketId: t.id, publicKey: m.enrol.publicKey } };
  }
  if (!device) throw new SyncRejection('unknown_device', `发出${what}的设备未在县里登记，不予接收。请先完成登记`);
  if (device.point_code !== m.point) throw new SyncRejection('unknown_device', `该设备登记在代办点 ${device.point_code}，不是 ${m.point}，${what}不予接收`);
  if (device.revoked_at) {
    throw new SyncRejection('revoked', `该设备已于 ${device.revoked_at.slice(0, 10)} 被县里停用${device.revoked_reason ? `（${device.revoked_reason}）` : ''}，${what}不予接收`);
  }
  return { device, key: device.public_key, enrol: null };
}

/** Registers (or re-keys) the device proven by an enrolment file; inside the import transaction. */
export function completeEnrol(county: County, m: BatchManifest | PollManifest, auth: Auth, via: string): DeviceRow {
  const now = county.nowIso();
  if (auth.enrol) {
    county.db
      .prepare(
        `INSERT INTO devices (id, point_code, public_key, enrolled_at, enrolled_via, case_letter)
         VALUES (?, ?, ?, ?, ?, (SELECT case_letter FROM enrol_tickets WHERE id = ?))
         ON CONFLICT(id) DO UPDATE SET public_key = excluded.public_key, revoked_at = NULL, revoked_reason = '', case_letter = excluded.case_letter`,
      )
      .run(m.device, m.point, auth.enrol.publicKey, now, `file:${via}`, auth.enrol.ticketId);
    const used = county.db
      .prepare(`UPDATE enrol_tickets SET used_at = ?, used_by = ?, used_via = 'file' WHERE id = ? AND used_at IS NULL`)
      .run(now, m.device, auth.enrol.ticketId);
    if (used.changes !== 1) throw new SyncRejection('unknown_device', '这份登记文件已经使用过，不能再用来登记');
  }
  return county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(m.device) as DeviceRow;
}
