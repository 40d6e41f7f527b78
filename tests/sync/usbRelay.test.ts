// Two laptops at one point with no network at all: laptop A's work reaches laptop B through the county
// on USB sticks only — A exports a batch file, the county imports it and writes a reply file for the
// point, B imports that and finds A's case, with A's history. Real CLI processes, real files.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../db/doctor';
import { addCase, cli, newDir, openVillage, removeDirs } from './helpers';

afterAll(removeDirs);

const POINT = '150822101201';

function ok(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function batchFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.batch')).map((f) => path.join(dir, f));
}

describe('sibling relay by USB files', () => {
  it("laptop B finds laptop A's case, with A's history, from a county reply file", { timeout: 300_000 }, async () => {
    const C = newDir('daiban-county-');
    const A = newDir('daiban-village-a-');
    const B = newDir('daiban-village-b-');
    const usbA = newDir('daiban-usb-a-');
    const usbB = newDir('daiban-usb-b-');
    ok(await cli(['county', 'init', '--data-dir', C, '--code', '150822', '--name', '五原县']));
    ok(await cli(['county', 'enrol', '--data-dir', C, '--point', POINT, '--village', '红旗村', '--township', '巴彦镇', '--out', path.join(usbA, 'a.enrol')]));
    ok(await cli(['county', 'enrol', '--data-dir', C, '--point', POINT, '--village', '红旗村', '--township', '巴彦镇', '--out', path.join(usbB, 'b.enrol')]));

    // Laptop A (王秀兰) and laptop B (李建国) are set up and enrolled by file.
    let a = await openVillage({ dir: A, code: POINT });
    a.close();
    let b = await openVillage({ dir: B, code: POINT, setup: false });
    await b.api.setupPoint({
      villageCode: POINT, villageName: '红旗村', townshipName: '巴彦镇', countyName: '五原县', consultPhone: '0478-5211234', complaintPhone: '12345',
      agents: [{ name: '李建国', phone: '13904781235', pin: '135246' }],
    });
    b.close();
    ok(await cli(['enrol', '--data-dir', A, '--file', path.join(usbA, 'a.enrol')]));
    ok(await cli(['enrol', '--data-dir', B, '--file', path.join(usbB, 'b.enrol')]));

    // A takes in a case and hands it up.
    a = await openVillage({ dir: A });
    const c = await addCase(a, { name: '赵桂英' });
    await a.api.transitionCase({ id: c.id, action: 'handUp', handedTo: '县民政局', note: '材料已齐' });
    const timelineA = (await a.api.getCase({ id: c.id })).timeline;
    a.close();

    // Both laptops' batch files go to the county on their sticks (B's first batch also completes its enrolment).
    ok(await cli(['batch', 'export', '--data-dir', A, '--out', usbA]));
    ok(await cli(['batch', 'export', '--data-dir', B, '--out', usbB]));
    const imp = ok(await cli(['county', 'import', '--data-dir', C, ...batchFiles(usbA), ...batchFiles(usbB)]));
    expect(imp).not.toMatch(/拒绝/);

    // The county writes one reply file for the point; B's stick carries it back.
    const reply = path.join(usbB, 'reply.reply');
    ok(await cli(['county', 'reply', '--data-dir', C, '--point', POINT, '--out', reply]));
    const ir = ok(await cli(['batch', 'import-reply', '--data-dir', B, reply]));
    expect(ir).toMatch(/收到本代办点其他电脑的 \d+ 条记录/);
    expect(ok(await cli(['batch', 'import-reply', '--data-dir', B, reply]))).toMatch(/没有新内容/);

    b = await openVillage({ dir: B });
    try {
      const found = await b.api.searchCases({ q: '赵桂英' });
      expect(found.rows.map((r) => r.caseNo)).toEqual([c.caseNo]);
      const onB = await b.api.getCase({ id: c.id });
      expect(onB.status).toBe('handedUp');
      expect(onB.handedTo).toBe('县民政局');
      expect(onB.timeline.map((e) => [e.action, e.agentName, e.at, e.note])).toEqual(timelineA.map((e) => [e.action, '王秀兰', e.at, e.note]));
      // B can continue A's case; the change is B's own and goes up with B's next batch.
      await b.api.transitionCase({ id: c.id, action: 'returnForCorrection', note: '缺户口簿' });
      expect((await b.api.syncStatus({})).waiting).toBe(1);
      expect(runDoctor(b.reg).ok).toBe(true);
    } finally {
      b.close();
    }
  });
});
