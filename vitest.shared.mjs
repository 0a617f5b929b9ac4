// Test settings shared by packages and examples whose vitest config needs nothing else.
// The json report is summed by scripts/test-summary.mjs into the one line CI prints.
export const sharedTestOptions = {
  include: ['test/**/*.test.ts'],
  reporters: ['default', 'json'],
  outputFile: { json: 'test-results.json' },
  // CI runs every package's tests at once on two cores, where writing a thousand files can
  // take seconds. Speed is judged by the benchmarks, not by this limit.
  testTimeout: 30_000,
  hookTimeout: 30_000,
};
