// Hostile input at the county: every tampered, truncated, replayed, forged, foreign, revoked or
// oversized batch or request is refused with its reason in Chinese, and nothing of it is applied.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { County } from '../../county/db';
import { importBatch } from '../../county/importer';
import { revokeDevice, createTicket } from '../../county/enrol';
import { startCountyServer } from '../../county/server';
import { encodeContainer, splitContainer } from '../../sync/wire/container';
import { openSealedBody, sealBody } from '../../sync/wire/seal';
import { generateKeyPair } from '../../sync/wire/keys';
import { buildBatch, getEnrolment } from '../../sync/village/state';
import { enrolByFile } from '../../sync/village/engine';
import { applyReply } from '../../sync/village/reply';
import { buildReply } from '../../county/reply';
import { SYNCED_TABLES } from '../../db/changes';
import { addCase, count, enrolmentFile, newDir, openCounty, openVillage, removeDirs, type Village } from './helpers';

let county: County;
let village: Village;
let first: Buffer; // first batch: imported, enrols the device (enrolment file)
let second: Buffer; // a later batch used for the attacks
let enrolFileBytes: Buffer;

/** Everything import could change, as one comparable value. */
function snapshot(c: County): unknown {
  const t: Record<string, unknown> = {};
  for (const name of [...SYNCED_TABLES, 'changes', 'field_clocks', 'held_batches', 'conflicts', 'decisions']) {
    t[name] = c.db.prepare(`SELECT * FROM ${name} ORDER BY 1, 2`).all();
  }
  t.devices = c.db.prepare(`SELECT id, applied_through, public_key, revoked_at FROM devices ORDER BY id`).all();
  t.tickets = c.db.prepare(`SELECT id, used_at, used_by FROM enrol_tickets ORDER BY id`).all();
  return t;
}

function expectRejected(c: County, bytes: Buffer, reason: RegExp): void {
  const before = snapshot(c);
  const r = importBatch(c, bytes, { source: 'test' });
  expect(r.result, `expected rejection (${reason}) but got ${r.result}: ${r.message}`).toBe('rejected');
  expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
  expect(r.reason).toMatch(reason);
  expect(snapshot(c)).toEqual(before);
}

beforeAll(async () => {
  county = await openCounty();
  village = await openVillage();
  const dir = newDir();
  const file = path.join(dir, 'e.enrol');
  enrolFileBytes = enrolmentFile(county, village.code).bytes;
  fs.writeFileSync(file, enrolFileBytes);
  enrolByFile(village.reg, file);
  await addCase(village, { handUp: true });
  first = buildBatch(village.reg, 1, 'usb')!.bytes;
  const r = importBatch(county, first, { source: 'test' });
  expect(r.result).toBe('imported');
  const next = r.toSeq! + 1;
  await addCase(village, { handUp: true });
  second = buildBatch(village.reg, next, 'usb')!.bytes;
});
afterAll(() => {
  village.close();
  county.close();
  removeDirs();
});

