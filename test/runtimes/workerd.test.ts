/**
 * Cloudflare workerd through miniflare: the packed SDK bundled as wrangler bundles a Worker
 * (esbuild, ESM, the `workerd`/`worker`/`browser` export conditions), calling loopback.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundle, expectReport, useInstalledApp, scenarioConfig, SETUP_TIMEOUT } from './harness.js';

// miniflare 4.20260426 (workerd 1.20260426.1) refuses compatibility dates after 2026-05-03.
const COMPATIBILITY_DATE = '2026-04-26';

const ctx = useInstalledApp();
let script: string;
const workers: Miniflare[] = [];
beforeAll(async () => {
  script = await bundle(ctx.app, 'worker.js', {
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
  });
}, SETUP_TIMEOUT);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.dispose()));
});

async function dispatch(options: {
  compatibilityFlags?: string[];
  bindings?: Record<string, string>;
}) {
  const worker = new Miniflare({
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    ...options,
  });
  workers.push(worker);
  const config = scenarioConfig(ctx.mock);
  const response = await worker.dispatchFetch('http://worker.test/', {
    method: 'POST',
    body: JSON.stringify(config),
  });
  expect(response.status).toBe(200);
  return { config, report: (await response.json()) as any };
}

it('the bundle is free of Node built-ins', () => {
  expect(script).not.toMatch(/["']node:|require\(/);
});

it('a Worker: one run, a 422, no environment to read', async () => {
  const { config, report } = await dispatch({ bindings: { FEATHER_API_KEY: ctx.mock.apiKey } });
  expectReport(report, ctx.mock, config, { env: 'none' });
});

it('with nodejs_compat, the platform fills process.env from bindings, and the key is read', async () => {
  const { config, report } = await dispatch({
    compatibilityFlags: ['nodejs_compat'],
    bindings: { FEATHER_API_KEY: ctx.mock.apiKey },
  });
  expectReport(report, ctx.mock, config, { env: 'read' });
});
