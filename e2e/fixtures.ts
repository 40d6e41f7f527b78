// Starts the real browser shell (`web/main.ts`) on a temporary data dir for each test file.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Shell = { url: string; dataDir: string; proc: ChildProcess; stop(): Promise<void> };

export async function launchShell(dataDir?: string): Promise<Shell> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-e2e-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'web/main.ts', '--data-dir', dir, '--no-open', '--no-build', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser shell did not start: ${out}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /URL: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => reject(new Error(`browser shell exited (${code}): ${out}`)));
  });
  return {
    url,
    dataDir: dir,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export const test = base.extend<{ shell: Shell }>({
  // eslint-disable-next-line no-empty-pattern
  shell: async ({}, use) => {
    const shell = await launchShell();
    await use(shell);
    await shell.stop();
    fs.rmSync(shell.dataDir, { recursive: true, force: true });
  },
});

export { expect };

export const POINT = {
  code: '150822101201',
  village: '红旗村',
  township: '巴彦镇',
  county: '五原县',
  agent: '王秀兰',
  agentPhone: '13904781234',
  pin: '135246',
};

/** Valid resident ID numbers for the tests (check characters computed by the GB 11643 rule). */
export const IDS = { zhangSan: '150822198503150010', liSi: '150822199001010020', wangWu: '150822196207080047' };

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: `test-results/screens/${name}.png` });
}
