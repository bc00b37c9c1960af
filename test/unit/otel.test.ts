/**
 * `@featherhq/sdk/otel` with the real OpenTelemetry SDK (sdk-trace-base's in-memory exporter,
 * sdk-metrics' reader), against the mock server (the seed spec's, and the mock's runtime over the
 * made-up route table of test/support/mock-routes.ts) and loopback servers for what a mock does
 * not do (a stream cut mid-way): calls of both styles and feather.client, retries, timeouts,
 * aborts, streams, pagination and waiters; the semantic conventions' attributes and metrics; trace
 * context on the wire; and the API key in none of it.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  createFeatherClient,
  createFeatherCore,
  dispatchSimulationRun,
  group,
  type CoreOptions,
} from '@featherhq/sdk';
import { instrument } from '@featherhq/sdk/otel';
import { otelHook } from '../../src/otel/hook.js';
import { DURATION_BUCKETS } from '../../src/otel/attributes.js';
import { operation } from '../../src/core/operation.js';
import { waiter } from '../../src/core/polling.js';
import { eventStream, type Stream } from '../../src/core/streaming.js';
import { serve } from '../support/loopback.js';
import { startRoutesMock, startSeedMock } from '../support/mock-servers.js';
import { routes, THING_ID } from '../support/mock-routes.js';
import { createThingNoKey, getThing, listThings } from '../support/operations.js';
import {
  exported,
  histogramCounts,
  inMemoryTelemetry,
  only,
  tree,
  type Telemetry,
} from '../support/otel.js';

const ids = {
  agent_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c01',
  persona_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c02',
  scenario_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c03',
};

/** The route table's event stream, as the generator writes an event-stream operation. */
const watchThings = /* @__PURE__ */ operation<
  { responses: object },
  { input: 'none'; result: Stream }
>({
  id: 'watchThings',
  method: 'GET',
  path: '/things/events',
  input: 'none',
  response: eventStream,
});

const waitForThing = waiter(
  (c, id, options) => getThing(c, { params: { path: { thing_id: id } } }, options),
  'status',
  ['done', 'failed'],
);

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  // What an app's OpenTelemetry setup registers: the W3C propagator, and (in Node) a context manager.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  propagation.disable();
  context.disable();
});

let otel: Telemetry;
beforeEach(() => {
  otel = inMemoryTelemetry();
});

