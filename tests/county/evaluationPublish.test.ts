// 考评与周报 and 发布 at the county, as the console's screens use them: the lagging points of a month get
// one warning each (its text saying which figures pulled the score down) that reaches the village's
// 今日; a catalog edited on the 发布 screen is refused with a message naming the item and field, or
// published and taken by the village; a holiday table must be a real, full year.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBatch } from '../../county/importer';
import { publishCatalog, publishHolidays } from '../../county/publish';
import { buildReply } from '../../county/reply';
import { checkCatalogDraft } from '../../county/console/catalogCheck';
import { laggingNote, runAutoWarn, setAutoWarn, warnLagging } from '../../county/console/evaluation';
import { checkFullYears } from '../../county/console/routes';
import { weeklySheet } from '../../county/console/prints';
import { closePdfRenderer } from '../../print/pdfRenderer';
import { evaluation, setWeights, weeklyReport } from '../../county/console/stats';
import { publishedVersions } from '../../county/console/views';
import type { CatalogDraft } from '../../county/console/types';
import { holidayTablesFromJson } from '../../domain/workCalendar';
import { loadBundledHolidayTables } from '../../domain/bundledData';
import { applyReply } from '../../sync/village/reply';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch, getSyncState } from '../../sync/village/state';
import { TestClock } from '../support/tempRegister';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs } from '../sync/helpers';

afterAll(async () => {
  await closePdfRenderer();
  removeDirs();
});
const ALL = { townshipCode: null, pointCode: null };

describe('考评: warnings to lagging points', () => {
  it('sends one composed warning per lagging point, shown on the village 今日; the 周报 counts the week', async () => {
    const county = await openCounty();
    const v = await openVillage();
    try {
      const f = path.join(newDir(), 'e.enrol');
      fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
      enrolByFile(v.reg, f);
      const c = await addCase(v);
      await v.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved' });
      expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
      const month = county.nowIso().slice(0, 7);

      // Completed but never visited back: with the county weighing only 回访率, the point scores 0.
      setWeights(county, { onTimeRate: 0, overdue: 0, returnVisitRate: 100, satisfactionRate: 0, immediateRate: 0 });
      const row = evaluation(county, month, ALL).townships[0].rows[0];
      expect(row).toMatchObject({ code: v.code, score: 0, lagging: true, warned: false });
      expect(laggingNote(row, month)).toMatch(/考评得分 0 分，低于 60 分：回访率 0\.0%/);

      const first = warnLagging(county, month, ALL, { id: 'test' });
      expect(first.sent.map((s) => s.pointCode)).toEqual([v.code]);
      expect(first.sent[0].note).toContain('回访率 0.0%');
      // Warned once a month: asking again sends nothing, and the ranking says it was warned.
      expect(warnLagging(county, month, ALL, { id: 'test' }).sent).toEqual([]);
      expect(evaluation(county, month, ALL).townships[0].rows[0].warned).toBe(true);

      applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      const today = await v.api.today({ limit: 50 });
      expect(today.countyNotices.rows).toEqual([expect.objectContaining({ kind: 'warning', month, note: first.sent[0].note })]);

      // With the usual weights the same point is not lagging (a single case, decided the same day).
      setWeights(county, { onTimeRate: 30, overdue: 20, returnVisitRate: 15, satisfactionRate: 25, immediateRate: 10 });
      expect(evaluation(county, month, ALL).townships[0].rows[0]).toMatchObject({ lagging: false, redFlag: true });

      const week = weeklyReport(county, v.code.slice(0, 9), county.nowIso().slice(0, 10), ALL);
      expect(week.rows).toEqual([expect.objectContaining({ code: v.code, newCases: 1, completed: 1, open: 0, overdue: 0, poor: 0 })]);
      const pdf = await weeklySheet(county, week);
      const file = path.join(process.env.DAIBAN_SHOTS ?? newDir(), 'weekly-unit.pdf');
      fs.writeFileSync(file, pdf.file);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
      expect(text).toContain('代办点周报');
      expect(text).toMatch(/红旗村 0 0 1 1 0/);
      expect(text).toMatch(/合计 0 0 1 1 0/);
    } finally {
      v.close();
      county.close();
    }
  });
});

