import { defineConfig } from 'vitest/config';
import { sharedTestOptions } from '../../vitest.shared.mjs';

// The global setup makes sure a Redis server answers (or says loudly why not).
export default defineConfig({
  test: { ...sharedTestOptions, globalSetup: ['test/global-setup.ts'] },
});
