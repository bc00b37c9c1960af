/**
 * The tests Stryker runs against each mutant (`npm run test:mutation`): every file of test/unit,
 * the in-process unit and loopback tests of src/ (`npm run test:unit` runs the same folder). A new
 * unit test of src/ belongs in test/unit and is picked up here with no list to keep. Tests that
 * build packages, start Prism, regenerate sandboxes or run other runtimes live elsewhere in test/.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Spread, not mergeConfig: that would append to the base `include` instead of replacing it.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/unit/**/*.test.ts'],
    typecheck: { enabled: false },
  },
});
