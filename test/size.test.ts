/**
 * The CI size guard: the one-call browser app (bench/bundles.ts: esbuild, minified, platform
 * browser, gzip -9) must stay within its budget, and must not grow with the spec. Bytes are
 * deterministic, unlike times: speed targets live in `npm run bench` only.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apps, bundle, BUDGETS, SDK } from '../bench/bundles.js';
import { syntheticCopy } from '../bench/synthetic.js';

describe('one-call app size', () => {
  it(`createFeatherCore + dispatchSimulationRun, validation on: <= ${BUDGETS.core} B gzip`, async () => {
    const { gzip, code } = await bundle(apps.core(SDK));
    expect(code).toContain('/v1/simulation/runs');
    expect(gzip).toBeLessThanOrEqual(BUDGETS.core);
  });

  it(`createFeatherClient(...).dispatchSimulationRun, validation on: <= ${BUDGETS.client} B gzip`, async () => {
    const { gzip } = await bundle(apps.client(SDK));
    expect(gzip).toBeLessThanOrEqual(BUDGETS.client);
  });

  it('the core style does not ship openapi-fetch', async () => {
    const { code } = await bundle(apps.core(SDK), { minifyIdentifiers: false });
    // openapi-fetch's own option names: present only if its client was bundled.
    expect(code).not.toMatch(/querySerializer|bodySerializer/);
  });
});

describe('against a larger spec', () => {
  let sdk: string;
  beforeAll(async () => {
    const copy = await syntheticCopy({ operations: 60, schemas: 40, name: 'size-synthetic' });
    sdk = join(copy.root, 'src', 'index.ts');
  }, 60_000);

  it('the core-style app holds the same code and the same number of bytes', async () => {
    const [small, large] = await Promise.all([
      bundle(apps.core(SDK), { minifyIdentifiers: false }),
      bundle(apps.core(sdk), { minifyIdentifiers: false }),
    ]);
    expect(large.code).toBe(small.code);
    // Minified names come from character frequencies over whole files (see bench/bundles.ts),
    // so only the length is compared once identifiers are minified.
    const [a, b] = await Promise.all([bundle(apps.core(SDK)), bundle(apps.core(sdk))]);
    expect(b.raw).toBe(a.raw);
  });
});
