// The county's monthly statistics sheet in the county's words: its own title, part four by township
// (whole county) or by village (one township) instead of by agent, and the county's signatures —
// while one village printed at the county keeps the village's breakdown by agent.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBatch } from '../../county/importer';
import { statisticsSheet } from '../../county/console/prints';
import { closePdfRenderer } from '../../print/pdfRenderer';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch } from '../../sync/village/state';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from '../sync/helpers';

afterAll(async () => {
  await closePdfRenderer();
  removeDirs();
});

describe('月度统计表 at the county', () => {
  it('uses county labels for the county and a township, and the village layout for one village', async () => {
    const county = await openCounty();
    const villages: Village[] = [];
    try {
      for (const [code, name, township] of [
        ['150822101201', '红旗村', '巴彦镇'],
        ['150822102201', '新华村', '新安镇'],
      ]) {
        const v = await openVillage({ code, village: name });
        villages.push(v);
        const f = path.join(newDir(), 'e.enrol');
        fs.writeFileSync(f, enrolmentFile(county, code, name).bytes);
        county.db.prepare(`UPDATE points SET township_name = ? WHERE code = ?`).run(township, code);
        enrolByFile(v.reg, f);
        await addCase(v);
        expect(importBatch(county, buildBatch(v.reg, 1, 'usb')!.bytes, { source: 't' }).result).toBe('imported');
      }
      const month = county.nowIso().slice(0, 7);
      const text = async (scope: { townshipCode: string | null; pointCode: string | null }) => {
        const pdf = await statisticsSheet(county, scope, month);
        const file = path.join(process.env.DAIBAN_SHOTS ?? newDir(), `stats-${scope.pointCode ?? scope.townshipCode ?? 'county'}.pdf`);
        fs.writeFileSync(file, pdf.file);
        return { name: pdf.fileName, text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ') };
      };

      const all = await text({ townshipCode: null, pointCode: null });
      expect(all.name).toMatch(/^全县代办点月度统计表-五原县政务服务中心-/);
      expect(all.text).toContain('全县代办点月度统计表');
      expect(all.text).toContain('四、分乡镇情况');
      expect(all.text).toMatch(/巴彦镇 1 /);
      expect(all.text).toMatch(/新安镇 1 /);
      expect(all.text).toContain('审核人（分管领导）');
      expect(all.text).toContain('全县 2 个代办点同步到县里的登记');
      expect(all.text).not.toContain('分代办员情况');
      expect(all.text).not.toContain('填报人（代办员）');

      const town = await text({ townshipCode: '150822101', pointCode: null });
      expect(town.text).toContain('乡镇代办点月度统计表');
      expect(town.text).toContain('五原县巴彦镇便民服务中心');
      expect(town.text).toContain('四、分代办点（村）情况');
      expect(town.text).toMatch(/红旗村 1 /);
      expect(town.text).not.toContain('新华村');
      expect(town.text).toContain('审核人（乡镇）');

      const one = await text({ townshipCode: '150822101', pointCode: '150822101201' });
      expect(one.text).toContain('代办点月度统计表');
      expect(one.text).toContain('四、分代办员情况');
      expect(one.text).toContain('该代办点同步到县里的登记');
    } finally {
      for (const v of villages) v.close();
      county.close();
    }
  });
});
