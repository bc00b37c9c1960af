/**
 * What middleware support costs a call that registers none. The transport calls
 * `fetch(url, init)` directly when the client has no middleware, and builds a `Request` per
 * attempt only when it has some (the middleware hook, src/core/middleware.ts). Measured like
 * bench/cpu.ts: the one-call dispatch on an in-memory fetch, tinybench rounds in rotated order,
 * ratios within each round. Beside it, the same call through the SDK as it was before middleware
 * support (and the runtime restructure that brought it), so "costs what it costs today" is a
 * measured comparison.
 */
import type * as Sdk from '../src/index.js';
import type { Middleware } from '../src/index.js';
import { BASE_URL, inMemoryFetch } from './cpu.js';
import { API_KEY, BODY, expectRun, rawDispatch } from './fixtures.js';

/** The last commit before middleware support (572df61 added it with the restructured runtime). */
export const BEFORE_MIDDLEWARE = '33cddc5';

export const MIDDLEWARE_VARIANTS = [
  'raw fetch',
  `feather core at ${BEFORE_MIDDLEWARE}, before middleware support`,
  'feather core, no middleware',
  'feather core, one no-op middleware',
] as const;
export type MiddlewareVariant = (typeof MIDDLEWARE_VARIANTS)[number];

/** Sees every request and response and changes nothing: what a tracing hook costs at least. */
const noop: Middleware = {
  onRequest() {},
  onResponse() {},
};

type Before = Pick<typeof Sdk, 'createFeatherCore' | 'dispatchSimulationRun'>;

/** `sdk`: the installed package; `before`: the SDK's sources at BEFORE_MIDDLEWARE, bundled. */
export function middlewareVariants(
  sdk: typeof Sdk,
  before: Before,
): Record<MiddlewareVariant, () => Promise<unknown>> {
  const options = { apiKey: API_KEY, baseUrl: BASE_URL, fetch: inMemoryFetch };
  const old = before.createFeatherCore(options);
  const bare = sdk.createFeatherCore(options);
  const withNoop = sdk.createFeatherCore({ ...options, hooks: [sdk.middleware(noop)] });
  return {
    'raw fetch': rawDispatch(inMemoryFetch, BASE_URL),
    [MIDDLEWARE_VARIANTS[1]]: async () => expectRun(await before.dispatchSimulationRun(old, BODY)),
    'feather core, no middleware': async () =>
      expectRun(await sdk.dispatchSimulationRun(bare, BODY)),
    'feather core, one no-op middleware': async () =>
      expectRun(await sdk.dispatchSimulationRun(withNoop, BODY)),
  };
}