describe('考评: automatic monthly warnings', () => {
  it('when turned on, warns last month’s lagging points once, from the first of the month', async () => {
    const clock = new TestClock(0);
    clock.setChinaDate('2026-10-20');
    const county = await openCounty({ clock });
    const v = await openVillage({ clock });
    try {
      const f = path.join(newDir(), 'e.enrol');
      fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
      enrolByFile(v.reg, f);
      const c = await addCase(v);
      await v.api.transitionCase({ id: c.id, action: 'decide', decision: 'approved' });
      expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
      setWeights(county, { onTimeRate: 0, overdue: 0, returnVisitRate: 100, satisfactionRate: 0, immediateRate: 0 });

      // Off (the default): nothing is sent in November for October.
      clock.setChinaDate('2026-11-01', '08:00');
      expect(runAutoWarn(county)).toBeNull();
      expect(county.db.prepare(`SELECT COUNT(*) AS n FROM warnings`).get()).toEqual({ n: 0 });
      // Turned on in November: October counts as handled already (no reaching back) …
      setAutoWarn(county, true);
      expect(runAutoWarn(county)).toBeNull();
      // … and on 1 December November is looked at: nobody lags (the case was in October), once only.
      clock.setChinaDate('2026-12-01', '08:00');
      expect(runAutoWarn(county)).toBe(0);
      expect(runAutoWarn(county)).toBeNull();

      // Turned on earlier, in October: on 1 November the October laggard is warned, once.
      county.db.prepare(`DELETE FROM settings WHERE key LIKE 'evaluation_auto%'`).run();
      clock.setChinaDate('2026-10-25');
      setAutoWarn(county, true);
      clock.setChinaDate('2026-11-01', '08:00');
      expect(runAutoWarn(county)).toBe(1);
      expect(runAutoWarn(county)).toBeNull();
      expect(county.db.prepare(`SELECT point_code, month FROM warnings`).all()).toEqual([{ point_code: v.code, month: '2026-10' }]);
      expect(county.db.prepare(`SELECT user_name, summary FROM audit_log WHERE kind = 'evaluation'`).get()).toMatchObject({ user_name: '系统（自动预警）', summary: expect.stringContaining('2026-10 考评预警') });
    } finally {
      v.close();
      county.close();
    }
  });
});

