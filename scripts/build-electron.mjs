// Bundles the Electron main process and the preload into dist-electron/ (CommonJS, as a sandboxed
// preload requires). Native and Electron modules stay external.
import fs from 'node:fs';
import { build } from 'esbuild';
import { externalImports } from './build-cli.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  // Loaded at run time from node_modules (package.json "dependencies", packed by electron-builder);
  // every other package is inlined here at build time.
  external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'electron-updater', 'exceljs', 'pino', 'playwright-core'],
  logLevel: 'warning',
};

const main = await build({
  ...common,
  metafile: true,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist-electron/main.cjs',
  // Modules that find bundled data relative to import.meta.url keep working from dist-electron/.
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
// What main.cjs loads at run time: exactly what electron-builder must pack (tests/integration/bundles.test.ts).
fs.writeFileSync('dist-electron/main.cjs.externals.json', JSON.stringify(externalImports(main.metafile)));
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs', external: ['electron'] });
console.log('dist-electron/main.cjs, dist-electron/preload.cjs');
