// Renderer build: one static bundle in dist-renderer/, loaded by Electron from file:// (hence the
// relative base) and served by the loopback web shell. Nothing is fetched from the network at run time.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist-renderer', import.meta.url)),
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
          if (/node_modules\/(react|react-dom|react-router|scheduler|cookie|set-cookie-parser)\//.test(id)) return 'react';
          if (/node_modules\/(dexie)\//.test(id)) return 'dexie';
          if (/node_modules\/(zod)\//.test(id)) return 'zod';
          // Charts load with the statistics page only, not at start-up.
          if (/node_modules\/(echarts|zrender)\//.test(id)) return 'charts';
          return 'vendor';
        },
      },
    },
  },
  server: { host: '127.0.0.1' },
});
