/** Bun (devDependency `bun`): the packed SDK from node_modules; the key from process.env. */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, run } from '../consumers/pack.js';
import { childEnv, expectReport, useInstalledApp, runCli, scenarioConfig } from './harness.js';

const BUN = join(ROOT, 'node_modules/.bin/bun');

const ctx = useInstalledApp();

it('is Bun 1', async () => {
  const { stdout } = await run(BUN, ['--version'], { cwd: ROOT, env: childEnv() });
  expect(stdout).toMatch(/^1\./);
});

it.concurrent('import: key read from process.env', async () => {
  const config = scenarioConfig(ctx.mock);
  const report = await runCli(ctx.app, BUN, ['cli.mjs'], config, {
    FEATHER_API_KEY: ctx.mock.apiKey,
  });
  expectReport(report, ctx.mock, config, { env: 'read' });
});

it.concurrent('require: CommonJS build, no key in the environment', async () => {
  const config = scenarioConfig(ctx.mock);
  const report = await runCli(ctx.app, BUN, ['cli.cjs'], config);
  expect(report.resolved).toMatch(/@featherhq\/sdk\/dist\/index\.cjs$/);
  expectReport(report, ctx.mock, config, { env: 'none' });
});
