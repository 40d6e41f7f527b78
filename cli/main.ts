// `daiban` — the command line for village agents' maintenance and for county staff.
// Each area registers its own commands; every command takes --data-dir and exits non-zero with
// a plain-Chinese message on bad input.
import { Command, CommanderError } from 'commander';
import { registerCommands } from './registerCommands';
import { syncCommands } from './syncCommands';
import { CliError, translateCommanderError } from './common';

const program = new Command();
program
  .name('daiban')
  .description('代办通命令行：初始化、演示数据、备份恢复、数据检查、导出、工作日计算、同步与县级导入')
  .exitOverride()
  .helpOption('-h, --help', '显示帮助')
  .configureOutput({ outputError: (s, write) => write(translateCommanderError(s)) });

registerCommands(program);
syncCommands(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) process.exit(0);
    process.exit(e.exitCode || 2);
  }
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`错误：${msg}`);
  process.exit(e instanceof CliError ? e.exitCode : 1);
});
