import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Every write is an fsynced SQLite commit and some tests start child processes, so
    // give slow disks and CI machines room.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
