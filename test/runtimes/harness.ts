/**
 * What every runtime test shares: the packed SDK installed in an app (ecosystem-tests/runtimes),
 * the mock server from that same tarball, bundling for runtimes without a module resolver, and
 * the assertions on the report that ecosystem-tests/runtimes/scenario.js returns.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, expect } from 'vitest';
import { npmInstall, once, packedSdk, ROOT, run } from '../consumers/pack.js';

type Testing = typeof import('@featherhq/sdk/testing');
export type MockServer = Awaited<ReturnType<Testing['startMockServer']>>;

/** Pack + install can take a while on a cold machine (npm cache empty, 2 busy cores). */
export const SETUP_TIMEOUT = 240_000;

export interface App {
  /** A fresh copy of ecosystem-tests/runtimes, with the packed SDK in its node_modules. */
  dir: string;
  startMockServer: Testing['startMockServer'];
  remove(): Promise<void>;
}

/**
 * The hooks every runtime test file needs: the packed app installed and its mock server started
 * before the tests, both gone after. A file's own beforeAll (a bundle, a browser) runs after
 * these, and its own afterAll before them.
 */
export function useInstalledApp(): { app: App; mock: MockServer } {
  const context = {} as { app: App; mock: MockServer };
  beforeAll(async () => {
    context.app = await installedApp();
    context.mock = await context.app.startMockServer();
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await context.mock?.close();
    await context.app?.remove();
  });
  return context;
}

/**
 * The tarball is installed once per build; each caller gets its own copy of the fixture files
 * (so edits to them are never hidden by the cache) next to a link to that node_modules.
 */
export async function installedApp(): Promise<App> {
  const { tarball, cacheDir } = await packedSdk();
  const installed = join(cacheDir, 'runtime-app');
  await once(installed, async () => {
    await writeFile(join(installed, 'package.json'), '{ "private": true, "type": "module" }\n');
    await npmInstall(installed, [tarball]);
  });
  await mkdir(join(cacheDir, 'runs'), { recursive: true });
  const dir = await mkdtemp(join(cacheDir, 'runs', 'app-'));
  await cp(join(ROOT, 'ecosystem-tests/runtimes'), dir, { recursive: true });
  await symlink(join(installed, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const testing: Testing = await import(
    pathToFileURL(join(dir, 'node_modules/@featherhq/sdk/dist/testing/index.js')).href
  );
  return {
    dir,
    startMockServer: testing.startMockServer,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Bundles an app file with esbuild, as a user's toolchain (wrangler, Vite, Next) would. */
export async function bundle(app: App, entry: string, options: BuildOptions): Promise<string> {
  const result = await build({
    absWorkingDir: app.dir,
    entryPoints: [join(app.dir, entry)],
    bundle: true,
    write: false,
    logLevel: 'silent',
    target: 'es2022',
    ...options,
  });
  return result.outputFiles![0].text;
}

export interface ScenarioConfig {
  baseUrl: string;
  apiKey: string;
  ids: { agent_id: string; persona_id: string; scenario_id: string };
  browser?: boolean;
}

export const scenarioConfig = (mock: MockServer, browser = false): ScenarioConfig => ({
  baseUrl: mock.url,
  apiKey: mock.apiKey,
  ids: { agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() },
  browser,
});

/** Only what a runtime needs: nothing of this process's own settings (NODE_OPTIONS, VITEST...). */
export const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NO_COLOR: '1',
  ...extra,
});

/** Runs a CLI runtime on cli.mjs / cli.cjs and parses the report it prints. */
export async function runCli(
  app: App,
  command: string,
  args: string[],
  config: ScenarioConfig,
  env: Record<string, string> = {},
): Promise<any> {
  const { stdout } = await run(command, [...args, JSON.stringify(config)], {
    cwd: app.dir,
    env: childEnv(env),
    timeoutMs: 60_000,
  });
  const last = stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last);
}

/**
 * The same assertions for every runtime: a run typed and shaped as the spec says, created on the
 * server; a 422 as UnprocessableEntityError; the key read from the environment only where the
 * runtime has one; the browser guard only in browsers.
 */
export function expectReport(
  report: any,
  mock: MockServer,
  config: ScenarioConfig,
  expected: { env: 'read' | 'none'; browser?: boolean },
): void {
  const { run } = report;
  expect(run).toMatchObject({
    ...config.ids,
    channel: 'text',
    status: 'pending',
    agent_revision_id: null,
    tool_overrides: { lookup_order: { output: { status: 'shipped' }, delay_ms: 250 } },
  });
  expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(Number.isNaN(Date.parse(run.created_at))).toBe(false);
  expect(mock.runs.map((r) => r.id)).toContain(run.id);
  const sent = mock.requests.find((r) => (r.body as any)?.agent_id === config.ids.agent_id);
  expect(sent?.headers['x-api-key']).toBe(config.apiKey);

  expect(report.unprocessable.ok).toBe(false);
  expect(report.unprocessable.error).toMatchObject({
    name: 'UnprocessableEntityError',
    status: 422,
    isUnprocessableEntityError: true,
    isAPIError: true,
    isFeatherError: true,
    isError: true,
  });
  expect(report.unprocessable.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(report.unprocessable.error.body.detail[0].loc).toEqual(['body', 'agent_id']);
  expect(report.unprocessable.error.message).toContain('agent_id');
  expect(report.unprocessable.error.message).not.toContain(config.apiKey);

  if (expected.env === 'read') {
    expect(report.fromEnv).toEqual({ ok: true, value: expect.any(String) });
    expect(mock.runs.map((r) => r.id)).toContain(report.fromEnv.value);
  } else {
    expect(report.fromEnv.ok).toBe(false);
    expect(report.fromEnv.error).toMatchObject({ name: 'FeatherError', isFeatherError: true });
    expect(report.fromEnv.error.message).toMatch(/^No API key/);
  }

  if (expected.browser) {
    expect(report.withoutOptIn.ok).toBe(false);
    expect(report.withoutOptIn.error.name).toBe('FeatherError');
    expect(report.withoutOptIn.error.message).toContain('dangerouslyAllowBrowser');
  } else {
    expect(report.withoutOptIn).toEqual({ ok: true, value: 'created' });
  }
}