/** A createFeatherCore client of `url`, instrumented with this test's providers. */
function instrumented(url: string, apiKey: string, options: CoreOptions = {}) {
  const core = createFeatherCore({ apiKey, baseUrl: url, retryBaseDelayMs: 1, ...options });
  instrument(core, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
  return core;
}

describe('a call', () => {
  it('an INTERNAL span named after its operationId, over a CLIENT span with the conventions’ attributes', async () => {
    const mock = await startSeedMock();
    const feather = instrumented(mock.url, mock.apiKey);
    const run = await dispatchSimulationRun(feather, ids);
    const spans = otel.spans();
    expect(tree(spans)).toEqual([
      'dispatchSimulationRun INTERNAL',
      '  POST /v1/simulation/runs CLIENT',
    ]);
    const call = only(spans, 'dispatchSimulationRun');
    expect(call.attributes).toEqual({
      'feather.operation_id': 'dispatchSimulationRun',
      'feather.retry_count': 0,
    });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    const attempt = only(spans, 'POST /v1/simulation/runs');
    const port = Number(new URL(mock.url).port);
    expect(attempt.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.full': `${mock.url}/v1/simulation/runs`,
      'url.template': '/v1/simulation/runs',
      'http.response.status_code': 201,
    });
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(attempt.status.code).toBe(SpanStatusCode.UNSET);
    expect(run.id).toBe(mock.runs[0].id);
  });

  it('instrumented twice: still one span per call and per attempt', async () => {
    const mock = await startSeedMock();
    const feather = instrumented(mock.url, mock.apiKey);
    instrument(feather, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    await dispatchSimulationRun(feather, ids);
    expect(tree(otel.spans())).toEqual([
      'dispatchSimulationRun INTERNAL',
      '  POST /v1/simulation/runs CLIENT',
    ]);
  });

  it('is a child of the caller’s active span; concurrent calls keep their own parents', async () => {
    const mock = await startSeedMock();
    const feather = instrumented(mock.url, mock.apiKey);
    const tracer = otel.tracerProvider.getTracer('app');
    const handle = (name: string) =>
      tracer.startActiveSpan(name, async (span) => {
        await dispatchSimulationRun(feather, ids);
        span.end();
      });
    await Promise.all([handle('request a'), handle('request b')]);
    expect(tree(otel.spans())).toEqual([
      'request a INTERNAL',
      '  dispatchSimulationRun INTERNAL',
      '    POST /v1/simulation/runs CLIENT',
      'request b INTERNAL',
      '  dispatchSimulationRun INTERNAL',
      '    POST /v1/simulation/runs CLIENT',
    ]);
  });

  it('createFeatherClient: its methods and feather.client, a path the spec lacks named by its method', async () => {
    const mock = await startSeedMock({
      handler: ({ path }) =>
        path === '/v1/other' ? { status: 404, body: { message: 'no' } } : undefined,
    });
    const feather = createFeatherClient({ apiKey: mock.apiKey, baseUrl: mock.url });
    instrument(feather, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    await feather.dispatchSimulationRun(ids);
    await feather.client.POST('/v1/simulation/runs', { body: ids });
    const { response } = await feather.client.GET('/v1/other' as never);
    expect(response.status).toBe(404);
    expect(tree(otel.spans())).toEqual([
      'dispatchSimulationRun INTERNAL',
      '  POST /v1/simulation/runs CLIENT',
      'dispatchSimulationRun INTERNAL',
      '  POST /v1/simulation/runs CLIENT',
      'GET /v1/other INTERNAL',
      '  GET CLIENT',
    ]);
    const other = only(otel.spans(), 'GET');
    expect(other.attributes['url.template']).toBeUndefined();
    expect(other.attributes['error.type']).toBe('NotFoundError');
    // feather.client returns a non-2xx rather than throwing: the call failed all the same.
    const call = only(otel.spans(), 'GET /v1/other');
    expect([call.attributes['error.type'], call.status.code]).toEqual([
      'NotFoundError',
      SpanStatusCode.ERROR,
    ]);
  });

  it('a refused input: the call’s span ends with RequestValidationError and no attempt', async () => {
    const feather = instrumented('http://127.0.0.1:9', 'sk_test_otel_0123');
    await expect(dispatchSimulationRun(feather, { ...ids, agent_id: 'nope' })).rejects.toThrow();
    expect(tree(otel.spans())).toEqual(['dispatchSimulationRun INTERNAL']);
    const call = otel.spans()[0];
    expect(call.attributes['error.type']).toBe('RequestValidationError');
    // Its message quotes the input: it is not the span's status.
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR });
  });
});

describe('retries', () => {
  it('a 503 then a 201: two attempts, the second a resend; the retry as an event and a count', async () => {
    let n = 0;
    const mock = await startSeedMock({
      handler: () => (n++ === 0 ? { status: 503, body: { message: 'busy' } } : undefined),
    });
    const feather = instrumented(mock.url, mock.apiKey);
    await dispatchSimulationRun(feather, ids);
    const spans = otel.spans();
    expect(tree(spans)).toEqual([
      'dispatchSimulationRun INTERNAL',
      '  POST /v1/simulation/runs CLIENT',
      '  POST /v1/simulation/runs CLIENT',
    ]);
    const [first, second] = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(first.attributes).toMatchObject({
      'http.response.status_code': 503,
      'error.type': 'InternalServerError',
    });
    expect(first.attributes['http.request.resend_count']).toBeUndefined();
    expect(first.status.code).toBe(SpanStatusCode.ERROR);
    expect(second.attributes).toMatchObject({
      'http.response.status_code': 201,
      'http.request.resend_count': 1,
    });
    expect(second.attributes['error.type']).toBeUndefined();
    const call = only(spans, 'dispatchSimulationRun');
    expect(call.attributes['feather.retry_count']).toBe(1);
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(call.events.map((e) => [e.name, e.attributes?.['feather.retry.reason']])).toEqual([
      ['feather.retry', '503'],
    ]);
    await otel.collect();
    expect(otel.points('feather.client.retries').map((p) => [p.attributes, p.value])).toEqual([
      [
        {
          'feather.retry.reason': '503',
          'feather.operation_id': 'dispatchSimulationRun',
          'http.request.method': 'POST',
        },
        1,
      ],
    ]);
  });

  it('a call that runs out of retries ends with the typed error of its last answer', async () => {
    const mock = await startSeedMock({
      handler: () => ({ status: 429, body: { message: 'slow' } }),
    });
    const feather = instrumented(mock.url, mock.apiKey, { maxRetries: 1 });
    await expect(dispatchSimulationRun(feather, ids)).rejects.toThrow('429');
    const call = only(otel.spans(), 'dispatchSimulationRun');
    expect(call.attributes).toMatchObject({
      'feather.retry_count': 1,
      'error.type': 'RateLimitError',
    });
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR });
  });
});

