// `npm run web`: starts the browser shell from an esbuild bundle of web/main.ts (rebuilt only when
// the sources changed), so launch does not pay for compiling TypeScript on the fly.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist-web', 'main.mjs');
const SOURCES = ['web', 'api', 'domain', 'db', 'print', 'sync', 'county'];

function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
}

const builtAt = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
if (SOURCES.some((d) => newest(path.join(root, d)) > builtAt)) {
  await build({
    entryPoints: [path.join(root, 'web', 'main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}
await import(pathToFileURL(out).href);
