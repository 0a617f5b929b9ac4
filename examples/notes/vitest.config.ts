import { defineConfig } from 'vitest/config';

// The json report is summed by scripts/test-summary.mjs into the one line CI prints.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