describe('a lost USB stick', () => {
  it('discloses no name, ID number or phone: batches are sealed to the county, reply files to the point\'s laptops', async () => {
    const c = await village.api.searchCases({ q: '' });
    const detail = await village.api.getCase({ id: c.rows[0].id });
    const person = await village.api.revealApplicant({ applicantId: detail.applicant.id, field: 'idNumber' });
    const reply = buildReply(county, village.code).bytes;
    for (const file of [first, second, reply]) {
      for (const secret of ['张三', person.value, person.value.slice(-6), '13812345678', '三组']) {
        expect(file.includes(Buffer.from(secret, 'utf8')), `${secret} in a sync file`).toBe(false);
      }
    }
    // The county reads the batch (it imported it above); the village reads the reply.
    expect(applyReply(village.reg, reply, 'usb').message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('a tampered batch', () => {
  it('is refused when any single byte of the header is changed', () => {
    const headerEnd = second.indexOf(0x0a, second.indexOf(0x0a, second.indexOf(0x0a) + 1) + 1) + 1;
    for (let i = 0; i < headerEnd; i++) {
      const b = Buffer.from(second);
      b[i] ^= 0x01;
      const r = importBatch(county, b, { source: 'test' });
      expect(r.result, `flip at header byte ${i}`).toBe('rejected');
    }
    expect(count(county.db, `SELECT COUNT(*) AS n FROM changes WHERE seq > ?`, 0)).toBe(count(county.db, `SELECT applied_through AS n FROM devices`));
  });

  it('is refused when any byte of the body is changed (sampled across the body, first and last byte included)', () => {
    const headerEnd = second.indexOf(0x0a, second.indexOf(0x0a, second.indexOf(0x0a) + 1) + 1) + 1;
    const positions = new Set<number>([headerEnd, second.length - 1]);
    for (let k = 0; k < 150; k++) positions.add(headerEnd + Math.floor(((second.length - headerEnd) * k) / 150));
    for (const i of positions) {
      const b = Buffer.from(second);
      b[i] ^= 0x20;
      expectRejected(county, b, /改动|格式/);
    }
  });

  it('says "truncated" for a batch cut short, wherever it was cut', () => {
    for (const len of [0, 5, 20, 200, Math.floor(second.length / 2), second.length - 1]) {
      expectRejected(county, second.subarray(0, len), len === 0 ? /不是代办通/ : /截断|不完整|格式不正确/);
    }
    expectRejected(county, second.subarray(0, second.length - 10), /截断/);
  });

  it('is refused when re-signed by a key that is not the enrolled one (forged)', () => {
    const e = getEnrolment(village.reg)!;
    const text = second.toString('utf8');
    const [, manifest] = text.split('\n');
    const m = JSON.parse(manifest) as Record<string, unknown>;
    const body = second.subarray(Buffer.byteLength(text.split('\n').slice(0, 3).join('\n') + '\n'));
    const { bodyBytes: _b, bodySha256: _h, ...rest } = m;
    const forged = encodeContainer('BATCH', rest, body, generateKeyPair().privateKey);
    expectRejected(county, forged, /签名验证失败/);
    // The same content signed with the device's real key is accepted later (control).
    expect(encodeContainer('BATCH', rest, body, e.device_private_key).length).toBe(forged.length);
  });

  it('is refused from a device that never enrolled (unknown key, unknown device)', async () => {
    const other = await openVillage();
    // Pretend enrolment on the village side with a ticket the county never issued.
    other.reg.db
      .prepare(
        `INSERT INTO sync_enrolment (id, county_code, county_name, county_public_key, point_code, device_public_key, device_private_key, method, enrolled_at)
         VALUES (1, '150822', '五原县', ?, ?, ?, ?, 'code', ?)`,
      )
      .run(getEnrolment(village.reg)!.county_public_key, other.code, ...Object.values(generateKeyPair()), other.reg.nowIso());
    const b = buildBatch(other.reg, 1, 'usb')!.bytes;
    expectRejected(county, b, /未在县里登记/);
    other.close();
  });

  it('is refused when a copy of the already-used enrolment file is used to enrol another key', async () => {
    const thief = await openVillage();
    const f = path.join(newDir(), 'copy.enrol');
    // The village's own enrolment file was consumed by the first batch; a copy of it on another laptop:
    fs.writeFileSync(f, enrolFileBytes);
    enrolByFile(thief.reg, f);
    await addCase(thief);
    expectRejected(county, buildBatch(thief.reg, 1, 'usb')!.bytes, /已经使用过/);
    // Nor can it re-key the real device: same device id, the thief's key, a valid proof for the used ticket.
    thief.reg.db.prepare(`UPDATE meta SET value = ? WHERE key = 'device_id'`).run(village.reg.deviceId);
    thief.reg.db.prepare(`UPDATE outbox SET device_id = ?`).run(village.reg.deviceId);
    thief.close();
    const again = await openVillage({ dir: thief.dir });
    enrolByFile(again.reg, f); // proof recomputed for the real device's id
    expect(again.reg.deviceId).toBe(village.reg.deviceId);
    const b = buildBatch(again.reg, 1, 'usb')!.bytes;
    expectRejected(county, b, /已经使用过/);
    again.close();
  });

  it('is refused when it comes from another county', async () => {
    const elsewhere = await openCounty({ code: '150823' });
    elsewhere.db.prepare(`INSERT INTO points (code, village_name, township_name, created_at, updated_at) VALUES ('150822101201', 'x', 'y', '', '')`).run();
    expectRejected(elsewhere, second, /来自其他县/);
    elsewhere.close();
  });

  it('is refused for a point the county does not know', async () => {
    const fresh = await openCounty();
    expectRejected(fresh, second, /未在本县登记/);
    fresh.close();
  });

  it('is refused when written by a newer program (schema version)', () => {
    const e = getEnrolment(village.reg)!;
    const text = second.toString('utf8');
    const lines = text.split('\n');
    const m = JSON.parse(lines[1]) as Record<string, unknown>;
    const body = second.subarray(Buffer.byteLength(lines.slice(0, 3).join('\n') + '\n'));
    const { bodyBytes: _b, bodySha256: _h, ...rest } = m;
    const newer = encodeContainer('BATCH', { ...rest, schemaVersion: 99 }, body, e.device_private_key);
    expectRejected(county, newer, /更新版本.*数据结构版本 99/);
  });

  it('is refused when its lines do not match the manifest (signed, but inconsistent)', () => {
    const e = getEnrolment(village.reg)!;
    const lines = second.toString('utf8').split('\n');
    const m = JSON.parse(lines[1]) as Record<string, unknown>;
    // Opened with the county's key, one sequence number changed, sealed to the county again and signed.
    const plain = openSealedBody(splitContainer(second, 'BATCH').body, county.requireIdentity().private_key, 'batch').toString('utf8');
    const body = sealBody(Buffer.from(plain.replace(/"seq":(\d+)/, (_x, n) => `"seq":${Number(n) + 1}`), 'utf8'), county.requireIdentity().public_key, 'batch');
    const { bodyBytes: _b, bodySha256: _h, ...rest } = m;
    expectRejected(county, encodeContainer('BATCH', rest, body, e.device_private_key), /序号/);
  });
});

describe('a replayed batch', () => {
  it('is reported as already imported and changes nothing', () => {
    const before = snapshot(county);
    const r = importBatch(county, first, { source: 'test' });
    expect(r.result).toBe('already');
    expect(r.message).toMatch(/已导入过/);
    expect(snapshot(county)).toEqual(before);
  });
});

describe('over HTTP', () => {
  it('refuses huge bodies (413), malformed requests and wrong content types with Chinese errors; enrolment codes are throttled', async () => {
    const srv = await startCountyServer(county, { maxUploadBytes: 1024 * 1024, enrolFailures: { max: 3, windowMs: 60_000 } });
    try {
      const t = county.tx(() => createTicket(county, village.code, 1));
      const before = snapshot(county);
      const huge = await fetch(`${srv.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(2 * 1024 * 1024) });
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(/过大/);

      const junk = await fetch(`${srv.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'hello' });
      expect(junk.status).toBe(400);
      expect(((await junk.json()) as { error: { message: string } }).error.message).toMatch(/不是代办通/);

      const wrongType = await fetch(`${srv.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
      expect(wrongType.status).toBe(415);

      const badJson = await fetch(`${srv.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code": ' });
      expect(badJson.status).toBe(400);
      expect(((await badJson.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);

      const bigEnrol = await fetch(`${srv.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'x'.repeat(200_000) }) });
      expect(bigEnrol.status).toBe(413);

      // An unknown sync or console call is a 404 whether or not the console pages were built (a page path
      // such as /admin is the console's own, answered with its index.html when dist-county/ exists).
      for (const unknown of ['/v1/admin', '/api/admin']) expect((await fetch(`${srv.url}${unknown}`)).status).toBe(404);

      const flipped = Buffer.from(second);
      flipped[flipped.length - 3] ^= 0x01;
      const altered = await fetch(`${srv.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(flipped) });
      expect(altered.status).toBe(400);
      expect(((await altered.json()) as { error: { message: string } }).error.message).toMatch(/改动/);

      // Wrong codes: refused, then throttled; a valid code after the throttle is still refused until the window passes.
      const kp = generateKeyPair();
      const attempt = (code: string) =>
        fetch(`${srv.url}/v1/enrol`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code, device: '01900000-0000-7000-8000-00000000beef', publicKey: kp.publicKey }),
        });
      for (let i = 0; i < 3; i++) expect((await attempt('AAAA-BBBB-CCCC-DDDD')).status).toBe(403);
      const throttled = await attempt(t.code);
      expect(throttled.status).toBe(429);
      expect(((await throttled.json()) as { error: { message: string } }).error.message).toMatch(/次数过多/);
      expect(snapshot(county)).toEqual(before);
    } finally {
      await srv.close();
    }
  });

  it('accepts an enrolment code once, refuses it a second time, and refuses an expired one', async () => {
    const srv = await startCountyServer(county);
    try {
      const kp = generateKeyPair();
      const t = county.tx(() => createTicket(county, village.code, 1));
      const body = (code: string, device: string) =>
        JSON.stringify({ code: code.toLowerCase(), device, publicKey: kp.publicKey, point: village.code });
      const ok = await fetch(`${srv.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(t.code, '01900000-0000-7000-8000-00000000c001') });
      expect(ok.status).toBe(200);
      const again = await fetch(`${srv.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(t.code, '01900000-0000-7000-8000-00000000c002') });
      expect(again.status).toBe(403);
      expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/已经使用过/);
      const old = county.tx(() => createTicket(county, village.code, 1));
      county.db.prepare(`UPDATE enrol_tickets SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?`).run(old.id);
      const expired = await fetch(`${srv.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(old.code, '01900000-0000-7000-8000-00000000c003') });
      expect(expired.status).toBe(403);
      expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/过期/);
      expect(count(county.db, `SELECT COUNT(*) AS n FROM devices WHERE id IN ('01900000-0000-7000-8000-00000000c002', '01900000-0000-7000-8000-00000000c003')`)).toBe(0);
    } finally {
      await srv.close();
    }
  });
});

describe('a revoked device', () => {
  it('cannot get a batch accepted any more', () => {
    revokeDevice(county, village.reg.deviceId, '电脑丢失');
    expectRejected(county, second, /停用.*电脑丢失/);
  });
});
