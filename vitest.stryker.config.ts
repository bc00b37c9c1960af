/**
 * The tests Stryker runs against each mutant (`npm run test:mutation`): the in-process unit and
 * loopback tests of src/. Listed by name, because other top-level tests are slow for other reasons
 * (the Prism contract starts a server per run, size builds bundles, drift and spec-update test
 * scripts/ rather than src/) and the runtime, consumer and bench suites live in subfolders.
 * Add a new unit test file of src/ here.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Spread, not mergeConfig: that would append to the base `include` instead of replacing it.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/core.test.ts',
      'test/dispatch.test.ts',
      'test/errors.test.ts',
      'test/faults.test.ts',
      'test/mock-server.test.ts',
      'test/security.test.ts',
      'test/validation.test.ts',
      'test/validation.oracle.test.ts',
    ],
    typecheck: { enabled: false },
  },
});
