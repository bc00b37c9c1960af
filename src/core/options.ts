/**
 * Client options, their defaults, and the guards that run once at client creation: a missing key,
 * a key about to travel over plain HTTP, a key about to ship to a browser, no server to talk to.
 */
import type { Middleware } from 'openapi-fetch';
import type { Check } from './check.js';
import { FeatherError, redact } from './errors.js';
import { NONE, type Hook } from './hooks.js';
import { retryBudget } from './retry.js';
import { readEnv } from '../internal/env.js';

/** How much the SDK logs: each level includes those before it. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Any logger with console's four methods (console, pino, winston): called `(message, ...details)`. */
export interface Logger {
  /** A call that failed, with its error. */
  error(message: string, ...details: unknown[]): void;
  /** A retry and its reason; the first call of a deprecated operation. */
  warn(message: string, ...details: unknown[]): void;
  /** One line per call: operation, status, duration, attempts, request id. */
  info(message: string, ...details: unknown[]): void;
  /** Each attempt, with its headers and body (credentials redacted). */
  debug(message: string, ...details: unknown[]): void;
}

/** The default of every option that has one: the one place they are declared. */
export const DEFAULTS = {
  timeoutMs: 60_000,
  maxRetries: 2,
  retryAmbiguous: false,
  retryBaseDelayMs: 500,
  maxRetriesPerMinute: 60,
  validate: true,
  validateResponses: false,
  logLevel: 'warn' as LogLevel,
  dangerouslyAllowBrowser: false,
};

/** Options of each call; each overrides the client's option of the same name. */
export interface RequestOptions {
  /** Ends the call with `APIUserAbortError`, at any point, retry waits included. */
  signal?: AbortSignal;
  /**
   * Per attempt, in milliseconds: the wait for the answer and its body (for a stream, for its
   * headers and each idle gap between events). Ends the call with `APIConnectionTimeoutError`.
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * Retries of a failed attempt where a retry is safe (README, Retries).
   * @default 2
   */
  maxRetries?: number;
  /**
   * Also retry when the server may already have done the work (408, 500, 502, 504, a timeout, a
   * reset) for POST and PATCH without an idempotency key. Can create a second simulation run.
   * @default false
   */
  retryAmbiguous?: boolean;
  /**
   * Check parameters and request bodies against the spec before sending.
   * @default true
   */
  validate?: boolean;
  /**
   * Check 2xx bodies against the spec.
   * @default false
   */
  validateResponses?: boolean;
  /** Extra headers; a `null` value removes a header the client would send. */
  headers?: Record<string, string | null>;
}

/** The options of `createFeatherCore`: what every call path uses, and the hooks an app brings. */
export interface CoreOptions<Environment extends string = string> extends Omit<
  RequestOptions,
  'signal'
