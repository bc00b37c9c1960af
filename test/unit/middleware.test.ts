/**
 * Middleware (openapi-fetch's type) runs on every attempt, inside the retry loop, for the
 * methods, the standalone functions and feather.client alike; without any, no Request is built.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  createFeatherClient,
  createFeatherCore,
  dispatchSimulationRun,
  type Middleware,
} from '@featherhq/sdk';
import { closedPort, sequence, serve, status } from '../support/loopback.js';
import { getThing } from '../support/operations.js';

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
  logLevel: 'off' as const,
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
    const core = createFeatherCore({ ...options(server.url), middleware: [tracing()] });
    await getThing(core, { params: { path: { thing_id: 't1' } } });
    expect(server.seen.map((s) => s.headers['x-attempt'])).toEqual(['1', '2', '1']);
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
    const core = createFeatherCore({ ...options(server.url), middleware: [replaced] });
    await expect(getThing(core, { params: { path: { thing_id: 'x' } } })).resolves.toEqual(THING);

    const port = await closedPort();
    const rescued: Middleware = { onError: () => Response.json({ ...THING, id: 'cached' }) };
    const offline = createFeatherCore({
      ...options(`http://127.0.0.1:${port}`),
      middleware: [rescued],
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
    const core = createFeatherCore({ ...options(server.url), middleware: [spy] });
    await getThing(core, { params: { path: { thing_id: 'a' } } });
    expect(seen).toEqual([['/things/{thing_id}', { path: { thing_id: 'a' } }]]);
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
