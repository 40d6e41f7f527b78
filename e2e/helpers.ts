import { expect, type Page } from '@playwright/test';
import { POINT } from './fixtures';

const exactly = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/**
 * Picks an option in an antd Select with this accessible label (a Form.Item label or aria-label), the
 * way a user does: waits until the select is shown, enabled and still (a dialog's opening animation is
 * over), opens it, waits for the dropdown that belongs to it — found through the listbox the combobox
 * points at (aria-controls), not "the last open dropdown" — clicks the option and checks the select
 * now shows it. Reopens only while the select reports itself closed, so it never toggles an open one shut.
 */
export async function choose(page: Page, label: string | RegExp, option: string): Promise<void> {
  // The combobox itself (an aria-label names the select's root as well; a Form.Item label only the input).
  const input = page.getByRole('combobox', { name: label }).first();
  await expect(input).toBeVisible();
  await expect(input).toBeEnabled();
  // The combobox input sits under the shown value; the user clicks the select's box.
  const select = page.locator('.ant-select').filter({ has: input }).last();
  const selector = select.locator('.ant-select-selector');
  await expect(async () => {
    if ((await input.getAttribute('aria-expanded')) !== 'true') await selector.click();
    await expect(input).toHaveAttribute('aria-expanded', 'true', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const listId = await input.getAttribute('aria-controls');
  expect(listId, 'the select names its listbox').toBeTruthy();
  const dropdown = page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) });
  await dropdown.locator('.ant-select-item-option').filter({ hasText: exactly(option), visible: true }).first().click();
  await expect(select.locator('.ant-select-selection-item')).toHaveText(exactly(option));
  await expect(input).toHaveAttribute('aria-expanded', 'false');
}

/** Clicks the visible antd radio button with exactly this text. */
export async function radio(page: Page, text: string): Promise<void> {
  await page.locator('label.ant-radio-button-wrapper:visible, label.ant-radio-wrapper:visible').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).first().click();
}

/** First run as a new user would do it: the point, one agent on the roster. */
export async function firstRunSetup(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByText('首次设置').first()).toBeVisible();
  await page.getByLabel('村级统计用区划代码').fill(POINT.code);
  await page.getByLabel('县（旗、区）名称').fill(POINT.county);
  await page.getByLabel('乡镇（苏木）名称').fill(POINT.township);
  await page.getByLabel('村（嘎查、社区）名称').fill(POINT.village);
  await expect(page.getByTestId('unit-name-preview')).toHaveText('五原县巴彦镇红旗村便民服务代办点');
  await page.getByLabel('代办员1 姓名').fill(POINT.agent);
  await page.getByLabel('手机').first().fill(POINT.agentPhone);
  await page.getByLabel('密码/PIN').first().fill(POINT.pin);
  await page.getByLabel('再输一次密码').first().fill(POINT.pin);
  await page.getByRole('button', { name: '完成设置' }).click();
  await keepRecoveryCode(page);
}

/** The recovery code is shown once after setup: it must be confirmed as printed/kept before work starts. */
export async function keepRecoveryCode(page: Page): Promise<string> {
  const sheet = page.getByTestId('recovery-sheet');
  await expect(sheet).toBeVisible();
  const code = (await page.getByTestId('recovery-code').innerText()).trim();
  expect(code).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){4}$/);
  await expect(page.getByRole('button', { name: '继续' })).toBeDisabled();
  await page.getByRole('checkbox', { name: /我已打印或抄写恢复码/ }).check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(sheet).toBeHidden();
  return code;
}

export async function signIn(page: Page, agent = POINT.agent, pin = POINT.pin): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(agent) }).click();
  await page.locator('#signin-pin').fill(pin);
  await page.locator('#signin-pin').press('Enter');
  await expect(page.getByTestId('current-agent')).toContainText(agent);
}

/** Setup, then make sure someone is signed in (setup may sign the first agent in already). */
export async function readyToWork(page: Page, url: string): Promise<void> {
  await firstRunSetup(page, url);
  const signInCard = page.getByTestId('signin-signIn');
  await expect(signInCard.or(page.getByTestId('current-agent'))).toBeVisible();
  if (await signInCard.isVisible()) await signIn(page);
}
