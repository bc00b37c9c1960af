/**
 * What middleware support costs a call that registers none. The transport calls
 * `fetch(url, init)` directly when the client has no middleware, and builds a `Request` per
 * attempt only when it has some (src/core/middleware.ts). Measured like bench/cpu.ts: the one-call
 * dispatch on an in-memory fetch, tinybench rounds in rotated order, ratios within each round.
 * Beside it, the same call through the SDK as it was before middleware support (and the runtime
 * restructure that brought it), so "costs what it costs today" is a measured comparison.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  createFeatherCore,
  dispatchSimulationRun,
  middleware,
  type Middleware,
} from '../src/index.js';
import { benchRounds, inMemoryFetch, type CpuResult } from './cpu.js';
import { API_KEY, BODY, PATH } from './fixtures.js';
import { GENERATED, ROOT } from './paths.js';

const exec = promisify(execFile);

/** The last commit before middleware support (572df61 added it with the restructured runtime). */
export const BEFORE_MIDDLEWARE = '33cddc5';

export const MIDDLEWARE_VARIANTS = [
  'raw fetch',
  `feather core at ${BEFORE_MIDDLEWARE}, before middleware support`,
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

type Sdk = Pick<typeof import('../src/index.js'), 'createFeatherCore' | 'dispatchSimulationRun'>;

/**
 * The SDK's sources as they were at `commit` (git archive into bench/.generated/), to measure
 * "what a call costs today" beside what it cost before.
 */
async function sdkAt(commit: string): Promise<Sdk> {
  const dir = join(GENERATED, `src-${commit}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await exec('sh', ['-c', `git archive ${commit} src | tar -x -C "${dir}"`], { cwd: ROOT });
  return (await import(pathToFileURL(join(dir, 'src', 'index.ts')).href)) as Sdk;
}

async function variants(): Promise<Record<MiddlewareVariant, () => Promise<void>>> {
  const options = { apiKey: API_KEY, baseUrl: BASE_URL, fetch: inMemoryFetch };
  const before = await sdkAt(BEFORE_MIDDLEWARE);
  const old = before.createFeatherCore(options);
  const bare = createFeatherCore(options);
  const withNoop = createFeatherCore({ ...options, hooks: [middleware(noop)] });
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
    [MIDDLEWARE_VARIANTS[1]]: async () => expectRun(await before.dispatchSimulationRun(old, BODY)),
    'feather core, no middleware': async () => expectRun(await dispatchSimulationRun(bare, BODY)),
    'feather core, one no-op middleware': async () =>
      expectRun(await dispatchSimulationRun(withNoop, BODY)),
  };
}

/** CPU per call of each variant; ratios to raw fetch within each round. */
export async function benchMiddleware(options?: {
  rounds?: number;
  time?: number;
}): Promise<Record<MiddlewareVariant, CpuResult>> {
  return benchRounds(MIDDLEWARE_VARIANTS, await variants(), options);
}
