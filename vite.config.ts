import { defineConfig } from 'vite';

// The web app is React compiled by Vite's built-in (Oxc) JSX transform; it talks only to the
// public HTTP API, which `vite` (dev) proxies to a running `corridor serve`.
export default defineConfig({
  root: 'web',
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // The libraries change less often than the app: their own content-hashed chunks stay cached across releases.
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: 'libraries',
              test: /node_modules[\\/](react-router|@tanstack|i18next|react-i18next|openapi-fetch|openapi-react-query|cookie|set-cookie-parser)[\\/]/,
            },
            { name: 'd3', test: /node_modules[\\/]d3-/ },
          ],
        },
      },
      // "use client" directives of React libraries mean nothing in a client-only bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
