// The laptop that was replaced turns up again. Its register had work it never sent when a backup of it
// was restored (on the same or another laptop, which became a new device and took over). A user expects
// that work not to be lost: the old register still delivers it to the county — once — the county relays
// it to the laptop that took over, and the old laptop is told plainly that it has been replaced.
// Real processes: `daiban county serve`, `daiban backup|restore|enrol|sync`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { County } from '../../county/db';
import { createTicket, upsertPoint } from '../../county/enrol';
import { runDoctor } from '../../db/doctor';
import { addCase, cli, count, newDir, openCounty, openVillage, removeDirs, startCountyProcess } from './helpers';

afterAll(removeDirs);

const POINT = '150822101201';

function ok(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function withCounty<T>(dir: string, fn: (c: County) => T): Promise<T> {
  const c = await County.open({ dataDir: dir });
  try {
    return fn(c);
  } finally {
    c.close();
  }
}

const ticket = (dir: string) =>
  withCounty(dir, (c) =>
    c.tx(() => {
      upsertPoint(c, { code: POINT, villageName: '红旗村', townshipName: '巴彦镇' });
      return createTicket(c, POINT, 7).code;
    }),
  );

describe('the old register after a restore', () => {
  it('still delivers the changes it never sent, exactly once; the laptop that took over receives them; the old one is told it was replaced', { timeout: 600_000 }, async () => {
    const C = newDir('daiban-county-');
    (await openCounty({ dir: C })).close();
    const OLD = newDir('daiban-village-old-');
    const NEW = newDir('daiban-village-new-');
    const B = newDir('daiban-backups-');
    let v = await openVillage({ dir: OLD, code: POINT });
    v.close();
    const srv = await startCountyProcess(C);
    try {
      ok(await cli(['enrol', '--data-dir', OLD, '--code', await ticket(C), '--url', srv.url]));
      v = await openVillage({ dir: OLD });
      const synced = await addCase(v, { name: '备份前甲' });
      const oldDevice = v.reg.deviceId;
      v.close();
      ok(await cli(['sync', '--data-dir', OLD]));
      ok(await cli(['backup', '--data-dir', OLD, '--out', B]));
      const backup = path.join(B, fs.readdirSync(B).find((f) => f.endsWith('.sqlite'))!);

      // After the backup the old laptop records two more cases and breaks down before syncing them.
      v = await openVillage({ dir: OLD });
      const unsent = [await addCase(v, { name: '未上传甲', handUp: true }), await addCase(v, { name: '未上传乙' })];
      v.close();

      // The backup is restored on a spare laptop (a copy of the old laptop's folder stands in for its
      // set-up program): a new device, enrolled again; work goes on there.
      fs.cpSync(OLD, NEW, { recursive: true });
      ok(await cli(['restore', backup, '--data-dir', NEW, '--yes']));
      ok(await cli(['enrol', '--data-dir', NEW, '--code', await ticket(C), '--url', srv.url]));
      v = await openVillage({ dir: NEW });
      const newDevice = v.reg.deviceId;
      expect(newDevice).not.toBe(oldDevice);
      const onNew = await addCase(v, { name: '接替后甲' });
      v.close();
      ok(await cli(['sync', '--data-dir', NEW]));
      await withCounty(C, (c) => expect(c.db.prepare(`SELECT replaced_by FROM devices WHERE id = ?`).get(oldDevice)).toEqual({ replaced_by: newDevice }));

      // The old laptop is repaired and syncs: its unsent work goes up, and it is told it was replaced.
      const s1 = ok(await cli(['sync', '--data-dir', OLD]));
      expect(s1).toMatch(/待同步 0 条/);
      expect(s1).toMatch(/由那台电脑接替/);
      const s2 = ok(await cli(['sync', '--data-dir', OLD]));
      expect(s2).toMatch(/待同步 0 条/);

      await withCounty(C, (c) => {
        expect(count(c.db, `SELECT COUNT(*) AS n FROM changes`)).toBe(count(c.db, `SELECT COUNT(DISTINCT change_id) AS n FROM changes`));
        expect(count(c.db, `SELECT COUNT(*) AS n FROM cases WHERE point_code = ?`, POINT)).toBe(4);
        expect(count(c.db, `SELECT COUNT(DISTINCT case_no) AS n FROM cases WHERE point_code = ?`, POINT)).toBe(4);
        expect(count(c.db, `SELECT COUNT(*) AS n FROM import_log WHERE result = 'rejected'`)).toBe(0);
      });

      // The laptop that took over receives the old laptop's late work, with its history.
      ok(await cli(['sync', '--data-dir', NEW]));
      v = await openVillage({ dir: NEW });
      try {
        for (const c of [synced, ...unsent, onNew]) expect((await v.api.getCase({ id: c.id })).caseNo).toBe(c.caseNo);
        const late = await v.api.getCase({ id: unsent[0].id });
        expect(late.status).toBe('handedUp');
        expect(late.timeline.map((e) => e.action)).toEqual(['case.create', 'case.handUp']);
        expect(late.timeline.every((e) => e.agentName === '王秀兰')).toBe(true);
        expect(runDoctor(v.reg).checks.filter((k) => !k.ok)).toEqual([]);
      } finally {
        v.close();
      }
    } finally {
      await srv.stop();
    }
  });
});
