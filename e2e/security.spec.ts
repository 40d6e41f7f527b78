// The encrypted register as a user meets it: a weak PIN refused at setup, the recovery code shown
// once, the register locked after a restart until a PIN opens it, and the recovery code path.
import { expect, launchShell, POINT, test } from './fixtures';
import { keepRecoveryCode, signIn } from './helpers';

test('weak PIN refused, recovery code kept, restart needs a PIN, forgotten PIN reset with the recovery code', async ({ page, shell }) => {
  await page.goto(shell.url);
  await page.getByLabel('村级统计用区划代码').fill(POINT.code);
  await page.getByLabel('县（旗、区）名称').fill(POINT.county);
  await page.getByLabel('乡镇（苏木）名称').fill(POINT.township);
  await page.getByLabel('村（嘎查、社区）名称').fill(POINT.village);
  await page.getByLabel('代办员1 姓名').fill(POINT.agent);
  await page.getByLabel('密码/PIN').first().fill('123456');
  await page.getByLabel('再输一次密码').first().fill('123456');
  await page.getByRole('button', { name: '完成设置' }).click();
  await expect(page.getByText('PIN 不能是连续的数字').first()).toBeVisible();
  await page.getByLabel('密码/PIN').first().fill(POINT.pin);
  await page.getByLabel('再输一次密码').first().fill(POINT.pin);
  await page.getByRole('button', { name: '完成设置' }).click();
  await expect(page.getByTestId('recovery-sheet')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/recovery-sheet.png' });
  const code = await keepRecoveryCode(page);
  await expect(page.getByTestId('current-agent')).toContainText(POINT.agent);

  // Restart: the register is locked; the sign-in screen still shows the point and the names.
  await shell.stop();
  const again = await launchShell(shell.dataDir);
  try {
    await page.goto(again.url);
    await expect(page.getByTestId('signin-signIn')).toBeVisible();
    await expect(page.getByText('五原县巴彦镇红旗村便民服务代办点')).toBeVisible();
    await page.getByRole('radio', { name: new RegExp(POINT.agent) }).click();
    await page.locator('#signin-pin').fill('999999');
    await page.locator('#signin-pin').press('Enter');
    await expect(page.getByRole('alert')).toContainText('密码不正确');

    await page.getByRole('button', { name: '忘记 PIN？用恢复码' }).click();
    await page.locator('#recover-code').fill(code.toLowerCase());
    await page.locator('#recover-pin').fill('802113');
    await page.locator('#recover-pin2').fill('802113');
    await page.screenshot({ path: 'test-results/screens/recover-panel.png' });
    await page.getByRole('button', { name: '打开并设置新 PIN' }).click();
    await expect(page.getByTestId('current-agent')).toContainText(POINT.agent);
    await page.getByRole('button', { name: /切换代办员/ }).click();
    await signIn(page, POINT.agent, '802113');
  } finally {
    await again.stop();
  }
});
