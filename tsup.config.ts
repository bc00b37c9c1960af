import { defineConfig } from 'tsup';

// Two entries, each as ESM (.js + .d.ts) and CommonJS (.cjs + .d.cts). Not bundled together:
// the root entry must never pull in ./testing (node:http).
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: false,
  treeshake: true,
  external: ['openapi-fetch', /^node:/],
  // Keep `node:` in ./testing: Deno resolves built-ins only with it, and it marks them unmistakably.
  removeNodeProtocol: false,
});
