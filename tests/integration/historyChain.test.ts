// The tamper-evident history (issue 8): every device's history events are hash-chained, `doctor` names
// the first broken link in Chinese, and revealing a full number, a full export, backups and restores are
// history events with a sync-queue entry (so they are chained and reach the county) — never the value.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../db/doctor';
import { backupTo, restoreFrom } from '../../db/backup';
import { exportRegister } from '../../db/export';
import { backupsDir } from '../../db/dataDir';
import { adoptRestoredRegister } from '../../sync/village/devices';
import { waitingCount } from '../../sync/village/state';
import type { Register } from '../../db/register';
import { openDatabase } from '../../db/connection';
import { migrate } from '../../db/migrate';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../db/migrations/index';
import { registerPath } from '../../db/dataDir';
import { Vault } from '../../db/vault';
import { addCase, newDir, openVillage, removeDirs, type Village } from '../sync/helpers';

const CHAIN_CHECK = '历史记录链完整（防篡改）';

let village: Village | null = null;
afterEach(() => {
  village?.close();
  village = null;
  removeDirs();
});

function chainCheck(reg: Register) {
  const c = runDoctor(reg).checks.find((x) => x.name === CHAIN_CHECK);
  expect(c, 'doctor has the history-chain check').toBeDefined();
  return c!;
}

type EventRow = { rid: number; id: string; action: string; at: string; case_id: string | null; seq: number; device_id: string; op: string; payload: string; data_json: string };
function events(reg: Register): EventRow[] {
  return reg.db
    .prepare(
      `SELECT e.rowid AS rid, e.id, e.action, e.at, e.case_id, e.data_json, o.seq, o.device_id, o.op, o.payload
       FROM events e JOIN outbox o ON o.seq = e.outbox_seq ORDER BY o.seq`,
    )
    .all() as EventRow[];
}

