// 设置 → 恢复 with a backup brought on a USB stick from another laptop of the same point (made there
// with the real CLI, so it has its own key): the dialog says whose backup it is and asks for an agent's
// PIN of that backup or the recovery code; a wrong PIN and a wrong recovery code are said plainly and
// replace nothing; the right PIN restores it and that agent signs in. Another point's backup needs the
// explicit "this laptop now serves that point" confirmation.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, POINT, screenshot, test } from './fixtures';
import { readyToWork, signIn } from './helpers';

/** Another laptop: a point set up with the CLI and one manual backup on the "stick"; returns the file and recovery code. */
function otherLaptopBackup(root: string, name: string, villageCode: string, village: string, agent: string, pin: string): { file: string; recovery: string } {
  const data = path.join(root, name);
  const stick = path.join(root, `${name}-stick`);
  fs.mkdirSync(stick, { recursive: true });
  const run = (args: string[], input = '') => {
    const r = spawnSync(process.execPath, ['bin/daiban.mjs', ...args, '--data-dir', data], { input, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`daiban ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  };
  const init = run(['init', '--village-code', villageCode, '--village-name', village, '--township', POINT.township, '--county', POINT.county, '--agent', `${agent}:13904785555:${pin}`]);
  const recovery = /([2-9A-Z]{5}(?:-[2-9A-Z]{5}){4})/.exec(init)![1];
  run(['backup', '--out', stick, '--pin-stdin'], `${pin}\n`);
  const file = fs.readdirSync(stick).find((f) => f.endsWith('.sqlite'))!;
  return { file: path.join(stick, file), recovery };
}

test("restores another laptop's backup with its agent's PIN; wrong PIN, wrong recovery code and another point are refused plainly", async ({ page, shell }) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-e2e-other-'));
  try {
    const same = otherLaptopBackup(root, 'laptop2', POINT.code, POINT.village, '李芳', '246810');
    const other = otherLaptopBackup(root, 'laptop3', '150822101202', '胜利村', '赵刚', '802113');

    await readyToWork(page, shell.url);
    await page.goto(`${shell.url}#/settings`);
    const file = page.getByLabel('要恢复的备份文件');

    // Another point's backup: said, and 确定恢复 stays off until the agent confirms.
    await file.fill(other.file);
    await page.getByRole('button', { name: '检查并恢复…' }).click();
    const dialog = page.getByRole('dialog', { name: '从备份恢复数据' });
    await expect(dialog.getByText('这份备份属于另一个代办点（五原县巴彦镇胜利村便民服务代办点）')).toBeVisible();
    await dialog.getByRole('radio', { name: '赵刚' }).check();
    await dialog.getByLabel('该代办员的 PIN').fill('802113');
    await expect(dialog.getByRole('button', { name: '确定恢复' })).toBeDisabled();
    await dialog.getByRole('button', { name: '取消' }).click();
    await expect(dialog).toBeHidden();

    // The same point, another laptop: PIN or recovery code of that backup.
    await file.fill(same.file);
    await page.getByRole('button', { name: '检查并恢复…' }).click();
    await expect(dialog.getByText('五原县巴彦镇红旗村便民服务代办点（150822101201）')).toBeVisible();
    await expect(dialog.getByText('这份备份是在另一台电脑上（或更换密钥之前）做的，已加密。')).toBeVisible();
    await expect(dialog.getByText('这份备份属于另一个代办点')).toHaveCount(0);
    // This laptop's PIN is not that backup's.
    await dialog.getByRole('radio', { name: '李芳' }).check();
    await dialog.getByLabel('该代办员的 PIN').fill(POINT.pin);
    await dialog.getByRole('button', { name: '确定恢复' }).click();
    await expect(dialog.getByTestId('restore-error')).toContainText('PIN 不正确，备份未恢复');
    await dialog.getByText('恢复码', { exact: true }).click();
    await dialog.getByLabel('该代办点的恢复码').fill(other.recovery);
    await dialog.getByRole('button', { name: '确定恢复' }).click();
    await expect(dialog.getByTestId('restore-error')).toContainText('恢复码不正确，备份未恢复');
    await screenshot(page, 'restore-elsewhere-wrong-code');
    // Nothing was replaced: this laptop's agent is still signed in.
    await expect(page.getByTestId('current-agent')).toContainText(POINT.agent);

    await dialog.getByText('代办员 PIN', { exact: true }).click();
    await dialog.getByRole('radio', { name: '李芳' }).check();
    await dialog.getByLabel('该代办员的 PIN').fill('246810');
    // A new answer clears the old complaint.
    await expect(dialog.getByTestId('restore-error')).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: '确定恢复' })).toBeEnabled();
    await screenshot(page, 'restore-elsewhere-pin');
    await dialog.getByRole('button', { name: '确定恢复' }).click();
    const done = page.getByRole('dialog').filter({ hasText: '恢复完成' });
    await expect(done).toContainText('恢复前的数据已备份到');
    await expect(done).toContainText('用备份中代办员的 PIN');
    await done.getByRole('button', { name: '知道了' }).click();

    // Signed out; the backup's agent signs in with the PIN from the other laptop.
    await expect(page.getByTestId('signin-signIn')).toBeVisible();
    await expect(page.getByRole('radio', { name: new RegExp(POINT.agent) })).toHaveCount(0);
    await signIn(page, '李芳', '246810');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