describe('发布', () => {
  it('refuses a malformed catalog with the item and field named, and stores nothing', async () => {
    const county = await openCounty();
    try {
      const cat = JSON.parse((county.db.prepare(`SELECT json FROM catalog_versions`).get() as { json: string }).json) as CatalogDraft;
      const edit = (fn: (c: CatalogDraft) => void): CatalogDraft => {
        const c = structuredClone(cat);
        c.version = 'test-2';
        fn(c);
        return c;
      };
      const bad: [CatalogDraft, RegExp][] = [
        [edit((c) => (c.items[3].code = c.items[0].code)), new RegExp(`第 4 个事项“${cat.items[3].name}”的事项编码 ${cat.items[0].code} 与第 1 个事项重复`)],
        [edit((c) => (c.items[1].committedWorkdays = 2.5)), /第 2 个事项“.+”的承诺时限应为 0–1000 之间的整数/],
        [edit((c) => (c.items[0].fee = -1)), /收费金额应为不小于 0 的数/],
        [edit((c) => (c.items[0].materials[1].name = c.items[0].materials[0].name)), /的材料“.+”重复/],
        [edit((c) => (c.items[2].name = ' ')), /第 3 个事项缺少事项名称/],
        [edit((c) => (c.version = '')), /请填写事项目录的版本号/],
        [edit((c) => (c.items = [])), /至少要有一个事项/],
      ];
      for (const [c, msg] of bad) expect(() => checkCatalogDraft(c), msg.source).toThrow(msg);
      expect(county.db.prepare(`SELECT COUNT(*) AS n FROM catalog_versions`).get()).toEqual({ n: 1 });
      // The same version twice is refused by the publisher.
      const ok = edit((c) => (c.items[0].committedWorkdays = 12));
      checkCatalogDraft(ok);
      expect(publishCatalog(county, ok)).toEqual({ version: 'test-2', items: cat.items.length });
      expect(() => publishCatalog(county, ok)).toThrow(/已经发布过/);
    } finally {
      county.close();
    }
  });

  it('an edited catalog reaches the village; 各代办点版本 follows what its laptop confirmed', async () => {
    const county = await openCounty();
    const v = await openVillage();
    try {
      const f = path.join(newDir(), 'e.enrol');
      fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
      enrolByFile(v.reg, f);
      await addCase(v);
      expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
      const cat = JSON.parse((county.db.prepare(`SELECT json FROM catalog_versions`).get() as { json: string }).json) as CatalogDraft;
      const item = cat.items.find((i) => i.code === 'MZ-0003')!;
      item.committedWorkdays = 7;
      item.materials.push({ name: '居住证明', form: '原件', copies: 1, required: true, deferrable: true });
      cat.version = 'wuyuan-2026.2';
      checkCatalogDraft(cat);
      publishCatalog(county, cat);
      expect(publishedVersions(county).points[0]).toMatchObject({ code: v.code, upToDate: false });

      applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      const got = await v.api.getCatalogItem({ code: 'MZ-0003' });
      expect(got.committedWorkdays).toBe(7);
      expect(got.materials.at(-1)).toMatchObject({ name: '居住证明', deferrable: true });
      // The county hears which version the laptop confirmed with its next batch.
      await addCase(v);
      expect(importBatch(county, buildBatch(v.reg, getSyncState(v.reg).acked_through + 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
      expect(publishedVersions(county).points[0]).toMatchObject({ catalogVersion: 'wuyuan-2026.2', upToDate: true });
    } finally {
      v.close();
      county.close();
    }
  });

  it('accepts only a full, real holiday year with 调休 days on weekends', async () => {
    const county = await openCounty();
    try {
      const bundled = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'data/holidays-cn.json'), 'utf8')) as { years: Record<string, { source: string; periods: { name: string; off: string[]; work: string[] }[] }> };
      const y2026 = () => structuredClone({ years: { '2026': bundled.years['2026'] } });
      const check = (json: unknown) => checkFullYears(holidayTablesFromJson(json));
      expect(() => check(y2026())).not.toThrow();

      const partial = y2026();
      partial.years['2026'].periods = partial.years['2026'].periods.filter((p) => p.name !== '国庆节' && !p.name.includes('国庆'));
      expect(() => check(partial)).toThrow(/2026 年的节假日安排不完整：缺少 国庆节/);
      const weekday = y2026();
      weekday.years['2026'].periods[0].work = ['2026-01-07']; // a Wednesday
      expect(() => check(weekday)).toThrow(/调休上班日期 2026-01-07 不是周六或周日/);
      const unreal = y2026();
      unreal.years['2026'].periods[0].off = ['2026-02-30'];
      expect(() => check(unreal)).toThrow(/“2026-02-30”不是有效日期/);
      const otherYear = y2026();
      otherYear.years['2026'].periods[0].off.push('2025-12-31');
      expect(() => check(otherYear)).toThrow(/2025-12-31 不属于 2026 年/);

      const before = loadBundledHolidayTables().length;
      expect(publishHolidays(county, y2026()).years).toEqual([2026]);
      expect(publishedVersions(county).holidayYears.length).toBe(before);
    } finally {
      county.close();
    }
  });
});
