// 代办点登记单 as an A4 PDF: the code just issued, the county's address and the hand-over lines; only
// for a code that is still open (unused, unexpired, of that point).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTicket, openTicket, upsertPoint } from '../../county/enrol';
import { enrolSheet } from '../../county/console/prints';
import { closePdfRenderer } from '../../print/pdfRenderer';
import { newDir, openCounty, removeDirs } from '../sync/helpers';

afterAll(async () => {
  await closePdfRenderer();
  removeDirs();
});

describe('代办点登记单', () => {
  it('prints the open code with the county address; a wrong or used code has no sheet', async () => {
    const county = await openCounty();
    try {
      upsertPoint(county, { code: '150822101201', villageName: '红旗村', townshipName: '巴彦镇' });
      const t = createTicket(county, '150822101201', 14);
      expect(openTicket(county, '150822101201', t.code)).toEqual({ expiresAt: t.expiresAt });
      expect(openTicket(county, '150822101202', t.code)).toBeNull();
      expect(openTicket(county, '150822101201', 'AAAA-BBBB-CCCC-DDDD')).toBeNull();

      const pdf = await enrolSheet(county, '150822101201', t.code, t.expiresAt, 'https://zwfw.wuyuan.gov.cn:8787');
      expect(pdf.fileName).toBe('代办点登记单-巴彦镇红旗村.pdf');
      const file = path.join(process.env.DAIBAN_SHOTS ?? newDir(), 'enrol-sheet-unit.pdf');
      fs.writeFileSync(file, pdf.file);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('代办点登记单');
      expect(text).toContain('五原县政务服务中心');
      expect(text).toContain(t.code);
      expect(text).toContain('https://zwfw.wuyuan.gov.cn:8787');
      expect(text).toContain('巴彦镇红旗村');
      expect(text).toMatch(/发放人/);
      expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+1\b/);

      county.db.prepare(`UPDATE enrol_tickets SET used_at = ?`).run(county.nowIso());
      expect(openTicket(county, '150822101201', t.code)).toBeNull();
    } finally {
      county.close();
    }
  });
});
