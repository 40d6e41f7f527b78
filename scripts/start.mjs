// `npm start`: the Electron app where its runtime can be had; otherwise says so in one sentence
// and starts the browser shell with the same arguments.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function run(cmd, cmdArgs, opts = {}) {
  return spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts }).status === 0;
}

function electronBinary() {
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  if (fs.existsSync(pathFile)) {
    const bin = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8'));
    if (fs.existsSync(bin)) return bin;
  }
  // Not downloaded yet: try once, quietly, with a time limit (no network → fails fast or times out).
  const r = spawnSync(process.execPath, [path.join(pkgDir, 'install.js')], { cwd: pkgDir, stdio: 'ignore', timeout: 120_000 });
  if (r.status !== 0 || !fs.existsSync(pathFile)) return null;
  const bin = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(bin) ? bin : null;
}

function startBrowserShell(reason) {
  console.log(`${reason}改为启动浏览器版（同一界面、同一数据），用浏览器打开下面的地址即可使用。`);
  const child = spawn(process.execPath, [path.join(root, 'scripts/web.mjs'), ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

const bin = electronBinary();
if (!bin) {
  startBrowserShell('无法获取 Electron 运行时（本机无法下载 Electron 程序文件），');
} else {
  const electronVersion = require('electron/package.json').version;
  const binding = path.join(root, 'native', 'electron', process.arch, 'better_sqlite3.node');
  const stamp = path.join(root, 'native', 'electron', process.arch, 'electron-version.txt');
  const bindingOk = fs.existsSync(binding) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === electronVersion;
  if (!bindingOk && !run(process.execPath, [path.join(root, 'scripts/rebuild-electron-sqlite.mjs')])) {
    startBrowserShell('无法为 Electron 编译数据库组件（需要下载 Electron 头文件），');
  } else if (!run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']) ||
    !run(process.execPath, [path.join(root, 'scripts/build-electron.mjs')])) {
    console.error('错误：构建失败，请查看上面的信息。');
    process.exit(1);
  } else {
    const child = spawn(bin, [root, ...args], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
