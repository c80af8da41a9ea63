import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The Go server listens here in development (`make run`); the dev server
// proxies the API to it so the app and the API share one origin, as they do
// in production where the Go server serves the built app itself.
const api = process.env.ORDERLY_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/graphql': { target: api, ws: true },
      '/playground': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    // dist/.gitkeep keeps the directory in git so the Go embed compiles
    // before the first build; emptyOutDir would delete it.
    emptyOutDir: false,
    sourcemap: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // A bound, not a timing check: the longest component tests drive dozens
    // of user events through jsdom, which on a shared two-core machine can
    // take more than Vitest's 5 s default.
    testTimeout: 20_000,
  },
});
