/**
 * `@featherhq/sdk/otel`: OpenTelemetry traces and metrics for a Feather client.
 *
 *   import { instrument } from '@featherhq/sdk/otel';
 *   instrument(feather); // the global tracer and meter providers
 *
 * The only module of the package that imports `@opentelemetry/api` (an optional peer
 * dependency). It adds a hook to the client at run time, so an app that never imports it ships
 * none of it.
 */
import {
  metrics,
  trace,
  type Attributes,
  type Meter,
  type MeterProvider,
  type TracerProvider,
} from '@opentelemetry/api';
import manifest from '../../package.json' with { type: 'json' };
import { addHook, type FeatherCore } from '../core/core.js';
import { headerParameters } from '../generated/headers.js';
import { DURATION_BUCKETS, serverAttributes } from './attributes.js';
import { otelHook, type Telemetry } from './hook.js';

/** The instrumentation scope of every span and metric: the package, and its version. */
const SCOPE = '@featherhq/sdk';
const { version } = manifest;

/** The options of `instrument`. */
export interface InstrumentOptions {
  /**
   * Where spans go.
   * @default the global tracer provider (`trace.setGlobalTracerProvider`, or an SDK's `register()`)
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go. Its meter is taken at the client's first call, so a global provider
   * registered after `instrument` but before that call is used.
   * @default the global meter provider (`metrics.setGlobalMeterProvider`)
   */
  meterProvider?: MeterProvider;
  /**
   * Send W3C trace context (`traceparent`, `tracestate`) from a browser too. A header outside the
   * CORS safelist makes the browser's preflight ask the server for it, and a server whose
   * `Access-Control-Allow-Headers` lacks it fails every call; so in a browser it goes out only
   * with this option, or to the operations whose spec declares the header. Elsewhere it always
   * goes out.
   * @default false
   */
  propagateInBrowsers?: boolean;
}

/** The clients instrument() was given: each gets one hook, however often it is called. */
const instrumented = new WeakSet<FeatherCore>();

/** A browser page or worker: where a request from another origin is subject to CORS. */
function inBrowser(): boolean {
  const g = globalThis as { window?: { document?: unknown }; importScripts?: unknown };
  return g.window?.document !== undefined || typeof g.importScripts === 'function';
}

/**
 * Instruments a client of either style (`createFeatherClient` or `createFeatherCore`): every call
 * that starts afterwards gets an INTERNAL span named after its operationId, each attempt a CLIENT
 * span under it (the stable HTTP client semantic conventions), each attempt's duration goes to
 * `http.client.request.duration` and each retry to `feather.client.retries`. The API key is never
 * in a span, an event or a metric; bodies are never recorded. A second call on the same client
 * does nothing: its spans and metrics would be recorded twice.
 */
export function instrument(client: FeatherCore, options: InstrumentOptions = {}): void {
  if (instrumented.has(client)) return;
  instrumented.add(client);
  const { tracerProvider, meterProvider, propagateInBrowsers = false } = options;
  const browser = inBrowser() && !propagateInBrowsers;
  let made: ReturnType<Telemetry['instruments']> | undefined;
  let server: Attributes | undefined;
  const telemetry: Telemetry = {
    tracer: (tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE, version),
    instruments: () =>
      (made ??= instrumentsOf(
        (meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE, version),
      )),
    // A client has one base URL: every attempt goes to its host.
    server: ({ baseUrl, redact }) => (server ??= serverAttributes(baseUrl, redact)),
    mayPropagate: (operationId, header) =>
      !browser ||
      (!!operationId &&
        Object.hasOwn(headerParameters, operationId) &&
        headerParameters[operationId].includes(header)),
  };
  addHook(client, otelHook(telemetry));
}

function instrumentsOf(meter: Meter): ReturnType<Telemetry['instruments']> {
  return {
    duration: meter.createHistogram('http.client.request.duration', {
      description: 'Duration of HTTP client requests.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    retries: meter.createCounter('feather.client.retries', {
      description: 'Retries of failed attempts, by reason: the status retried, or the error.',
      unit: '{retry}',
    }),
  };
}

export type { FeatherCore };
