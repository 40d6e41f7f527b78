// The `daiban` command tree, built in one place so tests can walk every command's help.
import { Command } from 'commander';
import { registerCommands } from './registerCommands';
import { syncCommands } from './syncCommands';
import { chineseCli } from './common';

export function buildProgram(): Command {
  // Chinese help and exit handling first: commands created below inherit both.
  const program = chineseCli(new Command())
    .name('daiban')
    .description('代办通命令行：初始化、演示数据、备份恢复、数据检查、导出、工作日计算、同步与县级导入')
    .exitOverride();
  registerCommands(program);
  syncCommands(program);
  return program;
}
