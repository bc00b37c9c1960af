/**
 * `@featherhq/sdk/otel` as users run it: the package generated from the real Feather 1.21.0 spec
 * (streams, pages, a waiter; the seed has none of them), packed and installed from its tarball,
 * with the real OpenTelemetry SDK (sdk-trace-base's in-memory exporter, sdk-metrics), against the
 * mock server of that same package. ecosystem-tests/runtimes/otel.js is bundled for each runtime
 * and run in Node, in workerd (miniflare) and in Chromium, and every run must report the same
 * trace: calls, a retry, a timeout, an abort, a stream read to its end and one abandoned, the
 * pages of an iteration, a waiter's polls, metrics, trace context on the wire, and no key.
 *
 * In Chromium it also shows why trace context is off in browsers by default: against a server
 * whose CORS allows only the SDK's own headers, the instrumented page works, and fails with
 * `propagateInBrowsers` (the preflight refuses `traceparent`).
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from '../consumers/pack.js';
import { installedSdk, snapshot } from '../support/tarball.js';
import { childEnv, SETUP_TIMEOUT } from './harness.js';

type Testing = typeof import('@featherhq/sdk/testing');
type MockServer = Awaited<ReturnType<Testing['startMockServer']>>;

// Generating, building and installing the 1.21.0 package takes minutes on a busy machine (cached).
const PACKAGE_TIMEOUT = 600_000;
const COMPATIBILITY_DATE = '2026-04-26';
const CHROMIUM = '/usr/bin/chromium';

let dir: string;
let mock: MockServer;
/** Agent ids whose first dispatch the mock answers 503; run ids it answers after 400 ms. */
const toRetry = new Set<string>();
const slow = new Set<string>();

/** The mock's test-only behaviour: a 503 once for a `retried` agent, 400 ms for a `slow` run, runs done after 3 polls. */
function mockOptions(state: { mock?: MockServer }) {
  const polls = new Map<string, number>();
  return {
    pages: 3,
    eventDelayMs: 1,
    handler: (request: { path: string; body: unknown }) => {
      if (slow.has(request.path.split('/').at(-1)!)) {
        return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 400));
      }
      if (toRetry.delete((request.body as { agent_id?: string })?.agent_id ?? '')) {
        return { status: 503, body: { error: 'unavailable', message: 'try again' } };
      }
      return undefined;
    },
    handlers: {
      getSimulationRun: (request: { params: { path: Record<string, unknown> } }) => {
        const id = String(request.params.path.sim_run_id);
        const n = (polls.get(id) ?? 0) + 1;
        polls.set(id, n);
        const stored = state.mock!.runs.find((r) => r.id === id);
        if (stored && n >= 3) stored.status = 'completed';
        return undefined;
      },
    },
  };
}

/** Resolves @opentelemetry/api to the app's copy, whoever imports it: one API, as in an app. */
function oneApi(appModules: string): Plugin {
  return {
    name: 'one-opentelemetry-api',
    setup(b) {
      b.onResolve({ filter: /^@opentelemetry\/api$/ }, (args) =>
        args.resolveDir === appModules
          ? undefined
          : b.resolve(args.path, { kind: args.kind, resolveDir: appModules }),
      );
    },
  };
}

/** The scenario bundled for a runtime, with `entry` as its main module. */
async function bundled(entry: string, options: BuildOptions): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir: dir, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    write: false,
    logLevel: 'silent',
    target: 'es2022',
    // The OpenTelemetry SDK comes from the repo's dev dependencies; the SDK from the tarball.
    nodePaths: [join(ROOT, 'node_modules')],
    plugins: [oneApi(dir)],
    ...options,
  });
  return result.outputFiles![0].text;
}

