// The real `daiban doctor` on an encrypted register whose history had one byte flipped with raw SQL
// (opened with an agent's PIN, as someone with the laptop and a PIN could): it names exactly that link.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Register } from '../../db/register';
import { readKeyring, unwrapKey } from '../../db/keyring';
import { tempDir } from '../support/tempRegister';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = tempDir('daiban-chain-cli-');
const out = tempDir('daiban-chain-cli-out-');
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

function run(input: string | undefined, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DAIBAN_DATA_DIR;
  const r = spawnSync(process.execPath, ['bin/daiban.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const withPin = (...args: string[]) => run('135246\n', [...args, '--pin-stdin', '--agent', '王秀兰']);

describe('daiban doctor and the hash-chained history', { timeout: 240_000 }, () => {
  it('passes on a working register, and names the first broken link after one flipped byte', async () => {
    const init = run(undefined, ['init', '--data-dir', dir, '--village-code', '150822101201', '--village-name', '红旗村', '--township', '巴彦镇', '--county', '五原县', '--agent', '王秀兰:13904781234:135246']);
    expect(init.code).toBe(0);
    expect(withPin('seed-demo', '--data-dir', dir, '--cases', '12', '--seed', '3').code).toBe(0);
    // A full export is an accountability event in the chain.
    expect(withPin('export', '--data-dir', dir, '--format', 'json', '--out', path.join(out, '台账.json'), '--full').code).toBe(0);
    const ok = withPin('doctor', '--data-dir', dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/✔ 通过\s+历史记录链完整（防篡改）：1 台设备的 \d+ 条历史逐条首尾相扣，没有被改动/);

    // Someone with a PIN opens the (decrypted) register and moves one case's intake by a minute: one byte.
    const key = await unwrapKey(readKeyring(dir)!.agents[0].wrap, '135246');
    expect(key).not.toBeNull();
    const reg = await Register.open({ dataDir: dir, key: key!, cipher: readKeyring(dir)!.cipher });
    let expected: string;
    try {
      const rows = reg.db
        .prepare(
          `SELECT e.rowid AS rid, e.at, o.seq, c.case_no FROM events e JOIN outbox o ON o.seq = e.outbox_seq JOIN cases c ON c.id = e.case_id
           WHERE e.action = 'case.create' ORDER BY o.seq`,
        )
        .all() as { rid: number; at: string; seq: number; case_no: string }[];
      const full = reg.db.prepare(`SELECT o.op FROM events e JOIN outbox o ON o.seq = e.outbox_seq WHERE e.action = 'register.exportFull'`).all();
      expect(full).toEqual([{ op: 'event' }]);
      const t = rows[Math.floor(rows.length / 2)];
      const at = Buffer.from(t.at, 'utf8');
      const i = at.indexOf(0x3a) + 2;
      at[i] = at[i] === 0x35 ? 0x36 : 0x35;
      const changed = at.toString('utf8');
      reg.db.prepare(`UPDATE events SET at = ? WHERE rowid = ?`).run(changed, t.rid);
      const china = new Date(Date.parse(changed) + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
      expected =
        `✘ 未通过  历史记录链完整（防篡改）：历史记录链第一处断开：本机（设备 ${reg.deviceId.slice(0, 8)}）的第 ${t.seq} 条历史` +
        `（${china}，受理登记，件号 ${t.case_no}）内容与链上摘要不符，这条记录（或它的同步记录）被改动过`;
    } finally {
      reg.close();
    }
    const bad = withPin('doctor', '--data-dir', dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout.split('\n')).toContain(expected);
    expect(bad.stdout).toContain('数据检查发现问题');
  });
});
