// The program's log (logs/<program>.log in the data folder) and `daiban doctor --report`: what
// county IT gets when a village agent phones in — and never an applicant's ID number, phone or name.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Vault } from '../../db/vault';
import { dispatch } from '../../api/dispatch';
import { appLog, errorFields, logsDir, openLog, RotatingFile, scrubPersonalData } from '../../db/log';
import { IDS, openTestRegister, tempDir, type TestEnv } from '../support/tempRegister';

const ROOT = path.resolve(__dirname, '../..');
const PHONE = '13812345678';
const NAME = '张三丰';

function allLogText(dir: string): string {
  const d = logsDir(dir);
  return fs.existsSync(d) ? fs.readdirSync(d).map((f) => fs.readFileSync(path.join(d, f), 'utf8')).join('\n') : '';
}

let env: TestEnv | null = null;
afterEach(() => {
  env?.close();
  env = null;
});

describe('log', () => {
  it('records what happened in a shell without the ID number, phone or name of the case it handled', async () => {
    env = await openTestRegister({ date: '2026-09-30' });
    openLog({ dataDir: env.dir, program: 'web', level: 'debug' });
    const item = await env.api.getCatalogItem({ code: 'MZ-0003' });
    const applicant = { kind: 'person' as const, name: NAME, idNumber: IDS.zhangSan, phone: PHONE, villageGroup: '第三村民小组', address: '红旗村三组12号' };
    const materials = item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const }));
    // Saved through the shells' one entry point, then refused (bad phone) and failing unexpectedly.
    const ok = await dispatch(env.ctx, env.api, 'createCase', { applicant, itemCode: item.code, handlingMode: 'proxy', materials });
    expect(ok.ok).toBe(true);
    const refused = await dispatch(env.ctx, env.api, 'createCase', { applicant: { ...applicant, phone: '1381234567' }, itemCode: item.code, handlingMode: 'proxy', materials });
    expect(refused.ok).toBe(false);
    appLog().error({ applicant, ...errorFields(new Error(`身份证号 ${IDS.zhangSan} 与电话 ${PHONE}（${NAME}）冲突`)) }, 'unexpected');
    appLog().info({ case: { applicantName: NAME, phone: `+86 138-1234-5678`, idNumber: IDS.zhangSan } }, 'nested');

    const text = allLogText(env.dir);
    // The log is there and says what was done …
    expect(text).toContain('"method":"createCase"');
    expect(text).toContain('"code":"invalid_input"');
    expect(text).toContain('"msg":"unexpected"');
    // … and holds none of the applicant's personal data, whole or in its usual spellings.
    for (const secret of [IDS.zhangSan, PHONE, '138-1234-5678', NAME, '1381234567', '红旗村三组12号']) expect(text).not.toContain(secret);
    expect(text).toContain('[已隐去]');
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'logs', 'cli.log');
      const dest = new RotatingFile({ file, maxBytes: 2000, keep: 3 });
      for (let i = 0; i < 200; i++) dest.write(`{"n":${i},"msg":"${'x'.repeat(80)}"}\n`);
      dest.close();
      const files = fs.readdirSync(path.join(dir, 'logs')).sort();
      expect(files).toEqual(['cli.log', 'cli.log.1', 'cli.log.2', 'cli.log.3']);
      for (const f of files) expect(fs.statSync(path.join(dir, 'logs', f)).size).toBeLessThanOrEqual(2000);
      // The newest lines are in cli.log, the ones before them in cli.log.1.
      expect(fs.readFileSync(file, 'utf8')).toContain('"n":199');
      const last1 = fs.readFileSync(`${file}.1`, 'utf8').trim().split('\n').pop()!;
      const first0 = fs.readFileSync(file, 'utf8').split('\n')[0];
      expect(JSON.parse(first0).n).toBe(JSON.parse(last1).n + 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scrubs ID numbers (18 and 15 digits) and phones but leaves dates, times and counts', () => {
    expect(scrubPersonalData(`a ${IDS.liSi} b 150822850315001 c 0478-8123456 d ${PHONE}`)).toBe('a [已隐去] b [已隐去] c [已隐去] d [已隐去]');
    const keep = '2026-11-30T05:54:52.187Z 共 63 条，用时 696 ms，件号 150822101201-20260930-001';
    expect(scrubPersonalData(keep)).toBe(keep);
  });
});

describe('daiban doctor --report', () => {
  it('writes one file with versions, findings, sync state and recent logs, without personal data', async () => {
    const dir = tempDir();
    try {
      const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/daiban.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, input: '135246\n' });
      const seed = cli('seed-demo', '--cases', '20', '--data-dir', dir);
      expect(seed.status, seed.stderr).toBe(0);
      const out = path.join(dir, 'usb', '诊断.txt');
      // The seeded register is encrypted: the agent's PIN comes on standard input.
      const r = cli('doctor', '--data-dir', dir, '--report', out, '--pin-stdin', '--agent', '王秀兰');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('诊断文件已写入');
      const report = fs.readFileSync(out, 'utf8');
      for (const heading of ['== 版本', '== 登记簿', '== 数据检查', '== 同步状态', '== 最近日志']) expect(report).toContain(heading);
      expect(report).toContain(`Node ${process.version}`);
      expect(report).toContain('代办件 20');
      expect(report).toContain('"command":"seed-demo"');
      expect(report).toContain('尚未登记到县级服务');

      // Every applicant's ID number, phone and name in the seeded register is absent from report and logs.
      const vault = new Vault({ dataDir: dir });
      const wang = vault.keyring().agents.find((a) => a.name === '王秀兰')!;
      const reg = await vault.open(await vault.unlockWithPin(wang.id, '135246'));
      const people = reg.db.prepare('SELECT id_number, phone, name FROM applicants').all() as { id_number: string | null; phone: string | null; name: string }[];
      reg.close();
      expect(people.length).toBeGreaterThan(5);
      const logs = allLogText(dir);
      for (const p of people) {
        for (const v of [p.id_number, p.phone]) {
          if (!v) continue;
          expect(report).not.toContain(v);
          expect(logs).not.toContain(v);
        }
        expect(report).not.toContain(p.name);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
