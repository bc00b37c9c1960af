/**
 * `@featherhq/sdk/otel` with the real OpenTelemetry SDK, as an app sets it up: what
 * test/runtimes/otel.test.ts runs in Node, workerd and Chromium, on an SDK generated from Feather
 * 1.21.0 (streams, pages, a waiter) against its mock server. It reports the finished spans and
 * the collected metrics as JSON-safe values; the test asserts them. Plain ES2022 and web APIs.
 */
import * as sdk from '@featherhq/sdk';
import { instrument } from '@featherhq/sdk/otel';
import * as api from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A metric reader the scenario collects from when it is done. */
class OnDemandReader extends MetricReader {
  onForceFlush() {
    return Promise.resolve();
  }
  onShutdown() {
    return Promise.resolve();
  }
}

/**
 * The smallest context manager: the active context for the duration of a synchronous callback
 * (what a browser's StackContextManager does). The SDK needs no more: a call reads the active
 * context once, synchronously, when it starts.
 */
function stackContextManager() {
  let active = api.ROOT_CONTEXT;
  return {
    active: () => active,
    with(context, fn, thisArg, ...args) {
      const previous = active;
      active = context;
      try {
        return fn.call(thisArg, ...args);
      } finally {
        active = previous;
      }
    },
    bind: (_context, target) => target,
    enable() {
      return this;
    },
    disable() {
      return this;
    },
  };
}

const plainSpan = (span) => ({
  name: span.name,
  kind: span.kind,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentId: span.parentSpanContext?.spanId,
  attributes: span.attributes,
  events: span.events.map((event) => ({ name: event.name, attributes: event.attributes ?? {} })),
  status: span.status,
});

const plainMetric = (metric) => ({
  name: metric.descriptor.name,
  unit: metric.descriptor.unit,
  points: metric.dataPoints.map((point) => ({
    attributes: point.attributes,
    value: typeof point.value === 'number' ? point.value : point.value.count,
    boundaries: point.value.buckets?.boundaries,
  })),
});

/** What a call ended with: `ok`, or the name of the error it threw. */
async function outcome(call) {
  try {
    await call();
    return 'ok';
  } catch (error) {
    return error?.name ?? String(error);
  }
}

/** The OpenTelemetry SDK in memory, the W3C propagator and a context manager registered. */
function setUp() {
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.context.setGlobalContextManager(stackContextManager());
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return { exporter, reader, tracerProvider, meterProvider };
}

/**
 * One instrumented dispatch from a browser page, no retry: `ok`, or the error it threw.
 * @param {{ baseUrl: string, ids: Record<string, string>, propagateInBrowsers: boolean }} config
 */
export async function dispatchOnce({ baseUrl, ids, propagateInBrowsers }) {
  const { tracerProvider } = setUp();
  const core = sdk.createFeatherCore({
    apiKey: 'sk_test_cors_0123456789',
    baseUrl,
    maxRetries: 0,
    dangerouslyAllowBrowser: true,
  });
  instrument(core, { tracerProvider, propagateInBrowsers });
  const run = { agent_id: ids.agent_id, persona_id: ids.persona_id, scenario_id: ids.scenario_id };
  return outcome(() => sdk.dispatchSimulationRun(core, run));
}

/**
 * @param {{ baseUrl: string, apiKey: string, ids: Record<string, string>, browser?: boolean,
 *   propagateInBrowsers?: boolean }} config `ids.slow` answers after 400 ms; `ids.retried`
 *   (an agent_id) is answered 503 once.
 */
export async function scenario({ baseUrl, apiKey, ids, browser = false, propagateInBrowsers }) {
  const { exporter, reader, tracerProvider, meterProvider } = setUp();
  const options = { apiKey, baseUrl, retryBaseDelayMs: 1, dangerouslyAllowBrowser: browser };
  const feather = sdk.createFeatherClient(options);
  instrument(feather, { tracerProvider, meterProvider, propagateInBrowsers });
  const core = sdk.createFeatherCore(options);
  instrument(core, { tracerProvider, meterProvider, propagateInBrowsers });
  const tracer = tracerProvider.getTracer('app');
  const run = { agent_id: ids.agent_id, persona_id: ids.persona_id, scenario_id: ids.scenario_id };
  const slow = { params: { path: { sim_run_id: ids.slow } } };
  const turn = { messages: [{ role: 'user', content: 'Where is my order?' }] };
  const outcomes = {};

  // A call under the app's own span, retried after a 503.
  outcomes.retried = await outcome(() =>
    tracer.startActiveSpan('handle request', async (span) => {
      await feather.dispatchSimulationRun({ ...run, agent_id: ids.retried });
      span.end();
    }),
  );
  outcomes.timeout = await outcome(() =>
    sdk.getSimulationRun(core, slow, { timeoutMs: 100, maxRetries: 1 }),
  );
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  outcomes.abort = await outcome(() =>
    sdk.getSimulationRun(core, slow, { signal: controller.signal }),
  );
  let events = 0;
  outcomes.stream = await outcome(async () => {
    for await (const _event of await feather.streamModel(turn)) events++;
  });
  outcomes.streamBreak = await outcome(async () => {
    for await (const _event of await sdk.streamModel(core, turn)) break;
  });
  let agents = 0;
  outcomes.pages = await outcome(async () => {
    for await (const _agent of feather.listAgents()) agents++;
  });
  outcomes.wait = await outcome(() =>
    feather.dispatchSimulationRunAndWait(run, { pollIntervalMs: 10 }),
  );
  outcomes.raw = await outcome(async () => {
    const { response } = await feather.client.GET('/v1/not-in-the-spec');
    if (response.status !== 404) throw new Error(`status ${response.status}`);
  });

  const { resourceMetrics } = await reader.collect();
  return {
    outcomes,
    events,
    agents,
    spans: exporter.getFinishedSpans().map(plainSpan),
    metrics: resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).map(plainMetric),
  };
}
