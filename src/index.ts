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
import { NONE } from './core/hooks.js';
import { logging } from './core/logging.js';
import { middlewareHook } from './core/middleware.js';
import {
  resolveConfig,
  type ClientOptions as Options,
  type CoreOptions as CoreOptionsOf,
} from './core/options.js';
import { clientMethods } from './generated/operations.js';
import { responseChecks } from './generated/responses.js';
import { servers, type paths } from './generated/schema.js';

/** The spec's servers by name; `environment` picks one. */
export type Environment = keyof typeof servers;
/** The options of `createFeatherClient` (every option is documented with its default). */
export type ClientOptions = Options<Environment>;
/** The options of `createFeatherCore`: logging and middleware come as `hooks`. */
export type CoreOptions = CoreOptionsOf<Environment>;

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

/**
 * A client with a method per operation of the spec, and the raw openapi-fetch client. It logs
 * (`logLevel`, `logger`) and runs `middleware` itself, before any `hooks` of its options.
 */
export function createFeatherClient(options: ClientOptions = {}): FeatherClient {
  const middleware = [...(options.middleware ?? NONE)];
  const hooks = [
    logging({ level: options.logLevel, logger: options.logger }),
    middlewareHook(middleware),
    ...(options.hooks ?? NONE),
  ];
  const config = resolveConfig({ responseChecks, ...options, hooks }, servers);
  let raw: Client<paths> | undefined;
  const feather = {
    get client() {
      // Created on first use: most apps never touch it.
      return (raw ??= rawClient<paths>(config, Object.values(clientMethods)));
    },
    use(...added: Middleware[]) {
      middleware.push(...added);
    },
  };
  return attachConfig(Object.setPrototypeOf(feather, (methods ??= bindOnUse())), config) as never;
}

let methods: object | undefined;

/**
 * The prototype of every FeatherClient: the first use of an operation's name on a client binds
 * the operation to it, as an own property, so that a client of a spec with hundreds of
 * operations costs nothing for those it never calls.
 */
function bindOnUse(): object {
  const all: Record<PropertyKey, unknown> = clientMethods;
  return new Proxy(
    {},
    {
      get(target, name, client: FeatherCore) {
        if (!Object.hasOwn(all, name)) return Reflect.get(target, name, client);
        const method = all[name] as (core: FeatherCore, a: unknown, b: unknown) => unknown;
        // Every operation and helper takes at most two arguments after the client.
        const bound = (a: unknown, b: unknown) => method(client, a, b);
        // As an assignment would make it (a test double may replace it).
        Object.defineProperty(client, name, {
          value: bound,
          writable: true,
          enumerable: true,
          configurable: true,
        });
        return bound;
      },
      has: (target, name) => Object.hasOwn(all, name) || Reflect.has(target, name),
    },
  );
}

/**
 * The smallest client: no methods, no openapi-fetch, and only the hooks it is given (logging,
 * middleware, a tracer). Use it with the operation functions.
 */
export function createFeatherCore(options?: CoreOptions): FeatherCore {
  return attachConfig({}, resolveConfig(options, servers));
}

export type { FeatherCore };
export * from './generated/operations.js';
export { responseChecks } from './generated/responses.js';
export { servers } from './generated/schema.js';
// paths, components, operations, and a type per component schema (SimulationRunDispatch...).
export type * from './generated/schema.js';
export type { Logger, LogLevel, RequestOptions } from './core/options.js';
export { DEFAULTS } from './core/options.js';
export { addHook, group } from './core/core.js';
export type {
  AttemptEnd,
  AttemptInfo,
  AttemptObserver,
  CallEnd,
  CallInfo,
  CallObserver,
  GroupInfo,
  GroupObserver,
  Hook,
  RetryInfo,
} from './core/hooks.js';
export { logging, type LoggingOptions } from './core/logging.js';
export { middleware } from './core/middleware.js';
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
