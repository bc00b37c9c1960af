/** Bun (devDependency `bun`): the packed SDK from node_modules; the key from process.env. */
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

const BUN = join(ROOT, 'node_modules/.bin/bun');

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

it('is Bun 1', async () => {
  const { stdout } = await run(BUN, ['--version'], { cwd: ROOT, env: childEnv() });
  expect(stdout).toMatch(/^1\./);
});

it.concurrent('import: key read from process.env', async () => {
  const config = scenarioConfig(mock);
  const report = await runCli(app, BUN, ['cli.mjs'], config, { FEATHER_API_KEY: mock.apiKey });
  expectReport(report, mock, config, { env: 'read' });
});

it.concurrent('require: CommonJS build, no key in the environment', async () => {
  const config = scenarioConfig(mock);
  const report = await runCli(app, BUN, ['cli.cjs'], config);
  expect(report.resolved).toMatch(/@featherhq\/sdk\/dist\/index\.cjs$/);
  expectReport(report, mock, config, { env: 'none' });
});
