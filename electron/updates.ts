import { app } from 'electron';
import { autoUpdater, type UpdateDownloadedEvent } from 'electron-updater';
import yaml from 'js-yaml';
import fs from 'node:fs';
import path from 'node:path';
import { channelFile, checkDownloadedInstaller, fetchVerifiedUpdate, isNewer, loadPinnedKey, PINNED_KEY_FILE, resolveFeedUrl } from './updateTrust';

/**
 * Updates come from the county's intranet over https (generic feed; the address is baked in at build
 * time or set per point in `update.json` in the data folder). Nothing installs unless the county's
 * update-signing key, pinned in the app, vouches for the metadata and the downloaded installer hashes to
 * what that signed metadata says (see updateTrust.ts and docs/updates.md). No pinned key, no https
 * feed, or no network: nothing happens, and the register opens as usual.
 */
export function setupUpdates(dataDir: string, log: (message: string) => void = () => undefined): void {
  void checkOnce(dataDir, log).catch((e: unknown) => log(`更新检查失败：${e instanceof Error ? e.message : String(e)}`));
}

async function checkOnce(dataDir: string, log: (message: string) => void): Promise<void> {
  const keyPath = path.join(app.isPackaged ? process.resourcesPath : path.resolve(__dirname, '..', 'build'), PINNED_KEY_FILE);
  if (!fs.existsSync(keyPath)) return log('安装包中没有县级中心的更新签名公钥，自动更新已停用');
  const pinnedKey = loadPinnedKey(fs.readFileSync(keyPath, 'utf8'));
  const baked = bakedFeedUrl();
  const feed = resolveFeedUrl(baked, dataDir);
  feed.warnings.forEach(log);
  if (!feed.url) return;

  const verified = await fetchVerifiedUpdate(feed.url, channelFile(process.platform, process.arch), pinnedKey);
  if (!isNewer(verified.version, app.getVersion())) return;

  autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.on('error', (e: Error) => log(`更新失败：${e.message}`));
  const check = await autoUpdater.checkForUpdates();
  // The updater fetched the metadata again; it must be the version we verified, or the server is
  // serving two different files.
  if (!check || check.updateInfo.version !== verified.version) return log('更新服务器两次给出的版本不一致，已放弃本次更新');
  autoUpdater.once('update-downloaded', (event: UpdateDownloadedEvent) => {
    try {
      checkDownloadedInstaller(event.downloadedFile, event.version, verified);
      autoUpdater.autoInstallOnAppQuit = true;
      log(`更新 ${verified.version} 已下载并核对签名，退出程序时安装`);
    } catch (e) {
      log(e instanceof Error ? e.message : String(e));
    }
  });
  await autoUpdater.downloadUpdate();
}

/** The feed address electron-builder wrote into app-update.yml at build time (null in development). */
function bakedFeedUrl(): string | null {
  const file = path.join(process.resourcesPath ?? '', 'app-update.yml');
  if (!app.isPackaged || !fs.existsSync(file)) return null;
  const cfg = yaml.load(fs.readFileSync(file, 'utf8')) as { url?: unknown } | null;
  return typeof cfg?.url === 'string' ? cfg.url : null;
}
