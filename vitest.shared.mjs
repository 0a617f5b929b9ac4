// Test settings shared by every package and example (redis adds its global setup).
// The json report is summed by scripts/test-summary.mjs into the one line CI prints.
export const sharedTestOptions = {
  include: ['test/**/*.test.ts'],
  reporters: ['default', 'json'],
  outputFile: { json: 'test-results.json' },
  // CI runs every package's tests at once on two cores: starting servers and CLI processes,
  // fsynced writes and a thousand-file folder then take tens of seconds where they take a few
  // on an idle machine (two earlier CI runs failed on a 5 s and a 30 s limit). The limits
  // only catch hangs; speed is judged by the benchmarks.
  testTimeout: 120_000,
  hookTimeout: 60_000,
};
