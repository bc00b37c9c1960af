/**
 * What `@featherhq/sdk/otel` costs a call. Measured like bench/cpu.ts: the one-call dispatch on an
 * in-memory fetch, tinybench rounds in rotated order, ratios to raw fetch within each round. The
 * variants: no instrumentation; a hook that observes every call and attempt and does nothing (the
 * transport's share of any tracer's cost); `instrument` with OpenTelemetry's API alone (no SDK registered:
 * what a library user who never set up tracing pays); and `instrument` with the real SDK
 * (sdk-trace-base, every span sampled and handed to a processor that keeps nothing; sdk-metrics
 * aggregating the histogram and counter), trace context injected by the W3C propagator.
 *
 * `npx tsx bench/otel.ts` runs it alone and writes bench/otel-results.json; `npm run bench` runs it
 * with the rest.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  NoopSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createFeatherCore, dispatchSimulationRun } from '../src/index.js';
import { instrument } from '../src/otel/index.js';
import { benchRounds, inMemoryFetch, type CpuResult } from './cpu.js';
import { API_KEY, BODY } from './fixtures.js';
import { BENCH } from './paths.js';

export const OTEL_VARIANTS = [
  'raw fetch',
  'feather core, not instrumented',
  'feather core, a hook that observes and does nothing',
  'feather core, instrumented, API only (no SDK)',
  'feather core, instrumented, real SDK',
] as const;
export type OtelVariant = (typeof OTEL_VARIANTS)[number];

const BASE_URL = 'https://api-sandbox.featherhq.com';

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

function expectRun(value: unknown): void {
  if (typeof (value as { id?: unknown })?.id !== 'string') throw new Error('not a run');
}

function variants(): { calls: Record<OtelVariant, () => Promise<void>>; spans: () => number } {
  const options = { apiKey: API_KEY, baseUrl: BASE_URL, fetch: inMemoryFetch };
  const bare = createFeatherCore(options);
  // What any hook costs in the transport (the infos, the observers): the floor for a tracer.
  const observed = createFeatherCore({
    ...options,
    hooks: [{ call: () => ({ attempt: () => ({ end() {} }), end() {} }) }],
  });
  const apiOnly = createFeatherCore(options);
  instrument(apiOnly);
  const processor = new Dropping();
  const withSdk = createFeatherCore(options);
  instrument(withSdk, {
    tracerProvider: new BasicTracerProvider({ spanProcessors: [processor] }),
    meterProvider: new MeterProvider({ readers: [new Idle()] }),
  });
  const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
  return {
    calls: {
      'raw fetch': async () => {
        const res = await inMemoryFetch(`${BASE_URL}/v1/simulation/runs`, {
          method: 'POST',
          headers,
          body: JSON.stringify(BODY),
        });
        expectRun(await res.json());
      },
      'feather core, not instrumented': async () =>
        expectRun(await dispatchSimulationRun(bare, BODY)),
      'feather core, a hook that observes and does nothing': async () =>
        expectRun(await dispatchSimulationRun(observed, BODY)),
      'feather core, instrumented, API only (no SDK)': async () =>
        expectRun(await dispatchSimulationRun(apiOnly, BODY)),
      'feather core, instrumented, real SDK': async () =>
        expectRun(await dispatchSimulationRun(withSdk, BODY)),
    },
    spans: () => processor.ended,
  };
}

/** CPU per call of each variant; ratios to raw fetch within each round. */
export async function benchOtel(options?: {
  rounds?: number;
  time?: number;
}): Promise<Record<OtelVariant, CpuResult>> {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  try {
    const { calls, spans } = variants();
    const result = await benchRounds(OTEL_VARIANTS, calls, options);
    // Two spans per call (the call's and its attempt's) reached the processor: the SDK did work.
    if (spans() < 2) throw new Error('the real SDK recorded no span');
    return result;
  } finally {
    propagation.disable();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const result = await benchOtel(quick ? { rounds: 2, time: 200 } : {});
  const base = result['feather core, not instrumented'].us.median;
  for (const name of OTEL_VARIANTS) {
    const { us, ratio } = result[name];
    const extra = name === OTEL_VARIANTS[0] ? '' : `, +${(us.median - base).toFixed(1)} µs`;
    console.log(
      `${name}: ${us.median.toFixed(1)} µs (${ratio.median.toFixed(2)}x raw fetch${extra})`,
    );
  }
  await writeFile(join(BENCH, 'otel-results.json'), `${JSON.stringify(result, null, 2)}\n`);
}
