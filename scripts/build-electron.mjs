// Bundles the Electron main process and the preload into dist-electron/ (CommonJS, as a sandboxed
// preload requires). Native and Electron modules stay external.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  external: ['electron', 'better-sqlite3-multiple-ciphers', 'electron-updater', 'playwright-core', 'fastify', '@fastify/static', 'exceljs'],
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist-electron/main.cjs',
  // Modules that find bundled data relative to import.meta.url keep working from dist-electron/.
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist-electron/preload.cjs', external: ['electron'] });
console.log('dist-electron/main.cjs, dist-electron/preload.cjs');
