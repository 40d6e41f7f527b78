// A pasted 500-character search: the box keeps a sane length, the list answers, and the recent-search
// button stays a button instead of widening the page to ~2,600 px.
import { test, expect, screenshot } from './fixtures';
import { readyToWork } from './helpers';

test('an over-long search is cut to the limit and its recent-search button stays narrow', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-cases').click();
  const box = page.getByTestId('case-search');
  await box.fill('张三李四'.repeat(125));
  expect((await box.inputValue()).length).toBeLessThanOrEqual(60);
  await box.press('Enter');
  await expect(page.getByText('没有符合条件的代办件')).toBeVisible();
  await expect(page.getByText(/搜索内容过长|内容过长/)).toHaveCount(0);

  const recent = page.locator('.ant-tag-checkable').filter({ hasText: '张三李四' });
  await expect(recent).toHaveCount(1);
  const width = (await recent.boundingBox())!.width;
  expect(width).toBeLessThanOrEqual(300);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
  await screenshot(page, 'cases-long-search');
  // The full text is still there to read on hover.
  expect(((await recent.locator('[title]').getAttribute('title')) ?? '').length).toBe((await box.inputValue()).length);
});
