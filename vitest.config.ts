import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['verbose'],
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/web/**/*.test.ts'] } },
      // Model validation (DESIGN §5.7): statistical checks on many simulated agents; baselines in test/model/baselines.
      { test: { name: 'model', include: ['test/model/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      // Contract suites run on PGlite and on the machine's PostgreSQL; each makes its own database.
      { test: { name: 'contract', include: ['test/contract/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      // Browser tests drive Debian's Chromium against a real server started from the built app.
      { test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 } },
    ],
  },
});
