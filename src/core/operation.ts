/**
 * The operation builder: `npm run generate` writes one `operation({...})` per operationId, and
 * each call of the function it returns validates its input, builds the request and sends it
 * through the retry loop. Everything an operation needs beyond JSON (parameters, uploads, event
 * streams) arrives as a function in its spec, so apps that never call such an operation never
 * ship that code.
 */
import type { ParamsOption } from 'openapi-fetch';
import type { Check, Issue } from './check.js';
import { configOf, type FeatherCore } from './core.js';
import { APIUserAbortError, errorFromResponse, RequestValidationError } from './errors.js';
import type { IdempotencyKey } from './idempotency.js';
import { fetchThroughMiddleware } from './middleware.js';
import type { Config, RequestOptions } from './options.js';
import type { Params } from './params.js';
import { apiPromise, type APIPromise } from './promise.js';
import { checkResponse, json, type JsonShape } from './response.js';
import { retryPolicy } from './retry.js';
import { send, type Exchange, type Outcome, type ResponseReader } from './send.js';
import type { EncodedBody } from './uploads.js';

export interface OperationSpec {
  /** The operationId: names the operation in errors and logs, and keys its response check. */
  id: string;
  method: string;
  path: string;
  /** How the caller passes input: `{ params, body }`, the body alone, or nothing. */
  input: 'params' | 'body' | 'none';
  /** Checks `{ path, query, header }`. */
  params?: Check;
  /** Puts the parameters on the URL and headers (params.ts). */
  withParams?: (
    baseUrl: string,
    path: string,
    params: Params,
    headers: Record<string, string>,
  ) => { url: string; headers: Record<string, string> };
  body?: Check;
  /** The spec's `requestBody.required` is false: sending no body at all is valid. */
  bodyOptional?: boolean;
  /** Encodes a body that is not JSON (multipart uploads, uploads.ts). */
  encode?: (body: Record<string, unknown>) => Promise<EncodedBody>;
  /** How to read the 2xx answer: JSON of this shape, or a reader such as an event stream's. */
  response: JsonShape | ResponseReader<unknown>;
  /** Where the spec takes an idempotency key; the SDK fills it, and retries become safe. */
  idempotencyKey?: IdempotencyKey;
  deprecated?: boolean;
}

/** What an operation's call is given, whatever its shape. */
interface Input {
  params?: Params;
  body?: unknown;
}

/** Builds an operation function from its spec (see `Operation` for its type). */
export function operation<Op, S extends Shape = {}>(spec: OperationSpec): Operation<Op, S> {
  // What every call of the operation shares, worked out once.
  const built: BuiltSpec = {
    ...spec,
    // `POST /v1/simulation/runs`: how errors and logs name the call, as feather.client's do.
    name: `${spec.method} ${spec.path}`,
    reader: typeof spec.response === 'string' ? json(spec.response) : spec.response,
    repeatable: retryPolicy.idempotentMethods.includes(spec.method) || !!spec.idempotencyKey,
  };
  const call = (core: FeatherCore, input: Input | undefined, options: RequestOptions = {}) => {
    const exchange = { raw: false } as Exchange<unknown>;
    return apiPromise(request(core, built, input ?? {}, options, exchange), exchange);
  };
  const fn =
    spec.input === 'none'
      ? (core: FeatherCore, options?: RequestOptions) => call(core, undefined, options)
      : spec.input === 'body'
        ? (core: FeatherCore, body?: unknown, options?: RequestOptions) =>
            call(core, { body }, options)
        : call;
  return Object.assign(fn, { spec }) as never;
}

/** The spec with what its calls derive from it: the name errors and logs use, its reader. */
interface BuiltSpec extends OperationSpec {
  name: string;
  reader: ResponseReader<unknown>;
  /** A repeat cannot do the work twice: an idempotent method, or an idempotency key. */
  repeatable: boolean;
}

async function request(
  core: FeatherCore,
  spec: BuiltSpec,
  input: Input,
  options: RequestOptions,
  exchange: Exchange<unknown>,
): Promise<Outcome<unknown>> {
  const config = configOf(core);
  if (options.signal?.aborted) {
    throw new APIUserAbortError('Request aborted by the caller before it was sent');
  }
  input = spec.idempotencyKey?.fill(input) ?? input;
  if (options.validate ?? config.validate) validate(spec, input);
  if (spec.deprecated && !config.warned.has(spec.id)) {
    config.warned.add(spec.id);
    config.log.warn?.(`${spec.id} is deprecated: see the spec for its replacement`);
  }
  const encoded =
    spec.encode && input.body !== undefined
      ? await spec.encode(input.body as Record<string, unknown>)
      : undefined;
  Object.assign(exchange, prepare(config, spec, input, options, encoded));
  const outcome = await send(config, exchange, options);
  if (!exchange.raw && (options.validateResponses ?? config.validateResponses)) {
    checkResponse(config, spec.id, outcome);
  }
  return outcome;
}

