import { Help, type Argument, type Command, type Option } from 'commander';
import { Register } from '../db/register';
import { resolveDataDir } from '../db/dataDir';
import { createContext, type ServiceContext } from '../api/context';
import { createDaibanApi } from '../api/service';
import type { DaibanApi } from '../api/contract';

/** An error meant for the person at the terminal; exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export type CliEnv = { reg: Register; ctx: ServiceContext; api: DaibanApi; dataDir: string };

/** Opens the village register for a command; the CLI acts as the system (no signed-in agent unless given). */
export async function openCli(dataDirOpt?: string): Promise<CliEnv> {
  const dataDir = resolveDataDir(dataDirOpt);
  const open = () => Register.open({ dataDir });
  const reg = await open();
  const ctx = createContext({ open, initial: reg, shell: 'web' });
  return { reg, ctx, api: createDaibanApi(ctx), dataDir };
}

// ---------------------------------------------------------------- Chinese help and errors
//
// Commander's own words (Usage:, Options:, "display help for command", error texts) are English;
// the people at this terminal read Chinese. `chineseCli` configures the root command once; every
// command created under it with `.command()` inherits the help, output and error settings
// (commander's copyInheritedSettings), so a new command is Chinese without doing anything.

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Global Options:': '全局选项：',
  'Commands:': '命令：',
};

// Option and argument placeholders (`--data-dir <dir>`, `[date]`) as the help shows them. Only the
// help text changes: commander names the option's value after the flag, not the placeholder.
const PLACEHOLDERS: Record<string, string> = {
  options: '选项',
  command: '命令',
  dir: '文件夹',
  file: '文件',
  files: '文件',
  name: '名称',
  code: '代码',
  no: '编号',
  id: '编号',
  n: '数量',
  date: '日期',
  phone: '电话',
  format: '格式',
  addr: '地址',
  url: '网址',
  text: '文字',
  r: '结果',
  what: '内容',
  role: '角色',
};

/** `<dir>` → `<文件夹>`, `[files...]` → `[文件...]`; unknown words are left for the help test to catch. */
export function chinesePlaceholders(s: string): string {
  return s.replace(/([<[])([a-z-]+)(\.\.\.)?([>\]])/g, (m, open: string, word: string, dots: string | undefined, close: string) => {
    const zh = PLACEHOLDERS[word];
    return zh ? `${open}${zh}${dots ?? ''}${close}` : m;
  });
}

function chineseExtraInfo(s: string): string {
  return s.replace(/ ?\(((?:default|choices|preset|env): [^)]*)\)$/, (_, inner: string) => {
    const parts = inner
      .replace(/default: /, '默认：')
      .replace(/choices: /, '可选：')
      .replace(/preset: /, '不带值时为：')
      .replace(/env: /, '环境变量：')
      .replace(/, (?=默认|可选|不带值|环境变量)/g, '；');
    return `（${parts}）`;
  });
}

const ERRORS: [RegExp, (...m: string[]) => string][] = [
  [/error: unknown option '([^']*)'/, (_, o) => `错误：不认识的选项 ${o}`],
  [/error: missing required argument '([^']*)'/, (_, a) => `错误：缺少参数 ${chinesePlaceholders(`<${a}>`)}`],
  [/error: option '([^']*)' argument missing/, (_, o) => `错误：选项 ${chinesePlaceholders(o)} 后面缺少值`],
  [/error: required option '([^']*)' not specified/, (_, o) => `错误：必须提供选项 ${chinesePlaceholders(o)}`],
  [
    /error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./,
    (_, c, e, g) => `错误：${c ? `命令 ${c} 的` : ''}参数过多：应为 ${e} 个，实际给了 ${g} 个`,
  ],
  [/error: unknown command '([^']*)'/, (_, c) => `错误：没有这个命令 ${c}`],
  [/error: option '([^']*)' argument '([^']*)' is invalid\.\s*(.*)/, (_, o, v, why) => `错误：选项 ${chinesePlaceholders(o)} 的值“${v}”不正确${why ? `：${why}` : ''}`],
  [/error: command-argument value '([^']*)' is invalid for argument '([^']*)'\.\s*(.*)/, (_, v, a, why) => `错误：参数 ${a} 的值“${v}”不正确${why ? `：${why}` : ''}`],
  [/error: (.*) cannot be used with (.*)/, (_, a, b) => `错误：${a} 不能与 ${b} 同时使用`],
];

/** Commander's English error line in Chinese, with its "Did you mean" suggestion. */
export function translateCommanderError(s: string): string {
  const suggestion = /\(Did you mean ([^)]*)\?\)/.exec(s);
  const hint = suggestion ? `（是不是想用 ${suggestion[1].replace(/ or /g, ' 或 ')}？）` : '';
  for (const [re, fn] of ERRORS) {
    const m = re.exec(s);
    if (m) {
      const line = fn(...m)
        .replace(/option '([^']*)'/g, '选项 $1')
        .replace(/\s+$/, '');
      return `${line}${hint}\n`;
    }
  }
  return s.replace(/^error: /, '错误：').replace(/\(Did you mean ([^)]*)\?\)/, hint);
}

/** Configures `program` (the root command) for Chinese help and errors; subcommands inherit it. */
export function chineseCli(program: Command): Command {
  return program
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .showHelpAfterError('（用 --help 查看用法）')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (s, write) => write(translateCommanderError(s)) })
    .configureHelp({
      styleTitle: (t: string) => TITLES[t] ?? t,
      styleUsage: (u: string) => chinesePlaceholders(u),
      subcommandTerm(this: Help, cmd: Command) {
        return chinesePlaceholders(Help.prototype.subcommandTerm.call(this, cmd));
      },
      optionTerm(this: Help, o: Option) {
        return chinesePlaceholders(Help.prototype.optionTerm.call(this, o));
      },
      argumentTerm(this: Help, a: Argument) {
        const term = Help.prototype.argumentTerm.call(this, a);
        return PLACEHOLDERS[term] ?? chinesePlaceholders(term);
      },
      // Chinese characters take two columns in a terminal; commander counts one, which breaks the alignment.
      displayWidth(str: string) {
        // eslint-disable-next-line no-control-regex -- ANSI colour codes take no columns
        return [...str.replace(/\x1b\[[0-9;]*m/g, '')].reduce(
          (w, ch) => w + (/[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1),
          0,
        );
      },
      optionDescription(this: Help, o: Option) {
        return chineseExtraInfo(Help.prototype.optionDescription.call(this, o));
      },
      argumentDescription(this: Help, a: Argument) {
        return chineseExtraInfo(Help.prototype.argumentDescription.call(this, a));
      },
    });
}
