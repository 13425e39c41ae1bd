import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  main: {
    build: {
      // The bench entry drives Chromium through Playwright, a devDependency: load it from node_modules.
      externalizeDeps: { include: ['@playwright/test'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli/index.ts'),
          bench: resolve('bench/run.ts'),
          // Reads and checks .panelist files off the main thread (core/exchange/check-in-workers.ts).
          'bundle-worker': resolve('src/main/bundle-worker.ts'),
        },
        // Shared chunks sit beside the entries, so that paths relative to import.meta.url
        // (out/main → out/renderer) hold in every chunk.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // The sandboxed preload cannot load ES modules: emit CommonJS with a .cjs name.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
