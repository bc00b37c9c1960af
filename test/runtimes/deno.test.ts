/**
 * Deno (devDependency `deno`): the packed SDK from node_modules, network limited to loopback.
 * The key comes from Deno's environment only with --allow-env; without it, the SDK must report
 * a missing key rather than crash on Deno's NotCapable error.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, run } from '../consumers/pack.js';
import { childEnv, expectReport, useInstalledApp, runCli, scenarioConfig } from './harness.js';

const DENO = join(ROOT, 'node_modules/.bin/deno');
const NET = '--allow-net=127.0.0.1';

const ctx = useInstalledApp();

it('is Deno 2', async () => {
  const { stdout } = await run(DENO, ['--version'], { cwd: ROOT, env: childEnv() });
  expect(stdout).toMatch(/^deno 2\./);
});

it.concurrent('with --allow-env: key read from Deno.env', async () => {
  const config = scenarioConfig(ctx.mock);
  const args = ['run', '--no-lock', NET, '--allow-env=FEATHER_API_KEY', 'cli.mjs'];
  const report = await runCli(ctx.app, DENO, args, config, { FEATHER_API_KEY: ctx.mock.apiKey });
  expectReport(report, ctx.mock, config, { env: 'read' });
});

it.concurrent('without --allow-env: the key in the environment stays unread', async () => {
  const config = scenarioConfig(ctx.mock);
  const args = ['run', '--no-lock', NET, 'cli.mjs'];
  const report = await runCli(ctx.app, DENO, args, config, { FEATHER_API_KEY: ctx.mock.apiKey });
  expectReport(report, ctx.mock, config, { env: 'none' });
});
