/**
 * The one path every operation takes: validate, send with a timeout, map the answer to a result or
 * a typed error, and retry only where a retry cannot repeat work the server already did.
 *
 * It calls `fetch(url, init)` directly rather than through openapi-fetch: building a `Request`
 * object per call is most of openapi-fetch's overhead (see bench/). `feather.client` is still
 * openapi-fetch, for the `{ data, error }` style.
 */
import { formatIssue, type Check, type Issue } from './check.js';
import { resolveConfig, type ClientOptions, type Config, type RequestOptions } from './config.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  errorFromResponse,
  excerpt,
  FeatherError,
  InvalidResponseError,
  redact,
  RequestValidationError,
} from './errors.js';
import type { RefinedBodies } from './types.js';

/** A configured connection to Feather; pass it to any operation function. */
export interface FeatherCore {
  readonly baseUrl: string;
}

// Config (with the key) lives here, not on the object: JSON.stringify and util.inspect never see it.
const configs = new WeakMap<FeatherCore, Config>();

/** The smallest client: no methods, no openapi-fetch. Use it with the operation functions. */
export function createFeatherCore(options?: ClientOptions): FeatherCore {
  return attachConfig({}, resolveConfig(options));
}

/** Makes `target` a FeatherCore that sends with `config` (createFeatherClient builds on this). */
export function attachConfig<T extends object>(target: T, config: Config): T & FeatherCore {
  const core = Object.assign(target, { baseUrl: config.baseUrl });
  configs.set(core, config);
  return core;
}

function configOf(core: FeatherCore): Config {
  const config = configs.get(core);
  if (!config)
    throw new FeatherError('Not a Feather client: create one with createFeatherClient()');
  return config;
}

// ---- Types of an operation's arguments and result, read from openapi-typescript's `operations`.

type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
type Params<Op> = Op extends { parameters: infer P } ? P : {};
type Has<T> = [NonNullable<T>] extends [never] ? false : true;
type HasParams<Op> =
  Has<Params<Op>['path' & keyof Params<Op>]> extends true
    ? true
    : Has<Params<Op>['query' & keyof Params<Op>]>;
type PathAndQuery<Op> = Pick<Params<Op>, 'path' & keyof Params<Op>> &
  Pick<Params<Op>, 'query' & keyof Params<Op>>;

/** The JSON body, with the spec's prose rules applied where we know them (see types.ts). */
export type Body<Op, Id> = Id extends keyof RefinedBodies
  ? RefinedBodies[Id]
  : Op extends { requestBody: infer R }
    ? JsonContent<R>
    : Op extends { requestBody?: infer R }
      ? // openapi-typescript writes `requestBody?: never` for "no body": that is no body, not an optional one.
        [NonNullable<R>] extends [never]
        ? never
        : JsonContent<NonNullable<R>> | undefined
      : never;

type Responses<Op> = Op extends { responses: infer R } ? R : never;
/** The body of the operation's 2xx answer. */
export type Result<Op> = {
  [S in keyof Responses<Op>]: S extends 200 | 201 | 202 | 203 | 204 | 206 | '2XX'
    ? JsonContent<Responses<Op>[S]>
    : never;
}[keyof Responses<Op>];

/** `{ params, body }`: a part may be left out when nothing in it is required. */
type Args<Op, Id> = ({} extends PathAndQuery<Op>
  ? { params?: PathAndQuery<Op> }
  : { params: PathAndQuery<Op> }) &
  ([Body<Op, Id>] extends [never]
    ? {}
    : undefined extends Body<Op, Id>
      ? { body?: Body<Op, Id> }
      : { body: Body<Op, Id> });

export type Operation<Op, Id> =
  HasParams<Op> extends true
    ? {} extends Args<Op, Id>
      ? (core: FeatherCore, args?: Args<Op, Id>, options?: RequestOptions) => Promise<Result<Op>>
      : (core: FeatherCore, args: Args<Op, Id>, options?: RequestOptions) => Promise<Result<Op>>
    : [Body<Op, Id>] extends [never]
      ? (core: FeatherCore, options?: RequestOptions) => Promise<Result<Op>>
      : undefined extends Body<Op, Id>
        ? (core: FeatherCore, body?: Body<Op, Id>, options?: RequestOptions) => Promise<Result<Op>>
        : (core: FeatherCore, body: Body<Op, Id>, options?: RequestOptions) => Promise<Result<Op>>;

