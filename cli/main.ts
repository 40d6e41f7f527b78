// `daiban` — the command line for village agents' maintenance and for county staff.
// Each area registers its own commands; every command takes --data-dir and exits non-zero with
// a plain-Chinese message on bad input.
import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { CliError } from './common';

buildProgram()
  .parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) process.exit(0);
    process.exit(e.exitCode || 2);
  }
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`错误：${msg}`);
  process.exit(e instanceof CliError ? e.exitCode : 1);
});
