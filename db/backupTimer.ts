// The daily backup while a shell stays open for days: checked every hour (and shortly after start),
// written once per China date to the data folder, and also to a second place (a USB stick folder)
// when one is configured and present. Timers are injectable so tests drive it without waiting.
import fs from 'node:fs';
import path from 'node:path';
import type { Register } from './register';
import { dailyBackupIfDue } from './backup';
import { compactAfterBackup } from './maintenance';
import type { BackupInfo } from '../domain/records';

export const BACKUP_SETTINGS_FILE = 'backup.json';

/** `backup.json` in the data folder: `{ "secondDir": "/media/usb/代办通备份" }` (no personal data). */
export function secondBackupDir(dataDir: string): string | null {
  const f = path.join(dataDir, BACKUP_SETTINGS_FILE);
  if (!fs.existsSync(f)) return null;
  try {
    const v = JSON.parse(fs.readFileSync(f, 'utf8')) as { secondDir?: unknown };
    return typeof v.secondDir === 'string' && v.secondDir.trim() ? v.secondDir : null;
  } catch {
    return null;
  }
}

export function setSecondBackupDir(dataDir: string, dir: string | null): void {
  fs.writeFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), JSON.stringify({ secondDir: dir }, null, 2));
}

export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(h: unknown): void;
};

const nodeTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type BackupTimerOptions = {
  intervalMs?: number;
  firstDelayMs?: number;
  timers?: Timers;
  onResult?: (r: { main: BackupInfo | null; second: BackupInfo | null; error?: string }) => void;
};

export type RegisterHolder = { readonly isOpen: boolean; readonly reg: Register };

export function startBackupTimer(holder: RegisterHolder, opts: BackupTimerOptions = {}): { stop(): void; tick(): Promise<void> } {
  const timers = opts.timers ?? nodeTimers;
  const interval = opts.intervalMs ?? 60 * 60 * 1000;
  let handle: unknown = null;
  let stopped = false;
  const tick = async () => {
    if (stopped || !holder.isOpen) return;
    const reg = holder.reg;
    let main: BackupInfo | null = null;
    let second: BackupInfo | null = null;
    try {
      main = await dailyBackupIfDue(reg);
      const dir = secondBackupDir(reg.dataDir);
      if (dir) second = await dailyBackupIfDue(reg, dir, false);
      // Compaction only after the day's backup exists, so the backup still holds every payload.
      if (main) compactAfterBackup(reg);
      opts.onResult?.({ main, second });
    } catch (e) {
      opts.onResult?.({ main, second, error: e instanceof Error ? e.message : String(e) });
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    handle = timers.setTimeout(() => {
      void tick().finally(() => schedule(interval));
    }, ms);
  };
  schedule(opts.firstDelayMs ?? 10_000);
  return {
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
    },
    tick,
  };
}
