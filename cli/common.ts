import fs from 'node:fs';
import { Help, type Argument, type Command, type Option } from 'commander';
import type { Register } from '../db/register';
import { Vault } from '../db/vault';
import { resolveDataDir } from '../db/dataDir';
import { AppError } from '../domain/errors';
import type { RecoveryNotice } from '../domain/records';
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

export type CliEnv = { reg: Register; ctx: ServiceContext; api: DaibanApi; dataDir: string; secret?: string };

/** How a command gets the key of an encrypted register: a PIN or the recovery code on standard input. */
export type KeyOptions = { dataDir?: string; pinStdin?: boolean; recoveryStdin?: boolean; agent?: string };

export function keyOptions(cmd: Command, withAgent = true): Command {
  cmd.option('--pin-stdin', '从标准输入读取代办员的 PIN（登记簿已加密时需要；配合 --agent 姓名）');
  cmd.option('--recovery-stdin', '从标准输入读取恢复码（全部 PIN 都忘记时使用）');
  if (withAgent) cmd.option('--agent <name>', '以这位代办员的身份（与 --pin-stdin 一起使用）');
  return cmd;
}

export function needKeyMessage(command: string, agents: string[]): string {
  const who = agents[0] ?? '代办员姓名';
  return (
    `登记簿已加密，需要代办员的 PIN 或恢复码才能打开。请通过标准输入提供，例如：\n` +
    `  echo 你的PIN | daiban ${command} --pin-stdin --agent ${who}\n` +
    `  echo 恢复码 | daiban ${command} --recovery-stdin\n` +
    (agents.length ? `（本机代办员：${agents.join('、')}）` : '')
  );
}

function readStdinSecret(what: string): string {
  let text = '';
  try {
    text = fs.readFileSync(0, 'utf8');
  } catch {
    text = '';
  }
  const line = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '';
  if (!line) throw new CliError(`标准输入里没有${what}：请用管道或重定向提供，例如 echo …… | daiban …`);
  return line;
}

export function printRecoveryNotice(n: RecoveryNotice): void {
  console.log('');
  console.log('======== 恢复码（只显示这一次）========');
  console.log(`  ${n.recoveryCode}`);
  console.log('请把恢复码抄写或打印在纸上，装入信封密封，交乡镇保管。全部代办员都忘记 PIN 时，');
  console.log('只有恢复码能打开登记簿和它的备份；遗失恢复码且忘记全部 PIN，数据将无法找回。');
  console.log('=======================================');
  if (n.removedPlainCopies) console.log(`原来未加密的登记簿和 ${n.removedPlainCopies} 份未加密的备份已删除（已换成加密的）。`);
}

/**
 * Opens the village register for a command. An encrypted register needs --pin-stdin (with --agent
 * when the point has several agents) or --recovery-stdin; the command then acts as that agent.
 * A plain register (from before encryption) opens as before, and is encrypted when a PIN is given.
 */
export async function openCli(dataDirOpt?: string, key: KeyOptions = {}, command = '…'): Promise<CliEnv> {
  const dataDir = resolveDataDir(dataDirOpt);
  fs.mkdirSync(dataDir, { recursive: true });
  const vault = new Vault({ dataDir });
  const state = vault.state();
  const ctx = createContext({ vault, initial: state === 'plain' ? await vault.open(undefined) : null, shell: 'web' });
  const api = createDaibanApi(ctx);
  let secret: string | undefined;
  const read = (what: string) => (secret = readStdinSecret(what));
  try {
    if (state === 'encrypted') {
      const agents = vault.keyring().agents;
      if (!key.pinStdin && !key.recoveryStdin) throw new CliError(needKeyMessage(command, agents.map((a) => a.name)), 2);
      if (key.recoveryStdin) {
        await vault.unlockWithRecovery(read('恢复码')).then(async (k) => ctx.setRegister(await vault.open(k)));
        const rows = ctx.reg.db.prepare(`SELECT id, name FROM agents WHERE active = 1 ORDER BY created_at, id`).all() as { id: string; name: string }[];
        const me = key.agent ? rows.find((r) => r.name === key.agent!.trim()) : rows[0];
        if (key.agent && !me) throw new CliError(`没有名为“${key.agent}”的在岗代办员`, 2);
        ctx.session.agentId = me?.id ?? null;
      } else {
        const agent = key.agent ? agents.find((a) => a.name === key.agent!.trim()) : agents.length === 1 ? agents[0] : undefined;
        if (!agent) {
          throw new CliError(
            key.agent ? `本机没有名为“${key.agent}”的代办员（有：${agents.map((a) => a.name).join('、')}）` : `请用 --agent 指明是哪位代办员的 PIN（本机代办员：${agents.map((a) => a.name).join('、')}）`,
            2,
          );
        }
        await api.signIn({ agentId: agent.id, pin: read('PIN') });
      }
    } else if (state === 'plain' && key.pinStdin) {
      const rows = ctx.reg.db.prepare(`SELECT id, name FROM agents WHERE active = 1 ORDER BY created_at, id`).all() as { id: string; name: string }[];
      const agent = key.agent ? rows.find((r) => r.name === key.agent!.trim()) : rows.length === 1 ? rows[0] : undefined;
      if (!agent) throw new CliError(`请用 --agent 指明是哪位代办员的 PIN（代办员：${rows.map((r) => r.name).join('、')}）`, 2);
      const r = await api.signIn({ agentId: agent.id, pin: read('PIN') });
      if (r.recovery) {
        console.log('登记簿已加密（原来是未加密的）。');
        printRecoveryNotice(r.recovery);
      }
    }
  } catch (e) {
    if (ctx.isOpen) ctx.reg.close();
    if (e instanceof AppError) throw new CliError(e.message, 1);
    throw e;
  }
  return {
    get reg() {
      return ctx.reg;
    },
    ctx,
    api,
    dataDir,
    secret,
  };
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
