import fs from 'node:fs';
import type { Command } from 'commander';
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

// Commander's own messages are English; the people at this terminal read Chinese.
export function translateCommanderError(s: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/error: unknown option '([^']*)'(?:\s*\(Did you mean ([^)]*)\?\))?/, (_, o, d) => `错误：不认识的选项 ${o}${d ? `（是不是想用 ${d}？）` : ''}`],
    [/error: missing required argument '([^']*)'/, (_, a) => `错误：缺少参数 ${a}`],
    [/error: option '([^']*)' argument missing/, (_, o) => `错误：选项 ${o} 后面缺少值`],
    [/error: required option '([^']*)' not specified/, (_, o) => `错误：必须提供选项 ${o}`],
    [/error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./, (_, c, e, g) => `错误：${c ? `命令 ${c} ` : ''}参数过多：应为 ${e} 个，实际给了 ${g} 个`],
    [/error: unknown command '([^']*)'(?:\s*\(Did you mean ([^)]*)\?\))?/, (_, c, d) => `错误：没有这个命令 ${c}${d ? `（是不是想用 ${d}？）` : ''}`],
  ];
  for (const [re, fn] of rules) {
    const m = re.exec(s);
    if (m) return `${fn(...m)}\n（用 --help 查看用法）\n`;
  }
  return s;
}

