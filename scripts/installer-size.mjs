// `npm run size`: what electron-builder would pack into the installer, and its estimated size,
// without building it (installers need the Electron runtime download, impossible on the build
// machines). Reads electron-builder.yml's `files` and `extraResources`, adds the production
// dependencies (`npm ls --omit=dev`, which electron-builder packs too) minus electron-builder's
// default exclusions, and compresses the lot with xz (LZMA, as NSIS does).
//
//   node scripts/installer-size.mjs [--list] [--json]
//
// The Electron runtime itself is a stated figure, not measured here: DAIBAN_ELECTRON_RUNTIME_MB
// (default 90: Electron 4x for Windows x64 — electron.exe, ICU data, resources.pak, zh-CN/en-US
// locales — LZMA-compressed; replace it with the figure from a machine that built an installer).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const RUNTIME_MB = Number(process.env.DAIBAN_ELECTRON_RUNTIME_MB ?? 90);
const GOAL_MB = 120;
const MB = 1024 * 1024;

/** The list items under a top-level key of electron-builder.yml (the file uses only simple lists). */
function yamlList(text, key) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${key}:`));
  if (start < 0) return [];
  const items = [];
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l)) break;
    const m = /^\s+-\s+(.*)$/.exec(l);
    if (m) items.push(m[1].replace(/^["']|["']$/g, ''));
  }
  return items;
}

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  if (fs.statSync(dir).isFile()) return [...out, dir];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const rel = (p) => path.relative(root, p).split(path.sep).join('/');
const matches = (file, glob) => path.matchesGlob(file, glob);

// electron-builder's default exclusions inside node_modules (app-builder-lib, "default file patterns").
const NODE_MODULES_EXCLUDES = [
  '**/node_modules/*/{CHANGELOG.md,ChangeLog,changelog.md,README.md,README,readme.md,readme}',
  '**/node_modules/*/{test,__tests__,tests,powered-test,example,examples}/**',
  '**/node_modules/*.d.ts',
  '**/node_modules/**/*.d.ts',
  '**/node_modules/.bin/**',
  '**/*.{iml,o,hprof,orig,pyc,pyo,rbc,swp,csproj,sln,xproj,map}',
  '**/{.DS_Store,.git,.hg,.svn,CVS,RCS,SCCS,.gitignore,.gitattributes,.editorconfig,.npmignore,.eslintrc,.travis.yml}',
  '**/{__pycache__,thumbs.db,.flowconfig,.idea,.vs,.nyc_output}/**',
  '**/{appveyor.yml,.travis.yml,circle.yml}',
  '**/{npm-debug.log,yarn.lock,.yarn-integrity,.yarn-metadata.json}',
];

const yml = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
const fileGlobs = yamlList(yml, 'files');
const include = fileGlobs.filter((g) => !g.startsWith('!'));
const exclude = fileGlobs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));

// 1. The app's own files.
const appFiles = new Set();
for (const g of include) {
  const base = g.split('/')[0].includes('*') ? '.' : g.split('/')[0];
  for (const f of walk(path.join(root, base))) {
    const r = rel(f);
    if (r.startsWith('node_modules/')) continue;
    if (matches(r, g) && !exclude.some((x) => matches(r, x))) appFiles.add(r);
  }
}
for (const required of ['dist-electron/main.cjs', 'dist-renderer/index.html']) {
  if (!appFiles.has(required)) {
    console.error(`缺少 ${required}：先运行 npm run build:renderer && npm run build:electron（npm run size 会自动构建）。`);
    process.exit(1);
  }
}

// 2. Production dependencies, as npm resolves them.
const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * MB });
const prodDirs = [...new Set(ls.stdout.split('\n').map((l) => l.trim()).filter((l) => l && l !== root))];
const modules = [];
const moduleFiles = new Set();
for (const dir of prodDirs) {
  let bytes = 0;
  for (const f of walk(dir)) {
    const r = rel(f);
    // A nested package's files are counted under that package.
    if (r.slice(rel(dir).length + 1).includes('node_modules/')) continue;
    if (NODE_MODULES_EXCLUDES.some((x) => matches(r, x)) || exclude.some((x) => matches(r, x))) continue;
    moduleFiles.add(r);
    bytes += fs.statSync(f).size;
  }
  modules.push({ name: rel(dir).replace(/^(.*\/)?node_modules\//, ''), bytes });
}

// 3. extraResources (the Electron build of better-sqlite3); until it is built, the Node build stands in.
const extra = [];
for (const item of yamlList(yml, 'extraResources')) {
  const from = /from:\s*(\S+)/.exec(item)?.[1]?.replace('${arch}', process.arch);
  if (!from) continue;
  const files = walk(path.join(root, from)).filter((f) => f.endsWith('.node'));
  if (files.length) extra.push(...files.map(rel));
  else {
    const stand = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    if (fs.existsSync(path.join(root, stand))) extra.push(stand);
  }
}

const all = [...appFiles, ...moduleFiles, ...extra];
const rawBytes = all.reduce((s, f) => s + fs.statSync(path.join(root, f)).size, 0);

// LZMA (xz) of the whole payload approximates NSIS's solid LZMA; gzip where xz is missing (larger).
function compressedSize(files) {
  const listFile = path.join(fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'daiban-size-')), 'files');
  fs.writeFileSync(listFile, files.join('\n'));
  const xz = spawnSync('sh', ['-c', `tar -cf - -T "${listFile}" | xz -6 -T2 -c | wc -c`], { cwd: root, encoding: 'utf8', maxBuffer: MB });
  fs.rmSync(path.dirname(listFile), { recursive: true, force: true });
  if (xz.status === 0 && Number(xz.stdout.trim()) > 0) return { bytes: Number(xz.stdout.trim()), method: 'xz -6' };
  const gz = files.reduce((s, f) => s + zlib.gzipSync(fs.readFileSync(path.join(root, f)), { level: 9 }).length, 0);
  return { bytes: gz, method: 'gzip -9 per file' };
}
const packed = compressedSize(all);
const estimateMb = RUNTIME_MB + packed.bytes / MB;

const fmt = (b) => `${(b / MB).toFixed(1)} MB`;
const appBytes = [...appFiles].reduce((s, f) => s + fs.statSync(path.join(root, f)).size, 0);
const byTop = new Map();
for (const f of appFiles) {
  const top = f.includes('/') ? `${f.split('/')[0]}/` : f;
  byTop.set(top, (byTop.get(top) ?? 0) + fs.statSync(path.join(root, f)).size);
}
const summary = {
  appFiles: appFiles.size,
  appBytes,
  productionPackages: modules.length,
  productionBytes: modules.reduce((s, m) => s + m.bytes, 0),
  extraResources: extra,
  payloadBytes: rawBytes,
  payloadCompressedBytes: packed.bytes,
  compression: packed.method,
  electronRuntimeMb: RUNTIME_MB,
  installerEstimateMb: Math.round(estimateMb * 10) / 10,
  goalMb: GOAL_MB,
};

if (args.has('--json')) {
  console.log(JSON.stringify({ ...summary, packages: modules.sort((a, b) => b.bytes - a.bytes) }));
} else {
  console.log('安装包内容（按 electron-builder.yml 的 files 与 extraResources，加上生产依赖）：');
  for (const [top, b] of [...byTop].sort((a, b2) => b2[1] - a[1])) console.log(`  ${top.padEnd(28)} ${fmt(b)}`);
  console.log(`  node_modules（${modules.length} 个生产依赖包）`);
  const sorted = modules.sort((a, b) => b.bytes - a.bytes);
  const big = args.has('--list') ? sorted : sorted.filter((m) => m.bytes >= 100 * 1024);
  for (const m of big) console.log(`    ${m.name.padEnd(40)} ${fmt(m.bytes)}`);
  const small = sorted.slice(big.length);
  if (small.length) console.log(`    其余 ${small.length} 个（各 < 0.1 MB）`.padEnd(45) + fmt(small.reduce((s, m) => s + m.bytes, 0)));
  for (const e of extra) console.log(`  resources/${e.replace(/^.*\//, 'native/')}  ${fmt(fs.statSync(path.join(root, e)).size)}`);
  if (args.has('--list')) for (const f of all.sort()) console.log(`    ${f}`);
  console.log(`应用文件合计 ${fmt(rawBytes)}，压缩后（${packed.method}）${fmt(packed.bytes)}`);
  console.log(`Electron 运行时（设定值，DAIBAN_ELECTRON_RUNTIME_MB）${RUNTIME_MB} MB`);
  console.log(`安装包估计 ${estimateMb.toFixed(1)} MB（目标 ≤ ${GOAL_MB} MB）`);
}
if (estimateMb > GOAL_MB) process.exitCode = 1;
