// Every help text of `daiban` is Chinese, commander's own words included; so are its errors.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program';
import { translateCommanderError } from '../../cli/common';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function daiban(...args: string[]) {
  const env = { ...process.env };
  delete env.DAIBAN_DATA_DIR;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// What commander prints in English unless told otherwise, and placeholders left in English.
const ENGLISH = [
  /Usage/i,
  /Options:/i,
  /Commands:/i,
  /Arguments:/i,
  /display help/i,
  /\bfor command\b/,
  /\((?:default|choices|preset|env):/,
  /\berror:/i,
  /Did you mean/i,
  /<[A-Za-z-]+(?:\.\.\.)?>/,
  /\[[A-Za-z-]+(?:\.\.\.)?\]/,
];

function assertChinese(text: string, where: string): void {
  for (const re of ENGLISH) expect(text, `${where}: ${re}`).not.toMatch(re);
}

function walk(cmd: Command, path: string[] = []): { path: string; help: string }[] {
  const here = [...path, cmd.name()];
  return [{ path: here.join(' '), help: cmd.helpInformation() }, ...cmd.commands.flatMap((c) => walk(c, here))];
}

describe('daiban help', () => {
  it('is Chinese for every command and subcommand, commander’s own words included', () => {
    const all = walk(buildProgram());
    // The tree is really walked: village, county, sync and batch commands are all there.
    const paths = all.map((a) => a.path);
    for (const p of ['daiban', 'daiban init', 'daiban calendar add', 'daiban county', 'daiban county import', 'daiban batch export', 'daiban sync']) {
      expect(paths).toContain(p);
    }
    expect(all.length).toBeGreaterThan(25);
    for (const { path, help } of all) {
      assertChinese(help, path);
      expect(help, path).toMatch(/^用法： /);
      expect(help, path).toMatch(/\n选项：\n/);
      expect(help, path).toMatch(/-h, --help\s+显示帮助/);
      if (/\n命令：\n/.test(help)) expect(help, path).toMatch(/help \[命令\]\s+显示某个命令的帮助/);
    }
  });

  it('keeps the columns aligned although Chinese characters are two columns wide', () => {
    const help = buildProgram().commands.find((c) => c.name() === 'export')!.helpInformation();
    const rows = help.split('\n').filter((l) => /^ {2}-/.test(l));
    const width = (t: string) => [...t].reduce((w, ch) => w + (/[\u2e80-\ua4cf\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
    // The terminal column where each option's description starts.
    const starts = rows.map((l) => {
      const m = /^(\s+\S.*?)(\s{2,})\S/.exec(l)!;
      return width(m[1]) + m[2].length;
    });
    expect(rows.length).toBeGreaterThan(5);
    expect(new Set(starts).size).toBe(1);
  });

  it('prints Chinese help from the real command line', () => {
    const top = daiban('--help');
    expect(top.code).toBe(0);
    assertChinese(top.stdout, 'daiban --help');
    expect(top.stdout).toMatch(/命令：[\s\S]*county\s+县政务服务中心/);

    const county = daiban('county', '--help');
    expect(county.code).toBe(0);
    assertChinese(county.stdout, 'daiban county --help');
    expect(county.stdout).toContain('用法： daiban county [选项] [命令]');

    const viaHelp = daiban('county', 'help', 'import');
    expect(viaHelp.stdout).toContain('用法： daiban county import [选项] <文件...>');
  }, 180_000); // child processes: slow on a loaded 2-core machine

  it('prints commander’s errors in Chinese from the real command line, with a pointer to --help', () => {

    const errors: [string[], string][] = [
      [['export', '--bogus'], '错误：不认识的选项 --bogus'],
      [['county', 'imprt'], '错误：没有这个命令 imprt（是不是想用 import？）'],
      [['county', 'import'], '错误：缺少参数 <文件>'],
      [['calendar', 'add', '2026-01-01', '3', '4'], '错误：命令 add 的参数过多：应为 2 个，实际给了 3 个'],
      [['export', '--format'], '错误：选项 --format <格式> 后面缺少值'],
    ];
    for (const [args, message] of errors) {
      const r = daiban(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toBe(`${message}\n（用 --help 查看用法）\n`);
    }
  }, 180_000); // child processes: slow on a loaded 2-core machine

  it('translates the rest of commander’s error texts', () => {
    expect(translateCommanderError("error: required option '--out <file>' not specified\n")).toBe('错误：必须提供选项 --out <文件>\n');
    expect(translateCommanderError("error: option '--port <n>' argument 'x' is invalid. 应为数字\n")).toBe('错误：选项 --port <数量> 的值“x”不正确：应为数字\n');
    expect(translateCommanderError("error: option '--a' cannot be used with option '--b'\n")).toBe('错误：选项 --a 不能与 选项 --b 同时使用\n');
    expect(translateCommanderError("error: unknown option '--frmat'\n(Did you mean --format?)\n")).toBe('错误：不认识的选项 --frmat（是不是想用 --format？）\n');
    expect(translateCommanderError('error: something new\n')).toBe('错误：something new\n');
  });
});

describe('daiban calendar for a year without a table', () => {
  it('names the statutory day it counted as a rest day and says the result is an estimate', () => {
    const r = daiban('calendar', 'is-workday', '2027-01-01', '--data-dir', fileURLToPath(new URL('./no-such-register', import.meta.url)));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2027-01-01（星期五）：休息日（元旦，法定节假日）');
    expect(r.stdout).toContain('2027年的节假日安排尚未发布（或尚未收到县里下发的日历），暂按法定节假日和周末估算（不含调休）');
  });
});
