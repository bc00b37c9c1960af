/**
 * Unit tests of the building blocks under the transport: the backoff and the mapping of answers
 * to errors. (The validator combinators and the prose rules: test/unit/check.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { integer, object } from '../src/core/check.js';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  errorFromResponse,
  excerpt,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  redact,
  UnprocessableEntityError,
} from '../src/core/errors.js';
import {
  createFeatherCore,
  operation,
  query,
  responseValidators,
  retryDelay,
} from '../src/core/transport.js';
import * as errors from '../src/core/errors.js';
import { dispatchSimulationRun, FeatherError, RequestValidationError } from '@featherhq/sdk';
import { raw, sequence, serve, status } from './support/loopback.js';

const UUIDS = ['0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d'];

describe('retryDelay', () => {
  const sample = (attempt: number, base?: number) =>
    Array.from({ length: 200 }, () => retryDelay(attempt, undefined, base));

  it('doubles from 500 ms, minus up to 25% jitter, capped at 16x the base', () => {
    for (const [attempt, full] of [
      [0, 500],
      [1, 1_000],
      [3, 4_000],
      [4, 8_000],
      [5, 8_000],
      [20, 8_000],
    ]) {
      const delays = sample(attempt);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(full * 0.75);
      expect(Math.max(...delays)).toBeLessThanOrEqual(full);
      // Jittered: two hundred draws are not all the same.
      expect(new Set(delays).size).toBeGreaterThan(1);
    }
  });

  it('scales with the base delay', () => {
    const delays = sample(2, 10);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(40);
    expect(sample(9, 10).every((d) => d <= 160 && d >= 120)).toBe(true);
    expect(sample(3, 0)).toEqual(Array(200).fill(0));
  });

  const after = (value: string, attempt = 0) =>
    retryDelay(attempt, new Headers({ 'retry-after': value }), 10);

  it('honours Retry-After in seconds, capped at a minute', () => {
    expect(after('0')).toBe(0);
    expect(after('2')).toBe(2_000);
    expect(after('1.5', 3)).toBe(1_500);
    expect(after('60')).toBe(60_000);
    expect(after('3600')).toBe(60_000);
  });

  it('honours Retry-After as an HTTP date, capped at a minute', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const delay = after(inTenSeconds);
    // The date has whole seconds, so it is up to a second nearer than 10 s.
    expect(delay).toBeGreaterThan(8_000);
    expect(delay).toBeLessThanOrEqual(10_000);
    expect(after(new Date(Date.now() + 3_600_000).toUTCString())).toBe(60_000);
  });

  it('falls back to the backoff for a past date, a negative or an unreadable value', () => {
    for (const value of [new Date(Date.now() - 60_000).toUTCString(), '-5', 'soon', '']) {
      const delay = after(value, 1);
      expect(delay, value).toBeGreaterThanOrEqual(15);
      expect(delay, value).toBeLessThanOrEqual(20);
    }
    expect(retryDelay(0, new Headers(), 10)).toBeLessThanOrEqual(10);
  });
});

describe('errors from answers', () => {
  const headers = new Headers({ 'x-request-id': 'req_1' });

  it('picks the class by status', () => {
    for (const [status, Class] of [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, PermissionDeniedError],
      [404, NotFoundError],
      [409, ConflictError],
      [422, UnprocessableEntityError],
      [429, RateLimitError],
      [500, InternalServerError],
      [503, InternalServerError],
      [599, InternalServerError],
    ] as const) {
      const error = errorFromResponse(status, headers, '{}', null);
      expect(error.constructor, String(status)).toBe(Class);
      expect(error).toMatchObject({ status, requestId: 'req_1', name: Class.name });
    }
    for (const status of [302, 402, 418, 499]) {
      expect(errorFromResponse(status, new Headers(), '', null).constructor).toBe(APIError);
    }
    expect(errorFromResponse(400, new Headers(), '', null).requestId).toBeUndefined();
  });

  const message = (body: unknown) =>
    errorFromResponse(400, headers, typeof body === 'string' ? body : JSON.stringify(body), null)
      .message;

  it("says what the server said, in the server's shape", () => {
    expect(message({ error: 'bad', message: 'Bad thing' })).toBe('400 Bad thing');
    // `error` is a code, not a sentence: it does not make a message.
    expect(message({ error: 'bad' })).toBe('400 status code (no body)');
    expect(message({ detail: 'Not here' })).toBe('400 Not here');
    expect(
      message({
        detail: [
          { loc: ['body', 'agent_id'], msg: 'Field required' },
          { loc: ['body', 'tool_overrides', 't', 0], msg: 'Bad' },
        ],
      }),
    ).toBe('400 body.agent_id: Field required; body.tool_overrides.t.0: Bad');
    expect(message({ detail: ['plain', { msg: 'no loc' }, null] })).toBe(
      '400 "plain"; {"msg":"no loc"}; null',
    );
    expect(message({ detail: 5, message: 7 })).toBe('400 status code (no body)');
    expect(message({})).toBe('400 status code (no body)');
    expect(message(null)).toBe('400 status code (no body)');
    expect(message(42)).toBe('400 status code (no body)');
    expect(message('  \n ')).toBe('400 status code (no body)');
    expect(message('')).toBe('400 status code (no body)');
    expect(message(' Upstream down ')).toBe('400  Upstream down ');
  });

  it('excerpts long text and redacts a secret wherever it appears', () => {
    expect(excerpt('a'.repeat(200))).toBe('a'.repeat(200));
    expect(excerpt('a'.repeat(201))).toBe(`${'a'.repeat(200)}… (201 chars)`);
    expect(excerpt('abcdef', 3)).toBe('abc… (6 chars)');
    expect(redact('k1 and k1', 'k1')).toBe('[redacted] and [redacted]');
    expect(redact('k1', null)).toBe('k1');
    expect(redact('k1', '')).toBe('k1');
    expect(message('the key was sk_live_1')).toBe('400 the key was sk_live_1');
    const echoed = errorFromResponse(
      400,
      new Headers({ 'x-echo': 'key=sk_live_1', 'x-request-id': 'r' }),
      JSON.stringify({ message: 'bad key sk_live_1' }),
      'sk_live_1',
    );
    expect(echoed.message).toBe('400 bad key [redacted]');
    expect(echoed.body).toEqual({ message: 'bad key [redacted]' });
    expect(echoed.headers.get('x-echo')).toBe('key=[redacted]');
    expect(echoed.requestId).toBe('r');
    const kept = errorFromResponse(400, new Headers({ 'x-echo': 'sk_live_1' }), '', null);
    expect(kept.headers.get('x-echo')).toBe('sk_live_1');
  });
});

describe('error classes', () => {
  it('each is named after itself and is a FeatherError', () => {
    const classes = Object.entries(errors).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
    ) as [string, new (...args: any[]) => Error][];
    expect(classes.length).toBeGreaterThanOrEqual(15);
    for (const [name, Class] of classes) {
      const isAPIError = Class === errors.APIError || Class.prototype instanceof errors.APIError;
      const error = isAPIError
        ? new Class(500, new Headers(), '', 'm')
        : Class === errors.RequestValidationError
          ? new Class([], 'op')
          : new Class('m');
      expect(error.name, name).toBe(name);
      expect(error).toBeInstanceOf(errors.FeatherError);
    }
    expect(new errors.InvalidResponseError(201, new Headers(), '', 'm').issues).toEqual([]);
  });
});

describe('client options', () => {
  const core = (options: Parameters<typeof createFeatherCore>[0]) =>
    createFeatherCore({ apiKey: 'sk_test_options', ...options });
  const refusal = (options: Parameters<typeof createFeatherCore>[0]) => {
    try {
      core(options);
    } catch (error) {
      expect(error).toBeInstanceOf(FeatherError);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('picks the base URL from the option, the environment name or the default', () => {
    expect(core({}).baseUrl).toBe('https://api-sandbox.featherhq.com');
    expect(core({ environment: 'local' }).baseUrl).toBe('http://localhost:8000');
    expect(core({ baseUrl: 'https://proxy.example.com/feather///' }).baseUrl).toBe(
      'https://proxy.example.com/feather',
    );
    expect(refusal({ environment: 'staging' as 'local' })).toBe(
      'No valid base URL: baseUrl undefined, environment staging (one of sandbox,local)',
    );
    expect(refusal({ baseUrl: 'not a url' })).toBe(
      'No valid base URL: baseUrl not a url, environment sandbox (one of sandbox,local)',
    );
  });

  it('sends a key over plain http only to loopback', () => {
    for (const url of [
      'http://localhost:8000',
      'http://LOCALHOST',
      'http://127.0.0.1:1',
      'http://127.100.200.255',
      'http://[::1]:8000',
    ]) {
      expect(refusal({ baseUrl: url }), url).toBe('accepted');
    }
    for (const url of [
      'http://notlocalhost',
      'http://localhost.example.com',
      'http://127.0.0.1.example.com',
      'http://10.0.0.1',
      'http://[::2]',
    ]) {
      expect(refusal({ baseUrl: url }), url).toMatch(
        /^Refusing to send the API key over plain HTTP/,
      );
    }
    // No key, nothing to leak: a proxy on the private network that adds the key itself.
    expect(refusal({ apiKey: null, baseUrl: 'http://proxy.internal' })).toBe('accepted');
  });

  it('needs a fetch', () => {
    expect(refusal({ fetch: 'not a function' as unknown as typeof fetch })).toBe(
      'No fetch: pass `fetch` in the options.',
    );
  });

  it('an operation needs a client made by the SDK', async () => {
    await expect(dispatchSimulationRun({ baseUrl: 'https://x' }, {} as never)).rejects.toThrow(
      'Not a Feather client: create one with createFeatherClient()',
    );
  });
});

describe('operation(): the shapes of call a spec can generate', () => {
  const make = (url: string) =>
    createFeatherCore({ apiKey: 'sk_test_ops', baseUrl: url, retryBaseDelayMs: 1 });

  it('retries idempotent methods after a 500 by default, never POST or PATCH', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']) {
      const server = await serve(sequence(status(500), status(204, {}, '')));
      const call = operation({ method, path: '/things', input: 'none' }) as any;
      await expect(call(make(server.url)), method).resolves.toBeUndefined();
      expect(server.requests, method).toBe(2);
    }
    for (const method of ['POST', 'PATCH']) {
      const server = await serve(sequence(status(500), status(204, {}, '')));
      const call = operation({ method, path: '/things', input: 'none' }) as any;
      await expect(call(make(server.url)), method).rejects.toBeInstanceOf(
        errors.InternalServerError,
      );
      expect(server.requests, method).toBe(1);
    }
  });

  it('input "none": the first argument is the request options', async () => {
    const server = await serve((req, res) =>
      status(200, {}, { trace: req.headers['x-trace'] })(res),
    );
    const call = operation({ method: 'GET', path: '/things', input: 'none' }) as any;
    await expect(call(make(server.url), { headers: { 'x-trace': 't1' } })).resolves.toEqual({
      trace: 't1',
    });
    expect(server.seen[0]).toEqual({ method: 'GET', url: '/things', body: '' });
  });

  it('input "params": the URL from the parameters, the body from `body`', async () => {
    const server = await serve(sequence(status(200, {}, { ok: 1 })));
    const call = operation({
      method: 'PUT',
      path: '/things/{id}',
      input: 'params',
      url: ({ path, query }) => `/things/${String(path.id)}?q=${JSON.stringify(query)}`,
    }) as any;
    await call(make(server.url), {
      params: { path: { id: 'a' }, query: { q: 1 } },
      body: { x: 2 },
    });
    // No arguments at all: no parameters, no body.
    await call(make(server.url));
    expect(server.seen).toEqual([
      { method: 'PUT', url: '/things/a?q={%22q%22:1}', body: '{"x":2}' },
      { method: 'PUT', url: '/things/undefined?q=undefined', body: '' },
    ]);
  });

  it('an optional body may be left out; a present one is still validated', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const body = object({ a: [integer(), true] });
    const optional = operation({
      method: 'POST',
      path: '/o',
      input: 'body',
      body,
      bodyOptional: true,
    }) as any;
    const required = operation({ method: 'POST', path: '/r', input: 'body', body }) as any;
    await expect(optional(make(server.url))).resolves.toBeUndefined();
    await expect(optional(make(server.url), {})).rejects.toThrow('a: is required');
    await expect(required(make(server.url))).rejects.toBeInstanceOf(RequestValidationError);
    await expect(required(make(server.url), { a: 1 })).resolves.toBeUndefined();
    expect(server.seen).toEqual([
      { method: 'POST', url: '/o', body: '' },
      { method: 'POST', url: '/r', body: '{"a":1}' },
    ]);
  });

  it('without a response schema, an empty 2xx is undefined and JSON is parsed', async () => {
    const server = await serve(sequence(raw(200, ''), status(200, {}, [1, 2])));
    const call = operation({ method: 'GET', path: '/r', input: 'none' }) as any;
    await expect(call(make(server.url))).resolves.toBeUndefined();
    await expect(call(make(server.url))).resolves.toEqual([1, 2]);
  });
});

describe('query strings and response validators', () => {
  it('query(): repeats array keys, skips null and undefined, encodes', () => {
    expect(query(undefined)).toBe('');
    expect(query({})).toBe('');
    expect(query({ a: undefined, b: null })).toBe('');
    expect(query({ a: 1, b: undefined, c: null, d: [1, 'x y'], e: false, f: '&' })).toBe(
      '?a=1&d=1&d=x+y&e=false&f=%26',
    );
  });

  it('responseValidators(): checks the operations it knows, lets others through', () => {
    const validate = responseValidators({ 'GET /n': integer(0) });
    const response = new Response(null, { status: 200, headers: { 'x-request-id': 'r1' } });
    expect(() => validate('GET /n', response, 1)).not.toThrow();
    expect(() => validate('GET /unknown', response, 'anything')).not.toThrow();
    let thrown: unknown;
    try {
      validate('GET /n', response, -1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(errors.InvalidResponseError);
    expect(thrown).toMatchObject({
      status: 200,
      requestId: 'r1',
      body: -1,
      message: '200 response does not match the spec:\n  (body): must be >= 0',
      issues: [{ path: [], rule: 'minimum', message: 'must be >= 0' }],
    });
  });

  it('validateResponses on a bare core needs responseValidators', async () => {
    const server = await serve(sequence(status(201, {}, { id: 'run' })));
    const core = createFeatherCore({ apiKey: 'k', baseUrl: server.url, validateResponses: true });
    const body = { agent_id: UUIDS[0], persona_id: UUIDS[0], scenario_id: UUIDS[0] };
    await expect(dispatchSimulationRun(core, body)).rejects.toThrow(
      'validateResponses on createFeatherCore needs `responseValidators` (see ClientOptions)',
    );
  });
});
