/**
 * @featherhq/sdk: the typed client of the Feather API.
 *
 *   const feather = createFeatherClient();            // FEATHER_API_KEY from the environment
 *   const run = await feather.dispatchSimulationRun({ agent_id, persona_id, scenario_id });
 *
 * Every operation is also a standalone function (`dispatchSimulationRun(core, body)`) taking a
 * `createFeatherCore()` client: an app that imports only what it calls ships only that.
 */
import createClient, { type Client } from 'openapi-fetch';
import { resolveConfig, type ClientOptions } from './core/config.js';
import { attachConfig, createFeatherCore, type FeatherCore } from './core/transport.js';
import * as ops from './generated/operations.js';
import type { components, paths } from './generated/schema.js';

type OperationId = (typeof ops.operationIds)[number];
type WithoutCore<F> = F extends (core: FeatherCore, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;

export type FeatherClient = FeatherCore & {
  /** openapi-fetch, for the `{ data, error, response }` style and anything not wrapped here. */
  readonly client: Client<paths>;
} & { readonly [Id in OperationId]: WithoutCore<(typeof ops)[Id]> };

/** A client with a method per operation of the spec, and the raw openapi-fetch client. */
export function createFeatherClient(options?: ClientOptions): FeatherClient {
  const config = resolveConfig({ responseValidators: ops.responseValidators, ...options });
  let raw: Client<paths> | undefined;
  const feather = attachConfig(
    {
      get client() {
        // Created on first use: most apps never touch it.
        return (raw ??= createClient<paths>({
          baseUrl: config.baseUrl,
          fetch: config.fetch,
          headers: config.headers,
        }));
      },
    } as Record<string, unknown>,
    config,
  );
  for (const id of ops.operationIds) {
    const op = ops[id] as (core: FeatherCore, ...args: unknown[]) => unknown;
    feather[id] = (...args: unknown[]) => op(feather, ...args);
  }
  return feather as unknown as FeatherClient;
}

export { createFeatherCore, type FeatherCore };
export * from './generated/operations.js';
export { servers } from './generated/schema.js';
export type { ClientOptions, Environment, RequestOptions } from './core/config.js';
export type { ResponseValidators } from './core/transport.js';
export type { Issue, Path } from './core/check.js';
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FeatherError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestValidationError,
  UnprocessableEntityError,
} from './core/errors.js';
export type { CannedToolResponse, SimulationRunDispatch } from './core/types.js';
export type { components, operations, paths } from './generated/schema.js';

type Schemas = components['schemas'];
export type SimulationRunResponse = Schemas['SimulationRunResponse'];
export type ScenarioChannel = Schemas['ScenarioChannel'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type HTTPValidationError = Schemas['HTTPValidationError'];
export type ValidationError = Schemas['ValidationError'];
