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
