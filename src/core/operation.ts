/**
 * The operation builder: `npm run generate` writes one `operation(() => ({...}))` per
 * operationId, and each call of the function it returns validates its input, builds the request
 * and sends it through the retry loop. The spec is a function, read at the operation's first
 * call: importing the SDK builds no descriptor. Everything an operation needs beyond JSON
 * (parameters, uploads, event streams) arrives as a function in its spec, so apps that never call
 * such an operation never ship that code.
 */
import type { ParamsOption } from 'openapi-fetch';
import type { Check, Issue } from './check.js';
import { configOf, type FeatherCore } from './core.js';
import {
  APIUserAbortError,
  errorFromResponse,
  FeatherError,
  RequestValidationError,
} from './errors.js';
import { NONE, notify } from './hooks.js';
import type { IdempotencyKey } from './idempotency.js';
import type { Config, RequestOptions } from './options.js';
import type { Params } from './params.js';
import { apiPromise, type APIPromise } from './promise.js';
import { APPLY, type AppliedChecks, type JsonShape } from './response.js';
import { isRepeatable } from './retry.js';
import { ended, send, type Exchange, type ResponseReader } from './send.js';
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
  /**
   * Puts a body that is not JSON on the request, before the first attempt: `encoded(multipart(...))`
   * for an upload (uploads.ts).
   */
  encode?: (exchange: Exchange<unknown>, body: Record<string, unknown>) => Promise<void>;
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

/** An operation's spec, or a function that returns it (as the generator writes it: lazily). */
export type Described = OperationSpec | (() => OperationSpec);

/** The spec of an operation function (of `operation()` or `paginated()`), read now. */
export function specOf(op: unknown): OperationSpec | undefined {
  const described = (op as { spec?: Described }).spec;
  return typeof described === 'function' ? described() : described;
}

/** What every call of an operation shares, worked out at its first call. */
interface Built {
  spec: OperationSpec;
  /** `POST /v1/simulation/runs`: how errors and logs name the call, as feather.client's do. */
  name: string;
  /** A repeat cannot do the work twice: an idempotent method, or an idempotency key. */
  repeatable: boolean;
}

/** Builds an operation function from its spec (see `Operation` for its type). */
export function operation<Op, S extends Shape = {}>(spec: Described): Operation<Op, S> {
  let built: Built | undefined;
  const fn = (core: FeatherCore, first?: unknown, second?: RequestOptions) => {
    // Stryker disable next-line ConditionalExpression: only for speed (the spec is the same each time)
    if (!built) {
      const described = typeof spec === 'function' ? spec() : spec;
      const { method, path, idempotencyKey } = described;
      const name = `${method} ${path}`;
      built = { spec: described, name, repeatable: isRepeatable(method, idempotencyKey) };
    }
    // The call shape: `(core, options)`, `(core, body, options)` or `(core, { params, body }, options)`.
    const { input } = built.spec;
    const options = (input === 'none' ? first : second) ?? NO_OPTIONS;
    return call(
      core,
      built,
      input === 'body' ? { body: first } : ((first as Input) ?? {}),
      options,
    );
  };
  return Object.assign(fn, { spec }) as never;
}

/** A call without options: read, never written. */
const NO_OPTIONS: RequestOptions = {};

/** One call: its promise, which carries the exchange once the request is made. */
function call(
  core: FeatherCore,
  { spec, name, repeatable }: Built,
  input: Input,
  options: RequestOptions,
): APIPromise<unknown> {
  const exchange = {
    name,
    repeatable,
    replayable: true,
    reader: spec.response,
    refuse,
    observers: NONE,
  } as Partial<Exchange<unknown>> as Exchange<unknown>;
  let data: Promise<unknown>;
  try {
    data = request(configOf(core), spec, input, options, exchange);
  } catch (error) {
    data = Promise.reject(error);
  }
  return apiPromise(data, exchange);
}

