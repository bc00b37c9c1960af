import { defineConfig } from 'tsup';

// Three entries, each as ESM (.js + .d.ts) and CommonJS (.cjs + .d.cts). Not bundled together:
// the root entry must never pull in ./testing (node:http) or ./otel (@opentelemetry/api, an
// optional peer dependency that only ./otel imports).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'otel/index': 'src/otel/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: false,
  treeshake: true,
  external: ['openapi-fetch', '@opentelemetry/api', /^node:/],
  // Keep `node:` in ./testing: Deno resolves built-ins only with it, and it marks them unmistakably.
  removeNodeProtocol: false,
});
