import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'daibantong';

/**
 * Where the register lives: --data-dir, else DAIBAN_DATA_DIR, else the OS user-data folder
 * (the same folder Electron's app.getPath('userData') gives for this app name).
 */
export function resolveDataDir(explicit?: string | null): string {
  if (explicit) return path.resolve(explicit);
  const env = process.env.DAIBAN_DATA_DIR;
  if (env) return path.resolve(env);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

export function registerPath(dataDir: string): string {
  return path.join(dataDir, 'register.sqlite');
}

export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}
