/**
 * What middleware support costs a call that registers none. The transport calls
 * `fetch(url, init)` directly when the client has no middleware, and builds a `Request` per
 * attempt only when it has some (src/core/middleware.ts). Measured like bench/cpu.ts: the one-call
 * dispatch on an in-memory fetch, tinybench rounds in rotated order, ratios within each round.
 */
import { createFeatherCore, dispatchSimulationRun, type Middleware } from '../src/index.js';
import { benchRounds, inMemoryFetch, type CpuResult } from './cpu.js';
import { API_KEY, BODY, PATH } from './fixtures.js';

export const MIDDLEWARE_VARIANTS = [
  'raw fetch',
  'feather core, no middleware',
  'feather core, one no-op middleware',
] as const;
export type MiddlewareVariant = (typeof MIDDLEWARE_VARIANTS)[number];

const BASE_URL = 'https://api-sandbox.featherhq.com';

/** Sees every request and response and changes nothing: what a tracing hook costs at least. */
const noop: Middleware = {
  onRequest() {},
  onResponse() {},
};

function expectRun(value: unknown): void {
  if (typeof (value as { id?: unknown })?.id !== 'string') throw new Error('not a run');
}

function variants(): Record<MiddlewareVariant, () => Promise<void>> {
  const options = { apiKey: API_KEY, baseUrl: BASE_URL, fetch: inMemoryFetch };
  const bare = createFeatherCore(options);
  const withNoop = createFeatherCore({ ...options, middleware: [noop] });
  const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
  return {
    'raw fetch': async () => {
      const res = await inMemoryFetch(BASE_URL + PATH, {
        method: 'POST',
        headers,
        body: JSON.stringify(BODY),
      });
      expectRun(await res.json());
    },
    'feather core, no middleware': async () => expectRun(await dispatchSimulationRun(bare, BODY)),
    'feather core, one no-op middleware': async () =>
      expectRun(await dispatchSimulationRun(withNoop, BODY)),
  };
}

/** CPU per call of each variant; ratios to raw fetch within each round. */
export function benchMiddleware(options?: {
  rounds?: number;
  time?: number;
}): Promise<Record<MiddlewareVariant, CpuResult>> {
  return benchRounds(MIDDLEWARE_VARIANTS, variants(), options);
}
