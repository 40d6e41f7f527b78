// `daiban` — the command line for village agents' maintenance and for county staff.
// Each area registers its own commands (cli/program.ts); every command takes --data-dir and exits
// non-zero with a plain-Chinese message on bad input.
import { Command, CommanderError } from 'commander';
import { buildProgram } from './program';
import { CliError } from './common';
import { resolveDataDir } from '../db/dataDir';
import { appLog, errorFields, openLog } from '../db/log';

const program = buildProgram();

// Each command logs to its data folder (logs/cli.log, or logs/county.log for the county's commands):
// which command ran and how it ended, never its arguments (they may hold names, PINs, ID numbers).
program.hook('preAction', (_root, command) => {
  const names: string[] = [];
  for (let c: Command | null = command; c && c !== program; c = c.parent) names.unshift(c.name());
  const dataDir = (command.opts() as { dataDir?: string }).dataDir;
  if (!dataDir && !process.env.DAIBAN_DATA_DIR) return;
  const started = Date.now();
  openLog({ dataDir: resolveDataDir(dataDir), program: names[0] === 'county' ? 'county' : 'cli' }).info(
    { command: names.join(' '), node: process.version },
    'command',
  );
  process.once('exit', (code) => appLog().info({ command: names.join(' '), exitCode: code, ms: Date.now() - started }, 'command end'));
});

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) process.exit(0);
    process.exit(e.exitCode || 2);
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (!(e instanceof CliError)) appLog().error(errorFields(e), 'command failed');
  console.error(`错误：${msg}`);
  process.exit(e instanceof CliError ? e.exitCode : 1);
});
