/**
 * @featherhq/sdk: the typed client of the Feather API.
 *
 *   const feather = createFeatherClient();            // FEATHER_API_KEY from the environment
 *   const run = await feather.dispatchSimulationRun({ agent_id, persona_id, scenario_id });
 *
 * Every operation is also a standalone function (`dispatchSimulationRun(core, body)`) taking a
 * `createFeatherCore()` client: an app that imports only what it calls ships only that.
 */
import type { Client, Middleware } from 'openapi-fetch';
import { rawClient } from './core/client-fetch.js';
import { attachConfig, type FeatherCore } from './core/core.js';
import { resolveConfig, type ClientOptions as Options } from './core/options.js';
import { clientMethods } from './generated/operations.js';
import { responseChecks } from './generated/responses.js';
import { servers, type paths } from './generated/schema.js';

/** The spec's servers by name; `environment` picks one. */
export type Environment = keyof typeof servers;
/** The options of both factories (every option is documented with its default). */
export type ClientOptions = Options<Environment>;

type Methods = typeof clientMethods;
type WithoutCore<F> = F extends (core: FeatherCore, ...args: infer A) => infer R
  ? (...args: A) => R
  : never;

/** A client from `createFeatherClient`: a method per operation (the operation's function without its first argument), `client` and `use`. */
export type FeatherClient = FeatherCore & {
  /** openapi-fetch, with the same policy, for the `{ data, error, response }` style. */
  readonly client: Client<paths>;
  /** Adds openapi-fetch middleware, run on every attempt of every call, `client` included. */
  use(...middleware: Middleware[]): void;
} & { readonly [Name in keyof Methods]: WithoutCore<Methods[Name]> };

/** A client with a method per operation of the spec, and the raw openapi-fetch client. */
export function createFeatherClient(options?: ClientOptions): FeatherClient {
  const config = resolveConfig({ responseChecks, ...options }, servers);
  let raw: Client<paths> | undefined;
  const feather = attachConfig(
    {
      get client() {
        // Created on first use: most apps never touch it.
        return (raw ??= rawClient<paths>(config, Object.values(clientMethods)));
      },
      use(...middleware: Middleware[]) {
        config.middleware.push(...middleware);
      },
    } as Record<string, unknown>,
    config,
  );
  for (const [name, method] of Object.entries(clientMethods)) {
    const bound = method as (core: FeatherCore, ...args: unknown[]) => unknown;
    feather[name] = (...args: unknown[]) => bound(feather, ...args);
  }
  return feather as unknown as FeatherClient;
}

/** The smallest client: no methods, no openapi-fetch. Use it with the operation functions. */
export function createFeatherCore(options?: ClientOptions): FeatherCore {
  return attachConfig({}, resolveConfig(options, servers));
}

export type { FeatherCore };
export * from './generated/operations.js';
export { responseChecks } from './generated/responses.js';
export { servers } from './generated/schema.js';
// paths, components, operations, and a type per component schema (SimulationRunDispatch...).
export type * from './generated/schema.js';
export type { RequestOptions } from './core/options.js';
export { DEFAULTS } from './core/options.js';
export type { Logger, LogLevel } from './core/logging.js';
export type { Middleware } from 'openapi-fetch';
export type { Check, Format, Issue, Path, ProseRule, Refined } from './core/check.js';
export type { APIPromise, WithResponse } from './core/promise.js';
export type { PagePromise } from './core/pagination.js';
export { PollTimeoutError, type WaitOptions } from './core/polling.js';
export {
  IncompleteStreamError,
  Stream,
  StreamEventError,
  type DeclaredEvents,
  type ServerSentEvent,
  type StreamEvent,
} from './core/streaming.js';
export type { Uploadable } from './core/uploads.js';
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
  type ValidationErrorBody,
} from './core/errors.js';