describe('timeouts and aborts', () => {
  it('a timeout: each attempt’s span says APIConnectionTimeoutError, retried for a GET', async () => {
    const mock = await startRoutesMock(routes, {
      handler: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 400)),
    });
    const feather = instrumented(mock.url, mock.apiKey, { timeoutMs: 50, maxRetries: 1 });
    const call = getThing(feather, { params: { path: { thing_id: THING_ID } } });
    await expect(call).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    const attempts = otel.spans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(attempts.map((s) => [s.attributes['error.type'], s.status.code])).toEqual([
      ['APIConnectionTimeoutError', SpanStatusCode.ERROR],
      ['APIConnectionTimeoutError', SpanStatusCode.ERROR],
    ]);
    expect(attempts[0].attributes['http.response.status_code']).toBeUndefined();
    const span = only(otel.spans(), 'getThing');
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'GET /things/{thing_id} timed out after 50 ms',
    });
    await otel.collect();
    const reasons = otel
      .points('feather.client.retries')
      .map((p) => p.attributes['feather.retry.reason']);
    expect(reasons).toEqual(['APIConnectionTimeoutError']);
  });

  it('an abort mid-call ends both spans with APIUserAbortError; one before sending has no attempt', async () => {
    const mock = await startRoutesMock(routes, {
      handler: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 400)),
    });
    const feather = instrumented(mock.url, mock.apiKey);
    const controller = new AbortController();
    const call = getThing(
      feather,
      { params: { path: { thing_id: THING_ID } } },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(
      getThing(
        feather,
        { params: { path: { thing_id: THING_ID } } },
        { signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(tree(otel.spans())).toEqual([
      'getThing INTERNAL',
      '  GET /things/{thing_id} CLIENT',
      'getThing INTERNAL',
    ]);
    expect(otel.spans().map((s) => s.attributes['error.type'])).toEqual([
      'APIUserAbortError',
      'APIUserAbortError',
      'APIUserAbortError',
    ]);
  });
});

describe('streams', () => {
  it('the span ends when the stream ends, not when its headers arrive; events are counted', async () => {
    const mock = await startRoutesMock(routes, { eventDelayMs: 1 });
    const feather = instrumented(mock.url, mock.apiKey);
    const stream = await watchThings(feather);
    expect(otel.spans()).toEqual([]);
    let read = 0;
    for await (const _event of stream) read++;
    expect(read).toBe(3);
    const attempt = only(otel.spans(), 'GET /things/events');
    expect(attempt.attributes).toMatchObject({
      'http.response.status_code': 200,
      'feather.stream.events': 3,
    });
    expect(attempt.events.map((e) => e.name)).toEqual(['feather.stream.first_event']);
    expect(only(otel.spans(), 'watchThings').attributes['feather.stream.events']).toBe(3);
  });

  it('abandoned with break: the spans end then, with the events read so far', async () => {
    const mock = await startRoutesMock(routes, { eventDelayMs: 1 });
    const feather = instrumented(mock.url, mock.apiKey);
    for await (const _event of await watchThings(feather)) break;
    const attempt = only(otel.spans(), 'GET /things/events');
    expect(attempt.attributes['feather.stream.events']).toBe(1);
    expect(attempt.status.code).toBe(SpanStatusCode.UNSET);
    expect(otel.spans()).toHaveLength(2);
  });

  it('cut by the server mid-way: the spans end with APIConnectionError', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.destroy(), 50);
    });
    const feather = instrumented(server.url, 'sk_test_otel_0123');
    const read = async () => {
      for await (const _event of await watchThings(feather)) void _event;
    };
    await expect(read()).rejects.toBeInstanceOf(APIConnectionError);
    const attempt = only(otel.spans(), 'GET /things/events');
    expect(attempt.attributes).toMatchObject({
      'feather.stream.events': 1,
      'error.type': 'APIConnectionError',
    });
    expect(only(otel.spans(), 'watchThings').attributes['error.type']).toBe('APIConnectionError');
  });
});

