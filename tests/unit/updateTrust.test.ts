// Updates: nothing installs unless the county's pinned key signed the metadata, the feed is https, and
// the downloaded installer hashes to the signed value. Tested without the Electron binary.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  channelFile,
  checkDownloadedInstaller,
  fetchVerifiedUpdate,
  isNewer,
  loadPinnedKey,
  resolveFeedUrl,
  verifyUpdateMetadata,
} from '../../electron/updateTrust';

const county = generateKeyPairSync('ed25519');
const impostor = generateKeyPairSync('ed25519');
const pinned = loadPinnedKey(county.publicKey.export({ type: 'spki', format: 'pem' }).toString());

let dir: string;
let installer: string;
let metadata: Buffer;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-update-'));
  installer = path.join(dir, '代办通-0.2.0-安装程序.exe');
  fs.writeFileSync(installer, Buffer.from('the real installer bytes'));
  const sha512 = createHash('sha512').update(fs.readFileSync(installer)).digest('base64');
  metadata = Buffer.from(
    `version: 0.2.0\nfiles:\n  - url: 代办通-0.2.0-安装程序.exe\n    sha512: ${sha512}\n    size: 24\npath: 代办通-0.2.0-安装程序.exe\nsha512: ${sha512}\nreleaseDate: '2026-11-30T00:00:00.000Z'\n`,
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const signWith = (key: typeof county.privateKey, bytes: Buffer) => sign(null, bytes, key).toString('base64');

describe('update metadata', () => {
  it('accepts metadata signed by the pinned county key', () => {
    const v = verifyUpdateMetadata(metadata, signWith(county.privateKey, metadata), pinned);
    expect(v.version).toBe('0.2.0');
    expect(v.files).toHaveLength(1);
  });

  it('refuses a bad signature, another key, or one changed byte', () => {
    expect(() => verifyUpdateMetadata(metadata, signWith(impostor.privateKey, metadata), pinned)).toThrow(/签名无效/);
    expect(() => verifyUpdateMetadata(metadata, 'bm90IGEgc2lnbmF0dXJl', pinned)).toThrow(/签名无效/);
    const sig = signWith(county.privateKey, metadata);
    const changed = Buffer.from(metadata.toString().replace('0.2.0', '0.2.1'));
    expect(() => verifyUpdateMetadata(changed, sig, pinned)).toThrow(/签名无效/);
  });

  it('refuses signed metadata without the fields an install needs', () => {
    const empty = Buffer.from('version: 0.2.0\n');
    expect(() => verifyUpdateMetadata(empty, signWith(county.privateKey, empty), pinned)).toThrow(/缺少必要内容/);
  });

  it('refuses a downloaded installer that does not hash to the signed value, and deletes it', () => {
    const v = verifyUpdateMetadata(metadata, signWith(county.privateKey, metadata), pinned);
    expect(() => checkDownloadedInstaller(installer, '0.2.0', v)).not.toThrow();
    expect(() => checkDownloadedInstaller(installer, '0.2.1', v)).toThrow(/版本/);
    fs.writeFileSync(installer, Buffer.from('a swapped installer'));
    expect(() => checkDownloadedInstaller(installer, '0.2.0', v)).toThrow(/不符/);
    expect(fs.existsSync(installer)).toBe(false);
  });

  it('fetches metadata and signature from an https feed only, and verifies them', async () => {
    const sig = signWith(county.privateKey, metadata);
    const served: string[] = [];
    const fakeFetch = (async (url: URL | string) => {
      served.push(String(url));
      const body = String(url).endsWith('.sig') ? Buffer.from(sig) : metadata;
      return new Response(new Uint8Array(body));
    }) as typeof fetch;
    const v = await fetchVerifiedUpdate('https://zwfw.example/updates/', 'latest.yml', pinned, fakeFetch);
    expect(v.version).toBe('0.2.0');
    expect(served).toEqual(['https://zwfw.example/updates/latest.yml', 'https://zwfw.example/updates/latest.yml.sig']);
    await expect(fetchVerifiedUpdate('http://zwfw.example/updates/', 'latest.yml', pinned, fakeFetch)).rejects.toThrow(/https/);
  });
});

describe('feed address', () => {
  it('takes an https override from update.json, ignores an http one, and never enables plain http', () => {
    expect(resolveFeedUrl('https://baked.example/u', dir)).toEqual({ url: 'https://baked.example/u/', warnings: [] });
    fs.writeFileSync(path.join(dir, 'update.json'), JSON.stringify({ url: 'http://elsewhere.example/u/' }));
    const r = resolveFeedUrl('https://baked.example/u/', dir);
    expect(r.url).toBe('https://baked.example/u/');
    expect(r.warnings[0]).toMatch(/https/);
    fs.writeFileSync(path.join(dir, 'update.json'), JSON.stringify({ url: 'https://township.example/u/' }));
    expect(resolveFeedUrl('https://baked.example/u/', dir).url).toBe('https://township.example/u/');
    fs.rmSync(path.join(dir, 'update.json'));
    expect(resolveFeedUrl('http://baked.example/u/', dir).url).toBeNull();
  });

  it('compares versions and names the platform metadata file', () => {
    expect(isNewer('0.2.0', '0.1.9')).toBe(true);
    expect(isNewer('0.1.0', '0.1.0')).toBe(false);
    expect(isNewer('0.10.0', '0.9.0')).toBe(true);
    expect(isNewer('0.1.0', '0.2.0')).toBe(false);
    expect(channelFile('win32', 'x64')).toBe('latest.yml');
    expect(channelFile('linux', 'arm64')).toBe('latest-linux-arm64.yml');
  });
});
