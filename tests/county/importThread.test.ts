// Batches uploaded to the county service import on a thread of their own: while one is importing,
// the console keeps answering. The test makes the import wait (another connection holds the
// database's write lock), asks the console for something meanwhile, and only then lets the import
// finish — on the request thread the console could not have answered. A tampered batch uploaded
// the same way is still rejected whole, with its reason, and changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyDbPath, type County } from '../../county/db';
import { importThread } from '../../county/importThread';
import { startCountyServer } from '../../county/server';
import { changePassword, createAccount } from '../../county/console/accounts';
import { openDatabase } from '../../db/connection';
import { enrolByFile } from '../../sync/village/engine';
import { buildBatch } from '../../sync/village/state';
import { addCase, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from '../sync/helpers';

const PW = 'Zhongxin-2026!';
let county: County;
let village: Village;
let srv: Awaited<ReturnType<typeof startCountyServer>>;
let cookie = '';
let csrf = '';

const upload = (bytes: Buffer) =>
  fetch(`${srv.url}/api/imports/upload`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('红旗村.batch') },
    body: new Uint8Array(bytes),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { value: { result: string; message: string } } }));

beforeAll(async () => {
  county = await openCounty();
  village = await openVillage();
  const f = path.join(newDir(), 'e.enrol');
  fs.writeFileSync(f, enrolmentFile(county, village.code).bytes);
  enrolByFile(village.reg, f);
  for (let i = 0; i < 3; i++) await addCase(village, { handUp: true, name: '张三' });
  const c = await createAccount(county, { name: 'clerk', role: 'clerk' });
  await changePassword(county, c.row.id, c.password, PW);
  srv = await startCountyServer(county, { console: { staticDir: newDir() } });
  const r = await fetch(`${srv.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'clerk', password: PW }) });
  cookie = r.headers.get('set-cookie')!.split(';')[0];
  csrf = ((await r.json()) as { value: { csrfToken: string } }).value.csrfToken;
}, 120_000);

afterAll(async () => {
  await srv?.close();
  village?.close();
  county?.close();
  removeDirs();
});

describe('batch import off the request thread', () => {
  it('keeps the console answering while a batch imports, and imports it whole', async () => {
    const batch = buildBatch(village.reg, 1, 'usb')!;
    const thread = importThread(county);
    const before = thread.imported;
    // Another connection holds the write lock: the import waits for it (SQLite's busy timeout).
    const lock = openDatabase(countyDbPath(county.dataDir), { key: county.key });
    lock.exec('BEGIN IMMEDIATE');
    let settled = false;
    try {
      const handed = new Promise((resolve) => thread.events.once('job', resolve));
      const pending = upload(batch.bytes).finally(() => (settled = true));
      await handed;
      // The import is waiting on the worker thread; the console still answers on the request thread.
      const me = await fetch(`${srv.url}/api/cases/search?input=${encodeURIComponent(JSON.stringify({ q: 'zs' }))}`, { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { value: { total: number } }).value.total).toBe(0);
      expect(settled).toBe(false);
      lock.exec('COMMIT');
      const done = await pending;
      expect(done.status).toBe(200);
      expect(done.body.value.result).toBe('imported');
      expect(done.body.value.message).toMatch(/已导入 \d+ 条变更/);
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
    }
    expect(thread.imported).toBe(before + 1);
    // Everything of the batch arrived, and the day figures the triggers keep saw it too.
    expect((county.db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE point_code = ?`).get(village.code) as { n: number }).n).toBe(3);
    expect((county.db.prepare(`SELECT cases FROM stat_points WHERE point_code = ?`).get(village.code) as { cases: number }).cases).toBe(3);
    const found = await fetch(`${srv.url}/api/cases/search?input=${encodeURIComponent(JSON.stringify({ q: 'zs' }))}`, { headers: { cookie } });
    expect(((await found.json()) as { value: { total: number } }).value.total).toBe(3);
  });

  it('rejects a tampered batch whole, with its reason, and changes nothing', async () => {
    await addCase(village, { handUp: true, name: '李四' });
    const batch = buildBatch(village.reg, 1, 'usb')!;
    const tampered = Buffer.from(batch.bytes);
    tampered[tampered.length - 10] ^= 0xff;
    const cases = () => (county.db.prepare(`SELECT COUNT(*) AS n FROM cases`).get() as { n: number }).n;
    const n = cases();
    const r = await upload(tampered);
    expect(r.body.value.result).toBe('rejected');
    expect(r.body.value.message).toMatch(/^拒绝：/);
    expect(cases()).toBe(n);
    // The intact batch then imports the new case (the earlier ones were imported already).
    const ok = await upload(batch.bytes);
    expect(ok.body.value.result).toBe('imported');
    expect(cases()).toBe(n + 1);
  });
});
