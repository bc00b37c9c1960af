/**
 * The CI size guard, on what ships: the package is built, packed and installed from its tarball
 * into a fresh app (test/support/tarball.ts), and the one-call browser apps are bundled from there
 * (bench/bundles.ts: esbuild, minified, platform browser, gzip -9). The core-style app must stay
 * within its budget and must not grow with the spec: built from the whole vendored spec, it keeps
 * what the same app built from the one-operation seed keeps. Bytes are deterministic, unlike
 * times: speed targets live in `npm run bench` only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apps,
  bundle,
  BUDGETS,
  compareApps,
  declaredNames,
  operationIds,
  PACKAGE,
  SAME_SPEC_TOLERANCE,
} from '../bench/bundles.js';
import { installedSdk, snapshot, type InstalledSdk, type Snapshot } from './support/tarball.js';
import { seedText } from './support/specs.js';

// Packing (tsup with declarations, npm pack, npm install) takes seconds, more on a busy machine;
// it runs once per state of the sources and is reused afterwards.
const PACKING_MS = 300_000;

let from: Snapshot;
/** The package as it ships: the whole vendored spec. */
let shipped: InstalledSdk;
beforeAll(async () => {
  // Both packages from one snapshot of the sources, taken before either is built.
  from = await snapshot();
  shipped = await installedSdk(from);
}, PACKING_MS);

describe('one-call app, bundled from the installed tarball', () => {
  it(`createFeatherCore + dispatchSimulationRun, validation on: <= ${BUDGETS.core} B gzip`, async () => {
    const { gzip, code } = await bundle(apps.core(PACKAGE), { resolveDir: shipped.appDir });
    expect(code).toContain('/v1/simulation/runs');
    expect(gzip).toBeLessThanOrEqual(BUDGETS.core);
  });

  it(`createFeatherClient(...).dispatchSimulationRun, validation on: <= ${BUDGETS.client} B gzip`, async () => {
    const { gzip, code } = await bundle(apps.client(PACKAGE), { resolveDir: shipped.appDir });
    expect(code).toContain('/v1/simulation/runs');
    expect(gzip).toBeLessThanOrEqual(BUDGETS.client);
  });

  it('the core style ships neither openapi-fetch nor the response validators', async () => {
    const { code } = await bundle(apps.core(PACKAGE), {
      resolveDir: shipped.appDir,
      minifyIdentifiers: false,
    });
    // openapi-fetch's own option names: present only if its client was bundled.
    expect(code).not.toMatch(/querySerializer|bodySerializer/);
    expect(declaredNames(code)).not.toContain('responseChecks');
    expect(operationIds(code)).toEqual(['dispatchSimulationRun']);
  });

  it('nor anything it does not call: logging, middleware, response checks, uploads, streams', async () => {
    const { code } = await bundle(apps.core(PACKAGE), { resolveDir: shipped.appDir });
    // A text that only each feature's code holds.
    const features = {
      logging: 'feather: ',
      middleware: 'onRequest',
      'response checks': 'does not match the spec',
      uploads: 'FeatherFormBoundary',
      'event streams': 'text/event-stream',
      'the raw client': 'parseAs',
    };
    const included = Object.entries(features).filter(([, text]) => code.includes(text));
    expect(included.map(([feature]) => feature)).toEqual([]);
  });
});

describe('@featherhq/sdk/otel', () => {
  it('the one-call app ships none of it, nor @opentelemetry/api', async () => {
    const { code } = await bundle(apps.core(PACKAGE), {
      resolveDir: shipped.appDir,
      minifyIdentifiers: false,
    });
    // Names only the otel entry and the OpenTelemetry API hold.
    expect(code).not.toMatch(/http\.client\.request\.duration|feather\.operation_id|propagation/);
    expect(code).not.toMatch(/opentelemetry/i);
  });

  it(`the one-call app instrumented: <= ${BUDGETS.otel} B gzip`, async () => {
    const { gzip, code } = await bundle(apps.otel(PACKAGE), { resolveDir: shipped.appDir });
    expect(code).toContain('http.client.request.duration');
    expect(gzip).toBeLessThanOrEqual(BUDGETS.otel);
  });
});

describe('against the package of the one-operation seed', () => {
  let seed: InstalledSdk;
  beforeAll(async () => {
    seed = await installedSdk(from, { name: 'seed', text: seedText });
  }, PACKING_MS);

  it("the shipped package holds every other operation, the seed's only its one", async () => {
    const ids = async (appDir: string) =>
      operationIds(
        (await bundle(apps.client(PACKAGE), { resolveDir: appDir, minifyIdentifiers: false })).code,
      );
    expect((await ids(shipped.appDir)).length).toBeGreaterThanOrEqual(491);
    expect(await ids(seed.appDir)).toEqual(['dispatchSimulationRun']);
  });

  it(`the core-style app keeps the same declarations, within ${SAME_SPEC_TOLERANCE} B gzip`, async () => {
    const same = await compareApps(apps.core(PACKAGE), seed.appDir, shipped.appDir);
    expect(same.extraNames, 'kept although the app never calls them').toEqual([]);
    expect(same.missingNames).toEqual([]);
    expect(Math.abs(same.gzipDelta)).toBeLessThanOrEqual(SAME_SPEC_TOLERANCE);
  });
});
