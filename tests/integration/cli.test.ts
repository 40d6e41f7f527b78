// The real `daiban` command line, run as a child process the way an agent or a technician runs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tempRegister';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = tempDir('daiban-cli-');
const out = tempDir('daiban-cli-out-');
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

function run(input: string | undefined, args: string[]): Run {
  const env = { ...process.env };
  delete env.DAIBAN_DATA_DIR;
  const r = spawnSync(process.execPath, ['bin/daiban.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function daiban(...args: string[]): Run {
  return run(undefined, args);
}

/** A command on the encrypted register, opened with 王秀兰's PIN on standard input. */
function withPin(...args: string[]): Run {
  return run('135246\n', [...args, '--pin-stdin', '--agent', '王秀兰']);
}

const ID18 = /\b\d{17}[\dX]\b/;
const MOBILE = /\b1\d{10}\b/;

// Every test spawns several child processes; on a loaded 2-core machine each takes 5–10 s.
describe('daiban CLI', { timeout: 240_000 }, () => {
  it('sets up a point, seeds a demo register and passes the data check', () => {
    const init = daiban(
      'init',
      '--data-dir', dir,
      '--village-code', '150822101201',
      '--village-name', '红旗村',
      '--township', '巴彦镇',
      '--county', '五原县',
      '--agent', '王秀兰:13904781234:135246',
      '--agent', '李建国:13604785678:246135',
    );
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('五原县巴彦镇红旗村便民服务代办点');
    expect(init.stdout).toContain('王秀兰、李建国');
    expect(init.stdout).not.toMatch(MOBILE);
    expect(init.stdout).toMatch(/已加密/);
    expect(init.stdout).toMatch(/恢复码（只显示这一次）=+\n\s+[2-9A-Z]{5}(-[2-9A-Z]{5}){4}/);

    const weak = daiban('init', '--data-dir', tempDir('daiban-cli-weak-'), '--village-code', '150822101201', '--village-name', '红旗村', '--township', '巴彦镇', '--county', '五原县', '--agent', '张三::123456');
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/PIN 不能是连续的数字/);

    const again = daiban('init', '--data-dir', dir, '--village-code', '150822101201', '--village-name', '红旗村', '--township', '巴彦镇', '--county', '五原县', '--agent', '张三::135246');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/已经设置过了/);

    // The encrypted register opens only with a PIN or the recovery code, and says so in Chinese.
    const locked = daiban('doctor', '--data-dir', dir);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toMatch(/登记簿已加密/);
    expect(locked.stderr).toMatch(/--pin-stdin --agent 王秀兰/);
    expect(locked.stderr).toMatch(/--recovery-stdin/);
    const wrong = run('999999\n', ['doctor', '--data-dir', dir, '--pin-stdin', '--agent', '王秀兰']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/密码不正确/);
    const recoveryCode = /恢复码（只显示这一次）=+\n\s+(\S+)/.exec(init.stdout)![1];
    const byRecovery = run(`${recoveryCode}\n`, ['doctor', '--data-dir', dir, '--recovery-stdin']);
    expect(byRecovery.code).toBe(0);

    const seed = withPin('seed-demo', '--data-dir', dir, '--cases', '200');
    expect(seed.stderr).toBe('');
    expect(seed.code).toBe(0);
    expect(seed.stdout).toMatch(/代办件 200 件/);
    expect(seed.stdout).not.toMatch(ID18);
    expect(seed.stdout).not.toMatch(MOBILE);

    const doctor = withPin('doctor', '--data-dir', dir);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain('数据检查通过');
    expect(doctor.stdout).not.toContain('未通过');
  }, 300_000);

  it('creates a bare register without point setup and says the app will ask', () => {
    const bare = tempDir('daiban-cli-bare-');
    try {
      const r = daiban('init', '--data-dir', bare);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/尚未设置/);
      expect(r.stdout).toMatch(/首次启动/);
      // Nothing is created before setup: the register is born encrypted at setup.
      expect(fs.existsSync(path.join(bare, 'register.sqlite'))).toBe(false);
      const partial = daiban('init', '--data-dir', bare, '--village-code', '150822101201');
      expect(partial.code).not.toBe(0);
      expect(partial.stderr).toMatch(/还缺少.*--village-name/);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('counts working days with the official calendar and says when a year has no table', () => {
    const add = daiban('calendar', 'add', '2026-09-30', '30', '--data-dir', dir);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('2026-11-17');
    expect(add.stdout).not.toMatch(/估算/);

    const tiaoxiu = daiban('calendar', 'is-workday', '2026-01-04', '--data-dir', dir);
    expect(tiaoxiu.code).toBe(0);
    expect(tiaoxiu.stdout).toMatch(/2026-01-04.*工作日.*调休/);

    const holiday = daiban('calendar', 'is-workday', '2026-10-01', '--data-dir', dir);
    expect(holiday.stdout).toMatch(/休息日/);

    const future = daiban('calendar', 'is-workday', '2027-03-01', '--data-dir', dir);
    expect(future.code).toBe(0);
    expect(future.stdout).toMatch(/工作日/);
    expect(future.stdout).toMatch(/2027年的节假日安排尚未发布/);

    const across = daiban('calendar', 'add', '2026-12-20', '20', '--data-dir', dir);
    expect(across.code).toBe(0);
    expect(across.stdout).toMatch(/2027年.*估算/);
  });

  it('rejects bad input with a Chinese message and a non-zero exit', () => {
    const cases: [string[], RegExp][] = [
      [['calendar', 'is-workday', '2026-02-30', '--data-dir', dir], /日期.*不正确/],
      [['calendar', 'is-workday', '20260101', '--data-dir', dir], /日期.*不正确/],
      [['calendar', 'add', '2026-01-05', '3.5', '--data-dir', dir], /工作日天数应为整数/],
      [['calendar', 'add', '2026-01-05', '--data-dir', dir], /工作日天数应为整数/],
      [['export', '--data-dir', dir, '--format', 'xlsx', '--out', path.join(out, 'x.xlsx')], /未知的导出格式/],
      [['export', '--data-dir', dir, '--format', 'csv'], /--out/],
      [['export', '--data-dir', dir, '--format', 'csv', '--out', path.join(out, 'no-such-dir', 'x.csv'), '--pin-stdin', '--agent', '王秀兰'], /文件夹不存在/],
      [['backup', '--data-dir', dir, '--out', path.join(out, 'no-stick'), '--pin-stdin', '--agent', '王秀兰'], /备份位置不存在/],
      [['seed-demo', '--data-dir', dir, '--cases', 'many'], /应为整数/],
      [['restore', path.join(out, 'missing.sqlite'), '--yes', '--data-dir', dir], /找不到备份文件/],
      [['doctor', '--data-dir', dir, '--verbose'], /不认识的选项 --verbose/],
    ];
    for (const [args, msg] of cases) {
      const r = run('135246\n', args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(msg);
      expect(r.stderr, args.join(' ')).toMatch(/^错误：/);
    }
  });

  it('exports a CSV that Excel opens (UTF-8 BOM) with ID numbers and phones masked unless --full', () => {
    const csv = path.join(out, '台账.csv');
    const r = withPin('export', '--data-dir', dir, '--format', 'csv', '--out', csv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/已导出 200 条代办件/);
    expect(r.stdout + r.stderr).not.toMatch(ID18);
    const bytes = fs.readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(201);
    const header = lines[0].split(',');
    expect(header.slice(0, 4)).toEqual(['件号', '受理日期', '补录', '申请人']);
    const idCol = header.indexOf('身份证号码');
    const phoneCol = header.indexOf('联系电话');
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells[idCol]).toMatch(/^150822\*{8}\d{3}[\dX]$/);
      if (cells[phoneCol]) expect(cells[phoneCol]).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
    expect(bytes.toString('utf8')).not.toMatch(ID18);

    const full = path.join(out, 'full.csv');
    const f = withPin('export', '--data-dir', dir, '--format', 'csv', '--out', full, '--full');
    expect(f.code).toBe(0);
    expect(f.stdout).toMatch(/完整的身份证号码/);
    expect(f.stdout).not.toMatch(ID18);
    expect(fs.readFileSync(full, 'utf8')).toMatch(/\t150822\d{11}[\dX]/);

    const json = path.join(out, 'visits.json');
    const j = withPin('export', '--data-dir', dir, '--format', 'json', '--what', 'visits', '--out', json);
    expect(j.code).toBe(0);
    const visits = JSON.parse(fs.readFileSync(json, 'utf8')) as { phone: string; category: string }[];
    expect(visits.length).toBeGreaterThan(0);
    for (const v of visits) if (v.phone) expect(v.phone).toMatch(/\*{4}/);
  });

  it('backs up and restores only with --yes', () => {
    const b = withPin('backup', '--data-dir', dir, '--out', out);
    expect(b.code).toBe(0);
    const file = /已备份到：(.+?)（/.exec(b.stdout)?.[1];
    expect(file && fs.existsSync(file)).toBe(true);
    // One file and its key file beside it; no -wal/-shm left on the stick.
    expect(fs.existsSync(`${file}.keys.json`)).toBe(true);
    expect(fs.readdirSync(out).filter((f) => /-(wal|shm|journal)$|\.part$/.test(f))).toEqual([]);

    // More work after the backup, then go back to it.
    expect(withPin('seed-demo', '--data-dir', dir, '--cases', '30', '--seed', '7').code).toBe(0);
    const count = () => (JSON.parse(fs.readFileSync(path.join(out, 'c.json'), 'utf8')) as unknown[]).length;
    expect(withPin('export', '--data-dir', dir, '--format', 'json', '--out', path.join(out, 'c.json')).code).toBe(0);
    expect(count()).toBe(230);

    const refused = withPin('restore', file!, '--data-dir', dir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--yes/);
    expect(refused.stderr).toMatch(/替换当前登记簿/);
    expect(withPin('export', '--data-dir', dir, '--format', 'json', '--out', path.join(out, 'c.json')).code).toBe(0);
    expect(count()).toBe(230);

    const restored = withPin('restore', file!, '--yes', '--data-dir', dir);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/代办件 200 件/);
    expect(restored.stdout).toMatch(/恢复前的数据已备份到/);
    expect(withPin('export', '--data-dir', dir, '--format', 'json', '--out', path.join(out, 'c.json')).code).toBe(0);
    expect(count()).toBe(200);
    expect(withPin('doctor', '--data-dir', dir).code).toBe(0);

    // Another laptop: an empty folder, the backup with its key file, any agent's PIN of the point.
    const other = tempDir('daiban-cli-laptop2-');
    try {
      const wrongPin = run('999999\n', ['restore', file!, '--yes', '--data-dir', other, '--pin-stdin']);
      expect(wrongPin.code).not.toBe(0);
      expect(wrongPin.stderr).toMatch(/PIN 不正确/);
      const there = run('246135\n', ['restore', file!, '--yes', '--data-dir', other, '--pin-stdin']);
      expect(there.stderr).toBe('');
      expect(there.stdout).toMatch(/代办件 200 件/);
      expect(run('246135\n', ['doctor', '--data-dir', other, '--pin-stdin', '--agent', '李建国']).code).toBe(0);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  }, 300_000);
});
