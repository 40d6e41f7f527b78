// Builds better-sqlite3-multiple-ciphers (SQLite with encryption) for Electron's ABI into native/electron/<arch>/, leaving node_modules'
// Node build alone so `npm test` and the CLI keep working. The Electron main process loads it
// through the `nativeBinding` option (db/connection.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const arch = process.argv.includes('--arch') ? process.argv[process.argv.indexOf('--arch') + 1] : process.arch;
const srcDir = path.dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-sqlite-electron-'));
const outDir = path.join(root, 'native', 'electron', arch);

fs.cpSync(srcDir, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`) });
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [path.dirname(process.execPath), '/usr/lib/node_modules/npm', path.join(path.dirname(process.execPath), '../lib/node_modules/npm')] });
console.log(`正在为 Electron ${electronVersion}（${arch}）编译 better-sqlite3-multiple-ciphers（加密 SQLite）…`);
const r = spawnSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
  { cwd: work, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } },
);
if (r.status !== 0) {
  console.error('编译失败：需要能访问 Electron 头文件下载地址，以及 C++ 编译工具。');
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), path.join(outDir, 'better_sqlite3.node'));
fs.writeFileSync(path.join(outDir, 'electron-version.txt'), electronVersion);
fs.rmSync(work, { recursive: true, force: true });
console.log(`完成：${path.relative(root, path.join(outDir, 'better_sqlite3.node'))}`);
