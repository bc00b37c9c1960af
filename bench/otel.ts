/**
 * What `@featherhq/sdk/otel` costs a call. Measured like bench/cpu.ts, in the bench's child
 * process on the installed package (bench/child.ts): the one-call dispatch on an in-memory fetch,
 * tinybench rounds in rotated order, ratios to raw fetch within each round. The variants: no
 * instrumentation; a hook that observes every call and attempt and does nothing (the transport's
 * share of any tracer's cost); `instrument` with OpenTelemetry's API alone (no SDK registered: what
 * a library user who never set up tracing pays); and `instrument` with the real SDK (sdk-trace-base,
 * every span sampled and handed to a processor that keeps nothing; sdk-metrics aggregating the
 * histogram and counter), trace context injected by the W3C propagator.
 */
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  NoopSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type * as Sdk from '../src/index.js';
import type * as Otel from '../src/otel/index.js';
import { BASE_URL, inMemoryFetch } from './cpu.js';
import { API_KEY, BODY, expectRun, rawDispatch } from './fixtures.js';

export const OTEL_VARIANTS = [
  'raw fetch',
  'feather core, not instrumented',
  'feather core, a hook that observes and does nothing',
  'feather core, instrumented, API only (no SDK)',
  'feather core, instrumented, real SDK',
] as const;
export type OtelVariant = (typeof OTEL_VARIANTS)[number];

/** Ends every span as an exporter's processor would, then drops it: the SDK's work, no export. */
class Dropping extends NoopSpanProcessor implements SpanProcessor {
  ended = 0;
  override onEnd(_span: ReadableSpan): void {
    this.ended++;
  }
}

/** A reader nobody collects from: the SDK aggregates every measurement, as it would for export. */
class Idle extends MetricReader {
  protected onForceFlush = () => Promise.resolve();
  protected onShutdown = () => Promise.resolve();
}

/**
 * `sdk` and `otel`: the installed package's entries. Registers the W3C propagator globally (the
 * child process measures nothing else). `spans()` counts what reached the real SDK's processor.
 */
export function otelVariants(
  sdk: typeof Sdk,
  otel: typeof Otel,
): { calls: Record<OtelVariant, () => Promise<unknown>>; spans: () => number } {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const options = { apiKey: API_KEY, baseUrl: BASE_URL, fetch: inMemoryFetch };
  const bare = sdk.createFeatherCore(options);
  // What any hook costs in the transport (the infos, the observers): the floor for a tracer.
  const observed = sdk.createFeatherCore({
    ...options,
    hooks: [{ call: () => ({ attempt: () => ({ end() {} }), end() {} }) }],
  });
  const apiOnly = sdk.createFeatherCore(options);
  otel.instrument(apiOnly);
  const processor = new Dropping();
  const withSdk = sdk.createFeatherCore(options);
  otel.instrument(withSdk, {
    tracerProvider: new BasicTracerProvider({ spanProcessors: [processor] }),
    meterProvider: new MeterProvider({ readers: [new Idle()] }),
  });
  const dispatch = (core: Sdk.FeatherCore) => async () =>
    expectRun(await sdk.dispatchSimulationRun(core, BODY));
  return {
    calls: {
      'raw fetch': rawDispatch(inMemoryFetch, BASE_URL),
      'feather core, not instrumented': dispatch(bare),
      'feather core, a hook that observes and does nothing': dispatch(observed),
      'feather core, instrumented, API only (no SDK)': dispatch(apiOnly),
      'feather core, instrumented, real SDK': dispatch(withSdk),
    },
    spans: () => processor.ended,
  };
}
