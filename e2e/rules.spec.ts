// Issue 10 rules on the screens: one phone rule at setup (grouped display, 12345 as 投诉电话),
// duplicate agent names refused at setup and when adding, a pilot-registry credit code confirmed at intake.
import { test, expect, POINT, screenshot } from './fixtures';
import { choose, radio, readyToWork, signIn } from './helpers';

test('setup accepts phones as people type them, shows them grouped, takes 12345 as 投诉电话 and refuses a repeated agent name', async ({ page, shell }) => {
  await page.goto(shell.url);
  await expect(page.getByText('首次设置').first()).toBeVisible();
  await page.getByLabel('村级统计用区划代码').fill(POINT.code);
  await page.getByLabel('县（旗、区）名称').fill(POINT.county);
  await page.getByLabel('乡镇（苏木）名称').fill(POINT.township);
  await page.getByLabel('村（嘎查、社区）名称').fill(POINT.village);

  const consult = page.getByLabel('咨询电话');
  await consult.fill('13904781234');
  await consult.press('Tab');
  await expect(consult).toHaveValue('139 0478 1234');
  await consult.fill('139 0478 1234');
  const complaint = page.getByLabel('投诉电话');
  await complaint.fill('12345');
  await complaint.press('Tab');
  await expect(complaint).toHaveValue('12345');

  // Two agents with one name: the second card could not be told apart on the sign-in screen.
  await page.getByLabel('代办员1 姓名').fill('王秀兰');
  await page.getByLabel('手机').nth(0).fill('0478 8412345 转 801');
  await page.getByLabel('密码/PIN').nth(0).fill('1234');
  await page.getByLabel('再输一次密码').nth(0).fill('1234');
  await page.getByRole('button', { name: '再添加一名代办员' }).click();
  await page.getByLabel('代办员2 姓名').fill('王秀兰');
  await page.getByLabel('密码/PIN').nth(1).fill('5678');
  await page.getByLabel('再输一次密码').nth(1).fill('5678');
  await page.getByRole('button', { name: '完成设置' }).click();
  await expect(page.getByText('值班表上已经有一位“王秀兰”。登录界面和台账靠姓名区分代办员，请加上区分，例如“王秀兰（二组）”')).toBeVisible();
  await expect(page.getByLabel('投诉电话')).not.toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'setup-duplicate-agent');

  await page.getByLabel('代办员2 姓名').fill('王秀兰（二组）');
  await page.getByRole('button', { name: '完成设置' }).click();
  const signInCard = page.getByTestId('signin-signIn');
  await expect(signInCard.or(page.getByTestId('current-agent'))).toBeVisible();
  if (await signInCard.isVisible()) await signIn(page, '王秀兰', '1234');

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('consult-phone')).toHaveText('139 0478 1234');
  await expect(page.getByTestId('complaint-phone')).toHaveText('12345');
  await expect(page.getByRole('cell', { name: '王秀兰（二组）', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: '0478-*****45 转 801', exact: true })).toBeVisible();

  // Adding an agent whose name is taken is refused in the dialog, before anything is saved.
  await page.getByRole('button', { name: '添加代办员' }).click();
  const dialog = page.getByRole('dialog', { name: '添加代办员' });
  await dialog.getByLabel('姓名').fill('王秀兰（二组）');
  await dialog.getByLabel('密码/PIN').fill('4321');
  await dialog.getByLabel('再输一次密码').fill('4321');
  await dialog.getByRole('button', { name: '添加' }).click();
  await expect(dialog.getByText('值班表上已经有一位“王秀兰（二组）”')).toBeVisible();
  await screenshot(page, 'settings-duplicate-agent');
  await dialog.getByLabel('姓名').fill('王秀兰（三组）');
  await dialog.getByRole('button', { name: '添加' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('cell', { name: '王秀兰（三组）', exact: true })).toBeVisible();
  await screenshot(page, 'settings-phones');
});

test('a credit code from an early pilot registry is entered after ticking the confirmation, and the case history says so', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await radio(page, '组织（合作社、企业）');
  const code = page.getByLabel('统一社会信用代码');
  await code.fill('91350211M0000XUF46');
  await code.press('Tab');
  await expect(page.getByText(/统一社会信用代码校验位不正确：按 GB 32100 计算最后一位应为“.”，这里是“6”/)).toBeVisible();
  const confirm = page.getByTestId('credit-code-confirm');
  await expect(confirm).toBeVisible();
  await screenshot(page, 'intake-pilot-credit-code');
  await confirm.check();
  await expect(page.getByText(/统一社会信用代码校验位不正确/)).toBeHidden();
  await page.getByLabel('组织名称').fill('云上晴空合作社');

  await page.getByLabel('办理事项').click();
  await page.keyboard.type('lsjz');
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '临时救助申请' }).first();
  // The list is re-queried as the user types: click until the choice sticks.
  await expect(async () => {
    await option.click();
    await expect(page.getByTestId('item-info')).toContainText('个工作日', { timeout: 1000 });
  }).toPass();
  const rows = page.locator('[data-testid^="material-row-"]');
  await expect(rows.first()).toBeVisible();
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const name = (await rows.nth(i).locator('td').nth(1).locator('div').first().innerText()).trim();
    await choose(page, `${name} 收取情况`, '已收原件及复印件');
  }
  await page.getByTestId('save-intake').click();
  await expect(page.getByTestId('case-no')).toBeVisible();
  await page.getByRole('button', { name: '查看此件' }).click();
  await expect(page.getByTestId('case-timeline')).toContainText('确认早期试点统一社会信用代码（校验位不符）');
  await expect(page.getByTestId('case-timeline')).toContainText('代办员已核对营业执照');
});
