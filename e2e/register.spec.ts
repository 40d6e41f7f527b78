import { test, expect, IDS, screenshot } from './fixtures';
import { choose, radio, readyToWork, signIn } from './helpers';
import { chromium, type Page } from '@playwright/test';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function chinaToday(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function fillApplicant(page: Page, idNumber: string, name: string, phone: string) {
  await page.getByLabel('居民身份证号码').fill(idNumber);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('手机/电话').fill(phone);
}

async function pickItem(page: Page, query: string, name: string) {
  await page.getByLabel('办理事项').click();
  await page.keyboard.type(query);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name }).first();
  await expect(option).toBeVisible();
  // The list is re-queried as the user types; let it settle before choosing.
  await page.waitForTimeout(500);
  await option.click();
  await expect(page.getByTestId('item-info')).toContainText('个工作日');
}

test('first-run setup, sign in, intake with a deferred material, find it by pinyin initials', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  // Sign out and back in as a user would at the start of a day.
  await page.getByRole('button', { name: /切换代办员/ }).click();
  await signIn(page);

  await page.getByTestId('nav-intake').click();
  await fillApplicant(page, IDS.zhangSan, '张三', '13812345678');
  await expect(page.getByTestId('id-derived')).toContainText('1985');
  await pickItem(page, 'zdsh', '城乡居民最低生活保障审核确认');
  const rows = page.locator('[data-testid^="material-row-"]');
  const n = await rows.count();
  expect(n).toBeGreaterThan(2);
  for (let i = 0; i < n; i++) {
    const name = (await rows.nth(i).locator('td').nth(1).locator('div').first().innerText()).trim();
    await choose(page, `${name} 收取情况`, name === '户口簿' ? '容缺后补' : '已收原件及复印件');
  }
  const promised = chinaToday(10);
  await page.getByLabel('户口簿 承诺补交日期').fill(promised);
  await page.getByLabel('户口簿 承诺补交日期').press('Enter');
  await screenshot(page, 'intake-filled');
  await page.getByTestId('save-intake').click();
  const caseNo = page.getByTestId('case-no');
  await expect(caseNo).toHaveText(new RegExp(`^150822101201-${chinaToday().replaceAll('-', '')}-\\d{3}$`));
  await expect(page.getByTestId('due-date')).toBeVisible();
  await screenshot(page, 'intake-saved');

  await page.getByTestId('nav-cases').click();
  await page.getByTestId('case-search').fill('zs');
  await page.getByTestId('case-search').press('Enter');
  await expect(page.getByRole('cell', { name: '张三' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '城乡居民最低生活保障审核确认' })).toBeVisible();
  await screenshot(page, 'case-list');
});

test('a wrong ID number is refused with a clear message and nothing typed is lost', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('居民身份证号码').fill('150822198503150011');
  await page.getByLabel('姓名').fill('张三');
  await page.getByLabel('姓名').press('Tab');
  await expect(page.getByText('身份证号码校验位不正确').first()).toBeVisible();
  await expect(page.getByLabel('姓名')).toHaveValue('张三');
});

