// Restore is a new device (real processes: `daiban county serve`, `daiban backup|restore|enrol|sync`):
// backup → more cases → sync → restore → more cases → re-enrol → sync. The county ends with every
// change exactly once and the old device's sequence closed; the village ends with every case.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { County } from '../../county/db';
import { createTicket, upsertPoint } from '../../county/enrol';
import { restoreFrom } from '../../db/backup';
import { Register } from '../../db/register';
import { runDoctor } from '../../db/doctor';
import { checkRestoreCandidate } from '../../sync/village/devices';
import { addCase, cli, count, newDir, openCounty, openVillage, removeDirs, startCountyProcess } from './helpers';

afterAll(removeDirs);

const POINT = '150822101201';

function ok(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function ticket(dir: string): Promise<string> {
  const c = await County.open({ dataDir: dir });
  try {
    return c.tx(() => {
      upsertPoint(c, { code: POINT, villageName: '红旗村', townshipName: '巴彦镇' });
      return createTicket(c, POINT, 7).code;
    });
  } finally {
    c.close();
  }
}

describe('restoring a backup', () => {
  it('makes the register a new device; the county closes the old sequence, sends back what the backup lacks, and ends with every change once', { timeout: 600_000 }, async () => {
    const C = newDir('daiban-county-');
    (await openCounty({ dir: C })).close();
    const V = newDir('daiban-village-');
    const B = newDir('daiban-backups-');
    let v = await openVillage({ dir: V, code: POINT });
    v.close();
    const srv = await startCountyProcess(C);
    try {
      ok(await cli(['enrol', '--data-dir', V, '--code', await ticket(C), '--url', srv.url]));
      v = await openVillage({ dir: V });
      const before = [await addCase(v, { name: '备份前甲' }), await addCase(v, { name: '备份前乙' })];
      const oldDevice = v.reg.deviceId;
      v.close();
      ok(await cli(['backup', '--data-dir', V, '--out', B]));
      const backup = path.join(B, fs.readdirSync(B).find((f) => f.endsWith('.sqlite'))!);

      // After the backup: more work, synced — the backup will not have it.
      v = await openVillage({ dir: V });
      const after = [await addCase(v, { name: '备份后甲', handUp: true }), await addCase(v, { name: '备份后乙' })];
      v.close();
      ok(await cli(['sync', '--data-dir', V]));

      const restored = ok(await cli(['restore', backup, '--data-dir', V, '--yes']));
      expect(restored).toMatch(/新设备/);
      v = await openVillage({ dir: V });
      expect(v.reg.deviceId).not.toBe(oldDevice);
      expect(count(v.reg.db, `SELECT COUNT(*) AS n FROM cases`)).toBe(2);
      // Work goes on right after the restore, before re-enrolment.
      const later = [await addCase(v, { name: '恢复后甲' }), await addCase(v, { name: '恢复后乙' })];
      v.close();
      const refused = await cli(['sync', '--data-dir', V]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/尚未登记/);

      ok(await cli(['enrol', '--data-dir', V, '--code', await ticket(C), '--url', srv.url]));
      const s = ok(await cli(['sync', '--data-dir', V]));
      expect(s).toMatch(/待同步 0 条/);
      ok(await cli(['sync', '--data-dir', V]));

      v = await openVillage({ dir: V });
      const nos = (v.reg.db.prepare(`SELECT case_no FROM cases ORDER BY case_no`).all() as { case_no: string }[]).map((r) => r.case_no);
      expect(nos).toHaveLength(6);
      expect(new Set(nos).size).toBe(6);
      for (const c of [...before, ...after, ...later]) expect((await v.api.getCase({ id: c.id })).caseNo).toBe(c.caseNo);
      expect((await v.api.getCase({ id: after[0].id })).status).toBe('handedUp');
      const report = runDoctor(v.reg);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      const outboxIds = (v.reg.db.prepare(`SELECT change_id FROM outbox`).all() as { change_id: string }[]).map((r) => r.change_id);
      const newDevice = v.reg.deviceId;
      v.close();

      const c = await County.open({ dataDir: C });
      try {
        // Every change exactly once: the old device's (including those the backup lacks) and the new one's.
        expect(count(c.db, `SELECT COUNT(*) AS n FROM changes`)).toBe(count(c.db, `SELECT COUNT(DISTINCT change_id) AS n FROM changes`));
        const have = new Set((c.db.prepare(`SELECT change_id FROM changes`).all() as { change_id: string }[]).map((r) => r.change_id));
        for (const id of outboxIds) expect(have.has(id)).toBe(true);
        expect(count(c.db, `SELECT COUNT(*) AS n FROM cases WHERE point_code = ?`, POINT)).toBe(6);
        const old = c.db.prepare(`SELECT closed_at, closed_reason, replaced_by, applied_through, closed_through FROM devices WHERE id = ?`).get(oldDevice) as {
          closed_at: string | null;
          closed_reason: string;
          replaced_by: string;
          applied_through: number;
          closed_through: number;
        };
        expect(old.closed_at).not.toBeNull();
        expect(old.closed_reason).toMatch(/备份恢复/);
        expect(old.replaced_by).toBe(newDevice);
        expect(old.closed_through).toBe(old.applied_through);
        expect(count(c.db, `SELECT COUNT(*) AS n FROM import_log WHERE result = 'rejected'`)).toBe(0);
        const { countyDoctor } = await import('../../county/report');
        expect(countyDoctor(c).checks.filter((k) => !k.ok)).toEqual([]);
        // Both devices' history chains hold at the county, each vouched for by its own signed batches
        // (the restore itself is the new device's first event).
        const { verifyPointHistory } = await import('../../county/verify');
        expect(verifyPointHistory(c, POINT)).toMatchObject({ ok: true, devices: 2, unverifiable: 0, broken: null });
        expect(count(c.db, `SELECT COUNT(*) AS n FROM import_log WHERE reason LIKE '%历史记录链%'`)).toBe(0);
        expect(count(c.db, `SELECT COUNT(*) AS n FROM changes WHERE device_id = ? AND action = 'register.restore'`, newDevice)).toBe(1);
      } finally {
        c.close();
      }
    } finally {
      await srv.stop();
    }
  });

  it("refuses another point's backup unless the agent says this laptop now serves that point", async () => {
    const other = await openVillage({ code: '150822101202', village: '东风村' });
    const dir = newDir('daiban-backups-');
    const { backupTo } = await import('../../db/backup');
    const file = (await backupTo(other.reg, dir)).path;
    other.close();
    const v = await openVillage({ code: POINT });
    const reg = v.reg;
    await expect(restoreFrom(reg, file, { check: (c) => checkRestoreCandidate(POINT, c, null) })).rejects.toThrow(/属于代办点 150822101202.*不能恢复/);
    // Nothing was replaced.
    expect(reg.db.open).toBe(true);
    expect((reg.db.prepare(`SELECT village_code FROM point`).get() as { village_code: string }).village_code).toBe(POINT);
    await restoreFrom(reg, file, { check: (c) => checkRestoreCandidate(POINT, c, '150822101202') });
    const again = await Register.open({ dataDir: v.dir });
    expect((again.db.prepare(`SELECT village_code FROM point`).get() as { village_code: string }).village_code).toBe('150822101202');
    again.close();
  });
});
