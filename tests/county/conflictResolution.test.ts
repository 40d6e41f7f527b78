// 冲突 resolved at the county flows down: the county's choice goes to the point in the signed reply,
// the village writes it through its change writer (history + outbox) and closes its own record of the
// conflict, and the value that comes back up leaves both sides equal with no new conflict.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBatch } from '../../county/importer';
import { decideCase } from '../../county/publish';
import { buildReply } from '../../county/reply';
import { listConflicts as countyConflicts, resolveConflict } from '../../county/console/views';
import { applyReply } from '../../sync/village/reply';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch, getSyncState, listConflicts } from '../../sync/village/state';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs } from '../sync/helpers';

afterAll(removeDirs);
const ALL = { townshipCode: null, pointCode: null };
const FIELDS = 'status, decision, decision_date, decision_note';

describe('冲突处理 flows down', () => {
  it('the value chosen at the county replaces the village value and both sides close the conflict', async () => {
    const county = await openCounty();
    const v = await openVillage();
    try {
      const f = path.join(newDir(), 'e.enrol');
      fs.writeFileSync(f, enrolmentFile(county, v.code).bytes);
      enrolByFile(v.reg, f);
      const c = await addCase(v, { handUp: true });
      const up = () => {
        const b = buildBatch(v.reg, getSyncState(v.reg).acked_through + 1, 'usb');
        if (b) expect(importBatch(county, b.bytes, { source: 't' }).result).toBe('imported');
      };
      const down = () => applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      const upload = () => {
        up();
        down();
      };
      upload();

      // The county decides while the village, not yet synced, records another decision from a paper
      // notice; the village hears of the county's decision first, then the county of the village's.
      decideCase(county, { caseNo: c.caseNo, action: 'decide', decision: 'approved', date: c.intakeDate, note: '县里准予', by: '县民政局' });
      await v.api.transitionCase({ id: c.id, action: 'decide', decision: 'refused', note: '乡里电话通知不予' });
      down();
      up();
      down();
      const open = countyConflicts(county, { state: 'open', offset: 0, limit: 50 }, ALL).rows;
      const decision = open.find((k) => k.field === 'decision')!;
      const note = open.find((k) => k.field === 'decision_note')!;
      expect(decision).toMatchObject({ villageValue: 'refused', countyValue: 'approved' });
      expect(listConflicts(v.reg, false).filter((k) => k.resolvedAt === null).map((k) => k.field).sort()).toEqual(open.map((k) => k.field).sort());

      // The clerk takes the value that did NOT win for 办理结果, and confirms the winner for 说明.
      const choose = decision.winner === 'village' ? 'county' : 'village';
      const chosen = choose === 'county' ? 'approved' : 'refused';
      resolveConflict(county, decision.id, choose, { id: 'clerk' });
      resolveConflict(county, note.id, note.winner, { id: 'clerk' });
      const noteBefore = (v.reg.db.prepare(`SELECT decision_note FROM cases WHERE id = ?`).get(c.id) as { decision_note: string }).decision_note;

      const r = applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      expect(r.applied.map((a) => a.summary).join('|')).toContain(`县中心处理了代办件 ${c.caseNo} 的冲突：办理结果采用${choose === 'county' ? '县中心' : '代办点'}的值`);
      const row = v.reg.db.prepare(`SELECT ${FIELDS} FROM cases WHERE id = ?`).get(c.id) as Record<string, string>;
      expect(row.decision).toBe(chosen);
      expect(row.decision_note).toBe(noteBefore);
      // Both of the village's conflicts about these fields are closed; the change is in the case history.
      const mine = listConflicts(v.reg, true).filter((k) => k.field === 'decision' || k.field === 'decision_note');
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((k) => k.resolvedAt !== null)).toBe(true);
      const detail = await v.api.getCase({ id: c.id });
      expect(JSON.stringify(detail.timeline ?? detail)).toContain('县中心处理冲突');

      // Back up: the county keeps the chosen value, nothing new conflicts, and both copies agree.
      upload();
      expect(county.db.prepare(`SELECT ${FIELDS} FROM cases WHERE id = ?`).get(c.id)).toEqual(v.reg.db.prepare(`SELECT ${FIELDS} FROM cases WHERE id = ?`).get(c.id));
      expect(countyConflicts(county, { state: 'open', offset: 0, limit: 50 }, ALL).total).toBe(0);
      // The same reply again does nothing more.
      const again = applyReply(v.reg, buildReply(county, v.code).bytes, 'usb');
      expect(again.applied.filter((a) => a.kind === 'resolution')).toEqual([]);
    } finally {
      v.close();
      county.close();
    }
  });
});
