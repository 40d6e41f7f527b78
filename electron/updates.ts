import fs from 'node:fs';
import path from 'node:path';
import { autoUpdater } from 'electron-updater';

/**
 * Updates come from the county's intranet (generic feed). The feed URL baked in at build time
 * (electron-builder.yml → publish) can be overridden per point by `update.json` in the data
 * folder: {"url": "http://…/daibantong/"}. No feed, no network: nothing happens.
 */
export function setupUpdates(dataDir: string): void {
  try {
    const cfgPath = path.join(dataDir, 'update.json');
    if (fs.existsSync(cfgPath)) {
      const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8')) as { url?: unknown };
      if (typeof cfg.url === 'string' && /^https?:\/\//.test(cfg.url)) autoUpdater.setFeedURL({ provider: 'generic', url: cfg.url });
    }
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.on('error', () => undefined);
    void autoUpdater.checkForUpdatesAndNotify().catch(() => undefined);
  } catch {
    // An update check must never stop the register from opening.
  }
}
