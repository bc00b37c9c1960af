/**
 * Middleware (openapi-fetch's type) runs on every attempt, inside the retry loop, for the
 * methods, the standalone functions and feather.client alike; without any, no Request is built.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  createFeatherClient,
  createFeatherCore,
  dispatchSimulationRun,
  middleware,
  type Middleware,
} from '@featherhq/sdk';
import { closedPort, sequence, serve, status } from '../support/loopback.js';
import { getThing, ping } from '../support/operations.js';

const KEY = 'sk_test_middleware_0123456789';
const THING = { id: 't1', status: 'done' };
const body = () => ({
  agent_id: randomUUID(),
  persona_id: randomUUID(),
  scenario_id: randomUUID(),
});
const options = (url: string) => ({
  apiKey: KEY,
  baseUrl: url,
  retryBaseDelayMs: 1,
});

/** Adds `x-attempt: <n>` to every request it sees. */
function tracing() {
  let n = 0;
  const m: Middleware = {
    onRequest({ request }) {
      const headers = new Headers(request.headers);
      headers.set('x-attempt', String(++n));
      return new Request(request, { headers });
    },
  };
  return m;
}

describe('middleware on every attempt', () => {
  it('feather.use(): a 503 then a 201 passes through the middleware twice, in both styles', async () => {
    const server = await serve(sequence(status(503), status(201, {}, THING)));
    const feather = createFeatherClient(options(server.url));
    feather.use(tracing());
    await feather.dispatchSimulationRun(body());
    const core = createFeatherCore({ ...options(server.url), hooks: [middleware(tracing())] });
    await getThing(core, { params: { path: { thing_id: 't1' } } });
    expect(server.seen.map((s) => s.headers['x-attempt'])).toEqual(['1', '2', '1']);
  });

  it('createFeatherClient takes middleware as an option too', async () => {
    const server = await serve(sequence(status(201, {}, THING)));
    const feather = createFeatherClient({ ...options(server.url), middleware: [tracing()] });
    await feather.dispatchSimulationRun(body());
    expect(server.seen.map((s) => s.headers['x-attempt'])).toEqual(['1']);
  });

  it('feather.client gets it on every attempt too (openapi-fetch alone would run it once)', async () => {
    const server = await serve(sequence(status(503), status(503), status(201, {}, THING)));
    const feather = createFeatherClient(options(server.url));
    feather.use(tracing());
    const { data } = await feather.client.POST('/v1/simulation/runs', { body: body() });
    expect(data).toEqual(THING);
    expect(server.seen.map((s) => s.headers['x-attempt'])).toEqual(['1', '2', '3']);
  });

  it('onResponse can replace the answer; onError can turn a failure into an answer', async () => {
    const server = await serve(sequence(status(500)));
    const replaced: Middleware = {
      onResponse: ({ response }) =>
        response.status === 500 ? Response.json(THING, { status: 200 }) : undefined,
    };
    const core = createFeatherCore({ ...options(server.url), hooks: [middleware(replaced)] });
    await expect(getThing(core, { params: { path: { thing_id: 'x' } } })).resolves.toEqual(THING);

    const port = await closedPort();
    const rescued: Middleware = { onError: () => Response.json({ ...THING, id: 'cached' }) };
    const offline = createFeatherCore({
      ...options(`http://127.0.0.1:${port}`),
      hooks: [middleware(rescued)],
    });
    await expect(getThing(offline, { params: { path: { thing_id: 'x' } } })).resolves.toEqual({
      ...THING,
      id: 'cached',
    });
  });

  it('onRequest sees the schema path and the parameters; onRequest can answer by itself', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const seen: unknown[] = [];
    const spy: Middleware = {
      onRequest({ schemaPath, params }) {
        seen.push([schemaPath, params]);
        return schemaPath === '/ping' ? new Response(null, { status: 204 }) : undefined;
      },
    };
    const core = createFeatherCore({ ...options(server.url), hooks: [middleware(spy)] });
    await getThing(core, { params: { path: { thing_id: 'a' } } });
    expect(seen).toEqual([['/things/{thing_id}', { path: { thing_id: 'a' } }]]);
    // The 204 comes from the middleware: the server's 200 with a body would be read as data.
    await expect(ping(core)).resolves.toBeUndefined();
    expect(server.requests).toBe(1);
  });

  it('onRequest in order, onResponse in reverse, with one id per attempt shared by both', async () => {
    const server = await serve(sequence(status(503), status(200, {}, THING)));
    const order: string[] = [];
    const ids: [string, string][] = [];
    const named = (name: string): Middleware => ({
      onRequest: ({ id }) => void order.push(`request ${name}`, id),
      onResponse: ({ id, response }) => {
        order.push(`response ${name} ${response.status}`);
        ids.push([name, id]);
      },
    });
    const core = createFeatherCore({
      ...options(server.url),
      hooks: [middleware(named('a'), named('b'))],
    });
    await getThing(core, { params: { path: { thing_id: 'a' } } });
    const [first, second] = [order[1], order[7]];
    expect(order).toEqual([
      ...['request a', first, 'request b', first, 'response b 503', 'response a 503'],
      ...['request a', second, 'request b', second, 'response b 200', 'response a 200'],
    ]);
    expect(first).not.toBe(second);
    expect(ids).toEqual([
      ['b', first],
      ['a', first],
      ['b', second],
      ['a', second],
    ]);
  });

  it('onError runs last middleware first, skips those without one, and an Error it returns replaces the error', async () => {
    const port = await closedPort();
    const seen: string[] = [];
    const observer = (name: string): Middleware => ({
      onError({ request, error }) {
        seen.push(`${name}: ${request.method} ${new URL(request.url).pathname}: ${String(error)}`);
      },
    });
    const replacing: Middleware = { onError: () => new Error('offline, try the cache') };
    const core = createFeatherCore({
      ...options(`http://127.0.0.1:${port}`),
      maxRetries: 0,
      hooks: [middleware(observer('first'), tracing(), replacing, observer('last'))],
    });
    const error: unknown = await getThing(core, { params: { path: { thing_id: 'x' } } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe('GET /things/{thing_id} failed: offline, try the cache');
    expect(seen).toEqual([
      'last: GET /things/x: TypeError: fetch failed',
      'first: GET /things/x: Error: offline, try the cache',
    ]);
  });

  it('a middleware that fails without a reason: APIConnectionError naming the call', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const failing: Middleware = {
      onRequest: () => Promise.reject(undefined),
    };
    const core = createFeatherCore({ ...options(server.url), hooks: [middleware(failing)] });
    await expect(getThing(core, { params: { path: { thing_id: 'x' } } })).rejects.toThrow(
      new APIConnectionError('GET /things/{thing_id} failed: connection error'),
    );
    expect(server.requests).toBe(0);
  });

  it('without middleware, fetch gets a URL and an init, never a Request', async () => {
    const server = await serve(sequence(status(201, {}, THING)));
    const fetchSpy = vi.fn(globalThis.fetch);
    const core = createFeatherCore({ ...options(server.url), fetch: fetchSpy });
    await dispatchSimulationRun(core, body());
    const [input, init] = fetchSpy.mock.calls[0];
    expect(typeof input).toBe('string');
    expect(init?.method).toBe('POST');
  });
});
