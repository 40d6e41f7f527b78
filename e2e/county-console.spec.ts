// The county console end to end, with real processes: `daiban county init` + `county serve` (serving
// dist-county/), villages made and synced with the real CLI (`init`, `seed-demo`, `enrol`, `sync`,
// `batch export`), the village's browser shell for its 今日 screen, and Debian's Chromium for the console.
// Build first: npm run build:county && npm run build:renderer.
import { expect, test, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pinyinKeys } from '../domain/pinyin';
import { launchShell, POINT, type Shell } from './fixtures';
import { signIn as villageSignIn } from './helpers';

test.describe.configure({ mode: 'serial' });

type Run = { code: number | null; stdout: string; stderr: string };

/** The real CLI, as a county's IT staff or a village laptop runs it. */
// The village's register is encrypted: its commands take the agent's PIN on standard input.
const VILLAGE_KEYED = new Set(['seed-demo', 'enrol', 'sync', 'batch']);

function daiban(cmd: string[], timeoutMs = 120_000): Promise<Run> {
  const keyed = VILLAGE_KEYED.has(cmd[0]);
  const args = keyed ? [...cmd, '--pin-stdin', ...(cmd[0] === 'seed-demo' ? [] : ['--agent', POINT.agent])] : cmd;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/daiban.mjs', ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdin.end(keyed ? `${POINT.pin}\n` : '');
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await daiban(args);
  expect(r.code, `daiban ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function startCounty(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['bin/daiban.mjs', 'county', 'serve', '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`county serve did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /URL: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({ url: m[1], proc });
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => reject(new Error(`county serve exited (${code}): ${out}`)));
  });
}

const NEW_ADMIN_PW = 'Wuyuan-county-2026';
const NEW_PW = 'Wuyuan-staff-2026';
/** A second township's village: the township official of 巴彦镇 must never see it. */
const OTHER = { code: '150822102201', village: '胜利村', township: '隆兴昌镇' };
const chinaMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

let root: string;
let countyDir: string;
let villageDir: string;
let otherDir: string;
let county: { url: string; proc: ChildProcess };
let admin: { name: string; password: string };
let tamperedBatch: string;
let supervisedCaseNo = '';
const NOTE = '该件已超期，请说明原因并尽快办结';

async function signInConsole(page: Page, name: string, password: string, newPassword?: string): Promise<void> {
  await page.goto(county.url);
  await expect(page.getByTestId('county-signin')).toBeVisible();
  await page.locator('#county-signin-name').fill(name);
  await page.locator('#county-signin-password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  if (newPassword) {
    await expect(page.getByTestId('change-password')).toBeVisible();
    await page.locator('#pw-current').fill(password);
    await page.locator('#pw-next').fill(newPassword);
    await page.locator('#pw-again').fill(newPassword);
    await page.getByRole('button', { name: '修改密码并进入' }).click();
  }
  await expect(page.getByTestId('current-account')).toBeVisible();
}

/** Confirms the publish dialog and waits until it has closed (a retry opens a new one). */
async function confirmPublish(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog').filter({ hasText: '发布' });
  await dialog.getByRole('button', { name: '发布', exact: true }).click();
  await expect(dialog).toHaveCount(0);
}

/** A county account made from the terminal (the accounts screen is not built yet); first sign-in changes its password. */
async function addAccount(name: string, role: string, township?: string): Promise<string> {
  const out = await ok(['county', 'accounts', 'add', '--data-dir', countyDir, '--name', name, '--role', role, '--display-name', name, ...(township ? ['--township', township] : [])]);
  return /一次性密码：(\S+)/.exec(out)![1];
}

