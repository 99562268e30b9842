import { defineConfig } from 'vite';

// The web app is plain React compiled by Vite's built-in (Oxc) JSX transform; it talks only to the
// public HTTP API, which `vite` (dev) proxies to a running `corridor serve`.
export default defineConfig({
  root: 'web',
  base: '/',
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