/** Every problem of the parameters and the body, or nothing: then nothing is sent. */
function validate(spec: BuiltSpec, { params, body }: Input): void {
  const issues: Issue[] = [];
  spec.params?.(params ?? {}, ['params'], issues);
  if (spec.body && (body !== undefined || !spec.bodyOptional)) spec.body(body, [], issues);
  if (issues.length) throw new RequestValidationError(issues, spec.name);
}

/** The request of one call: URL, headers and body, and how each attempt sends it. */
function prepare(
  config: Config,
  spec: BuiltSpec,
  { params = {}, body }: Input,
  options: RequestOptions,
  encoded: EncodedBody | undefined,
): Omit<Exchange<unknown>, 'raw'> {
  let url = config.baseUrl + spec.path;
  let headers = options.headers ? mergeRecords(config.headers, options.headers) : config.headers;
  if (spec.withParams)
    ({ url, headers } = spec.withParams(config.baseUrl, spec.path, params, headers));
  let init: RequestInit = { method: spec.method };
  if (encoded) {
    headers = { ...headers, ...encoded.headers };
    // Node's fetch keeps a copy of an upload to replay it on a redirect: never follow one.
    init = {
      ...init,
      body: encoded.body,
      duplex: encoded.duplex,
      redirect: 'error',
    } as RequestInit;
  } else if (body !== undefined) {
    headers = { ...headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const { reader } = spec;
  if (reader.accept) headers = { ...headers, accept: reader.accept };
  init.headers = headers;
  return {
    name: spec.name,
    repeatable: spec.repeatable,
    replayable: encoded?.replayable ?? true,
    request: { method: spec.method, url, headers, body: init.body },
    reader,
    fetch(signal) {
      init.signal = signal; // one attempt at a time: each gets its own signal
      return config.middleware.length
        ? fetchThroughMiddleware(config, { schemaPath: spec.path, params }, url, init)
        : config.fetch(url, init);
    },
    refuse(response, text) {
      throw errorFromResponse(response.status, response.headers, text, config.apiKey);
    },
  };
}

/** `extra` over `base`; a `null` in `extra` removes the header. */
function mergeRecords(
  base: Record<string, string>,
  extra: Record<string, string | null>,
): Record<string, string> {
  const merged: Record<string, string | null> = { ...base, ...extra };
  for (const name in merged) if (merged[name] === null) delete merged[name];
  return merged as Record<string, string>;
}

// ---- Types: an operation's arguments and result, from openapi-typescript's `operations`.

/** Overrides of what the spec's types say, where the SDK gives more (uploads, event streams). */
export interface Shape {
  input?: 'params' | 'body' | 'none';
  /** The body type, where the SDK accepts more than the spec's (files in an upload). */
  body?: unknown;
  /** The result type, where the SDK gives more than the body (a Stream). */
  result?: unknown;
}

type Responses<Op> = Op extends { responses: infer R } ? R : never;
type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | '2XX';

/** The body of the operation's 2xx answer; `undefined` for one without a body (204). */
export type Result<Op> = {
  [S in keyof Responses<Op>]: S extends SuccessStatus ? JsonContent<Responses<Op>[S]> : never;
}[keyof Responses<Op>];

type Returns<Op, S extends Shape> = APIPromise<S extends { result: infer R } ? R : Result<Op>>;
/** The request body's type, as the spec's types say it (its one media type's content). */
type Content<R> = R extends { content: infer C } ? C[keyof C] : never;
/** `{ body }`, `{ body? }` (the spec's `requestBody.required` is false) or `{}` (no body). */
type RequestBodyOption<Op> = Op extends { requestBody: infer R }
  ? { body: Content<R> }
  : Op extends { requestBody?: infer R }
    ? [NonNullable<R>] extends [never]
      ? {}
      : { body?: Content<NonNullable<R>> }
    : {};
type BodyOption<Op, S extends Shape> = S extends { body: infer B }
  ? { body: B }
  : RequestBodyOption<Op>;
type Args<Op, S extends Shape> = ParamsOption<Op> & BodyOption<Op, S>;
type Body<Op, S extends Shape> = BodyOption<Op, S> extends { body?: infer B } ? B : never;

/** The call shape: `{ params, body }`, the body alone, or nothing; request options last. */
export type Operation<Op, S extends Shape = {}> = S['input'] extends 'none'
  ? (core: FeatherCore, options?: RequestOptions) => Returns<Op, S>
  : S['input'] extends 'body'
    ? {} extends BodyOption<Op, S>
      ? (core: FeatherCore, body?: Body<Op, S>, options?: RequestOptions) => Returns<Op, S>
      : (core: FeatherCore, body: Body<Op, S>, options?: RequestOptions) => Returns<Op, S>
    : {} extends Args<Op, S>
      ? (core: FeatherCore, args?: Args<Op, S>, options?: RequestOptions) => Returns<Op, S>
      : (core: FeatherCore, args: Args<Op, S>, options?: RequestOptions) => Returns<Op, S>;