async function makeVillage(dir: string, p: { code: string; village: string; township: string }, cases: number, seed: number): Promise<void> {
  await ok(['init', '--data-dir', dir, '--village-code', p.code, '--village-name', p.village, '--township', p.township, '--county', '五原县', '--agent', `${POINT.agent}:${POINT.agentPhone}:${POINT.pin}`]);
  await ok(['seed-demo', '--data-dir', dir, '--cases', String(cases), '--years', '1', '--seed', String(seed)]);
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-county-e2e-'));
  countyDir = path.join(root, 'county');
  villageDir = path.join(root, 'hongqi');
  otherDir = path.join(root, 'shengli');
  const init = await ok(['county', 'init', '--data-dir', countyDir, '--code', '150822', '--name', '五原县']);
  admin = { name: /登录名：(\S+)/.exec(init)![1], password: /一次性密码：(\S+)/.exec(init)![1] };
  county = await startCounty(countyDir);
  await makeVillage(villageDir, POINT, 40, 7);

  // The other township's village: enrolled from the terminal, one batch kept back on a "USB stick"
  // (to be tampered with), then synced over the network.
  await makeVillage(otherDir, OTHER, 30, 8);
  const enrol = await ok(['county', 'enrol', '--data-dir', countyDir, '--point', OTHER.code, '--village', OTHER.village, '--township', OTHER.township, '--out', path.join(root, 'shengli.enrol')]);
  await ok(['enrol', '--data-dir', otherDir, '--code', /登记码：(\S+)/.exec(enrol)![1], '--url', county.url]);
  const usb = path.join(root, 'usb');
  fs.mkdirSync(usb);
  await ok(['batch', 'export', '--data-dir', otherDir, '--out', usb]);
  const [batch] = fs.readdirSync(usb);
  const bytes = fs.readFileSync(path.join(usb, batch));
  bytes[Math.floor(bytes.length / 2)] ^= 0x5a; // one flipped byte in the middle of the signed content
  tamperedBatch = path.join(root, `改动过的-${batch}`);
  fs.writeFileSync(tamperedBatch, bytes);
  await ok(['sync', '--data-dir', otherDir]);
});

