// The county's copy of a point's history, verifiable on its own (issue 8): each imported change keeps its
// agent, time and the batch signature that vouches for it; `county verify` re-checks the signatures and
// the per-device chains and names the first bad link. The village's reveals, full exports, backups and
// restores arrive as history and show in the console's audit log and the case timeline.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { County } from '../../county/db';
import { importBatch } from '../../county/importer';
import { verifyPointHistory } from '../../county/verify';
import { getCountyCase } from '../../county/console/cases';
import { buildBatch } from '../../sync/village/state';
import { enrolByFile } from '../../sync/village/engine';
import { backupTo } from '../../db/backup';
import { historyEventDigest } from '../../db/historyChain';
import { addCase, cli, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from './helpers';
import type { CaseDetail } from '../../domain/records';

let county: County;
let countyDir: string;
let village: Village;
let first: CaseDetail;
let second: CaseDetail;
let agentId: string;

type Change = { seq: number; action: string; agent_id: string | null; at: string | null; batch_id: string | null; digest: Buffer | null; case_id: string | null };
const changes = (): Change[] => county.db.prepare(`SELECT * FROM changes WHERE device_id = ? ORDER BY seq`).all(village.reg.deviceId) as Change[];

function china(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

beforeAll(async () => {
  countyDir = newDir('daiban-county-');
  county = await openCounty({ dir: countyDir });
  village = await openVillage();
  const file = path.join(newDir(), 'e.enrol');
  fs.writeFileSync(file, enrolmentFile(county, village.code).bytes);
  enrolByFile(village.reg, file);
  agentId = (await village.api.getAppState({})).agents[0].id;
  first = await addCase(village, { handUp: true });
  const detail = await village.api.getCase({ id: first.id });
  await village.api.revealApplicant({ applicantId: detail.applicant.id, field: 'phone' });
  await backupTo(village.reg, newDir('daiban-usb-'), '手动-', { agentId });
  // Two batches, so the chain runs across a batch boundary.
  const b1 = buildBatch(village.reg, 1, 'usb')!;
  expect(b1.manifest.historyHead).toMatch(/^[0-9a-f]{32}$/);
  expect(b1.manifest.historyPrev).toBe('');
  expect(importBatch(county, b1.bytes, { source: 'test' }).result).toBe('imported');
  second = await addCase(village, { handUp: true, name: '李四' });
  const b2 = buildBatch(village.reg, b1.manifest.toSeq + 1, 'usb')!;
  expect(b2.manifest.historyPrev).toBe(b1.manifest.historyHead);
  const r2 = importBatch(county, b2.bytes, { source: 'test' });
  expect(r2.result).toBe('imported');
  expect(r2.message).not.toMatch(/链/);
});
afterAll(() => {
  village.close();
  county.close();
  removeDirs();
});

describe("the county's copy of a village's history", () => {
  it('keeps every change with its agent, time, chain digest and the batch signature that vouches for it', () => {
    const rows = changes();
    expect(rows.length).toBeGreaterThan(8);
    for (const r of rows) {
      expect(r.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(r.batch_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.digest?.length).toBe(16);
    }
    expect(rows.filter((r) => r.agent_id === agentId).length).toBe(rows.length);
    expect(county.db.prepare(`SELECT COUNT(*) AS n FROM batch_signatures`).get()).toEqual({ n: 2 });
    // The county's digests are the village's: the same chain, computed on both sides by one function.
    const villageDigests = village.reg.db.prepare(`SELECT e.digest FROM events e JOIN outbox o ON o.seq = e.outbox_seq ORDER BY o.seq`).all() as { digest: Buffer }[];
    expect(rows.map((r) => r.digest!.toString('hex'))).toEqual(villageDigests.map((d) => d.digest.toString('hex')));

    const v = verifyPointHistory(county, village.code);
    expect(v).toMatchObject({ ok: true, devices: 1, batches: 2, verified: rows.length, unverifiable: 0, broken: null });
  });

  it("shows the village's reveal and backup in the console's audit log and the reveal on the case timeline, never the value", async () => {
    const audit = county.db.prepare(`SELECT kind, user_name, summary FROM audit_log WHERE kind = 'village' ORDER BY id`).all() as { kind: string; user_name: string; summary: string }[];
    expect(audit.map((a) => a.summary)).toEqual([
      `红旗村（${village.code}）设备 ${village.reg.deviceId.slice(0, 8)}：查看完整证件号/电话（联系电话）`,
      `红旗村（${village.code}）设备 ${village.reg.deviceId.slice(0, 8)}：备份登记簿（手动备份，存到指定位置（如U盘））`,
    ]);
    expect(audit.every((a) => a.user_name === '王秀兰')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('13812345678');
    const c = getCountyCase(county, first.id);
    expect(c.timeline.find((t) => t.action === 'applicant.reveal')).toMatchObject({ label: '查看完整证件号/电话', who: '王秀兰', source: 'village' });
  });

  it('names the first bad link when a stored change is altered, and the batch when its digests were recomputed to match', async () => {
    const rows = changes();
    const target = rows.find((r) => r.action === 'case.handUp' && r.case_id === second.id)!;
    const later = rows.filter((r) => r.seq > target.seq);
    expect(later.length).toBe(0); // the last change of the second batch
    const earlier = rows.find((r) => r.action === 'case.handUp' && r.case_id === first.id)!;

    // Someone at the county makes the first case's hand-up look like another person's, one row, raw SQL.
    county.db.prepare(`UPDATE changes SET agent_id = ? WHERE device_id = ? AND seq = ?`).run('01900000-0000-7000-8000-0000000000ff', village.reg.deviceId, earlier.seq);
    let v = verifyPointHistory(county, village.code);
    expect(v.ok).toBe(false);
    expect(v.broken).toBe(
      `第一处断链：设备 ${village.reg.deviceId.slice(0, 8)}的第 ${earlier.seq} 条变更（${china(earlier.at!)}，报送，件号 ${first.caseNo}）：县里保存的内容与历史链摘要不符，这条记录被改动过`,
    );

    // The real CLI says the same and exits 1.
    const out = await cli(['county', 'verify', '--data-dir', countyDir, '--point', village.code]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`第一处断链：设备 ${village.reg.deviceId.slice(0, 8)}的第 ${earlier.seq} 条变更`);
    expect(out.stderr).toContain('历史记录核对发现问题');

    // A more careful forger also recomputes the stored digests from that row on: the device's signed
    // chain head of that batch no longer matches.
    type Full = Record<string, string | number | null | Buffer>;
    const all = county.db.prepare(`SELECT * FROM changes WHERE device_id = ? ORDER BY seq`).all(village.reg.deviceId) as Full[];
    const batch = county.db.prepare(`SELECT from_seq, to_seq FROM batch_signatures WHERE batch_id = ?`).get(earlier.batch_id) as { from_seq: number; to_seq: number };
    let prev: Buffer | null = null;
    for (const r of all) {
      const d = historyEventDigest(
        {
          device: String(r.device_id), seq: Number(r.seq), changeId: String(r.change_id), hlc: String(r.hlc), op: String(r.op), entity: String(r.entity),
          entityId: String(r.entity_id), action: String(r.action), agentId: (r.agent_id as string | null) ?? null, at: String(r.at), note: String(r.note ?? ''),
          eventId: String(r.event_id ?? ''), caseId: (r.case_id as string | null) ?? null, data: String(r.data ?? ''),
        },
        prev,
      );
      county.db.prepare(`UPDATE changes SET digest = ? WHERE device_id = ? AND seq = ?`).run(d, r.device_id, r.seq);
      prev = d;
    }
    v = verifyPointHistory(county, village.code);
    expect(v.broken).toBe(
      `第一处断链：设备 ${village.reg.deviceId.slice(0, 8)}第 ${batch.from_seq}–${batch.to_seq} 条变更重新计算的历史链与设备签名的链头不符：这一批中有记录被改动过（连同摘要）`,
    );

    // And a stored batch signature that no longer verifies is named as such.
    const sig = county.db.prepare(`SELECT batch_id, signed FROM batch_signatures ORDER BY from_seq LIMIT 1`).get() as { batch_id: string; signed: Buffer };
    const forged = Buffer.from(sig.signed);
    forged[forged.length - 3] ^= 0x01;
    county.db.prepare(`UPDATE batch_signatures SET signed = ? WHERE batch_id = ?`).run(forged, sig.batch_id);
    expect(verifyPointHistory(county, village.code).broken).toMatch(/^第一处断链：设备 \S+第 1–\d+ 条变更的批次签名验证失败/);
  });
});
