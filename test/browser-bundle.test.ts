/**
 * Browser hygiene: a one-call app bundled by esbuild for `--platform=browser` from the packed SDK
 * carries no Node built-in, reads `process` only behind a guard, and runs in a sandbox that has
 * web globals and nothing of Node (no `process`, no `require`, no `Buffer`).
 */
import { runInContext, createContext } from 'node:vm';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  bundle,
  installedApp,
  scenarioConfig,
  SETUP_TIMEOUT,
  type App,
  type MockServer,
} from './runtimes/harness.js';

/** What browsers, Workers and edge runtimes all have; Node's own globals stay out. */
const WEB_GLOBALS = [
  'fetch',
  'Headers',
  'Request',
  'Response',
  'FormData',
  'Blob',
  'File',
  'ReadableStream',
  'AbortController',
  'AbortSignal',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'Event',
  'EventTarget',
  'DOMException',
  'crypto',
  'structuredClone',
  'queueMicrotask',
  'setTimeout',
  'clearTimeout',
  'atob',
  'btoa',
  'console',
];

let app: App;
let mock: MockServer;
let code: string;
let metafile: Metafile;
beforeAll(async () => {
  app = await installedApp();
  mock = await app.startMockServer();
  let meta: Metafile | undefined;
  code = await bundle(app, 'one-call.js', {
    platform: 'browser',
    format: 'iife',
    globalName: 'OneCall',
    minify: true,
    plugins: [{ name: 'meta', setup: (b) => void b.onEnd((r) => void (meta = r.metafile)) }],
    metafile: true,
  });
  metafile = meta!;
}, SETUP_TIMEOUT);
afterAll(async () => {
  await mock?.close();
  await app?.remove();
});

it('bundles the root entry and openapi-fetch only', () => {
  const inputs = Object.keys(metafile.inputs).map((p) => p.replace(/^.*node_modules\//, ''));
  expect(inputs.filter((p) => p.includes('testing'))).toEqual([]);
  for (const input of inputs) {
    expect(input).toMatch(/^(one-call\.js|@featherhq\/sdk\/dist\/index\.js|openapi-fetch\/)/);
  }
});

it('has no node: import, no require, and reads `process` only behind a guard', () => {
  // A `node:` module specifier, quoted (a field such as `from_node:` is no import).
  expect(code).not.toMatch(/["'`]node:/);
  expect(code).not.toMatch(/\brequire\(/);
  // `globalThis.process?.x` and `typeof process` cannot throw; a bare `process` can, unless a
  // `typeof process` check earlier in the same expression (openapi-fetch's) has passed.
  const refs = [...code.matchAll(/(typeof\s+|\.)?\bprocess\b/g)];
  expect(refs.length).toBeGreaterThan(0); // readEnv is in there: the check below means something
  for (const ref of refs) {
    if (ref[1]) continue;
    const before = code.slice(Math.max(0, ref.index - 200), ref.index);
    expect(before).toMatch(/typeof process\s*[!=]==?\s*"object"\s*&&[^;{}]*$/);
  }
});

it('runs where only web globals exist: a run through each style', async () => {
  const context = createContext({
    ...Object.fromEntries(WEB_GLOBALS.map((name) => [name, (globalThis as any)[name]])),
    document: {},
  });
  runInContext('globalThis.window = globalThis', context);
  expect(runInContext('[typeof process, typeof require, typeof Buffer]', context)).toEqual([
    'undefined',
    'undefined',
    'undefined',
  ]);
  runInContext(code, context);
  // Looking for FEATHER_API_KEY with no `process` around: a clear error, not a ReferenceError.
  expect(() => runInContext(`OneCall.clientFromEnvironment('${mock.url}')`, context)).toThrow(
    /^No API key/,
  );
  const config = scenarioConfig(mock);
  const run = await runInContext(`OneCall.dispatch(${JSON.stringify(config)})`, context);
  expect(run).toMatchObject({ ...config.ids, status: 'pending' });
  const raw = await runInContext(`OneCall.dispatchRaw(${JSON.stringify(config)})`, context);
  expect(raw).toMatchObject({ ...config.ids, status: 'pending' });
  expect(mock.runs.map((r) => r.id)).toEqual([run.id, raw.id]);
});