test.afterAll(async () => {
  if (county?.proc.exitCode === null) {
    const done = new Promise((r) => county.proc.once('exit', r));
    county.proc.kill('SIGTERM');
    await done;
  }
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('first administrator signs in with the one-time password and must change it first', async ({ page }) => {
  await page.goto(county.url);
  await page.locator('#county-signin-name').fill(admin.name);
  await page.locator('#county-signin-password').fill('wrong-password-1');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signin-error')).toContainText(/密码/);

  await page.locator('#county-signin-password').fill(admin.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('change-password')).toBeVisible();
  await page.locator('#pw-current').fill(admin.password);
  await page.locator('#pw-next').fill('short1');
  await page.locator('#pw-again').fill('short1');
  await page.getByRole('button', { name: '修改密码并进入' }).click();
  await expect(page.getByText('新密码至少 10 位')).toBeVisible();
  await page.locator('#pw-next').fill(NEW_ADMIN_PW);
  await page.locator('#pw-again').fill(NEW_ADMIN_PW);
  await page.getByRole('button', { name: '修改密码并进入' }).click();
  await expect(page.getByTestId('overview')).toBeVisible();
  // The administrator's menu has every built screen.
  for (const nav of ['overview', 'import', 'cases', 'supervision', 'conflicts', 'statistics', 'evaluation', 'prints', 'points', 'publish', 'accounts']) await expect(page.getByTestId(`nav-${nav}`)).toBeVisible();

  // The old one-time password no longer works.
  await page.getByRole('button', { name: '退出' }).click();
  await page.locator('#county-signin-name').fill(admin.name);
  await page.locator('#county-signin-password').fill(admin.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('signin-error')).toBeVisible();
});

test('administrator enrols a point by code; the village enrols and syncs with the real CLI', async ({ page }) => {
  await signInConsole(page, admin.name, NEW_ADMIN_PW);
  await page.getByTestId('nav-points').click();
  await page.getByTestId('add-point').click();
  await expect(page.locator('#point-code')).toBeFocused(); // the dialog has finished opening
  await page.locator('#point-code').fill('15082210120'); // one digit short
  await page.locator('#point-township').fill(POINT.township);
  await page.locator('#point-village').fill(POINT.village);
  await page.getByRole('button', { name: '保存并生成登记码' }).click();
  await expect(page.getByText('区划代码应为 12 位数字')).toBeVisible();
  await page.locator('#point-code').fill(POINT.code);
  await page.getByRole('button', { name: '保存并生成登记码' }).click();
  const code = (await page.getByTestId('enrol-code').innerText()).trim();
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
  await expect(page.getByTestId('enrol-url')).toHaveText(/^http/);
  // The code is shown large enough to read across a desk.
  const size = await page.getByTestId('enrol-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(36);
  // The enrolment sheet is an A4 PDF with the code, the county address and the QR code.
  const sheetDownload = page.waitForEvent('download');
  await page.getByTestId('print-enrol-sheet').click();
  const sheetFile = path.join(root, 'enrol-sheet.pdf');
  await (await sheetDownload).saveAs(sheetFile);
  const sheet = execFileSync('pdftotext', ['-layout', sheetFile, '-'], { encoding: 'utf8' });
  expect(sheet).toContain('代办点登记单');
  expect(sheet).toContain(code);
  expect(sheet).toContain(county.url);
  expect(sheet).toContain(`${POINT.township}${POINT.village}`);
  if (process.env.DAIBAN_SHOTS) fs.copyFileSync(sheetFile, path.join(process.env.DAIBAN_SHOTS, 'enrol-sheet.pdf'));

  await ok(['enrol', '--data-dir', villageDir, '--code', code, '--url', county.url]);
  await ok(['sync', '--data-dir', villageDir]);

  await page.getByRole('dialog').getByRole('button', { name: '关闭' }).click();
  await page.getByTestId('nav-overview').click();
  const health = page.getByTestId('point-health');
  await expect(health.getByRole('row').filter({ hasText: POINT.village })).not.toContainText('从未同步');
  await expect(health.getByRole('row').filter({ hasText: OTHER.village })).toBeVisible();
});

test('a clerk finds the case by pinyin initials and marks it for 督办; the village 今日 shows it after the next sync', async ({ page }) => {
  const clerkPw = await addAccount('zhaoli', 'clerk');
  await signInConsole(page, 'zhaoli', clerkPw, NEW_PW);
  // A clerk is not offered enrolment, publishing or accounts.
  await expect(page.getByTestId('nav-points')).toHaveCount(0);
  await expect(page.getByTestId('nav-publish')).toHaveCount(0);
  await expect(page.getByTestId('nav-accounts')).toHaveCount(0);
  await expect(page.getByTestId('nav-conflicts')).toBeVisible();
  await page.getByTestId('nav-cases').click();

  // Pick an open case of 红旗村 from the ledger, then find it again the way a clerk would: by the applicant's initials.
  await page.getByRole('combobox', { name: '代办点' }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: POINT.village }).click();
  await page.getByRole('combobox', { name: '状态' }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '已受理' }).click();
  await page.keyboard.press('Escape');
  const firstRow = page.getByTestId('county-cases').locator('tbody tr.ant-table-row').first();
  await expect(firstRow).toBeVisible();
  const caseNo = (await firstRow.locator('td').nth(0).innerText()).trim().split(/\s/)[0];
  const name = (await firstRow.locator('td').nth(3).innerText()).trim();
  supervisedCaseNo = caseNo;
  await page.getByRole('button', { name: '清除全部条件' }).click();
  const initials = pinyinKeys(name).initials;
  await page.getByTestId('case-search').fill(initials);
  await page.getByTestId('case-search').press('Enter');
  const hit = page.getByTestId('county-cases').locator('tbody tr.ant-table-row').filter({ hasText: caseNo });
  await expect(hit).toBeVisible();
  await hit.getByRole('link', { name: caseNo }).click();

  await expect(page.getByTestId('case-no')).toHaveText(caseNo);
  await expect(page.getByTestId('county-timeline')).toContainText('受理登记');
  await shot(page, 'county-case');
  // The ID number is masked until revealed on purpose.
  await expect(page.getByTestId('reveal-idNumber')).toContainText('*');
  await page.getByTestId('supervise-button').click();
  await page.getByRole('button', { name: '发出督办' }).click();
  await expect(page.getByText('请填写督办事项')).toBeVisible();
  await page.locator('#supervise-note').fill(NOTE);
  await page.getByRole('button', { name: '发出督办' }).click();
  await expect(page.getByTestId('case-supervision')).toContainText(NOTE);

  await page.getByTestId('nav-supervision').click();
  await expect(page.getByTestId('supervision-list')).toContainText(caseNo);

  // The village syncs (CLI) and opens its browser shell: the notice is on 今日.
  await ok(['sync', '--data-dir', villageDir]);
  const shell: Shell = await launchShell(villageDir);
  try {
    const village = await page.context().newPage();
    await village.goto(shell.url);
    await villageSignIn(village);
    await expect(village.getByTestId('county-notices')).toContainText(NOTE);
    await expect(village.getByTestId('county-notices')).toContainText(caseNo);
    await village.close();
  } finally {
    await shell.stop();
  }
});

test('a tampered batch dropped into the import page is rejected with its reason', async ({ page }) => {
  await signInConsole(page, 'zhaoli', NEW_PW);
  await page.getByTestId('nav-import').click();
  const junk = path.join(root, '说明.txt');
  fs.writeFileSync(junk, '这不是批次文件');
  await page.getByTestId('batch-files').setInputFiles([tamperedBatch, junk]);
  const rows = page.getByTestId('upload-row');
  await expect(rows).toHaveCount(2);
  const tampered = rows.filter({ hasText: path.basename(tamperedBatch) });
  await expect(tampered.getByTestId('upload-result')).toContainText(/拒收|未导入/);
  await expect(tampered.getByTestId('upload-result')).toContainText(/签名|改动|损坏|校验/);
  await expect(rows.filter({ hasText: '说明.txt' }).getByTestId('upload-result')).toContainText(/拒收|未导入/);
  // The rejection is in the import log with its reason.
  await expect(page.getByTestId('import-log')).toContainText('已拒收');
});

test('a township official sees only their villages', async ({ page }) => {
  const pw = await addAccount('bayan', 'township', POINT.code.slice(0, 9));
  await signInConsole(page, 'bayan', pw, NEW_PW);
  await expect(page.getByTestId('unit-name')).toContainText(POINT.township);
  await expect(page.getByTestId('nav-import')).toHaveCount(0);
  await page.getByTestId('nav-cases').click();
  const table = page.getByTestId('county-cases');
  await expect(table.locator('tbody tr.ant-table-row').first()).toBeVisible();
  await expect(table).toContainText(POINT.village);
  await expect(table).not.toContainText(OTHER.village);
  await page.getByRole('combobox', { name: '代办点' }).click();
  await expect(page.locator('.ant-select-dropdown:visible')).toContainText(POINT.village);
  await expect(page.locator('.ant-select-dropdown:visible')).not.toContainText(OTHER.village);
  await page.keyboard.press('Escape');
  // The 督办 the clerk made is in their list (it is in their township).
  await page.getByTestId('nav-supervision').click();
  await expect(page.getByTestId('supervision-list')).toContainText(supervisedCaseNo);
  // A case of the other township by address: nothing.
  await page.goto(`${county.url}/#/cases/does-not-exist`);
  await expect(page.getByText('打不开这件代办件')).toBeVisible();
});

test('a township official saves the month’s ledger of their village as PDF', async ({ page }) => {
  await signInConsole(page, 'bayan', NEW_PW);
  await page.getByTestId('nav-prints').click();
  await page.getByRole('combobox', { name: '代办点' }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: POINT.village }).click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('save-pdf').click();
  const download = await downloading;
  const file = path.join(root, 'ledger.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain('行政服务代办记录');
  expect(text).toContain(POINT.village);
  expect(text).toContain(`${Number(chinaMonth().slice(0, 4))}年${Number(chinaMonth().slice(5))}月`);
  expect(text).not.toContain(OTHER.village);
});

/** Screenshots for a person to look at (1366×768), when DAIBAN_SHOTS names a folder. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.DAIBAN_SHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

test('administrator sets the evaluation weights and warns the lagging point; the village 今日 shows the warning after its next sync', async ({ page }) => {
  await signInConsole(page, admin.name, NEW_ADMIN_PW);
  await page.getByTestId('nav-evaluation').click();
  await expect(page.getByTestId(`evaluation-${POINT.code.slice(0, 9)}`)).toContainText(POINT.village);
  await shot(page, 'evaluation');
  // Weigh only 即办率 (cases decided on the day of intake): the demo village's months score low on it.
  await page.getByTestId('edit-weights').click();
  for (const k of ['onTimeRate', 'overdue', 'returnVisitRate', 'satisfactionRate']) await page.locator(`#weight-${k}`).fill('0');
  await page.locator('#weight-immediateRate').fill('0');
  await expect(page.getByTestId('weights-sum')).toHaveText('0');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('dialog')).toContainText('权重之和必须大于 0');
  await page.locator('#weight-immediateRate').fill('100');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('weights')).toContainText('即办率 100');
  // Monthly automatic warnings: off until the administrator turns them on.
  await expect(page.getByTestId('auto-warn')).not.toBeChecked();
  await page.getByTestId('auto-warn').click();
  await expect(page.getByTestId('auto-warn')).toBeChecked();

  // The month to warn about: the latest in which 红旗村 is lagging under these weights (the API the page uses).
  let month = '';
  for (let back = 0; back < 12 && !month; back++) {
    const d = new Date(Date.now() + 8 * 3_600_000);
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - back);
    const m = d.toISOString().slice(0, 7);
    const r = await page.request.get(`${county.url}/api/evaluation?input=${encodeURIComponent(JSON.stringify({ month: m }))}`);
    const ev = (await r.json()) as { value: { townships: { rows: { code: string; lagging: boolean }[] }[] } };
    if (ev.value.townships.some((t) => t.rows.some((x) => x.code === POINT.code && x.lagging))) month = m;
  }
  expect(month, '红旗村 lagging in some month of its seeded year').not.toBe('');
  const picker = page.getByLabel('考评月份');
  await picker.click();
  await picker.fill(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
  await picker.press('Enter');
  const row = page.getByTestId(`evaluation-${POINT.code.slice(0, 9)}`).getByRole('row').filter({ hasText: POINT.village });
  await expect(row.getByTestId('lagging')).toBeVisible();
  await page.getByTestId('warn-lagging').click();
  await page.getByRole('button', { name: '发出' }).click();
  await expect(row).toContainText('已发预警');
  await shot(page, 'evaluation-warned');

  await ok(['sync', '--data-dir', villageDir]);
  const shell: Shell = await launchShell(villageDir);
  try {
    const village = await page.context().newPage();
    await village.goto(shell.url);
    await villageSignIn(village);
    const notices = village.getByTestId('county-notices');
    await expect(notices).toContainText(`县级考评预警（${month}）`);
    await expect(notices).toContainText(/考评得分 [\d.]+ 分，低于 60 分：.*即办率/);
    await village.close();
  } finally {
    await shell.stop();
  }
});

test('a township official reads the weekly report of their villages and saves it as PDF', async ({ page }) => {
  await signInConsole(page, 'bayan', NEW_PW);
  await page.getByTestId('nav-evaluation').click();
  // The monthly ranking of their own township only; no weights or warnings to change.
  await expect(page.getByTestId(`evaluation-${POINT.code.slice(0, 9)}`)).toBeVisible();
  await expect(page.getByTestId(`evaluation-${OTHER.code.slice(0, 9)}`)).toHaveCount(0);
  await expect(page.getByTestId('edit-weights')).toHaveCount(0);
  await expect(page.getByTestId('warn-lagging')).toHaveCount(0);
  await page.getByRole('tab', { name: '周报' }).click();
  const table = page.getByTestId('weekly-report');
  await expect(table.getByRole('row').filter({ hasText: POINT.village })).toBeVisible();
  await expect(table).not.toContainText(OTHER.village);
  await expect(page.getByTestId('weekly-title')).toContainText(POINT.township);
  await shot(page, 'weekly');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('print-weekly').click();
  const file = path.join(root, 'weekly.pdf');
  await (await downloading).saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain('代办点周报');
  expect(text).toContain(POINT.village);
  expect(text).toContain('本周新受理');
  expect(text).not.toContain(OTHER.village);
});

test('administrator publishes an edited catalog, is told what is wrong with a bad holiday file, and sees which point has which version', async ({ page }) => {
  await signInConsole(page, admin.name, NEW_ADMIN_PW);
  await page.getByTestId('nav-publish').click();
  await expect(page.getByTestId('catalog-version')).toHaveText(/\S{2,}/);
  const before = (await page.getByTestId('catalog-version').innerText()).trim();
  await page.getByLabel('查找事项').fill('MZ-0003');
  await page.getByTestId('edit-item-MZ-0003').click();
  await expect(page.locator('#item-code')).toBeFocused();
  await page.locator('#item-days').fill('9');
  await page.getByTestId('add-material').click();
  await page.getByRole('dialog').getByRole('textbox', { name: '材料名称' }).last().fill('居住证明');
  await page.getByRole('dialog').getByRole('checkbox', { name: '可容缺' }).last().check();
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page.getByTestId('catalog-changed')).toContainText('已修改 1 处');
  await expect(page.getByTestId('catalog-items')).toContainText('9 个工作日');
  await shot(page, 'publish-catalog');
  // A version number already used is refused, and nothing is published.
  await page.locator('#catalog-version-input').fill(before);
  await page.getByTestId('publish-catalog').click();
  await confirmPublish(page);
  await expect(page.getByTestId('catalog-error')).toContainText('已经发布过');
  await page.locator('#catalog-version-input').fill('五原-2026.2');
  await page.getByTestId('publish-catalog').click();
  await confirmPublish(page);
  await expect(page.getByTestId('catalog-version')).toHaveText('五原-2026.2');

  await page.getByRole('tab', { name: '节假日安排' }).click();
  const bundled = JSON.parse(fs.readFileSync('data/holidays-cn.json', 'utf8')) as { years: Record<string, { periods: { name: string; off: string[]; work: string[] }[] }> };
  const write = (name: string, data: unknown) => {
    const f = path.join(root, name);
    fs.writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data));
    return f;
  };
  const weekday = structuredClone({ years: { '2026': bundled.years['2026'] } });
  weekday.years['2026'].periods[0].work = ['2026-01-07'];
  await page.getByTestId('holiday-file').setInputFiles(write('调休错了.json', weekday));
  await expect(page.getByTestId('holiday-error')).toContainText('调休上班日期 2026-01-07 不是周六或周日');
  await page.getByTestId('holiday-file').setInputFiles(write('不是表.json', '{ 这不是 JSON'));
  await expect(page.getByTestId('holiday-error')).toContainText('不是有效的 JSON 文件');
  const partial = structuredClone({ years: { '2026': bundled.years['2026'] } });
  partial.years['2026'].periods = partial.years['2026'].periods.filter((p) => !p.name.includes('国庆'));
  await page.getByTestId('holiday-file').setInputFiles(write('缺国庆.json', partial));
  await page.getByTestId('publish-holidays').click();
  await confirmPublish(page);
  await expect(page.getByTestId('holiday-error')).toContainText('2026 年的节假日安排不完整：缺少 国庆节');
  await shot(page, 'publish-holidays');
  await page.getByTestId('holiday-file').setInputFiles(write('2026.json', { years: { '2026': bundled.years['2026'] } }));
  await expect(page.getByTestId('holiday-preview')).toContainText('2026 年');
  await page.getByTestId('publish-holidays').click();
  await confirmPublish(page);
  await expect(page.getByTestId('holiday-preview')).toHaveCount(0);

  await page.getByRole('tab', { name: '各代办点版本' }).click();
  const hongqi = page.getByTestId('point-versions').getByRole('row').filter({ hasText: POINT.village });
  await expect(hongqi).toContainText('等待同步');
  // The village takes both with its next sync; the one after tells the county.
  await ok(['sync', '--data-dir', villageDir]);
  await ok(['sync', '--data-dir', villageDir]);
  await page.getByRole('button', { name: '刷新' }).click();
  await expect(hongqi).toContainText('五原-2026.2');
  await expect(hongqi).toContainText('已是最新');
  await shot(page, 'publish-points');
});