beforeAll(async () => {
  // The package as shipped: the whole 1.21.0 API.
  const sdk = await installedSdk(await snapshot());
  dir = await mkdtemp(join(sdk.appDir, '..', 'otel-run-'));
  await cp(join(ROOT, 'ecosystem-tests/runtimes/otel.js'), join(dir, 'otel.js'));
  await symlink(join(sdk.appDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const testing: Testing = await import(
    pathToFileURL(join(sdk.appDir, 'node_modules/@featherhq/sdk/dist/testing/index.js')).href
  );
  const state: { mock?: MockServer } = {};
  mock = state.mock = await testing.startMockServer(mockOptions(state) as never);
}, PACKAGE_TIMEOUT);
afterAll(async () => {
  await mock?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A run's config: its own ids, so that each run gets its own 503 and its own slow run. */
function config(extra = {}) {
  const ids = {
    agent_id: randomUUID(),
    persona_id: randomUUID(),
    scenario_id: randomUUID(),
    retried: randomUUID(),
    slow: randomUUID(),
  };
  toRetry.add(ids.retried);
  slow.add(ids.slow);
  return { baseUrl: mock.url, apiKey: mock.apiKey, ids, ...extra };
}

interface PlainSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentId?: string;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  status: { code: number; message?: string };
}
/** What ends an attempt on the client's side, perhaps before its request reaches the server. */
const CUT_SHORT = ['APIConnectionTimeoutError', 'APIUserAbortError'];

interface Report {
  outcomes: Record<string, string>;
  events: number;
  agents: number;
  spans: PlainSpan[];
  metrics: {
    name: string;
    unit: string;
    points: { attributes: object; value: number; boundaries?: number[] }[];
  }[];
}

/** `name KIND` per span, indented under its parent: the trace as a viewer shows it. */
function tree(spans: PlainSpan[]): string[] {
  const kinds = ['INTERNAL', 'SERVER', 'CLIENT'];
  const ids = new Set(spans.map((s) => s.spanId));
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const s of spans) {
      const p = s.parentId && ids.has(s.parentId) ? s.parentId : undefined;
      if (p !== parent) continue;
      lines.push(`${'  '.repeat(depth)}${s.name} ${kinds[s.kind]}`);
      walk(s.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/** The same trace, whatever the runtime. `sentFrom`: the requests the mock got in this run. */
function expectTelemetry(report: Report, sentFrom: number, { propagated = true } = {}): void {
  expect(report.outcomes).toEqual({
    retried: 'ok',
    timeout: 'APIConnectionTimeoutError',
    abort: 'APIUserAbortError',
    stream: 'ok',
    streamBreak: 'ok',
    pages: 'ok',
    wait: 'ok',
    raw: 'ok',
  });
  expect([report.events, report.agents]).toEqual([3, 6]);
  // Spans end in order of their end; sorted by start, they read as the scenario ran.
  const lines = tree(report.spans);
  const trace = [
    'handle request INTERNAL',
    '  dispatchSimulationRun INTERNAL',
    '    POST /v1/simulation/runs CLIENT',
    '    POST /v1/simulation/runs CLIENT',
    'getSimulationRun INTERNAL',
    '  GET /v1/simulation/runs/{sim_run_id} CLIENT',
    '  GET /v1/simulation/runs/{sim_run_id} CLIENT',
    'getSimulationRun INTERNAL',
    '  GET /v1/simulation/runs/{sim_run_id} CLIENT',
    'streamModel INTERNAL',
    '  POST /v1/model-router/stream CLIENT',
    'streamModel INTERNAL',
    '  POST /v1/model-router/stream CLIENT',
    'listAgents pages INTERNAL',
    ...['', '', ''].flatMap(() => ['  listAgents INTERNAL', '    GET /v1/agents CLIENT']),
    'dispatchSimulationRun INTERNAL',
    '  POST /v1/simulation/runs CLIENT',
    'getSimulationRun polls INTERNAL',
    ...['', '', ''].flatMap(() => [
      '  getSimulationRun INTERNAL',
      '    GET /v1/simulation/runs/{sim_run_id} CLIENT',
    ]),
    'GET /v1/not-in-the-spec INTERNAL',
    '  GET CLIENT',
  ];
  expect([...lines].sort()).toEqual([...trace].sort());

  const named = (name: string) => report.spans.filter((s) => s.name === name);
  const childrenOf = (span: PlainSpan) => report.spans.filter((s) => s.parentId === span.spanId);
  const [retriedCall] = childrenOf(named('handle request')[0]);
  const [retry503, retry201] = childrenOf(retriedCall);
  expect(retry503.attributes).toMatchObject({
    'http.request.method': 'POST',
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(mock.url).port),
    'url.full': `${mock.url}/v1/simulation/runs`,
    'url.template': '/v1/simulation/runs',
    'http.response.status_code': 503,
    'error.type': 'InternalServerError',
  });
  expect(retry503.attributes['http.request.resend_count']).toBeUndefined();
  expect(retry201.attributes).toMatchObject({
    'http.response.status_code': 201,
    'http.request.resend_count': 1,
  });
  expect(retriedCall.attributes).toEqual({
    'feather.operation_id': 'dispatchSimulationRun',
    'feather.retry_count': 1,
  });
  expect(retriedCall.events.map((e) => e.attributes['feather.retry.reason'])).toEqual(['503']);

  const [timedOut, aborted] = named('getSimulationRun').filter((s) => s.attributes['error.type']);
  expect([timedOut.attributes['error.type'], aborted.attributes['error.type']]).toEqual([
    'APIConnectionTimeoutError',
    'APIUserAbortError',
  ]);
  expect(timedOut.attributes['feather.retry_count']).toBe(1);

  const streams = named('POST /v1/model-router/stream').map(
    (s) => s.attributes['feather.stream.events'],
  );
  expect(streams.sort()).toEqual([1, 3]);
  expect(named('listAgents pages')[0].attributes['feather.group.calls']).toBe(3);
  expect(named('getSimulationRun polls')[0].attributes['feather.group.calls']).toBe(3);
  expect(named('GET')[0].attributes['error.type']).toBe('NotFoundError');

  const duration = report.metrics.find((m) => m.name === 'http.client.request.duration')!;
  expect(duration.unit).toBe('s');
  expect(duration.points.reduce((sum, p) => sum + p.value, 0)).toBe(
    report.spans.filter((s) => s.kind === 2).length,
  );
  expect(duration.points[0].boundaries).toEqual([
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
  ]);
  const retries = report.metrics.find((m) => m.name === 'feather.client.retries')!;
  expect(
    Object.fromEntries(
      retries.points.map((p) => [
        (p.attributes as Record<string, string>)['feather.retry.reason'],
        p.value,
      ]),
    ),
  ).toEqual({ '503': 1, APIConnectionTimeoutError: 1 });

  // Trace context on the wire: each request of this run carried its own attempt's span, or none.
  // Every attempt reached the mock, except that one cut short by its timeout or its caller may
  // end before its request arrives (a browser's preflight alone can outlast it on a busy machine).
  const attempts = report.spans.filter((s) => s.kind === 2);
  const idOf = (s: PlainSpan) => `${s.traceId}-${s.spanId}`;
  const cutShort = attempts.filter((s) => CUT_SHORT.includes(s.attributes['error.type'] as string));
  // The scenario's slow run: two attempts timed out (one retry), one aborted by its caller.
  expect(cutShort).toHaveLength(3);
  const sent = mock.requests
    .slice(sentFrom)
    .map((r) => r.headers.traceparent as string | undefined);
  expect(sent.length).toBeLessThanOrEqual(attempts.length);
  expect(sent.length).toBeGreaterThanOrEqual(attempts.length - cutShort.length);
  if (propagated) {
    const carried = sent.map((header) => header!.slice(3, 52));
    expect(new Set(carried).size).toBe(carried.length);
    expect(attempts.map(idOf)).toEqual(expect.arrayContaining(carried));
    const arrived = attempts.filter((s) => !cutShort.includes(s)).map(idOf);
    expect(carried).toEqual(expect.arrayContaining(arrived));
  } else {
    for (const header of sent) expect(header).toBeUndefined();
  }
  expect(JSON.stringify(report)).not.toContain(mock.apiKey);
}

describe('Node', () => {
  it('the trace, the metrics, traceparent on the wire, no key', async () => {
    const script = await bundled(
      `import { scenario } from './otel.js';
       process.stdout.write(JSON.stringify(await scenario(JSON.parse(process.argv[2]))));`,
      {
        format: 'esm',
        platform: 'node',
        // The SDK's CommonJS builds require the (bundled) API: give ESM a require.
        banner: {
          js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
      },
    );
    await writeFile(join(dir, 'node.mjs'), script);
    const from = mock.requests.length;
    const { stdout } = await run(
      process.execPath,
      [join(dir, 'node.mjs'), JSON.stringify(config())],
      {
        cwd: dir,
        env: childEnv(),
        timeoutMs: 60_000,
      },
    );
    expectTelemetry(JSON.parse(stdout), from);
  });
});

describe('workerd (miniflare)', () => {
  let worker: Miniflare | undefined;
  afterAll(() => worker?.dispose());

  it('the same trace from a Worker', async () => {
    const script = await bundled(
      `import { scenario } from './otel.js';
       export default { async fetch(request) { return Response.json(await scenario(await request.json())); } };`,
      {
        format: 'esm',
        // `browser`: the OpenTelemetry SDK maps its Node platform files to browser ones only so.
        platform: 'browser',
        conditions: ['workerd', 'worker', 'browser'],
        mainFields: ['browser', 'module', 'main'],
      },
    );
    // No Node built-in, no real require (esbuild's own `__require` wrapper aside).
    expect(script).not.toMatch(/["']node:|\brequire\(/);
    worker = new Miniflare({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE });
    const from = mock.requests.length;
    const response = await worker.dispatchFetch('http://worker.test/', {
      method: 'POST',
      body: JSON.stringify(config()),
    });
    expect(response.status).toBe(200);
    expectTelemetry((await response.json()) as Report, from);
  });
});

describe('Chromium', () => {
  let browser: Browser;
  let site: Server;
  let origin: string;
  let strict: Server;
  let strictUrl: string;
  beforeAll(async () => {
    const script = await bundled(
      `import { dispatchOnce, scenario } from './otel.js'; window.FeatherOtel = { dispatchOnce, scenario };`,
      { format: 'iife', platform: 'browser', conditions: ['browser'] },
    );
    site = createServer((req, res) => {
      if (req.url === '/app.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        return res.end(script);
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><script src="/app.js"></script>');
    });
    // A server whose CORS allows only the SDK's own headers: a preflight asking for more fails.
    strict = createServer((req, res) => {
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', 'POST');
        res.setHeader('access-control-allow-headers', 'content-type, x-api-key');
        return res.writeHead(204).end();
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: randomUUID() }));
    });
    await Promise.all(
      [site, strict].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))),
    );
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    strictUrl = `http://127.0.0.1:${(strict.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site, strict].map((s) => new Promise((r) => s?.close(r))));
  });

  const inPage = async (c: object) => {
    const page = await browser.newPage();
    await page.goto(origin);
    const report = await page.evaluate((arg) => (globalThis as any).FeatherOtel.scenario(arg), c);
    await page.close();
    return report as Report;
  };

  it('the same trace from a page on another origin; no traceparent unless turned on', async () => {
    let from = mock.requests.length;
    expectTelemetry(await inPage(config({ browser: true })), from, { propagated: false });
    // The mock's CORS allows whatever a preflight asks for: turned on, it goes out.
    from = mock.requests.length;
    expectTelemetry(await inPage(config({ browser: true, propagateInBrowsers: true })), from);
  });

  it('against a server whose CORS does not allow traceparent: works by default, fails turned on', async () => {
    const page = await browser.newPage();
    await page.goto(origin);
    const dispatch = (propagateInBrowsers: boolean) =>
      page.evaluate((c) => (globalThis as any).FeatherOtel.dispatchOnce(c), {
        baseUrl: strictUrl,
        ids: config().ids,
        propagateInBrowsers,
      });
    expect(await dispatch(false)).toBe('ok');
    // The preflight asked for traceparent, which the server does not allow: the browser refuses.
    expect(await dispatch(true)).toBe('APIConnectionError');
    await page.close();
  });
});
