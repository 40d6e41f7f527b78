// Device identity across restores (docs/sync-protocol.md §5a). A register restored from a backup is
// a new device: the backup's device id, sequence and clock belong to a past that the county may
// already have seen continue (the old register went on after the backup). So the restored register
// takes a new device id, keeps the old device's key to prove the succession and to send the old
// device's changes the county never got, and must enrol again; the county closes the old sequence,
// and what the county holds that the backup lacks comes back with the relay.
import type { Db } from '../../db/connection';
import type { Register } from '../../db/register';
import { AppError } from '../../domain/errors';
import { uuidv7 } from '../../domain/ids';
import { RESTORED_LETTER } from '../../domain/caseNumber';

/** The point a register (or a backup file, opened read-only) belongs to; null before first-run setup. */
export function registerPointCode(db: Db): string | null {
  try {
    const r = db.prepare(`SELECT village_code FROM point WHERE id = 1`).get() as { village_code: string } | undefined;
    return r?.village_code ?? null;
  } catch {
    return null;
  }
}

/**
 * Called with the backup file before it replaces the register: a backup of another point is refused
 * unless the agent said this laptop now serves that point (`servesPoint`, the point's 12-digit code).
 */
export function checkRestoreCandidate(current: string | null, candidate: Db, servesPoint?: string | null): void {
  const theirs = registerPointCode(candidate);
  if (!current || !theirs || theirs === current) return;
  if (servesPoint && servesPoint === theirs) return;
  throw new AppError(
    'refused',
    `这份备份属于代办点 ${theirs}，而本机是代办点 ${current} 的登记簿，不能恢复。` +
      `如果这台电脑今后改为代办点 ${theirs} 服务，请明确确认（命令行加 --serves-point ${theirs}，或在恢复页面勾选“本机改为该代办点服务”）。`,
  );
}

export type RestoreIdentity = { previousDevice: string; newDevice: string; retired: boolean; message: string };

/**
 * Run on the restored register right after the backup replaced it, before anything is recorded.
 * Gives the register a new device id whose sequence starts after everything the backup holds, keeps
 * the old device's key (to prove the succession and to send what the county never got) and drops the
 * enrolment: the laptop enrols again by code or file. The caller reopens the register afterwards
 * (its device id changed).
 */
export function adoptRestoredRegister(reg: Register): RestoreIdentity {
  const previousDevice = reg.deviceId;
  const newDevice = uuidv7(reg.clock.nowMs());
  let retired = false;
  reg.tx(() => {
    const e = reg.db.prepare(`SELECT county_code, point_code, device_private_key FROM sync_enrolment WHERE id = 1`).get() as
      | { county_code: string; point_code: string; device_private_key: string }
      | undefined;
    const st = reg.db.prepare(`SELECT acked_through, seq_start FROM sync_state WHERE id = 1`).get() as { acked_through: number; seq_start: number };
    const through = (reg.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM outbox WHERE device_id = ?`).get(previousDevice) as { n: number }).n;
    if (e) {
      reg.db
        .prepare(
          `INSERT INTO sync_retired_devices (device_id, point_code, county_code, private_key, through, acked_through, seq_start, retired_at, reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(device_id) DO NOTHING`,
        )
        .run(previousDevice, e.point_code, e.county_code, e.device_private_key, Math.max(through, st.seq_start), st.acked_through, st.seq_start, reg.nowIso(), '从备份恢复');
      retired = true;
    }
    const start = (reg.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM outbox`).get() as { n: number }).n;
    reg.db.prepare(`UPDATE meta SET value = ? WHERE key = 'device_id'`).run(newDevice);
    reg.db.prepare(`DELETE FROM sync_enrolment WHERE id = 1`).run();
    // The old register may have given more numbers after the backup: until re-enrolment brings a
    // letter of its own, this register numbers cases with the restored letter (domain/caseNumber.ts).
    reg.db.prepare(`INSERT INTO meta (key, value) VALUES ('case_letter', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(RESTORED_LETTER);
    reg.db
      .prepare(`UPDATE sync_state SET seq_start = ?, acked_through = ?, last_error = ? WHERE id = 1`)
      .run(start, start, '本机已从备份恢复，成为一台新设备：请用县里发的登记码或登记文件重新登记，之后会自动补齐备份之后的记录。');
  });
  return {
    previousDevice,
    newDevice,
    retired,
    message: retired
      ? '本机已从备份恢复，成为一台新设备。请向县政务服务中心申请登记码（或登记文件）重新登记；登记后同步会补齐备份之后县里已有的记录，并把备份中县里还没有的变更发上去。'
      : '本机已从备份恢复，成为一台新设备。',
  };
}
