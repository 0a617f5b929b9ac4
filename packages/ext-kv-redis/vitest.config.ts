import { defineConfig } from 'vitest/config';

// The json report is summed by scripts/test-summary.mjs into the one line CI prints.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // TTL and concurrency tests sleep, and the outage test restarts a server.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
