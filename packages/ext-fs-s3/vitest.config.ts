import { defineConfig } from 'vitest/config';

// The json report is summed by scripts/test-summary.mjs into the one line CI prints.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Each file starts a local s3rver in a child process (or reaches S3_ENDPOINT); remote stores
    // are slower than disk, and the outage tests wait for timeouts on purpose.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
