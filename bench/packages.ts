/**
 * The specs the bench measures, each as the package a user installs: built, packed and installed
 * from its tarball (test/support/tarball.ts). The real spec is the repo itself (openapi.json, what
 * ships); the one-operation seed and a large synthetic spec are regenerated in copies of the
 * project, as a bump would.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { operationsOf } from '../scripts/lib/spec.js';
import { seedSpec, syntheticSpec } from '../scripts/synthetic-spec.js';
import {
  installedSdk,
  snapshot,
  type InstalledSdk,
  type Snapshot,
  type SpecInput,
} from '../test/support/tarball.js';

export interface MeasuredSpec {
  label: string;
  operations: number;
  specText: string;
  /** The installed package; absent when generating or building it failed (see `error`). */
  sdk?: InstalledSdk;
  error?: string;
  /**
   * Its declarations failed to build (`error` says why): `sdk` is then a build without them,
   * which weighs the JavaScript but is not what ships.
   */
  jsOnly?: boolean;
  /** The .tgz's size, bytes. */
  tarballBytes?: number;
  /** Generate (copies only), build, pack and install, the first time; near 0 when cached. */
  packMs: number;
}

async function measured(
  from: Snapshot,
  label: string,
  specText: string,
  copy?: SpecInput,
): Promise<MeasuredSpec> {
  const operations = operationsOf(JSON.parse(specText)).length;
  const start = performance.now();
  const base = { label, operations, specText };
  let error: string | undefined;
  for (const jsOnly of copy ? [false, true] : [false]) {
    try {
      const sdk = await installedSdk(from, copy && { ...copy, jsOnly });
      const tarballBytes = (await stat(sdk.tarball)).size;
      const packMs = performance.now() - start;
      return { ...base, sdk, tarballBytes, packMs, ...(jsOnly ? { error, jsOnly } : {}) };
    } catch (e) {
      // A full build that fails is retried without declarations, to weigh the JavaScript.
      error ??= e instanceof Error ? e.message : String(e);
    }
  }
  return { ...base, error, packMs: performance.now() - start };
}

export async function measuredSpecs(): Promise<{
  seed: MeasuredSpec;
  real: MeasuredSpec;
  synthetic: MeasuredSpec;
}> {
  // One snapshot for all three: compared packages must come from the same sources.
  const from = await snapshot();
  const real = await measured(
    from,
    'openapi.json (Feather 1.21.0, what ships)',
    await readFile(join(from.dir, 'openapi.json'), 'utf8'),
  );
  if (!real.sdk) throw new Error(`the package could not be built:\n${real.error}`);
  const seedText = `${JSON.stringify(seedSpec(), null, 2)}\n`;
  const seed = await measured(from, 'seed (dispatchSimulationRun alone)', seedText, {
    name: 'seed',
    text: seedText,
  });
  const syntheticText = JSON.stringify(syntheticSpec({ operations: 500, schemas: 200 }), null, 2);
  const synthetic = await measured(from, 'synthetic', syntheticText, {
    name: 'synthetic-500',
    text: syntheticText,
  });
  return { seed, real, synthetic };
}
