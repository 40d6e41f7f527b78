// The county console's build: a second entry next to the village renderer (renderer/county/index.html),
// sharing its components, the statistics pieces and the ECharts chunk. Output: dist-county/, served by
// the county service at `/`. Relative base, so the console also works behind a reverse proxy sub-path.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./county', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist-county', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1600,
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments that Rollup reports as misplaced annotations; harmless.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules/zod')) return;
        warn(warning);
      },
      output: {
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|react-router|scheduler)\//.test(id)) return 'react';
          if (/node_modules\/(zod)\//.test(id)) return 'zod';
          // Charts load with the statistics page only, as in the village app.
          if (/node_modules\/(echarts|zrender)\//.test(id)) return 'charts';
          return 'vendor';
        },
      },
    },
  },
  server: { host: '127.0.0.1' },
});
