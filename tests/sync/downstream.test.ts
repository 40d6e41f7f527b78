// County → village: signed replies. A tampered or foreign reply is refused and changes nothing; a
// replayed one changes nothing; holiday tables and catalogs land through the register's own import
// functions (due dates follow); one unusable message is set aside, visibly, and the rest applies.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { County } from '../../county/db';
import { importBatch } from '../../county/importer';
import { publishHolidays } from '../../county/publish';
import { buildReply } from '../../county/reply';
import { encodeContainer } from '../../sync/wire/container';
import { generateKeyPair } from '../../sync/wire/keys';
import { applyReply } from '../../sync/village/reply';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch, getSyncState } from '../../sync/village/state';
import { AppError } from '../../domain/errors';
import { addCase, count, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from './helpers';
import { TestClock } from '../support/tempRegister';

let county: County;
let v: Village;

beforeAll(async () => {
  // Late in 2026: the 2027 holiday table is not yet bundled, so deadlines into 2027 are estimates.
  const clock = new TestClock(Date.parse('2026-12-21T02:00:00.000Z'));
  county = await openCounty({ clock });
  v = await openVillage({ clock });
  const f = path.join(newDir(), 'e.enrol');
  fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
  enrolByFile(v.reg, f);
  await addCase(v, { handUp: true });
  expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
});
afterAll(() => {
  v.close();
  county.close();
  removeDirs();
});

function villageState(): unknown {
  return {
    cases: v.reg.db.prepare(`SELECT * FROM cases ORDER BY id`).all(),
    outbox: v.reg.db.prepare(`SELECT seq, acked_at FROM outbox ORDER BY seq`).all(),
    downstream: v.reg.db.prepare(`SELECT * FROM sync_downstream ORDER BY id`).all(),
    holidays: v.reg.db.prepare(`SELECT year FROM holiday_tables ORDER BY year`).all(),
    state: getSyncState(v.reg),
  };
}

describe('replies', () => {
  it('refuses an altered, truncated, foreign or forged reply and applies nothing', () => {
    const good = buildReply(county, v.code).bytes;
    const before = villageState();
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5] ^= 0x01;
    expect(() => applyReply(v.reg, flipped, 'usb')).toThrow(/改动/);
    expect(() => applyReply(v.reg, good.subarray(0, good.length - 3), 'usb')).toThrow(/截断/);
    const lines = good.toString('utf8').split('\n');
    const m = JSON.parse(lines[1]) as Record<string, unknown>;
    const body = good.subarray(Buffer.byteLength(lines.slice(0, 3).join('\n') + '\n'));
    const { bodyBytes: _b, bodySha256: _h, ...rest } = m;
    expect(() => applyReply(v.reg, encodeContainer('REPLY', rest, body, generateKeyPair().privateKey), 'usb')).toThrow(/签名验证失败/);
    expect(() => applyReply(v.reg, encodeContainer('REPLY', { ...rest, county: '150823' }, body, generateKeyPair().privateKey), 'usb')).toThrow(/其他县/);
    expect(() => applyReply(v.reg, encodeContainer('REPLY', { ...rest, point: '150822101299' }, body, generateKeyPair().privateKey), 'usb')).toThrow(AppError);
    expect(villageState()).toEqual(before);
  });

  it('applies a reply once: acknowledgements, a new holiday table (due dates follow); a replay changes nothing', () => {
    const estimatedBefore = count(v.reg.db, `SELECT COUNT(*) AS n FROM cases WHERE due_estimated = 1`);
    const table = {
      years: {
        '2027': {
          source: '测试：2027年节假日安排',
          periods: [{ name: '元旦', off: ['2027-01-01', '2027-01-02', '2027-01-03'], work: [] }],
        },
      },
    };
    publishHolidays(county, table);
    const r = applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
    expect(r.acked).toBeGreaterThan(0);
    expect(r.applied.map((a) => a.kind)).toEqual(['holidays']);
    expect(r.applied[0].summary).toMatch(/2027 年节假日安排/);
    expect(v.reg.calendar.hasTable(2027)).toBe(true);
    expect(count(v.reg.db, `SELECT COUNT(*) AS n FROM cases WHERE due_estimated = 1`)).toBeLessThanOrEqual(estimatedBefore);
    expect(count(v.reg.db, `SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL`)).toBe(0);

    const again = buildReply(county, v.code).bytes;
    const before = villageState();
    const r2 = applyReply(v.reg, again, 'usb');
    expect(r2.nothingNew).toBe(true);
    expect(r2.message).toMatch(/没有新内容/);
    expect(villageState()).toEqual(before);
  });

  it('sets an unusable message aside, shows it, and still applies the ones behind it', () => {
    const now = county.nowIso();
    const bad = { caseId: '01900000-0000-7000-8000-00000000f00d', caseNo: '150822101201-20261221-999', action: 'decide', decision: 'approved', date: '2026-12-21', note: '', basis: {} };
    county.db.prepare(`INSERT INTO downstream (id, point_code, kind, hlc, body, created_at) VALUES (?, ?, 'decision', ?, ?, ?)`).run('01900000-0000-7000-8000-00000000bad1', v.code, county.nextHlc(), JSON.stringify(bad), now);
    const cat = JSON.parse(fs.readFileSync(new URL('../../data/catalog-demo.json', import.meta.url), 'utf8')) as { version: string };
    cat.version = 'after-bad';
    county.db.prepare(`INSERT INTO downstream (id, point_code, kind, hlc, body, created_at) VALUES (?, NULL, 'catalog', ?, ?, ?)`).run('01900000-0000-7000-8000-00000000aaa2', county.nextHlc(), JSON.stringify(cat), now);
    const r = applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
    expect(r.warnings.join()).toMatch(/未能应用.*没有件号为 150822101201-20261221-999/);
    expect(r.applied.map((a) => a.kind)).toEqual(['decision', 'catalog']);
    expect((v.reg.db.prepare(`SELECT value FROM meta WHERE key = 'catalog_version'`).get() as { value: string }).value).toBe('after-bad');
    // Set aside for good: the next reply does not bring it again.
    expect(applyReply(v.reg, buildReply(county, v.code).bytes, 'usb').nothingNew).toBe(true);
  });
});
