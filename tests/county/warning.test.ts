// 考评预警 goes down in the signed reply, shows on the point's 今日 until the agent answers, and the
// answer comes back up in the next batch (the same path as a 督办 notice).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBatch } from '../../county/importer';
import { buildReply } from '../../county/reply';
import { sendWarning } from '../../county/console/routes';
import { evaluation } from '../../county/console/stats';
import { applyReply } from '../../sync/village/reply';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch, getSyncState } from '../../sync/village/state';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs } from '../sync/helpers';

afterAll(removeDirs);

describe('考评预警', () => {
  it('reaches the lagging point’s 今日 and its answer reaches the county', async () => {
    const county = await openCounty();
    const v = await openVillage();
    try {
      const f = path.join(newDir(), 'e.enrol');
      fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
      enrolByFile(v.reg, f);
      await addCase(v);
      expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
      const month = new Date().toISOString().slice(0, 7);
      const ev = evaluation(county, month, { townshipCode: null, pointCode: null });
      expect(ev.townships[0].rows[0]).toMatchObject({ code: v.code, rankInTownship: 1 });

      sendWarning(county, v.code, month, '本月回访率偏低，请整改', { id: 'test' });
      const r = applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      expect(r.applied.map((a) => a.summary).join('|')).toMatch(/考评预警：本月回访率偏低/);
      const today = await v.api.today({ limit: 50 });
      expect(today.countyNotices.rows).toEqual([expect.objectContaining({ kind: 'warning', month, note: '本月回访率偏低，请整改' })]);
      // The same reply again changes nothing (no second notice).
      applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      expect((await v.api.today({ limit: 50 })).countyNotices.count).toBe(1);

      await expect(v.api.answerCountyNotice({ noticeId: today.countyNotices.rows[0].id, answer: '  ' })).rejects.toThrow(/答复/);
      const after = await v.api.answerCountyNotice({ noticeId: today.countyNotices.rows[0].id, answer: '本周内补齐回访' });
      expect(after.countyNotices.count).toBe(0);
      const from = getSyncState(v.reg).acked_through + 1;
      expect(importBatch(county, buildBatch(v.reg, from, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
      expect(county.db.prepare(`SELECT answer FROM supervision_answers`).all()).toEqual([{ answer: '本周内补齐回访' }]);
    } finally {
      v.close();
      county.close();
    }
  });
});