export interface OperationSpec {
  method: string;
  path: string;
  /** How the caller passes input: the body alone, `{ params, body }`, or nothing. */
  input: 'body' | 'params' | 'none';
  body?: Check;
  /** The 2xx answer is JSON (`json`), a JSON object in particular (`object`), or may be empty. */
  response?: 'json' | 'object';
  /** For operations with path or query parameters: the path and query string to request. */
  url?: (params: { path: Record<string, unknown>; query?: object }) => string;
  /** The spec's `requestBody.required` is false: sending no body at all is valid. */
  bodyOptional?: boolean;
}

type NamedSpec = OperationSpec & { name: string };

/** Builds an operation function; `npm run generate` writes one call per operationId. */
export function operation<Op, Id extends string>(operationSpec: OperationSpec): Operation<Op, Id> {
  // `METHOD /path` names the operation in errors and keys its response validator: built once.
  const spec: NamedSpec = {
    ...operationSpec,
    name: `${operationSpec.method} ${operationSpec.path}`,
  };
  const fn = (core: FeatherCore, a?: any, b?: RequestOptions) =>
    spec.input === 'none'
      ? send(core, spec, undefined, undefined, a)
      : send(core, spec, a?.params, spec.input === 'body' ? a : a?.body, b);
  return fn as Operation<Op, Id>;
}

// ---- The request itself.

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** Failures before any byte reached the server: a retry cannot duplicate anything. */
const NOT_SENT =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|E(NET|HOST)UNREACH|connection ?refused|dns error|failed to lookup/i;
const MAX_RETRY_AFTER_MS = 60_000;

