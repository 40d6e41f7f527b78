// `npm run lock:check`: fails when package-lock.json lacks an optional dependency that some locked
// package declares — typically another platform's native build (@rollup/rollup-win32-x64-msvc,
// @esbuild/darwin-arm64 …). npm 11 writes such lock files when it updates a lock next to an
// existing node_modules (npm/cli#4828), and then its own `npm ci` refuses them on every machine.
//
// Fix, when this fails: regenerate the lock from package.json in a folder without node_modules:
//   d=$(mktemp -d) && cp package.json package-lock.json "$d" && (cd "$d" && npm install --package-lock-only --ignore-scripts) && cp "$d/package-lock.json" .
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ?? path.join(root, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages ?? {};

/** Where Node's resolution would find `name` when required from the package at `from`. */
function resolves(from, name) {
  let dir = from;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

const missing = [];
for (const [where, meta] of Object.entries(packages)) {
  for (const name of Object.keys(meta.optionalDependencies ?? {})) {
    if (!resolves(where, name)) missing.push(`${name} (wanted by ${where || 'package.json'})`);
  }
}
if (missing.length) {
  console.error(`package-lock.json lacks ${missing.length} optional package(s); \`npm ci\` would refuse it:`);
  for (const m of missing.slice(0, 30)) console.error(`  ${m}`);
  console.error('Regenerate it without node_modules (see the comment at the top of scripts/check-lock.mjs).');
  process.exit(1);
}
console.log(`package-lock.json: all optional packages of ${Object.keys(packages).length - 1} locked packages are present.`);