/** Starts one call: the hooks see it, the input is checked, and the request is sent. */
function request(
  config: Config,
  spec: OperationSpec,
  input: Input,
  options: RequestOptions,
  x: Exchange<unknown>,
): Promise<unknown> {
  const { name } = x;
  input = spec.idempotencyKey?.fill(input) ?? input;
  // Stryker disable next-line ConditionalExpression: only for speed (notify on none does nothing)
  if (config.hooks.length) {
    x.observers = notify(config.hooks, 'call', {
      name,
      operationId: spec.id,
      method: spec.method,
      path: spec.path,
      params: input.params ?? {},
      baseUrl: config.baseUrl,
      deprecated: spec.deprecated,
      redact: config.redact,
    });
  }
  try {
    if (options.signal?.aborted) {
      throw new APIUserAbortError('Request aborted by the caller before it was sent');
    }
    if (options.validate ?? config.validate) validate(spec, name, input);
    if (options.validateResponses ?? config.validateResponses) {
      const checks = config.responseChecks;
      // What applies the checks comes with them: an app that validates no answer ships none.
      const apply = (checks as AppliedChecks | undefined)?.[APPLY];
      if (!apply) {
        throw new FeatherError(
          'validateResponses on createFeatherCore needs `responseChecks` (see ClientOptions)',
        );
      }
      x.check = (data, response) => apply(checks!, spec.id, data, response);
    }
  } catch (error) {
    ended(x, 0, error);
    throw error;
  }
  prepare(config, spec, x, input, options);
  const { encode } = spec;
  const body = input.body as Record<string, unknown>;
  if (encode && body !== undefined) x.before = () => encode(x, body);
  return send(config, x, options);
}

/** The final non-2xx answer of an operation: its typed error. */
const refuse = (response: Response, text: string, secret: string | null): never => {
  throw errorFromResponse(response.status, response.headers, text, secret);
};

/** Every problem of the parameters and the body, or nothing: then nothing is sent. */
function validate(spec: OperationSpec, name: string, { params, body }: Input): void {
  const issues: Issue[] = [];
  spec.params?.(params ?? {}, ['params'], issues);
  if (spec.body && (body !== undefined || !spec.bodyOptional)) spec.body(body, [], issues);
  if (issues.length) throw new RequestValidationError(issues, name);
}

/** The request of one call: URL, headers and body, the same for each attempt. */
function prepare(
  config: Config,
  spec: OperationSpec,
  x: Exchange<unknown>,
  { params = {}, body }: Input,
  options: RequestOptions,
): void {
  let url = config.baseUrl + spec.path;
  let headers = options.headers ? mergeRecords(config.headers, options.headers) : config.headers;
  if (spec.withParams)
    ({ url, headers } = spec.withParams(config.baseUrl, spec.path, params, headers));
  const init: RequestInit = { method: spec.method };
  if (body !== undefined && !spec.encode) {
    // The client's headers with the JSON type are made once (a copy costs as much as validation).
    headers =
      headers === config.headers ? (config.jsonHeaders ??= asJson(headers)) : asJson(headers);
    init.body = JSON.stringify(body);
  }
  // A reader may ask for its media type; JSON's shape (a string) has no `accept`.
  const { accept } = spec.response as Partial<ResponseReader<unknown>>;
  if (accept) headers = { ...headers, accept };
  x.url = url;
  x.init = init;
  x.headers = headers;
}

/**
 * An encoder of a body that is not JSON (`multipart(...)`, uploads.ts) as an operation's `encode`:
 * its body and headers go on the request, which follows no redirect (Node's fetch keeps a copy of
 * an upload to replay on one), and a one-shot stream makes it not replayable.
 */
export const encoded =
  (encode: (body: Record<string, unknown>) => Promise<EncodedBody>) =>
  async (x: Exchange<unknown>, body: Record<string, unknown>): Promise<void> => {
    const { body: data, headers, duplex, replayable } = await encode(body);
    x.headers = { ...x.headers, ...headers };
    Object.assign(x.init, { body: data, duplex, redirect: 'error' });
    x.replayable = replayable;
  };

const asJson = (headers: Record<string, string>) => ({
  ...headers,
  'content-type': 'application/json',
});

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
