// Addresses inside the app (react-router, hash history): a pasted or reloaded address opens the same
// page, the back button walks back through pages, an unknown address says so in Chinese — in the
// browser shell and from file:// as Electron loads the renderer (its preload simulated by a bridge
// to the same register).
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from './fixtures';
import { readyToWork } from './helpers';

test('deep links, reloads, the back button and unknown addresses in the browser shell', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  const origin = new URL(shell.url).origin;

  await page.goto(`${origin}/#/visits/new`);
  await expect(page.getByRole('heading', { name: '登记来访' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: '登记来访' })).toBeVisible();
  await expect(page.getByTestId('nav-visits').locator('xpath=ancestor::li')).toHaveClass(/ant-menu-item-selected/);

  await page.getByTestId('nav-cases').click();
  await expect(page).toHaveURL(/#\/cases$/);
  await page.getByTestId('nav-settings').click();
  await expect(page).toHaveURL(/#\/settings$/);
  await page.goBack();
  await expect(page).toHaveURL(/#\/cases$/);
  await expect(page.getByTestId('nav-cases').locator('xpath=ancestor::li')).toHaveClass(/ant-menu-item-selected/);

  await page.goto(`${origin}/#/no-such-page`);
  await expect(page.getByText('没有这个页面')).toBeVisible();
  await page.getByRole('link', { name: '回到今日' }).click();
  await expect(page).toHaveURL(/#\/today$/);
  await expect(page.getByText('没有这个页面')).toHaveCount(0);
});

test('from file:// (as Electron loads it) a deep link opens its page and survives a reload', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  const token = new URL(shell.url).searchParams.get('token')!;
  // Chromium refuses module scripts from file:// unless told otherwise; Electron allows them.
  const browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
  });
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  // Electron's preload exposes window.daiban.call; here it is bridged to the running register.
  await ctx.exposeFunction('__daibanCall', async (method: string, input: unknown) => {
    const res = await fetch(new URL('/api/call', shell.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ method, input }),
    });
    return res.json();
  });
  await ctx.addInitScript(() => {
    const w = window as unknown as { daiban: unknown; __daibanCall: (m: string, i: unknown) => Promise<unknown> };
    w.daiban = { call: (m: string, i: unknown) => w.__daibanCall(m, i) };
  });
  const p = await ctx.newPage();
  const index = pathToFileURL(path.resolve('dist-renderer/index.html')).href;
  await p.goto(`${index}#/settings`);
  await expect(p.getByTestId('nav-settings').locator('xpath=ancestor::li')).toHaveClass(/ant-menu-item-selected/);
  await p.getByTestId('nav-visits').click();
  await expect(p).toHaveURL(/index\.html#\/visits$/);
  await p.reload();
  await expect(p.getByTestId('new-visit')).toBeVisible();
  await p.goBack();
  await expect(p).toHaveURL(/index\.html#\/settings$/);
  await browser.close();
});