> {
  /**
   * Sent as `x-api-key`. `null` sends no key at all, for a proxy that adds it.
   * @default FEATHER_API_KEY from the environment (Node, Bun, Deno with --allow-env)
   */
  apiKey?: string | null;
  /**
   * Where requests go.
   * @default FEATHER_BASE_URL from the environment, else the server of `environment`
   */
  baseUrl?: string;
  /**
   * Which of the spec's servers to use, by the first word of its description.
   * @default the spec's first server
   */
  environment?: Environment;
  /** A `fetch` to use instead of the global one (a proxy agent, a tracer). @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * First wait of the exponential backoff between retries, in milliseconds; each retry doubles it
   * (capped at 16x), minus up to 25 % jitter. `Retry-After` overrides it.
   * @default 500
   */
  retryBaseDelayMs?: number;
  /**
   * Retries this client may make in any 60-second window, across all its calls. When it is spent,
   * a call throws its last error instead of retrying.
   * @default 60
   */
  maxRetriesPerMinute?: number;
  /**
   * What `validateResponses` checks with, by operationId: the `responseChecks` export of
   * `@featherhq/sdk`, which also carries what applies them. createFeatherClient includes it; with
   * createFeatherCore, pass it (only apps that validate answers ship the checks).
   */
  responseChecks?: Readonly<Record<string, Check>>;
  /**
   * Observers of every call, attempt and retry: `logging()`, `middleware(...)`, a tracer. With
   * createFeatherCore they are the only way to log or run middleware, so that an app ships only
   * the ones it passes.
   * @default []
   */
  hooks?: Hook[];
  /**
   * Allow a key in browser code, where every visitor can read it.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean;
}

/** The options of `createFeatherClient`: the core's, and logging and middleware as options. */
export interface ClientOptions<
  Environment extends string = string,
> extends CoreOptions<Environment> {
  /**
   * `off`, `error` (failed calls), `warn` (retries, deprecated operations), `info` (one line per
   * call), `debug` (each attempt, with headers and bodies; credentials redacted). With
   * createFeatherCore, pass `hooks: [logging({ level })]` instead.
   * @default FEATHER_LOG from the environment, else 'warn'
   */
  logLevel?: LogLevel;
  /** Where log lines go: any object with console's four methods (pino, winston). @default console */
  logger?: Logger;
  /**
   * openapi-fetch middleware, run on every attempt of every call. With createFeatherCore, pass
   * `hooks: [middleware(...)]` instead.
   * @default []
   */
  middleware?: Middleware[];
}

/** What the transport needs; kept out of reach of `JSON.stringify` and `util.inspect`. */
export interface Config extends Required<
  Omit<
    CoreOptions,
    'apiKey' | 'environment' | 'headers' | 'responseChecks' | 'dangerouslyAllowBrowser'
  >
> {
  apiKey: string | null;
  /** Every request's headers: the key and the caller's; never a content type. */
  headers: Record<string, string>;
  responseChecks: Readonly<Record<string, Check>> | undefined;
  /** Takes one retry from the client's budget; false when it is spent. */
  takeRetry: () => boolean;
  /** The text with the key taken out (hooks get this, never the key). */
  redact: (text: string) => string;
  /** `headers` with the JSON content type, made at the first call that sends JSON. */
  jsonHeaders?: Record<string, string>;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const refuse = (message: string): never => {
  throw new FeatherError(message);
};

/** The key, from the option or the environment; `null`: send none. */
function resolveKey({ apiKey = readEnv('FEATHER_API_KEY') }: CoreOptions): string | null {
  if (apiKey === undefined || apiKey === '') {
    refuse(
      'No API key: pass `apiKey` or set FEATHER_API_KEY (`apiKey: null` sends none, for a proxy that adds it).',
    );
  }
  // fetch rejects such a header with an error that quotes it: the key would reach a log.
  if (/[^\x21-\x7e]/.test(apiKey ?? '')) refuse('API key has whitespace or control characters');
  return apiKey!;
}

/** `servers`: the spec's, by environment name; a spec may have none. */
function resolveBaseUrl(
  options: CoreOptions,
  servers: Readonly<Record<string, string>>,
  apiKey: string | null,
): string {
  const names = Object.keys(servers);
  const environment = options.environment ?? names[0];
  const baseUrl =
    options.baseUrl ??
    readEnv('FEATHER_BASE_URL') ??
    servers[environment] ??
    refuse(
      names.length
        ? `Unknown environment ${environment}: one of ${names}`
        : 'No server to talk to: the spec lists none, so pass `baseUrl` or set FEATHER_BASE_URL.',
    );
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return refuse(`baseUrl ${baseUrl} is not a valid URL`);
  }
  if (apiKey !== null && url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    refuse(`Refusing to send the API key over plain HTTP to ${url.host}: use https://`);
  }
  return baseUrl.replace(/\/+$/, '');
}

export function resolveConfig(
  options: CoreOptions = {},
  servers: Readonly<Record<string, string>> = {},
): Config {
  const apiKey = resolveKey(options);
  const baseUrl = resolveBaseUrl(options, servers, apiKey);
  const g = globalThis as { window?: { document?: unknown }; fetch?: typeof fetch };
  if (apiKey !== null && !options.dangerouslyAllowBrowser && g.window?.document !== undefined) {
    refuse(
      'Refusing to use an API key in a browser, where visitors can read it: pass `dangerouslyAllowBrowser: true` to accept the risk.',
    );
  }
  // `{ timeoutMs: undefined }` means "the default", as if the key were absent.
  const config = { ...DEFAULTS } as unknown as Config;
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[name] = value;
  }
  // Bound, so that `this` is right in browsers, whose fetch throws "Illegal invocation" otherwise.
  config.fetch ??= g.fetch?.bind(globalThis) as typeof fetch;
  if (typeof config.fetch !== 'function') refuse('No fetch: pass `fetch` in the options.');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...options.headers, 'x-api-key': apiKey })) {
    if (value !== null) headers[name] = value;
  }
  return Object.assign(config, {
    apiKey,
    baseUrl,
    headers,
    hooks: [...(options.hooks ?? NONE)],
    takeRetry: retryBudget(config.maxRetriesPerMinute),
    redact: (text: string) => redact(text, apiKey),
  });
}
