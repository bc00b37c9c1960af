/**
 * The real OpenTelemetry SDK, in memory, for the tests of `@featherhq/sdk/otel`: a tracer provider
 * whose spans an InMemorySpanExporter keeps, a meter provider read on demand, and the spans as an
 * indented tree (the shape a trace viewer shows) to assert on.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** A reader that exports nothing by itself: the test collects when it wants to look. */
class OnDemandReader extends MetricReader {
  protected onForceFlush = () => Promise.resolve();
  protected onShutdown = () => Promise.resolve();
}

export interface Telemetry {
  exporter: InMemorySpanExporter;
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  /** The finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The data points of a metric, by its name; `[]` when it recorded nothing. */
  points(name: string): DataPoint<unknown>[];
  /** Collects the metrics now (call before `points`). */
  collect(): Promise<void>;
  /** The instrument descriptor and points of every metric collected: for the secrets scan. */
  collected: unknown[];
}

export function inMemoryTelemetry(): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry: Telemetry = {
    exporter,
    tracerProvider,
    meterProvider,
    spans: () => exporter.getFinishedSpans(),
    collected: [],
    async collect() {
      const { resourceMetrics } = await reader.collect();
      telemetry.collected = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    },
    points(name) {
      const metric = (telemetry.collected as { descriptor: { name: string } }[]).find(
        (m) => m.descriptor.name === name,
      ) as { dataPoints: DataPoint<unknown>[] } | undefined;
      return metric?.dataPoints ?? [];
    },
  };
  return telemetry;
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

/**
 * The spans as a trace viewer shows them: one line each, `name KIND`, indented two spaces per
 * level under its parent, children in start order. Spans whose parent is not among them are roots.
 */
export function tree(spans: readonly ReadableSpan[]): string[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const byStart = [...spans].sort(
    (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
  );
  const lines: string[] = [];
  const isChild = (span: ReadableSpan, parent: string | undefined) => {
    const p = span.parentSpanContext?.spanId;
    return parent === undefined ? !p || !ids.has(p) : p === parent;
  };
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of byStart) {
      if (!isChild(span, parent)) continue;
      lines.push(`${'  '.repeat(depth)}${span.name} ${KINDS[span.kind]}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/** The one span of that name; fails when there is none or more than one. */
export function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`${found.length} spans named ${name}: ${tree(spans)}`);
  return found[0];
}

/** The histogram points' counts by their attributes, as JSON lines: what the tests compare. */
export function histogramCounts(points: DataPoint<unknown>[]): Record<string, number> {
  return Object.fromEntries(
    points.map((p) => [JSON.stringify(p.attributes), (p.value as Histogram).count]),
  );
}

/** Everything an exporter would send of these spans: what must never hold a secret. */
export function exported(spans: readonly ReadableSpan[]): Attributes[] {
  return spans.map((s) => ({
    name: s.name,
    attributes: JSON.stringify(s.attributes),
    status: JSON.stringify(s.status),
    events: JSON.stringify(s.events),
    links: JSON.stringify(s.links),
  }));
}
