import type { Command } from 'commander';

// county …, enrol, sync, batch … (issue: 同步).
export function syncCommands(_program: Command): void {}
