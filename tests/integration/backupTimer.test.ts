// Backups while the app stays open for days (issue 9), to a second place when it is there, and a
// missing target that is an error instead of a folder quietly made on the laptop's disk (issue 10).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackupTimer, setSecondBackupDir, type Timers } from '../../db/backupTimer';
import { backupTo } from '../../db/backup';
import { backupsDir } from '../../db/dataDir';
import { openTestRegister, tempDir, type TestEnv } from '../support/tempRegister';

let env: TestEnv | null = null;
const extra: string[] = [];
afterEach(() => {
  env?.close();
  env = null;
  for (const d of extra.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Timers the test fires by hand: the shell's hourly check without waiting an hour. */
function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const t = { fn, ms };
      pending.push(t);
      return t;
    },
    clearTimeout: (h) => {
      const i = pending.indexOf(h as { fn: () => void; ms: number });
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return { timers, pending };
}

const daily = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite')).sort() : []);

describe('backups while the app runs', () => {
  it('writes one daily backup per day for days on end, and also to the USB stick when it is plugged in', async () => {
    env = await openTestRegister();
    const stick = tempDir('daiban-usb-');
    extra.push(stick);
    const usbFolder = path.join(stick, '代办通备份');
    setSecondBackupDir(env.dir, usbFolder);
    const { timers, pending } = manualTimers();
    const results: { main: unknown; second: unknown; error?: string }[] = [];
    const holder = { get isOpen() { return true; }, get reg() { return env!.reg; } };
    const t = startBackupTimer(holder, { timers, firstDelayMs: 1000, intervalMs: 3_600_000, onResult: (r) => results.push(r) });
    const fire = async () => {
      const next = pending.shift()!;
      const before = results.length;
      next.fn();
      await expect.poll(() => results.length).toBeGreaterThan(before);
    };
    const dailyDir = path.join(backupsDir(env.dir), 'daily');

    await fire();
    expect(daily(dailyDir)).toHaveLength(1);
    // The stick's folder does not exist: nothing is written, nothing is created.
    expect(fs.existsSync(usbFolder)).toBe(false);
    await fire(); // an hour later, same day: nothing new
    expect(daily(dailyDir)).toHaveLength(1);

    env.clock.ms += 24 * 3600_000; // the laptop stays on overnight
    fs.mkdirSync(usbFolder); // and the stick is plugged in
    await fire();
    expect(daily(dailyDir)).toHaveLength(2);
    expect(daily(usbFolder)).toHaveLength(1);
    expect(fs.readdirSync(usbFolder).filter((f) => /-(wal|shm)$/.test(f))).toEqual([]);
    env.clock.ms += 24 * 3600_000;
    await fire();
    expect(daily(dailyDir)).toHaveLength(3);
    expect(daily(usbFolder)).toHaveLength(2);
    expect(results.every((r) => !r.error)).toBe(true);
    expect(pending).toHaveLength(1); // always one next check scheduled
    t.stop();
    expect(pending).toHaveLength(0);
  });

  it('refuses a backup folder that does not exist instead of creating it on the local disk', async () => {
    env = await openTestRegister();
    const missing = path.join(tempDir('daiban-media-'), 'usb');
    extra.push(path.dirname(missing));
    await expect(env.api.backupNow({ dir: missing })).rejects.toThrow(/备份位置不存在.*U盘/);
    expect(fs.existsSync(missing)).toBe(false);
    // Into an existing folder: one checked file, no -wal/-shm/.part left beside it.
    fs.mkdirSync(missing);
    const info = await backupTo(env.reg, missing, '手动-');
    expect(fs.readdirSync(missing)).toEqual([path.basename(info.path)]);
  });
});