describe('groups', () => {
  it('the pages of an iteration are children of one span', async () => {
    const mock = await startRoutesMock(routes, { pages: 3 });
    const feather = instrumented(mock.url, mock.apiKey);
    let items = 0;
    for await (const _thing of listThings(feather)) items++;
    expect(items).toBe(6);
    const spans = otel.spans();
    expect(tree(spans)).toEqual([
      'listThings pages INTERNAL',
      '  listThings INTERNAL',
      '    GET /things CLIENT',
      '  listThings INTERNAL',
      '    GET /things CLIENT',
      '  listThings INTERNAL',
      '    GET /things CLIENT',
    ]);
    expect(only(spans, 'listThings pages').attributes).toEqual({
      'feather.group.kind': 'pages',
      'feather.operation_id': 'listThings',
      'feather.group.calls': 3,
    });
  });

  it('a waiter’s polls are children of one span', async () => {
    let polls = 0;
    const mock = await startRoutesMock(routes, {
      handlers: {
        getThing: () => ({
          status: 200,
          body: { id: THING_ID, status: ++polls < 3 ? 'running' : 'done' },
        }),
      },
    });
    const feather = instrumented(mock.url, mock.apiKey);
    await waitForThing(feather, THING_ID, { pollIntervalMs: 1 });
    expect(tree(otel.spans())).toEqual([
      'getThing polls INTERNAL',
      '  getThing INTERNAL',
      '    GET /things/{thing_id} CLIENT',
      '  getThing INTERNAL',
      '    GET /things/{thing_id} CLIENT',
      '  getThing INTERNAL',
      '    GET /things/{thing_id} CLIENT',
    ]);
    expect(only(otel.spans(), 'getThing polls').attributes['feather.group.calls']).toBe(3);
  });
});

describe('groups, as hooks.ts opens them', () => {
  it('named after their first call’s operation; without a call, after their kind', async () => {
    const mock = await startRoutesMock(routes, {
      handlers: { getThing: () => ({ status: 200, body: { id: THING_ID, status: 'done' } }) },
    });
    const feather = instrumented(mock.url, mock.apiKey);
    const [scoped, end] = group(feather, { kind: 'polls', name: 'a mix' });
    await getThing(scoped, { params: { path: { thing_id: THING_ID } } });
    await listThings(scoped);
    end();
    const [, endEmpty] = group(feather, { kind: 'pages', name: 'nothing' });
    endEmpty();
    expect(tree(otel.spans())).toEqual([
      'getThing polls INTERNAL',
      '  getThing INTERNAL',
      '    GET /things/{thing_id} CLIENT',
      '  listThings INTERNAL',
      '    GET /things CLIENT',
      'feather pages INTERNAL',
    ]);
    expect(only(otel.spans(), 'getThing polls').attributes).toMatchObject({
      'feather.operation_id': 'getThing',
      'feather.group.calls': 2,
    });
    expect(only(otel.spans(), 'feather pages').attributes).toEqual({
      'feather.group.kind': 'pages',
      'feather.group.calls': 0,
    });
  });

  it('a call of no operation (feather.client, a path the spec lacks) names it by method and path', () => {
    const hook = otelHook({
      tracer: otel.tracerProvider.getTracer('test'),
      instruments: () => ({ duration: { record() {} }, retries: { add() {} } }) as never,
      server: () => ({}),
      mayPropagate: () => true,
    });
    const pages = hook.group!({ kind: 'pages', name: 'GET /elsewhere' })!;
    const call = pages.call!({
      name: 'GET /elsewhere',
      operationId: undefined,
      method: 'GET',
      path: '/elsewhere',
      params: {},
      baseUrl: 'http://127.0.0.1:9',
      deprecated: undefined,
      redact: (text) => text,
    });
    call!.end!({ attempts: 0 });
    pages.end!();
    expect(only(otel.spans(), 'GET /elsewhere pages').attributes).toEqual({
      'feather.group.kind': 'pages',
      'feather.group.calls': 1,
    });
  });

  it('a wait that fails ends its span with the error', async () => {
    const mock = await startRoutesMock(routes, {
      handlers: {
        getThing: () => ({ status: 404, body: { error: 'not_found', message: 'gone' } }),
      },
    });
    const feather = instrumented(mock.url, mock.apiKey);
    await expect(waitForThing(feather, THING_ID)).rejects.toThrow('404');
    const polls = only(otel.spans(), 'getThing polls');
    expect(polls.attributes['error.type']).toBe('NotFoundError');
    expect(polls.status).toEqual({ code: SpanStatusCode.ERROR });
  });
});

