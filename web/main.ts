// `npm run web -- --data-dir DIR [--port N] [--no-open]`: the browser shell.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../db/dataDir';
import { openLog } from '../db/log';
import { RENDERER_DIST, startWebShell } from './server';
import { SchemaFromFutureError } from '../db/migrate';
import { extendWithNodeServices } from './nodeServices';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const root = fileURLToPath(new URL('..', import.meta.url));

function rendererIsStale(): boolean {
  const built = path.join(RENDERER_DIST, 'index.html');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }, 0);
  return ['renderer', 'api', 'domain'].some((d) => fs.existsSync(path.join(root, d)) && newest(path.join(root, d)) > builtAt);
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'win32' ? 'cmd' : process.platform === 'darwin' ? 'open' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url];
  try {
    spawn(cmd, args, { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
  } catch {
    // No desktop browser launcher: the URL line above is enough.
  }
}

async function main() {
  const portArg = arg('--port');
  const port = portArg === undefined ? 0 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('错误：--port 应为 0–65535 之间的整数（0 表示随机端口）');
    process.exit(2);
  }
  if (rendererIsStale() && !process.argv.includes('--no-build')) {
    console.log('正在构建界面（首次运行或代码有更新）…');
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (r.status !== 0) {
      console.error('错误：界面构建失败');
      process.exit(1);
    }
  }
  const dataDir = resolveDataDir(arg('--data-dir'));
  const log = openLog({ dataDir, program: 'web' });
  log.info({ node: process.version, os: `${process.platform}-${process.arch}` }, 'start');
  const shell = await startWebShell({ dataDir, port, extend: extendWithNodeServices });
  console.log(`数据目录：${dataDir}`);
  console.log(`URL: ${shell.url}`);
  if (!process.argv.includes('--no-open')) openBrowser(shell.url);
  const stop = async () => {
    log.info('stop');
    await shell.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  if (e instanceof SchemaFromFutureError) console.error(`错误：${e.message}`);
  else console.error(`错误：浏览器版启动失败：${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
