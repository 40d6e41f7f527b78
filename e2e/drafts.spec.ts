// Drafts across a real restart of the browser shell: a new process on the same data folder comes up on
// another port (another browser origin), with a fresh browser profile — the unfinished intake is still
// offered back, the browser profile never held it, and it is gone once discarded or saved.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IDS, launchShell, type Shell } from './fixtures';
import { choose, radio, readyToWork, signIn } from './helpers';

const test = base;

async function call(request: APIRequestContext, shell: Shell, method: string, input: unknown): Promise<{ ok: boolean; value?: unknown }> {
  const token = new URL(shell.url).searchParams.get('token');
  const res = await request.post(new URL('/api/call', shell.url).href, { headers: { authorization: `Bearer ${token}` }, data: { method, input } });
  return (await res.json()) as { ok: boolean; value?: unknown };
}

async function agentId(request: APIRequestContext, shell: Shell): Promise<string> {
  const s = (await call(request, shell, 'getAppState', {})).value as { currentAgent: { id: string } };
  return s.currentAgent.id;
}

/** What the register holds as this agent's draft of `kind` (null when none). */
async function storedDraft(request: APIRequestContext, shell: Shell, kind: 'intake' | 'visit'): Promise<unknown> {
  const r = await call(request, shell, 'loadDraft', { kind, agentId: await agentId(request, shell) });
  expect(r.ok).toBe(true);
  return r.value;
}

/** Drafts kept in this browser profile's IndexedDB (the old place, per origin). */
function profileDrafts(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('daiban-drafts');
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('drafts')) return resolve(0);
          const req = db.transaction('drafts').objectStore('drafts').count();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => resolve(-1);
        };
        open.onerror = () => resolve(-1);
      }),
  );
}

test('an unfinished intake comes back after the browser shell restarts on another port, and is gone once discarded', async ({ browser }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-e2e-drafts-'));
  const first = await launchShell(dataDir);
  const ctx1 = await browser.newContext();
  const page = await ctx1.newPage();
  await readyToWork(page, first.url);
  await page.getByTestId('nav-intake').click();
  await page.getByLabel('居民身份证号码').fill(IDS.zhangSan);
  await page.getByLabel('姓名').fill('张三');
  await page.getByLabel('住址').fill('红旗村三组12号');
  await expect.poll(async () => JSON.stringify(await storedDraft(page.request, first, 'intake'))).toContain('红旗村三组12号');
  expect(await profileDrafts(page)).toBe(0);
  await ctx1.close();
  await first.stop();

  const second = await launchShell(dataDir);
  const ctx2 = await browser.newContext();
  const again = await ctx2.newPage();
  await again.goto(second.url);
  await expect(again.getByTestId('signin-signIn').or(again.getByTestId('current-agent'))).toBeVisible();
  if (await again.getByTestId('signin-signIn').isVisible()) await signIn(again);
  await expect(again.getByText(/发现未完成的受理登记/)).toBeVisible();
  await again.getByRole('button', { name: '恢复' }).click();
  await expect(again.getByLabel('居民身份证号码')).toHaveValue(IDS.zhangSan);
  await expect(again.getByLabel('姓名')).toHaveValue('张三');
  await expect(again.getByLabel('住址')).toHaveValue('红旗村三组12号');

  // 清空重填 discards it: nothing left in the register.
  await again.getByRole('button', { name: '清空重填' }).click();
  await again.getByRole('dialog').getByRole('button', { name: '清空' }).click();
  await expect(again.getByLabel('姓名')).toHaveValue('');
  await expect.poll(() => storedDraft(again.request, second, 'intake')).toBeNull();

  // A saved visit leaves no draft either.
  await again.getByTestId('nav-visits').click();
  await again.getByTestId('new-visit').click();
  await again.getByLabel('来访人').fill('王五');
  await again.getByLabel('来访事由').fill('咨询高龄津贴怎么申请');
  await expect.poll(async () => JSON.stringify(await storedDraft(again.request, second, 'visit'))).toContain('王五');
  await radio(again, '来访');
  await radio(again, '咨询');
  await choose(again, '处理方式', '当场答复');
  await again.getByTestId('save-visit').click();
  await expect(again).toHaveURL(/#\/visits\/[^/]+$/);
  await expect.poll(() => storedDraft(again.request, second, 'visit')).toBeNull();
  expect(await profileDrafts(again)).toBe(0);

  await ctx2.close();
  await second.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
