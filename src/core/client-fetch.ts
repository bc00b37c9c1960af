/**
 * The `fetch` that `feather.client` (openapi-fetch) is given, so that the raw client gets the
 * same policy as the operation methods: timeouts, safe retries, the retry budget, middleware on
 * every attempt (hooks), logging, and the key redacted from anything it throws or returns. openapi-fetch
 * builds the request and reads the answer; this wraps each of its calls in the retry loop.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { redact } from './errors.js';
import { notify } from './hooks.js';
import { specOf, type OperationSpec } from './operation.js';
import type { Config } from './options.js';
import { isRepeatable } from './retry.js';
import { send, type Exchange, type ResponseReader } from './send.js';
import { isEventStream, Stream } from './streaming.js';

/** What the wrapper knows of an operation, by `METHOD /path` as the spec writes it. */
type RouteInfo = Pick<OperationSpec, 'id' | 'idempotencyKey' | 'deprecated'>;

/** openapi-fetch's call context (schema path, params), passed from its middleware to the fetch. */
const contexts = new WeakMap<Request, { schemaPath: string; params: object }>();

/** openapi-fetch's client for `paths`, sending through the policy fetch below. */
export function rawClient<Paths extends {}>(
  config: Config,
  operations: readonly unknown[],
): Client<Paths> {
  const routes = new Map<string, RouteInfo>();
  for (const op of operations) {
    const spec = specOf(op);
    if (spec) routes.set(`${spec.method} ${spec.path}`, spec);
  }
  const client = createClient<Paths>({
    baseUrl: config.baseUrl,
    fetch: policyFetch(config, routes),
    headers: config.headers,
  });
  client.use(callContext(routes));
  return client;
}

/**
 * The raw client's first middleware, run once per call: it lets the fetch see the schema path,
 * and fills an idempotency key the caller left out, so that every retry carries the same one.
 */
function callContext(routes: Map<string, RouteInfo>): Middleware {
  return {
    async onRequest({ request, schemaPath, params }) {
      const key = routes.get(`${request.method} ${schemaPath}`)?.idempotencyKey;
      if (key?.in === 'header' && !request.headers.has(key.name)) {
        const headers = new Headers(request.headers);
        headers.set(key.name, crypto.randomUUID());
        request = new Request(request, { headers });
      } else if (key?.in === 'body' && request.body) {
        const body = await request.clone().json();
        if (body?.[key.name] == null) {
          request = new Request(request, {
            body: JSON.stringify({ ...body, [key.name]: crypto.randomUUID() }),
          });
        }
      }
      contexts.set(request, { schemaPath, params });
      return request;
    },
  };
}

function policyFetch(config: Config, routes: Map<string, RouteInfo>): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const context = contexts.get(input as Request) ?? {
      schemaPath: new URL(request.url).pathname,
      params: {},
    };
    const { method } = request;
    const name = `${method} ${context.schemaPath}`;
    const route = routes.get(name);
    // Read once, so that every attempt can send it again.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const exchange: Exchange<Response> = {
      name,
      url: request.url,
      init: { method, body },
      headers,
      repeatable: isRepeatable(method, route?.idempotencyKey),
      replayable: true,
      reader: rereadable,
      refuse: redacted,
      check: undefined,
      before: undefined,
      raw: false,
      response: undefined,
      observers: notify(config.hooks, 'call', {
        name,
        operationId: route?.id,
        method,
        path: context.schemaPath,
        params: context.params,
        baseUrl: config.baseUrl,
        deprecated: route?.deprecated,
        redact: config.redact,
      }),
    };
    return send(config, exchange, { signal: request.signal });
  };
}

/** Statuses whose response must have no body (the fetch standard's "null body status"). */
const NULL_BODY = [101, 103, 204, 205, 304];

const eventStreamed = (response: Response) => isEventStream(response.headers.get('content-type'));

/**
 * A 2xx read in full under the attempt's timer, then handed to openapi-fetch as a fresh
 * Response. An event stream is handed over as it arrives, its bytes unchanged, as a Stream's
 * `toReadableStream()` passes them: an idle gap times out as in a Stream, and the attempt and the
 * call end when the stream ends, fails or is cancelled, not when its headers arrive.
 */
const rereadable: ResponseReader<Response> = {
  streaming: eventStreamed,
  async read(response, attempt) {
    if (eventStreamed(response)) {
      return new Response(new Stream(response, attempt).toReadableStream(), response);
    }
    const body = NULL_BODY.includes(response.status) ? null : await response.arrayBuffer();
    return new Response(body, response);
  },
};

/** The final non-2xx answer, with any echo of the key removed from its body and headers. */
function redacted(response: Response, text: string, secret: string | null): Response {
  const headers = new Headers();
  response.headers.forEach((value, name) => headers.append(name, redact(value, secret)));
  const body = NULL_BODY.includes(response.status) ? null : redact(text, secret);
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
