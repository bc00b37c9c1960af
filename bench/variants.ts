/**
 * One `POST /v1/simulation/runs` per variant, each built the way its own docs say, all on the same
 * `fetch` (an in-memory one for CPU, the real one for loopback). Each call resolves to the parsed
 * run and throws on anything else, so a variant that silently fails cannot look fast.
 *
 * They run in bench/child.ts, bundled and run by plain `node` (bench/runner.ts): the SDK is the
 * installed tarball's, and nothing is transformed on the fly (tsx would wrap every function).
 */
import createClient from 'openapi-fetch';
import type * as Sdk from '../src/index.js';
import type { paths } from '../src/generated/schema.js';
import { API_KEY, BODY, expectRun, rawDispatch } from './fixtures.js';
import type { Peers } from './peers.js';

export type Call = () => Promise<unknown>;

export const VARIANT_NAMES = [
  'raw fetch',
  'openapi-fetch',
  'hey-api',
  'swagger-typescript-api',
  'feather core (validate)',
  'feather core (no validate)',
  'feather client (validate)',
] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** `sdk`: the SDK as installed; `peers`: the peers' generated clients, compiled. */
export function makeVariants(
  sdk: typeof Sdk,
  { hey, sta }: Peers,
  fetchImpl: typeof fetch,
  baseUrl: string,
): Record<VariantName, Call> {
  const { createFeatherClient, createFeatherCore, dispatchSimulationRun } = sdk;

  const bare = createClient<paths>({
    baseUrl,
    fetch: fetchImpl,
    headers: { 'x-api-key': API_KEY },
  });

  const heyClient = hey.client.createClient(
    hey.client.createConfig({ baseUrl, fetch: fetchImpl, headers: { 'x-api-key': API_KEY } }),
  );

  const staApi = new sta.Api({
    baseUrl,
    customFetch: fetchImpl,
    baseApiParams: { headers: { 'x-api-key': API_KEY } },
  });

  const options = { apiKey: API_KEY, baseUrl, fetch: fetchImpl };
  const core = createFeatherCore(options);
  const coreNoValidate = createFeatherCore({ ...options, validate: false });
  const feather = createFeatherClient(options);

  return {
    'raw fetch': rawDispatch(fetchImpl, baseUrl),
    'openapi-fetch': async () => {
      const { data, error } = await bare.POST('/v1/simulation/runs', { body: BODY });
      if (error) throw new Error(JSON.stringify(error));
      return expectRun(data);
    },
    'hey-api': async () => {
      const { data, error } = await hey.sdk.dispatchSimulationRun({
        client: heyClient,
        body: BODY,
      });
      if (error) throw new Error(JSON.stringify(error));
      return expectRun(data);
    },
    'swagger-typescript-api': async () =>
      expectRun((await staApi.v1.dispatchSimulationRun(BODY)).data),
    'feather core (validate)': async () => expectRun(await dispatchSimulationRun(core, BODY)),
    'feather core (no validate)': async () =>
      expectRun(await dispatchSimulationRun(coreNoValidate, BODY)),
    'feather client (validate)': async () => expectRun(await feather.dispatchSimulationRun(BODY)),
  };
}