/** `?a=1&b=2&b=3` from an operation's query parameters (arrays repeat the key), or ''. */
export function query(params: object | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Sleeps, unless the caller aborts first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError('Request aborted by the caller during a retry wait'));
    };
    // An abort that landed as the answer arrived fires no event: without this, the retry goes out.
    if (signal?.aborted) return onAbort();
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` in seconds or as an HTTP date, else exponential backoff with jitter. */
export function retryDelay(attempt: number, headers?: Headers, baseMs = 500): number {
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isNaN(seconds) ? Date.parse(retryAfter) - Date.now() : seconds * 1000;
    if (ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  }
  return Math.min(baseMs * 2 ** attempt, baseMs * 16) * (1 - Math.random() * 0.25);
}

const TIMEOUT = Symbol('timeout');

/**
 * Controllers whose request ended with no abort, each with how many requests it served. Creating
 * an AbortSignal is the largest cost of a call after fetch itself (see bench/README.md), and a
 * signal that never fired can serve the next request. The caps bound what a pool can hold: fetch
 * implementations leave a listener per request on the signal until GC.
 */
const idle: [AbortController, number][] = [];

async function send(
  core: FeatherCore,
  spec: NamedSpec,
  params: { path?: object; query?: object } | undefined,
  body: unknown,
  options: RequestOptions = {},
): Promise<any> {
  const config = configOf(core);
  const { signal } = options;
  const { name } = spec;
  if (signal?.aborted)
    throw new APIUserAbortError('Request aborted by the caller before it was sent');
  if (
    spec.body &&
    (body !== undefined || !spec.bodyOptional) &&
    (options.validate ?? config.validate)
  ) {
    const issues: Issue[] = [];
    if (!spec.body(body, [], issues)) throw new RequestValidationError(issues, name);
  }
  const init: RequestInit = {
    method: spec.method,
    headers: options.headers ? { ...config.headers, ...options.headers } : config.headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  };
  const target =
    config.baseUrl +
    (spec.url ? spec.url({ path: { ...params?.path }, query: params?.query }) : spec.path);
  const timeoutMs = options.timeoutMs ?? config.timeoutMs;
  const maxRetries = options.maxRetries ?? config.maxRetries;
  const mayRepeat =
    IDEMPOTENT.has(spec.method) || (options.retryAmbiguous ?? config.retryAmbiguous);

  for (let attempt = 0; ; attempt++) {
    const [controller, served] = idle.pop() ?? [new AbortController(), 0];
    const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let response: Response;
    let text: string;
    try {
      init.signal = controller.signal;
      response = await config.fetch(target, init);
      // Read the body under the same timer: a server that stalls mid-body is a timeout too.
      text = await response.text();
    } catch (cause) {
      let error: FeatherError;
      let retry: boolean;
      if (signal?.aborted) {
        throw new APIUserAbortError('Request aborted by the caller', { cause });
      } else if (controller.signal.reason === TIMEOUT) {
        error = new APIConnectionTimeoutError(`${name} timed out after ${timeoutMs} ms`, { cause });
        retry = mayRepeat;
      } else {
        const detail = `${(cause as any)?.cause?.code ?? ''} ${(cause as any)?.cause?.message ?? ''} ${(cause as Error)?.message ?? ''}`;
        error = new APIConnectionError(
          redact(`${name} failed: ${detail.trim() || 'connection error'}`, config.apiKey),
          { cause },
        );
        retry = mayRepeat || NOT_SENT.test(detail);
      }
      if (!retry || attempt >= maxRetries) throw error;
      await sleep(retryDelay(attempt, undefined, config.retryBaseDelayMs), signal);
      continue;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    // The body is read: the request is over, so its signal can serve another one.
    if (!controller.signal.aborted && served < 100 && idle.length < 64) {
      idle.push([controller, served + 1]);
    }

    const status = response.status;
    if (status >= 200 && status < 300) return parseSuccess(config, spec, options, response, text);
    // 429 and 503 say the server did not take the request; 500, 502, 504 leave it unknown.
    const retry =
      status === 429 ||
      status === 503 ||
      (mayRepeat && (status === 500 || status === 502 || status === 504 || status === 408));
    if (!retry || attempt >= maxRetries) {
      throw errorFromResponse(status, response.headers, text, config.apiKey);
    }
    await sleep(retryDelay(attempt, response.headers, config.retryBaseDelayMs), signal);
  }
}

function parseSuccess(
  config: Config,
  spec: NamedSpec,
  options: RequestOptions,
  response: Response,
  text: string,
): unknown {
  const { status, headers } = response;
  if (text === '' && !spec.response) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(
      status,
      headers,
      text,
      `${status} response is not valid JSON: ${JSON.stringify(excerpt(text))}`,
    );
  }
  if (
    spec.response === 'object' &&
    (typeof data !== 'object' || data === null || Array.isArray(data))
  ) {
    throw new InvalidResponseError(
      status,
      headers,
      data,
      `${status} response is not a JSON object: ${excerpt(text)}`,
    );
  }
  if (options.validateResponses ?? config.validateResponses) {
    if (!config.responseValidators) {
      throw new FeatherError(
        'validateResponses on createFeatherCore needs `responseValidators` (see ClientOptions)',
      );
    }
    config.responseValidators(spec.name, response, data);
  }
  return data;
}

/** A function that throws InvalidResponseError when a 2xx body breaks its operation's schema. */
export type ResponseValidators = (operation: string, response: Response, data: unknown) => void;

/**
 * Builds `responseValidators` (npm run generate writes the call) from each operation's 2xx schema
 * validator, keyed by `METHOD /path`. Apart from the operations so that apps that never validate
 * answers never ship these validators.
 */
export const responseValidators =
  (validators: Record<string, Check>): ResponseValidators =>
  (operation, { status, headers }, data) => {
    const issues: Issue[] = [];
    if (validators[operation]?.(data, [], issues) === false) {
      throw new InvalidResponseError(
        status,
        headers,
        data,
        `${status} response does not match the spec:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
        issues,
      );
    }
  };
