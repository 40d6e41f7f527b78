// The thin Electron shell: one window, one IPC channel into the same typed API the browser shell
// uses. Everything else (register, rules, prints, sync) lives in plain Node modules.
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Register } from '../db/register';
import { resolveDataDir } from '../db/dataDir';
import { openLog } from '../db/log';
import { createContext, type ServiceContext } from '../api/context';
import { createDaibanApi } from '../api/service';
import { dispatch } from '../api/dispatch';
import { dailyMaintenance } from '../db/maintenance';
import { SchemaFromFutureError } from '../db/migrate';
import { CONTENT_SECURITY_POLICY } from '../web/security';
import { electronPrinting } from './printing';
import { setupUpdates } from './updates';
import { startAutoSync, type AutoSync } from '../sync/village/autoSync';

const APP_ROOT = app.isPackaged ? app.getAppPath() : path.resolve(__dirname, '..');
const RENDERER_INDEX = path.join(APP_ROOT, 'dist-renderer', 'index.html');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX).href;

app.setName('daibantong');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * better-sqlite3 built for Electron's ABI lives apart from node_modules (which keeps the Node
 * build for tests and the CLI): native/electron/<arch>/better_sqlite3.node.
 */
function electronSqliteBinding(): string | undefined {
  const base = app.isPackaged ? path.join(process.resourcesPath, 'native') : path.join(APP_ROOT, 'native', 'electron');
  const p = path.join(base, process.arch, 'better_sqlite3.node');
  return fs.existsSync(p) ? p : undefined;
}

let ctx: ServiceContext | null = null;
let autoSync: AutoSync | null = null;

async function openContext(): Promise<ServiceContext> {
  const dataDir = argValue('--data-dir') ?? process.env.DAIBAN_DATA_DIR ?? app.getPath('userData');
  openLog({ dataDir: resolveDataDir(dataDir), program: 'app' }).info(
    { version: app.getVersion(), electron: process.versions.electron, node: process.version, os: `${process.platform}-${process.arch}` },
    'start',
  );
  const nativeBinding = electronSqliteBinding();
  const open = () => Register.open({ dataDir: resolveDataDir(dataDir), nativeBinding });
  const reg = await open();
  return createContext({ open, initial: reg, shell: 'electron', ...electronPrinting() });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: '代办通',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No new windows, no navigation away from the app; external links open in the system browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(RENDERER_URL)) e.preventDefault();
  });
  void win.loadFile(RENDERER_INDEX);
  return win;
}

// One running copy per user: a second launch (a double click while the window is behind others)
// brings the first window forward instead of opening the register twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  void main();
}

async function main() {
  await app.whenReady();
  // The app needs no camera, microphone, location, notifications…: refuse every request and answer
  // every permission check with "no", so no API even sees a granted permission.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  try {
    ctx = await openContext();
  } catch (e) {
    const msg = e instanceof SchemaFromFutureError ? e.message : `无法打开数据：${e instanceof Error ? e.message : String(e)}`;
    dialog.showErrorBox('代办通无法启动', msg);
    app.exit(1);
    return;
  }
  const api = createDaibanApi(ctx);
  ipcMain.handle('daiban:call', async (event, method: unknown, input: unknown) => {
    // Only our own page may call in.
    if (!event.senderFrame || !event.senderFrame.url.startsWith(RENDERER_URL)) {
      return { ok: false, error: { code: 'refused', message: '拒绝访问' } };
    }
    return dispatch(api, typeof method === 'string' ? method : '', input);
  });
  createWindow();
  autoSync = startAutoSync(ctx);
  setupUpdates(ctx.reg.dataDir, (m) => console.warn(m));
  // Daily backup, then outbox compaction (db/maintenance.ts).
  setTimeout(() => void dailyMaintenance(ctx!.reg), 10_000);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  autoSync?.stop();
  ctx?.reg.close();
  app.quit();
});
