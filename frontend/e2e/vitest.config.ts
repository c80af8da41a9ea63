import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium through playwright-core against a
// running Orderly stack (ORDERLY_BASE_URL). They share one stack, so they
// run one file at a time.
export default defineConfig({
  test: {
    root: 'e2e',
    environment: 'node',
    include: ['**/*.test.ts'],
    setupFiles: ['setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
