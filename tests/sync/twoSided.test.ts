// Two sides, real processes, real files: a county and villages in temp folders, driven through the
// `daiban` CLI exactly as staff would, over HTTP and by USB files.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../db/doctor';
import { County } from '../../county/db';
import { countyDoctor } from '../../county/report';
import { addCase, cli, count, newDir, openVillage, recordsOf, removeDirs, startCountyProcess } from './helpers';

afterAll(removeDirs);

const CASE_COLS = ['id', 'case_no', 'applicant_id', 'status', 'handed_to', 'handed_at', 'decision', 'decision_date', 'decision_note', 'due_date', 'created_at', 'updated_by'];

async function withCounty<T>(dir: string, fn: (c: County) => T): Promise<T> {
  const c = await County.open({ dataDir: dir });
  try {
    return fn(c);
  } finally {
    c.close();
  }
}

function ok(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('sync over HTTP with real processes', () => {
  it('enrols by code, uploads, and brings county decisions and a new catalog back into the village register', { timeout: 300_000 }, async () => {
    const C = newDir('daiban-county-');
    const V = newDir('daiban-village-');
    ok(await cli(['county', 'init', '--data-dir', C, '--code', '150822', '--name', '五原县']));
    const enrolOut = ok(await cli(['county', 'enrol', '--data-dir', C, '--point', '150822101201', '--village', '红旗村', '--township', '巴彦镇', '--out', path.join(C, 'unused.enrol')]));
    const code = /登记码：(\S+)/.exec(enrolOut)![1];

    let v = await openVillage({ dir: V });
    v.close();
    const srv = await startCountyProcess(C);
    try {
      expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const e = ok(await cli(['enrol', '--data-dir', V, '--code', code, '--url', srv.url]));
      expect(e).toMatch(/已登记到五原县/);
      // The code is single-use.
      const again = await cli(['enrol', '--data-dir', V, '--code', code, '--url', srv.url]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/已经使用过/);

      v = await openVillage({ dir: V });
      const a = await addCase(v, { handUp: true, name: '张三' });
      const b = await addCase(v, { handUp: true, name: '李四' });
      const waiting = count(v.reg.db, `SELECT COUNT(*) AS n FROM outbox`);
      v.close();

      const s1 = ok(await cli(['sync', '--data-dir', V]));
      expect(s1).toMatch(new RegExp(`上传 ${waiting} 条变更`));
      expect(s1).toMatch(/待同步 0 条/);

      await withCounty(C, (c) => {
        expect(count(c.db, `SELECT COUNT(*) AS n FROM changes`)).toBe(waiting);
        expect(count(c.db, `SELECT COUNT(*) AS n FROM cases WHERE point_code = '150822101201'`)).toBe(2);
      });

      ok(await cli(['county', 'decide', '--data-dir', C, '--case', a.caseNo, '--result', '准予', '--note', '准予临时救助1500元']));
      ok(await cli(['county', 'decide', '--data-dir', C, '--case', b.caseNo, '--result', '退回补正', '--note', '缺收入证明']));
      const catalog = JSON.parse(fs.readFileSync(new URL('../../data/catalog-demo.json', import.meta.url), 'utf8')) as { version: string; items: { committedWorkdays: number }[] };
      catalog.version = 'county-2026.2';
      const catFile = path.join(C, 'catalog.json');
      fs.writeFileSync(catFile, JSON.stringify(catalog));
      ok(await cli(['county', 'publish-catalog', '--data-dir', C, catFile]));

      const s2 = ok(await cli(['sync', '--data-dir', V]));
      expect(s2).toMatch(/收到 3 项更新/);
      expect(s2).toMatch(/准予/);
      expect(s2).toMatch(/退回补正/);
      expect(s2).toMatch(/county-2026\.2/);
      expect(s2).toMatch(/待同步 0 条/);

      v = await openVillage({ dir: V });
      const da = await v.api.getCase({ id: a.id });
      expect(da.status).toBe('decided');
      expect(da.decision).toBe('approved');
      expect(da.decisionNote).toBe('准予临时救助1500元');
      expect(da.timeline.map((t) => t.label)).toContain('县级办理结果');
      expect((await v.api.getCase({ id: b.id })).status).toBe('returned');
      expect((v.reg.db.prepare(`SELECT value FROM meta WHERE key = 'catalog_version'`).get() as { value: string }).value).toBe('county-2026.2');
      const status = await v.api.syncStatus({});
      expect(status).toMatchObject({ enrolled: true, countyName: '五原县', waiting: 0, conflicts: 0, lastError: null });
      expect(status.recentDownstream).toHaveLength(3);
      expect(runDoctor(v.reg).ok).toBe(true);
      const villageCases = recordsOf(v.reg.db, 'cases', CASE_COLS);
      v.close();

      // Applying the decisions went back up: the county and the village hold the same case rows.
      await withCounty(C, (c) => {
        expect(recordsOf(c.db, 'cases', CASE_COLS)).toEqual(villageCases);
        expect(count(c.db, `SELECT COUNT(*) AS n FROM decisions WHERE seen_seq IS NOT NULL`)).toBe(2);
        expect(count(c.db, `SELECT COUNT(*) AS n FROM conflicts`)).toBe(0);
        expect(countyDoctor(c).ok).toBe(true);
      });
      const st = ok(await cli(['county', 'status', '--data-dir', C]));
      expect(st).toMatch(/150822101201 巴彦镇红旗村：代办件 2 件/);
      expect(st).toMatch(/时钟 正常/);
      ok(await cli(['county', 'doctor', '--data-dir', C]));
    } finally {
      await srv.stop();
    }
  });
});

describe('sync by USB files with real processes', () => {
  it('enrols by file, exports, verifies, imports once (twice is "already"), replies, and the reply lands in the village', { timeout: 300_000 }, async () => {
    const C = newDir('daiban-county-');
    const V = newDir('daiban-village-');
    const USB = newDir('daiban-usb-');
    ok(await cli(['county', 'init', '--data-dir', C, '--code', '150822', '--name', '五原县']));
    const enrolFile = path.join(USB, 'enrol.enrol');
    ok(await cli(['county', 'enrol', '--data-dir', C, '--point', '150822101202', '--village', '光明村', '--township', '巴彦镇', '--out', enrolFile]));

    let v = await openVillage({ dir: V, code: '150822101202', village: '光明村' });
    v.close();
    expect(ok(await cli(['enrol', '--data-dir', V, '--file', enrolFile]))).toMatch(/登记文件/);
    v = await openVillage({ dir: V });
    const a = await addCase(v, { handUp: true });
    v.close();

    const out = ok(await cli(['batch', 'export', '--data-dir', V, '--out', USB]));
    const files = fs.readdirSync(USB).filter((f) => f.endsWith('.batch')).map((f) => path.join(USB, f));
    expect(files.length).toBe(1);
    expect(out).toMatch(/已导出 1 个同步文件/);
    expect(ok(await cli(['batch', 'verify', '--data-dir', V, files[0]]))).toMatch(/^完好：代办点 150822101202.*本机签名有效/);
    const bad = path.join(USB, 'bad.batch');
    const tampered = fs.readFileSync(files[0]);
    tampered[tampered.length - 40] ^= 0x04;
    fs.writeFileSync(bad, tampered);
    const vb = await cli(['batch', 'verify', '--data-dir', V, bad]);
    expect(vb.code).toBe(1);
    expect(vb.stderr).toMatch(/损坏：.*改动/);

    const imp = ok(await cli(['county', 'import', '--data-dir', C, files[0]]));
    expect(imp).toMatch(/：已导入 \d+ 条/);
    const again = ok(await cli(['county', 'import', '--data-dir', C, files[0]]));
    expect(again).toMatch(/：已导入过/);
    const rej = await cli(['county', 'import', '--data-dir', C, files[0], bad]);
    expect(rej.code).toBe(1);
    expect(rej.stdout.trim().split('\n')).toHaveLength(2);
    expect(rej.stdout).toMatch(/bad\.batch：拒绝：.*改动/);

    ok(await cli(['county', 'decide', '--data-dir', C, '--case', a.caseNo, '--result', '不予', '--note', '不符合条件']));
    const reply = path.join(USB, 'reply.reply');
    ok(await cli(['county', 'reply', '--data-dir', C, '--point', '150822101202', '--out', reply]));
    const ir = ok(await cli(['batch', 'import-reply', '--data-dir', V, reply]));
    expect(ir).toMatch(/县里确认收到 \d+ 条变更/);
    expect(ir).toMatch(/不予/);
    const ir2 = ok(await cli(['batch', 'import-reply', '--data-dir', V, reply]));
    expect(ir2).toMatch(/没有新内容/);

    v = await openVillage({ dir: V });
    expect((await v.api.getCase({ id: a.id })).decision).toBe('refused');
    const st = await v.api.syncStatus({});
    expect(st.awaitingConfirmation).toBe(false);
    expect(st.waiting).toBe(1); // applying the decision is itself a change going back up
    expect(runDoctor(v.reg).ok).toBe(true);
    v.close();

    // Round two: the decision's application goes up, and the next reply acknowledges it.
    const USB2 = newDir('daiban-usb-');
    ok(await cli(['batch', 'export', '--data-dir', V, '--out', USB2]));
    const files2 = fs.readdirSync(USB2).map((f) => path.join(USB2, f));
    ok(await cli(['county', 'import', '--data-dir', C, ...files2]));
    ok(await cli(['county', 'reply', '--data-dir', C, '--point', '150822101202', '--out', reply]));
    expect(ok(await cli(['batch', 'import-reply', '--data-dir', V, reply]))).toMatch(/待同步 0 条/);
    ok(await cli(['county', 'doctor', '--data-dir', C]));
    await withCounty(C, (c) => expect(count(c.db, `SELECT COUNT(*) AS n FROM import_log WHERE result = 'rejected'`)).toBe(1));
  });
});