test('a case goes through hand-up, decision, delivery and a 差评 return visit with its rectification', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await fillApplicant(page, IDS.liSi, '李四', '13998765432');
  await pickItem(page, 'lsjz', '临时救助申请');
  const rows = page.locator('[data-testid^="material-row-"]');
  for (let i = 0; i < (await rows.count()); i++) {
    const name = (await rows.nth(i).locator('td').nth(1).locator('div').first().innerText()).trim();
    await choose(page, `${name} 收取情况`, '已收原件及复印件');
  }
  await page.getByTestId('save-intake').click();
  await expect(page.getByTestId('case-no')).toBeVisible();
  await page.getByRole('button', { name: '查看此件' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已受理');

  const actions = page.getByTestId('case-actions');
  await actions.getByRole('button', { name: '报送' }).click();
  await page.getByLabel('报送单位').fill('巴彦镇便民服务中心');
  await page.getByRole('dialog').getByRole('button', { name: '确认报送' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已报送');

  await actions.getByRole('button', { name: '办结' }).click();
  await page.getByRole('dialog').getByText('准予', { exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认办结' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已办结');

  await actions.getByRole('button', { name: '送达' }).click();
  await choose(page, '送达方式', '当面送达');
  await page.getByLabel('送达对象（签收人）').fill('李四');
  await page.getByRole('dialog').getByRole('button', { name: '确认送达' }).click();
  await expect(page.getByTestId('case-status')).toHaveText('已送达');

  await page.getByRole('button', { name: '登记回访' }).click();
  const dialog = page.getByRole('dialog');
  await radio(page, '办结回访');
  await radio(page, '电话');
  await radio(page, '联系上了');
  await radio(page, '不满意');
  await expect(page.getByTestId('poor-rating-warning')).toBeVisible();
  await dialog.getByLabel('申请人意见').fill('跑了两趟才办好');
  await dialog.getByRole('button', { name: '保存回访' }).click();
  await expect(page.getByText('差评整改').first()).toBeVisible();

  await page.getByRole('button', { name: '整改完成' }).click();
  await page.getByLabel('整改情况').fill('已上门致歉，改进送达方式');
  await page.getByRole('dialog').getByRole('button', { name: '确认整改完成' }).click();
  const timeline = page.getByTestId('case-timeline');
  await expect(timeline).toContainText('整改完成');
  for (const step of ['受理登记', '报送', '办结', '送达', '回访登记', '差评整改立项']) await expect(timeline).toContainText(step);
  await screenshot(page, 'case-detail');
});

test('a visit is logged and turned into a case, keeping the link', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-visits').click();
  await page.getByTestId('new-visit').click();
  await page.getByLabel('来访人').fill('王五');
  await page.getByLabel('来访事由').fill('咨询高龄津贴怎么申请');
  await radio(page, '来访');
  await radio(page, '办事');
  await choose(page, '处理方式', '当场答复');
  await page.getByTestId('save-visit').click();
  await expect(page.getByTestId('visit-to-case')).toBeVisible();
  await page.getByTestId('visit-to-case').click();
  await page.getByLabel('居民身份证号码').fill(IDS.wangWu);
  await expect(page.getByLabel('姓名')).toHaveValue('王五');
  await pickItem(page, 'gljt', '高龄津贴申领');
  const rows = page.locator('[data-testid^="material-row-"]');
  for (let i = 0; i < (await rows.count()); i++) {
    const name = (await rows.nth(i).locator('td').nth(1).locator('div').first().innerText()).trim();
    await choose(page, `${name} 收取情况`, '已收原件及复印件');
  }
  await page.getByTestId('save-intake').click();
  const caseNo = await page.getByTestId('case-no').innerText();
  await page.getByTestId('nav-visits').click();
  await page.getByRole('cell', { name: '王五' }).first().click();
  await expect(page.getByTestId('visit-case-no')).toContainText(caseNo);
});

test('an unfinished intake is offered back after the browser is killed mid-typing', async ({ shell }) => {
  // A persistent profile, killed with SIGKILL like a power cut (no unload handlers, no last save),
  // then started again on the same profile.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
    });
  const first = await launch();
  const page = first.pages()[0] ?? (await first.newPage());
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('居民身份证号码').fill(IDS.zhangSan);
  await page.getByLabel('姓名').fill('张三');
  await page.getByLabel('住址').fill('红旗村三组12号');
  await page.waitForTimeout(800); // autosave debounce is ≤300 ms
  const pids = execSync('ps -eo pid=,args=')
    .toString()
    .split('\n')
    .filter((l) => l.includes(`--user-data-dir=${profile}`))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone with its parent
    }
  }
  await first.close().catch(() => undefined);

  const second = await launch();
  const again = second.pages()[0] ?? (await second.newPage());
  await again.goto(shell.url);
  await expect(again.getByTestId('signin-signIn').or(again.getByTestId('current-agent'))).toBeVisible();
  if (await again.getByTestId('signin-signIn').isVisible()) await signIn(again);
  // The app offers the draft back as soon as it opens.
  await expect(again.getByText(/发现未完成的受理登记/)).toBeVisible();
  await again.getByRole('button', { name: '恢复' }).click();
  await expect(again.getByLabel('姓名')).toHaveValue('张三');
  await expect(again.getByLabel('住址')).toHaveValue('红旗村三组12号');
  await second.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

test('the screen locks after 10 idle minutes and the typed form survives the unlock', async ({ page, shell }) => {
  await page.clock.install();
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('姓名').fill('张三');
  await page.clock.fastForward('09:00');
  await expect(page.getByTestId('signin-lock')).toHaveCount(0);
  await page.clock.fastForward('01:10');
  await expect(page.getByTestId('signin-lock')).toBeVisible();
  // Locked means signed out on the register side too, not just covered.
  const token = new URL(shell.url).searchParams.get('token');
  const res = await page.request.post(new URL('/api/call', shell.url).href, {
    headers: { authorization: `Bearer ${token}` },
    data: { method: 'today', input: {} },
  });
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  await page.locator('#signin-pin').fill('135246');
  await page.locator('#signin-pin').press('Enter');
  await expect(page.getByTestId('signin-lock')).toHaveCount(0);
  await expect(page.getByLabel('姓名')).toHaveValue('张三');
});
