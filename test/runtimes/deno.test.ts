/**
 * Deno (devDependency `deno`): the packed SDK from node_modules, network limited to loopback.
 * The key comes from Deno's environment only with --allow-env; without it, the SDK must report
 * a missing key rather than crash on Deno's NotCapable error.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, run } from '../consumers/pack.js';
import {
  childEnv,
  expectReport,
  installedApp,
  runCli,
  scenarioConfig,
  SETUP_TIMEOUT,
  type App,
  type MockServer,
} from './harness.js';

const DENO = join(ROOT, 'node_modules/.bin/deno');
const NET = '--allow-net=127.0.0.1';

let app: App;
let mock: MockServer;
beforeAll(async () => {
  app = await installedApp();
  mock = await app.startMockServer();
}, SETUP_TIMEOUT);
afterAll(async () => {
  await mock?.close();
  await app?.remove();
});

it('is Deno 2', async () => {
  const { stdout } = await run(DENO, ['--version'], { cwd: ROOT, env: childEnv() });
  expect(stdout).toMatch(/^deno 2\./);
});

it.concurrent('with --allow-env: key read from Deno.env', async () => {
  const config = scenarioConfig(mock);
  const args = ['run', '--no-lock', NET, '--allow-env=FEATHER_API_KEY', 'cli.mjs'];
  const report = await runCli(app, DENO, args, config, { FEATHER_API_KEY: mock.apiKey });
  expectReport(report, mock, config, { env: 'read' });
});

it.concurrent('without --allow-env: the key in the environment stays unread', async () => {
  const config = scenarioConfig(mock);
  const args = ['run', '--no-lock', NET, 'cli.mjs'];
  const report = await runCli(app, DENO, args, config, { FEATHER_API_KEY: mock.apiKey });
  expectReport(report, mock, config, { env: 'none' });
});
