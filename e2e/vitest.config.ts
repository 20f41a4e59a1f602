import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium (Playwright) against the stack `npm test` started. One file at a time:
// the tests share the demo team, and the machine has two cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
