import type { Command } from 'commander';

// init, seed-demo, backup, restore, doctor, export, calendar (issue: 村级代办台账).
export function registerCommands(_program: Command): void {}
