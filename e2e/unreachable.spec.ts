// With the local service down, screens say so (with 重试) instead of showing empty lists that read as
// lost data: 代办件, 来访登记, 今日, and a banner over every page until the service answers again.
import { test, expect, screenshot } from './fixtures';
import { readyToWork } from './helpers';

test('lists and 今日 say the service is unreachable, and 重试 brings the list back', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-cases').click();
  await expect(page.getByText('还没有代办件')).toBeVisible();

  // The service stops answering (as when its process is gone): the connection is refused.
  await page.route('**/api/call', (route) => route.abort('connectionrefused'));
  await page.getByTestId('case-search').fill('张三');
  await page.getByTestId('case-search').press('Enter');
  await expect(page.locator('.ant-table').getByTestId('load-failed')).toContainText('无法连接到代办通服务');
  await expect(page.getByText('没有符合条件的代办件')).toHaveCount(0);
  await expect(page.getByTestId('service-unreachable')).toBeVisible();

  await page.getByTestId('nav-visits').click();
  await expect(page.getByTestId('new-visit')).toBeVisible();
  await expect(page.locator('.ant-table').getByTestId('load-failed')).toContainText('无法连接到代办通服务');
  await expect(page.getByText('没有来访登记')).toHaveCount(0);

  await page.getByTestId('nav-today').click();
  await expect(page.getByTestId('today-list').getByTestId('load-failed')).toContainText('无法连接到代办通服务');
  await expect(page.getByTestId('today-card-overdue')).toContainText('—');
  await screenshot(page, 'today-unreachable');

  // The service is back: 重试 reads again, the banner goes away with the answer.
  await page.getByTestId('nav-cases').click();
  const casesFailed = page.locator('.ant-table').getByTestId('load-failed');
  await expect(casesFailed).toContainText('无法连接到代办通服务');
  await page.unroute('**/api/call');
  await casesFailed.getByRole('button', { name: '重试' }).click();
  await expect(page.getByText('没有符合条件的代办件')).toBeVisible();
  await expect(page.getByTestId('service-unreachable')).toHaveCount(0);

  // A real stop of the shell's process reads the same.
  await shell.stop();
  await page.getByTestId('nav-today').click();
  await expect(page.getByTestId('service-unreachable')).toBeVisible();
  await expect(page.getByTestId('today-list').getByTestId('load-failed')).toContainText('无法连接到代办通服务');
});
