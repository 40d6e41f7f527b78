// Batches arriving out of order, twice, or overlapping converge to the same county state; gaps are
// detected and reported; a device whose history was replaced (old backup) is refused, not merged.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { County } from '../../county/db';
import { importBatch } from '../../county/importer';
import { countyDoctor } from '../../county/report';
import { SYNCED_TABLES } from '../../db/changes';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch, maxSeq } from '../../sync/village/state';
import { addCase, count, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from './helpers';

afterEach(removeDirs);

/** The county's records and their clocks, without log rows and receive times. */
function state(c: County): unknown {
  const t: Record<string, unknown> = {};
  for (const name of [...SYNCED_TABLES, 'changes', 'field_clocks']) t[name] = c.db.prepare(`SELECT * FROM ${name} ORDER BY 1, 2, 3`).all();
  t.devices = c.db.prepare(`SELECT id, applied_through FROM devices`).all();
  t.held = c.db.prepare(`SELECT COUNT(*) AS n FROM held_batches`).get();
  return t;
}

async function enrolledVillage(counties: County[]): Promise<Village> {
  const v = await openVillage();
  const dir = newDir();
  // One enrolment file is enough: every county here is a copy of the same county (same key, same tickets).
  const file = path.join(dir, 'e.enrol');
  fs.writeFileSync(file, enrolmentFile(counties[0], v.code).bytes);
  for (const c of counties.slice(1)) {
    c.db.exec(`DELETE FROM county; DELETE FROM enrol_tickets; DELETE FROM points;`);
    for (const tbl of ['county', 'points', 'enrol_tickets']) {
      const rows = counties[0].db.prepare(`SELECT * FROM ${tbl}`).all() as Record<string, unknown>[];
      for (const r of rows) c.db.prepare(`INSERT INTO ${tbl} (${Object.keys(r).join(',')}) VALUES (${Object.keys(r).map(() => '?').join(',')})`).run(...Object.values(r));
    }
  }
  enrolByFile(v.reg, file);
  return v;
}

function cut(v: Village, size: number): Buffer[] {
  const out: Buffer[] = [];
  let from = 1;
  for (;;) {
    const b = buildBatch(v.reg, from, 'usb', size);
    if (!b) break;
    out.push(b.bytes);
    from = b.manifest.toSeq + 1;
  }
  return out;
}

describe('ordering and idempotence', () => {
  it('reaches the same county state whatever the order, holding batches behind a gap and reporting it', async () => {
    const inOrder = await openCounty();
    const reversed = await openCounty();
    const shuffled = await openCounty();
    const v = await enrolledVillage([inOrder, reversed, shuffled]);
    for (let i = 0; i < 4; i++) await addCase(v, { handUp: i % 2 === 0 });
    const batches = cut(v, 7);
    expect(batches.length).toBeGreaterThan(4);

    for (const b of batches) expect(importBatch(inOrder, b, { source: 't' }).result).toBe('imported');

    const rev = [...batches].reverse();
    const firstHeld = importBatch(reversed, rev[0], { source: 't' });
    expect(firstHeld.result).toBe('held');
    expect(firstHeld.message).toMatch(/缺少该设备第 1–\d+ 条变更/);
    expect(firstHeld.gaps).toEqual([[1, firstHeld.fromSeq! - 1]]);
    for (const b of rev.slice(1, -1)) expect(importBatch(reversed, b, { source: 't' }).result).toBe('held');
    const last = importBatch(reversed, rev[rev.length - 1], { source: 't' });
    expect(last.result).toBe('imported');
    expect(last.applied).toBe(maxSeq(v.reg));
    expect(last.message).toMatch(/暂存的后续批次随之导入/);

    // Shuffled with duplicates: every batch twice, in a scrambled order.
    const order = [3, 1, 4, 1, 0, 2, 5, 3, 0, 4, 2, 5].map((i) => batches[i % batches.length]);
    for (const b of [...order, ...batches]) {
      const r = importBatch(shuffled, b, { source: 't' });
      expect(['imported', 'held', 'already']).toContain(r.result);
    }

    expect(state(reversed)).toEqual(state(inOrder));
    expect(state(shuffled)).toEqual(state(inOrder));
    for (const c of [inOrder, reversed, shuffled]) {
      expect(count(c.db, `SELECT COUNT(*) AS n FROM changes`)).toBe(maxSeq(v.reg));
      expect(countyDoctor(c).ok).toBe(true);
    }
    v.close();
    for (const c of [inOrder, reversed, shuffled]) c.close();
  });

  it('applies only the new part of an overlapping batch (a re-export before the reply came back)', async () => {
    const county = await openCounty();
    const v = await enrolledVillage([county]);
    await addCase(v);
    const first = buildBatch(v.reg, 1, 'usb')!;
    expect(importBatch(county, first.bytes, { source: 't' }).result).toBe('imported');
    await addCase(v);
    const overlap = buildBatch(v.reg, 1, 'usb')!;
    const r = importBatch(county, overlap.bytes, { source: 't' });
    expect(r.result).toBe('imported');
    expect(r.applied).toBe(overlap.manifest.count - first.manifest.count);
    expect(r.message).toMatch(new RegExp(`其中 ${first.manifest.count} 条此前已导入`));
    expect(count(county.db, `SELECT COUNT(*) AS n FROM changes`)).toBe(overlap.manifest.count);
    v.close();
    county.close();
  });

  it('refuses a device whose already-imported changes now read differently (restored from an old backup)', async () => {
    const county = await openCounty();
    const v = await enrolledVillage([county]);
    await addCase(v);
    expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
    const before = state(county);
    // Simulate the laptop going back to an old backup and recording different changes under the same numbers.
    v.reg.db.prepare(`UPDATE outbox SET change_id = ? WHERE seq = 2`).run('01900000-0000-7000-8000-00000000dead');
    const r = importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' });
    expect(r.result).toBe('rejected');
    expect(r.reason).toMatch(/第 2 条变更此前已导入，但内容不同/);
    expect(state(county)).toEqual(before);
    v.close();
    county.close();
  });
});
