// The county database encrypted with a key kept outside its data folder.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { County, countyDbPath } from '../../county/db';
import { countyKeyFromEnv } from '../../db/countyKey';
import { tempDir } from '../support/tempRegister';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('county database key', () => {
  it('encrypts county.sqlite with the key from a file outside the data folder, and opens nothing without it', async () => {
    const data = tempDir('daiban-county-');
    const etc = tempDir('daiban-etc-');
    dirs.push(data, etc);
    const keyFile = path.join(etc, 'county.key');
    fs.writeFileSync(keyFile, randomBytes(32).toString('hex'));
    const key = countyKeyFromEnv(data, { DAIBAN_COUNTY_KEY_FILE: keyFile });
    expect(key?.length).toBe(32);
    const c = await County.open({ dataDir: data, key });
    c.db.exec(`CREATE TABLE IF NOT EXISTS probe (x TEXT); INSERT INTO probe VALUES ('乌兰察布SECRET')`);
    c.close();
    const bytes = fs.readFileSync(countyDbPath(data));
    expect(bytes.includes(Buffer.from('SECRET'))).toBe(false);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    await expect(County.open({ dataDir: data, key: randomBytes(32) })).rejects.toThrow(/密钥不对/);
    const again = await County.open({ dataDir: data, key });
    expect(again.db.prepare(`SELECT x FROM probe`).get()).toEqual({ x: '乌兰察布SECRET' });
    again.close();
  });

  it('refuses a key file inside the data folder and a malformed key', () => {
    const data = tempDir('daiban-county-');
    dirs.push(data);
    fs.writeFileSync(path.join(data, 'county.key'), randomBytes(32).toString('hex'));
    expect(() => countyKeyFromEnv(data, { DAIBAN_COUNTY_KEY_FILE: path.join(data, 'county.key') })).toThrow(/不能放在数据文件夹里/);
    expect(() => countyKeyFromEnv(data, { DAIBAN_COUNTY_KEY: 'abc' })).toThrow(/64 位十六进制/);
    expect(countyKeyFromEnv(data, {})).toBeUndefined();
  });
});
