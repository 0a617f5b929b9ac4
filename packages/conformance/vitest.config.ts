import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Each backend file runs its own suite; TTL and concurrency tests sleep, so keep
    // files in parallel but give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
