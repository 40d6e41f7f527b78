// Issue 10's rules as a user meets them: dates refused with their reason (and never silently put
// back), a known ID number typed with another name, archiving while a 容缺 material is owed, and a
// visit's phone carried into its case.
import { test, expect, IDS, screenshot } from './fixtures';
import { choose, radio, readyToWork } from './helpers';
import type { Page } from '@playwright/test';

function chinaToday(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function pickItem(page: Page, query: string, name: string) {
  await page.getByLabel('办理事项').click();
  await page.keyboard.type(query);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name }).first();
  await expect(option).toBeVisible();
  await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option').first()).toContainText(name);
  await option.click();
  await expect(page.getByTestId('item-info')).toContainText('个工作日');
}

async function receiveAll(page: Page, deferred?: { name: string; date: string }) {
  if (!deferred) {
    await page.getByRole('button', { name: '未核对的材料按要求设为“已收”' }).click();
    await expect(page.getByText(/项材料未核对/)).toHaveCount(0);
    return;
  }
  const rows = page.locator('[data-testid^="material-row-"]');
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const name = (await rows.nth(i).locator('td').nth(1).locator('div').first().innerText()).trim();
    await choose(page, `${name} 收取情况`, deferred?.name === name ? '容缺后补' : '已收原件及复印件');
  }
  if (deferred) {
    await page.getByLabel(`${deferred.name} 承诺补交日期`).fill(deferred.date);
    await page.getByLabel(`${deferred.name} 承诺补交日期`).press('Enter');
  }
}

/** Types a date into an antd DatePicker as a user would, and leaves the box. */
async function typeDate(page: Page, selector: string, date: string) {
  const box = page.locator(selector);
  await box.click();
  await box.press('Control+a');
  await box.pressSequentially(date);
  await box.press('Enter');
  await page.keyboard.press('Escape');
}

test('a 受理日期 of 1900-01-01 stays in the box with its reason and is not saved', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('居民身份证号码').fill(IDS.zhangSan);
  await page.getByLabel('姓名').fill('张三');
  await pickItem(page, 'lsjz', '临时救助申请');
  await receiveAll(page);
  await typeDate(page, '#intakeDate', '1900-01-01');
  await expect(page.locator('#intakeDate')).toHaveValue('1900-01-01');
  await expect(page.getByText(`受理日期 1900-01-01 太早：本代办点 ${chinaToday()} 开始使用台账`)).toBeVisible();
  await page.getByTestId('save-intake').click();
  await expect(page.getByTestId('case-no')).toHaveCount(0);
  await screenshot(page, 'rules-intake-1900');

  // 40 days back is a 补录 beyond the window: allowed once the agent ticks 确认补录.
  await typeDate(page, '#intakeDate', chinaToday(-40));
  await expect(page.getByText(/超过补录期限（30 天）/).first()).toBeVisible();
  await page.getByTestId('backfill-confirm').click();
  await page.getByTestId('save-intake').click();
  await expect(page.getByTestId('case-no')).toHaveText(new RegExp(`^150822101201-${chinaToday(-40).replaceAll('-', '')}-\\d{3}$`));
});

test('a typed future visit date is kept with its reason, not replaced by the previous value', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-visits').click();
  await page.getByTestId('new-visit').click();
  await page.getByLabel('来访人').fill('王五');
  await page.getByLabel('来访事由').fill('咨询高龄津贴怎么申请');
  const future = chinaToday(3);
  await typeDate(page, '#visitDate', future);
  await expect(page.locator('#visitDate')).toHaveValue(future);
  await expect(page.getByText(`来访日期 ${future} 晚于今天`)).toBeVisible();
  await page.getByTestId('save-visit').click();
  await expect(page.getByText(`来访日期 ${future} 晚于今天`)).toBeVisible();
  await screenshot(page, 'rules-visit-future');
});

test('a known ID number typed with another name asks which is true; 保留 keeps the record', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('居民身份证号码').fill(IDS.liSi);
  await page.getByLabel('姓名').fill('李四');
  await pickItem(page, 'lsjz', '临时救助申请');
  await receiveAll(page);
  await page.getByTestId('save-intake').click();
  await expect(page.getByTestId('case-no')).toBeVisible();
  await page.getByRole('button', { name: '继续受理下一件' }).click();

  // Name first, then the ID number: the record is found, the typed name stays.
  await page.getByLabel('姓名').fill('李泗');
  await page.getByLabel('居民身份证号码').fill(IDS.liSi);
  await expect(page.getByTestId('known-applicant')).toBeVisible();
  await pickItem(page, 'lsjz', '临时救助申请');
  await receiveAll(page);
  await page.getByTestId('save-intake').click();
  const dialog = page.getByTestId('name-conflict');
  await expect(dialog).toContainText('这个身份证号码已登记为“李四”，这次填写的是“李泗”');
  await screenshot(page, 'rules-name-conflict');
  await page.getByTestId('name-keep').click();
  await expect(page.getByTestId('case-no')).toBeVisible();
  await page.getByRole('button', { name: '查看此件' }).click();
  await expect(page.getByText('李四').first()).toBeVisible();
  await expect(page.getByText('李泗')).toHaveCount(0);
});

test('archiving while a 容缺 material is owed is refused with what is still owed', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('居民身份证号码').fill(IDS.zhangSan);
  await page.getByLabel('姓名').fill('张三');
  await pickItem(page, 'zdsh', '城乡居民最低生活保障审核确认');
  const promised = chinaToday(10);
  await receiveAll(page, { name: '户口簿', date: promised });
  await page.getByTestId('save-intake').click();
  await expect(page.getByTestId('case-no')).toBeVisible();
  await page.getByRole('button', { name: '查看此件' }).click();
  const actions = page.getByTestId('case-actions');
  await actions.getByRole('button', { name: '办结' }).click();
  await page.getByRole('dialog').getByText('准予', { exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认办结' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已办结');
  await actions.getByRole('button', { name: '送达' }).click();
  await choose(page, '送达方式', '当面送达');
  await page.getByRole('dialog').getByRole('button', { name: '确认送达' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已送达');
  await expect(page.getByTestId('archive-blocked')).toContainText(`“户口簿”（承诺 ${promised} 前补交）还没有补交`);
  await actions.getByRole('button', { name: '归档' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认归档' }).click();
  await expect(page.getByText('这件还不能归档').first()).toBeVisible();
  await screenshot(page, 'rules-archive-refused');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('case-status')).toHaveText('已送达');
});

test('a visit turned into a case keeps the visitor phone without retyping', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-visits').click();
  await page.getByTestId('new-visit').click();
  await page.getByLabel('来访人').fill('王五');
  await page.getByLabel('联系电话').fill('13512345678');
  await page.getByLabel('来访事由').fill('咨询高龄津贴怎么申请');
  await radio(page, '来访');
  await radio(page, '办事');
  await choose(page, '处理方式', '当场答复');
  await page.getByTestId('save-visit').click();
  await page.getByTestId('visit-to-case').click();
  await expect(page.getByTestId('phone-kept')).toContainText('来访登记：135****5678');
  await page.getByLabel('居民身份证号码').fill(IDS.wangWu);
  await pickItem(page, 'gljt', '高龄津贴申领');
  await receiveAll(page);
  await page.getByTestId('save-intake').click();
  await expect(page.getByTestId('case-no')).toBeVisible();
  await page.getByRole('button', { name: '查看此件' }).click();
  await expect(page.getByText('135****5678').first()).toBeVisible();
});
