// Bytes per case on a synced register: a seeded village register is enrolled with an in-process
// county, every change is uploaded and acknowledged (USB batches and replies, as a point without
// network does), and the register is measured before and after outbox compaction.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from './run';
import { Register } from '../db/register';
import { seedDemo } from '../db/seed';
import { compactAcknowledgedOutbox, COMPACTION_GRACE_DAYS, reclaimSpace, registerBytesPerCase } from '../db/outboxCompaction';
import { County } from '../county/db';
import { initCounty } from '../county/publish';
import { buildEnrolPackage, createTicket, upsertPoint } from '../county/enrol';
import { importBatch } from '../county/importer';
import { buildReply } from '../county/reply';
import { enrolByFile } from '../sync/village/engine';
import { applyReply } from '../sync/village/reply';
import { buildBatch, getSyncState } from '../sync/village/state';
import { getPoint } from '../db/point';

const BENCH = 'register';
const DAY = 86_400_000;

/** Bytes per table (dbstat), largest first, as shares of the register's used pages. */
function tableShares(reg: Register): Record<string, number> {
  try {
    const rows = reg.db.prepare(`SELECT name, SUM(pgsize) AS b FROM dbstat GROUP BY name ORDER BY b DESC LIMIT 10`).all() as { name: string; b: number }[];
    const total = (reg.db.prepare(`SELECT SUM(pgsize) AS b FROM dbstat`).get() as { b: number }).b;
    return Object.fromEntries(rows.map((r) => [r.name, Math.round((r.b / total) * 100)]));
  } catch {
    return {};
  }
}

export async function measureBytesPerCase(report: Report, cases: number): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-size-'));
  let now = Date.now();
  const clock = { nowMs: () => now };
  const reg = await Register.open({ dataDir: path.join(base, 'village'), clock });
  const county = await County.open({ dataDir: path.join(base, 'county'), clock });
  try {
    await seedDemo(reg, { cases, years: 3, seed: 2027 });
    const point = getPoint(reg)!;
    initCounty(county, { code: point.villageCode.slice(0, 6), name: point.countyName });
    const enrol = county.tx(() => {
      upsertPoint(county, { code: point.villageCode, villageName: point.villageName, townshipName: point.townshipName });
      return buildEnrolPackage(county, point.villageCode, { ticket: createTicket(county, point.villageCode, 7) });
    });
    const enrolFile = path.join(base, 'point.enrol');
    fs.writeFileSync(enrolFile, enrol);
    enrolByFile(reg, enrolFile);

    const started = performance.now();
    for (let round = 0; round < 10_000; round++) {
      const batch = buildBatch(reg, getSyncState(reg).acked_through + 1, 'usb');
      if (!batch) break;
      const r = importBatch(county, batch.bytes, { source: 'bench' });
      if (r.result !== 'imported') throw new Error(`county refused a batch: ${JSON.stringify(r).slice(0, 200)}`);
      applyReply(reg, buildReply(county, point.villageCode).bytes, 'usb');
    }
    const syncMs = performance.now() - started;
    const synced = registerBytesPerCase(reg);
    const sharesBefore = tableShares(reg);

    now += (COMPACTION_GRACE_DAYS + 1) * DAY;
    const t = performance.now();
    // What the daily maintenance does (db/maintenance.ts): compact, then VACUUM when worth it.
    const c = compactAcknowledgedOutbox(reg);
    const v = reclaimSpace(reg, c.freedBytes);
    const maintenanceMs = performance.now() - t;
    const after = registerBytesPerCase(reg);
    report({
      bench: BENCH,
      metric: 'bytes_per_case_synced',
      value: Math.round(synced.fileBytes / synced.cases),
      unit: 'B',
      note: `${synced.cases} 件演示台账，全部经U盘批次上传并被县里确认（${Math.round(syncMs / 1000)} s），压缩前；登记簿文件 ÷ 代办件数`,
      shares: sharesBefore,
    });
    const perCase = Math.round(after.fileBytes / after.cases);
    report({
      bench: BENCH,
      metric: 'bytes_per_case_after_compaction',
      value: perCase,
      unit: 'B',
      target: '≤ 8192',
      ok: perCase <= 8192,
      compactedChanges: c.compacted,
      freedBytes: c.freedBytes,
      vacuumed: v.vacuumed,
      maintenanceMs: Math.round(maintenanceMs),
      shares: tableShares(reg),
      note: `宽限期 ${COMPACTION_GRACE_DAYS} 天后压缩已确认的同步记录并 VACUUM；登记簿文件 ÷ 代办件数`,
    });
  } finally {
    reg.close();
    county.close();
    // DAIBAN_BENCH_KEEP=1 keeps the registers for a look with sqlite3 (dbstat); the folder is printed.
    if (process.env.DAIBAN_BENCH_KEEP) console.error(`kept: ${base}`);
    else fs.rmSync(base, { recursive: true, force: true });
  }
}
