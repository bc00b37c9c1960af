/**
 * Vercel's edge-runtime: the packed SDK bundled as an IIFE (as Next bundles middleware and edge
 * routes), evaluated as a classic script in its sandbox, calling loopback with its fetch.
 */
import { EdgeRuntime } from 'edge-runtime';
import { beforeAll, expect, it } from 'vitest';
import { bundle, expectReport, useInstalledApp, scenarioConfig, SETUP_TIMEOUT } from './harness.js';

const ctx = useInstalledApp();
let script: string;
beforeAll(async () => {
  script = await bundle(ctx.app, 'bundle.js', {
    format: 'iife',
    globalName: 'FeatherApp',
    platform: 'browser',
    conditions: ['edge-light', 'worker', 'browser'],
  });
}, SETUP_TIMEOUT);

it('one run, a 422, no environment to read', async () => {
  // Set here too: the sandbox must not see this process's environment.
  process.env.FEATHER_API_KEY = ctx.mock.apiKey;
  try {
    const runtime = new EdgeRuntime();
    expect(runtime.evaluate('typeof process')).toBe('undefined');
    runtime.evaluate(script);
    const config = scenarioConfig(ctx.mock);
    // JSON inside the sandbox: its objects come from another realm.
    const json: string = await runtime.evaluate(
      `FeatherApp.scenario(FeatherApp.sdk, ${JSON.stringify(config)}).then(JSON.stringify)`,
    );
    expectReport(JSON.parse(json), ctx.mock, config, { env: 'none' });
  } finally {
    delete process.env.FEATHER_API_KEY;
  }
});
