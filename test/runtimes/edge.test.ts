/**
 * Vercel's edge-runtime: the packed SDK bundled as an IIFE (as Next bundles middleware and edge
 * routes), evaluated as a classic script in its sandbox, calling loopback with its fetch.
 */
import { EdgeRuntime } from 'edge-runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  bundle,
  expectReport,
  installedApp,
  scenarioConfig,
  SETUP_TIMEOUT,
  type App,
  type MockServer,
} from './harness.js';

let app: App;
let mock: MockServer;
let script: string;
beforeAll(async () => {
  app = await installedApp();
  mock = await app.startMockServer();
  script = await bundle(app, 'bundle.js', {
    format: 'iife',
    globalName: 'FeatherApp',
    platform: 'browser',
    conditions: ['edge-light', 'worker', 'browser'],
  });
}, SETUP_TIMEOUT);
afterAll(async () => {
  await mock?.close();
  await app?.remove();
});

it('one run, a 422, no environment to read', async () => {
  // Set here too: the sandbox must not see this process's environment.
  process.env.FEATHER_API_KEY = mock.apiKey;
  try {
    const runtime = new EdgeRuntime();
    expect(runtime.evaluate('typeof process')).toBe('undefined');
    runtime.evaluate(script);
    const config = scenarioConfig(mock);
    // JSON inside the sandbox: its objects come from another realm.
    const json: string = await runtime.evaluate(
      `FeatherApp.scenario(FeatherApp.sdk, ${JSON.stringify(config)}).then(JSON.stringify)`,
    );
    expectReport(JSON.parse(json), mock, config, { env: 'none' });
  } finally {
    delete process.env.FEATHER_API_KEY;
  }
});
