// The county console's build: a second entry next to the village renderer (renderer/county/index.html),
// sharing its components, the statistics pieces and the ECharts chunk. Output: dist-county/, served by
// the county service at `/`. The village's build settings (relative base, chunks, warnings) are reused
// as they are; only the entry folder and the output folder differ.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import village from './vite.config';

export default defineConfig({
  ...village,
  root: fileURLToPath(new URL('./county', import.meta.url)),
  build: { ...village.build, outDir: fileURLToPath(new URL('../dist-county', import.meta.url)) },
});