describe('metrics', () => {
  it('http.client.request.duration: one point per attempt, in seconds, the conventions’ attributes and buckets', async () => {
    let n = 0;
    const mock = await startSeedMock({
      handler: () => (n++ === 0 ? { status: 503, body: { message: 'busy' } } : undefined),
    });
    const feather = instrumented(mock.url, mock.apiKey);
    await dispatchSimulationRun(feather, ids);
    await otel.collect();
    const points = otel.points('http.client.request.duration');
    const common = {
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(mock.url).port),
      'url.template': '/v1/simulation/runs',
    };
    expect(histogramCounts(points)).toEqual({
      [JSON.stringify({
        ...common,
        'http.response.status_code': 503,
        'error.type': 'InternalServerError',
      })]: 1,
      [JSON.stringify({ ...common, 'http.response.status_code': 201 })]: 1,
    });
    const histogram = points[0].value as { buckets: { boundaries: number[] }; sum: number };
    expect(histogram.buckets.boundaries).toEqual(DURATION_BUCKETS);
    // Seconds: a loopback attempt takes well under one.
    expect(histogram.sum).toBeGreaterThan(0);
    expect(histogram.sum).toBeLessThan(5);
    const descriptors = (
      otel.collected as { descriptor: { name: string; unit: string; description: string } }[]
    ).map((m) => [m.descriptor.name, m.descriptor.unit, m.descriptor.description]);
    expect(descriptors).toEqual(
      expect.arrayContaining([
        ['http.client.request.duration', 's', 'Duration of HTTP client requests.'],
        [
          'feather.client.retries',
          '{retry}',
          'Retries of failed attempts, by reason: the status retried, or the error.',
        ],
      ]),
    );
  });
});

