import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by its name, as users do; here it resolves to the sources.
    alias: [
      { find: /^@featherhq\/sdk\/testing$/, replacement: src('testing/index.ts') },
      { find: /^@featherhq\/sdk\/otel$/, replacement: src('otel/index.ts') },
      { find: /^@featherhq\/sdk$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    // Two files at a time, even on 2 cores (vitest's default there is one): many files mostly wait
    // on child processes (tsc, tsup, npm, the runtimes) or on loopback servers, so the second core
    // would otherwise sit idle. CI's 8-minute budget needs it.
    maxWorkers: 2,
    // Retries log at `warn` by default: keep the suite's output to the tests' own.
    env: { FEATHER_LOG: 'off' },
  },
});
