// Bundles the `daiban` command line (which also runs the county service: `daiban county serve`)
// into dist-cli/daiban.mjs with esbuild, so neither needs tsx or TypeScript at run time.
// Every pure-JS package is inlined; only native modules stay external (and playwright-core, which
// print/pdfRenderer.ts loads by a computed name on first PDF), so the bundle runs next to a
// production-only node_modules (`npm ci --omit=dev`).
//
//   node scripts/build-cli.mjs           build now
//   import { ensureCliBundle } …          build only when a source is newer than the bundle
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = path.join(root, 'dist-cli', 'daiban.mjs');
/** The county service's batch-import thread (county/importWorker.ts), loaded by the bundle from next to it. */
export const IMPORT_WORKER_BUNDLE = path.join(root, 'dist-cli', 'county-import-worker.mjs');
const SOURCES = ['cli', 'api', 'domain', 'db', 'print', 'sync', 'county'];
export const NATIVE_EXTERNALS = ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'playwright-core', 'electron'];

function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
}

export function cliBundleIsStale() {
  if (!fs.existsSync(CLI_BUNDLE) || !fs.existsSync(IMPORT_WORKER_BUNDLE)) return true;
  const builtAt = fs.statSync(CLI_BUNDLE).mtimeMs;
  return [...SOURCES.map((d) => newest(path.join(root, d))), fs.statSync(path.join(root, 'package-lock.json')).mtimeMs].some((t) => t > builtAt);
}

export async function buildCliBundle() {
  const { build } = await import('esbuild');
  // Each file is written next to its target and renamed into place, so two processes building at
  // once never leave a half-written bundle behind.
  const one = async (entry, target) => {
    const tmp = `${target}.${process.pid}.tmp`;
    const result = await build({
      entryPoints: [entry],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: NATIVE_EXTERNALS,
      // CommonJS packages inlined into an ES module still call require() for Node's built-ins.
      banner: { js: "import { createRequire as __daibanCreateRequire } from 'node:module'; const require = __daibanCreateRequire(import.meta.url);" },
      legalComments: 'none',
      sourcemap: false,
      logLevel: 'error',
      metafile: true,
    });
    fs.renameSync(tmp, target);
    return result.metafile;
  };
  // The worker first: a bundle that is newer than its worker counts as built.
  const worker = await one(path.join(root, 'county', 'importWorker.ts'), IMPORT_WORKER_BUNDLE);
  const main = await one(path.join(root, 'cli', 'main.ts'), CLI_BUNDLE);
  // What the bundles load at run time, for tests/integration/bundles.test.ts.
  fs.writeFileSync(`${CLI_BUNDLE}.externals.json`, JSON.stringify([...new Set([...externalImports(main), ...externalImports(worker)])].sort()));
  return CLI_BUNDLE;
}

/** Packages (not Node built-ins) an esbuild bundle leaves to be loaded at run time. */
export function externalImports(metafile) {
  const names = new Set();
  for (const out of Object.values(metafile.outputs)) {
    for (const i of out.imports) {
      if (!i.external || i.path.startsWith('node:') || i.path.startsWith('.')) continue;
      names.add(i.path.startsWith('@') ? i.path.split('/').slice(0, 2).join('/') : i.path.split('/')[0]);
    }
  }
  return [...names].sort();
}

/** The bundle, rebuilt when the sources changed (in a checkout; an install without esbuild uses it as is). */
export async function ensureCliBundle() {
  if (!cliBundleIsStale()) return CLI_BUNDLE;
  try {
    return await buildCliBundle();
  } catch (e) {
    if (fs.existsSync(CLI_BUNDLE) && e && typeof e === 'object' && 'code' in e && e.code === 'ERR_MODULE_NOT_FOUND') return CLI_BUNDLE;
    throw e;
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const out = await buildCliBundle();
  console.log(`${path.relative(root, out)} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB)`);
}