describe('trace context on the wire', () => {
  it('every attempt carries its own span as traceparent, through the global propagator', async () => {
    let n = 0;
    const mock = await startSeedMock({
      handler: () => (n++ === 0 ? { status: 503, body: { message: 'busy' } } : undefined),
    });
    const feather = instrumented(mock.url, mock.apiKey);
    await dispatchSimulationRun(feather, ids);
    const attempts = otel.spans().filter((s) => s.kind === SpanKind.CLIENT);
    const sent = mock.requests.map((r) => r.headers.traceparent);
    expect(sent).toEqual(
      attempts.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`),
    );
  });

  it('in a browser, none unless the user turns it on: the CORS preflight must still pass', async () => {
    const mock = await startSeedMock();
    const send = async (options: { propagateInBrowsers?: boolean }) => {
      const feather = createFeatherCore({
        apiKey: mock.apiKey,
        baseUrl: mock.url,
        dangerouslyAllowBrowser: true,
      });
      instrument(feather, { tracerProvider: otel.tracerProvider, ...options });
      await dispatchSimulationRun(feather, ids);
      return mock.requests.at(-1)!.headers.traceparent;
    };
    // The real page is Chromium's (test/runtimes/otel.test.ts); this pins the rule in both kinds of
    // browser global: a page's window, a worker's importScripts.
    for (const [name, value] of [
      ['window', { document: {} }],
      ['importScripts', () => {}],
    ] as const) {
      vi.stubGlobal(name, value);
      try {
        expect(await send({})).toBeUndefined();
        expect(await send({ propagateInBrowsers: true })).toMatch(
          /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
        );
      } finally {
        vi.unstubAllGlobals();
      }
    }
    // The spans are recorded all the same.
    expect(otel.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(4);
  });

  it('nothing of the client’s own headers changes, and a client without instrument sends none', async () => {
    const mock = await startSeedMock();
    const plain = createFeatherCore({ apiKey: mock.apiKey, baseUrl: mock.url });
    await dispatchSimulationRun(plain, ids);
    expect(mock.requests[0].headers.traceparent).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('nothing secret', () => {
  // '/', '+' and '=' are percent-encoded in a URL: the encoded form must not slip through either.
  const KEY = 'sk_test/otel+SECRET=0123456789';
  const forms = [KEY, encodeURIComponent(KEY), KEY.replace('+', ' '), 'SECRET'];
  const MARKERS = ['REQUEST_BODY_MARKER', 'RESPONSE_BODY_MARKER', 'EVENT_DATA_MARKER'];

  /** A server that echoes the key in every answer's headers and body, and in its events. */
  async function echoing() {
    const echo = {
      'x-echo': KEY,
      'set-cookie': `session=${KEY}`,
      'www-authenticate': `Key ${KEY}`,
    };
    let retried = false;
    return serve((req, res) => {
      const body = (status: number) => {
        res.writeHead(status, { 'content-type': 'application/json', ...echo });
        res.end(
          JSON.stringify({ message: `bad key ${KEY}`, echo: KEY, id: 'RESPONSE_BODY_MARKER' }),
        );
      };
      if (req.url === '/things/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...echo });
        return res.end(`id: ${KEY}\ndata: EVENT_DATA_MARKER ${KEY}\n\n`);
      }
      if (req.method === 'POST') return body(401);
      if (!retried) return ((retried = true), body(503));
      body(200);
    });
  }

  it('in no span name, attribute, event or status, nor any metric, whatever the server echoes', async () => {
    const server = await echoing();
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: server.url, retryBaseDelayMs: 1 });
    instrument(feather, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    // A body that echoes the key, refused with a 401 that echoes it again.
    await expect(createThingNoKey(feather, { name: `REQUEST_BODY_MARKER ${KEY}` })).rejects.toThrow(
      '401',
    );
    // The key as a path parameter (percent-encoded), retried after a 503.
    await getThing(feather, { params: { path: { thing_id: KEY } } });
    // The key in the query, and in the path as written, on paths the spec lacks.
    await feather.client.GET('/echo' as never, { params: { query: { token: KEY } } } as never);
    await feather.client.GET(`/echo/${encodeURIComponent(KEY)}` as never);
    for await (const _event of await watchThings(feather)) void _event;
    // A fetch that fails quoting the URL it was given: the key is in its query.
    const failing = createFeatherCore({
      apiKey: KEY,
      baseUrl: server.url,
      maxRetries: 0,
      fetch: async (url) => {
        throw new TypeError(`could not reach ${String(url)}`);
      },
    });
    instrument(failing, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    await expect(listThings(failing, { params: { query: { tag: [KEY] } } })).rejects.toBeInstanceOf(
      APIConnectionError,
    );
    await otel.collect();

    const spans = otel.spans();
    expect(spans.length).toBeGreaterThanOrEqual(12);
    const everything = JSON.stringify([exported(spans), otel.collected]);
    for (const form of [...forms, ...MARKERS]) expect(everything).not.toContain(form);
    // What was sent did hold the key: the test could have failed.
    const urls = spans.map((s) => s.attributes['url.full']).filter(Boolean);
    expect(urls).toEqual(
      expect.arrayContaining([
        `${server.url}/things/REDACTED`,
        `${server.url}/echo?token=REDACTED`,
        `${server.url}/echo/REDACTED`,
        `${server.url}/things?tag=REDACTED`,
      ]),
    );
    expect(spans.map((s) => s.name)).toContain('GET /echo/[redacted]');
  });
});
