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