/** 2026-11-20T02:00:00.000Z → 2026-11-20 10:00 (China time, as the agent reads it). */
function china(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

describe('the hash-chained history and doctor', () => {
  it('holds for ordinary work, and doctor names exactly the link where one byte of a history row was flipped', async () => {
    village = await openVillage();
    const v = village;
    const first = await addCase(v, { handUp: true });
    v.clock.ms += 60_000;
    const second = await addCase(v, { handUp: true, name: '李四' });
    v.clock.ms += 60_000;
    await addCase(v, { name: '王五' });
    expect(chainCheck(v.reg)).toMatchObject({ ok: true });
    expect(chainCheck(v.reg).detail).toMatch(/1 台设备的 \d+ 条历史逐条首尾相扣/);

    // Raw SQL on the (decrypted, open) register: the hand-up of the second case gets a different minute
    // in its time — one byte — the way someone covering a late hand-up would do it.
    const all = events(v.reg);
    const target = all.find((e) => e.action === 'case.handUp' && e.case_id === second.id)!;
    const later = all.filter((e) => e.seq > target.seq);
    expect(later.length).toBeGreaterThan(0);
    const at = Buffer.from(target.at, 'utf8');
    const minute = at.indexOf(0x3a) + 2; // the minute's second digit, "T02:0x"
    at[minute] = at[minute] === 0x35 ? 0x36 : 0x35;
    v.reg.db.prepare(`UPDATE events SET at = ? WHERE rowid = ?`).run(at.toString('utf8'), target.rid);

    const check = chainCheck(v.reg);
    expect(check.ok).toBe(false);
    expect(runDoctor(v.reg).ok).toBe(false);
    const device = v.reg.deviceId.slice(0, 8);
    expect(check.detail).toBe(
      `历史记录链第一处断开：本机（设备 ${device}）的第 ${target.seq} 条历史（${china(at.toString('utf8'))}，报送，件号 ${second.caseNo}）` +
        '内容与链上摘要不符，这条记录（或它的同步记录）被改动过',
    );
    // Only the first broken link is named; the first case's links are not.
    expect(check.detail).not.toContain(first.caseNo);

    // Put back, the chain holds again; a flipped byte of a stored digest breaks that same link.
    v.reg.db.prepare(`UPDATE events SET at = ? WHERE rowid = ?`).run(target.at, target.rid);
    expect(chainCheck(v.reg).ok).toBe(true);
    const d = v.reg.db.prepare(`SELECT digest FROM events WHERE rowid = ?`).get(target.rid) as { digest: Buffer };
    expect(d.digest.length).toBeLessThanOrEqual(32);
    const flipped = Buffer.from(d.digest);
    flipped[0] ^= 0x01;
    v.reg.db.prepare(`UPDATE events SET digest = ? WHERE rowid = ?`).run(flipped, target.rid);
    expect(chainCheck(v.reg).detail).toContain(`的第 ${target.seq} 条历史`);
    v.reg.db.prepare(`UPDATE events SET digest = ? WHERE rowid = ?`).run(d.digest, target.rid);

    // A history row removed: the link after it is named (its predecessor is missing).
    v.reg.db.prepare(`DELETE FROM events WHERE rowid = ?`).run(target.rid);
    const gone = chainCheck(v.reg);
    expect(gone.ok).toBe(false);
    expect(gone.detail).toContain(`的第 ${target.seq + 1} 条历史`);
    expect(gone.detail).toContain('前一条历史记录缺失');
  });
});

describe('accountability events: reveal, full export, backups, restore', () => {
  it('are chained history events with a sync-queue entry, who and what kind, never the revealed value', async () => {
    village = await openVillage();
    const v = village;
    const c = await addCase(v);
    const detail = await v.api.getCase({ id: c.id });
    const me = (await v.api.getAppState({})).agents[0];

    const shown = await v.api.revealApplicant({ applicantId: detail.applicant.id, field: 'idNumber' });
    expect(shown.value).toMatch(/^\d{17}[\dX]$/);
    const out = newDir('daiban-export-');
    exportRegister(v.reg, { what: 'cases', format: 'csv', out: path.join(out, '台账.csv'), full: true, agentId: me.id });
    exportRegister(v.reg, { what: 'cases', format: 'csv', out: path.join(out, '遮蔽.csv') }); // masked: not an accountability event
    await backupTo(v.reg, out, '手动-', { agentId: me.id });

    const acts = events(v.reg).filter((e) => e.op === 'event');
    expect(acts.map((e) => e.action)).toEqual(['applicant.reveal', 'register.exportFull', 'register.backup']);
    for (const e of acts) {
      const p = JSON.parse(e.payload) as { agentId: string | null; fields: object; action: string };
      expect(p.fields).toEqual({});
      expect(p.agentId).toBe(me.id);
      expect(e.payload + e.data_json).not.toContain(shown.value);
      expect(e.payload + e.data_json).not.toContain(shown.value.slice(-6));
    }
    expect(JSON.parse(acts[0].data_json)).toEqual({ field: 'idNumber' });
    expect(JSON.parse(acts[1].data_json)).toMatchObject({ what: 'cases', format: 'csv' });
    expect(JSON.parse(acts[2].data_json)).toMatchObject({ kind: 'manual', chosenFolder: true });
    // They wait in the sync queue like any change.
    expect(waitingCount(v.reg)).toBe(events(v.reg).length);
    expect(runDoctor(v.reg).checks.filter((x) => !x.ok)).toEqual([]);

    // Restore: the restored register (a new device) records the restore as its first event; the old
    // device's chain and the new one both hold.
    const backup = fs.readdirSync(out).find((f) => f.endsWith('.sqlite'))!;
    const before = v.reg.deviceId;
    const r = await restoreFrom(v.reg, path.join(out, backup), { agentId: me.id, afterRestore: (x) => void adoptRestoredRegister(x) });
    try {
      expect(r.reg.deviceId).not.toBe(before);
      const after = events(r.reg);
      const restore = after[after.length - 1];
      expect(restore).toMatchObject({ action: 'register.restore', device_id: r.reg.deviceId, op: 'event' });
      expect(JSON.parse(restore.data_json)).toMatchObject({ safetyBackup: true, backupName: backup });
      // The backup made just before the restore is recorded with the restore, not in the replaced register.
      expect(after.filter((e) => e.action === 'register.backup')).toHaveLength(0);
      const chain = runDoctor(r.reg).checks.find((x) => x.name === CHAIN_CHECK)!;
      expect(chain).toMatchObject({ ok: true });
      expect(chain.detail).toMatch(/^2 台设备的/);
      expect(fs.readdirSync(backupsDir(r.reg.dataDir)).some((f) => f.includes('恢复前-'))).toBe(true);
    } finally {
      r.reg.close();
    }
    village = null;
  });
});

describe('the backup a schema upgrade takes', () => {
  it('is a history event when the app opens the register (through the vault), chained and waiting for the county', async () => {
    const dir = newDir('daiban-upgrade-');
    const old = openDatabase(registerPath(dir));
    await migrate(old, { migrations: MIGRATIONS.filter((m) => m.version < LATEST_SCHEMA_VERSION) });
    old.close();
    const reg = await new Vault({ dataDir: dir }).open(undefined);
    try {
      expect(reg.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(fs.readdirSync(backupsDir(dir)).filter((f) => f.startsWith('升级前备份-'))).toHaveLength(1);
      const e = events(reg);
      expect(e.map((x) => [x.action, x.op])).toEqual([['register.backup', 'event']]);
      expect(JSON.parse(e[0].data_json)).toEqual({ kind: 'preMigration', fromVersion: LATEST_SCHEMA_VERSION - 1, toVersion: LATEST_SCHEMA_VERSION });
      expect(waitingCount(reg)).toBe(1);
      expect(chainCheck(reg).ok).toBe(true);
    } finally {
      reg.close();
    }
  });
});
