/**
 * `npx tsx examples/otel-trace.ts`: prints the trace shown in the README's OpenTelemetry section, a
 * call retried after a 503 and a streamed turn, as OpenTelemetry's ConsoleSpanExporter prints them.
 *
 * The vendored openapi.json is still the seed (one operation, no event stream), so the script
 * first generates the SDK of the real Feather 1.21.0 spec (test/fixtures/) into a temp copy, as the
 * tests do, and talks to that copy's mock server. With the full spec vendored, the part between
 * the two rulers is all an app writes, importing from `@featherhq/sdk` and `@featherhq/sdk/otel`.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ROOT } from '../scripts/lib/spec.js';
import { createSandbox } from '../test/support/sandbox.js';

const box = await createSandbox();
await box.regenerate(await readFile(join(ROOT, 'test/fixtures/feather-1.21.0.json'), 'utf8'));
const sdk = await import(join(box.dir, 'src/index.ts'));
const { instrument } = await import(join(box.dir, 'src/otel/index.ts'));
const { startMockServer } = await import(join(box.dir, 'src/testing/index.ts'));
let first = true;
// The mock answers the first dispatch 503 (the SDK retries it) and streams its events 40 ms apart.
const mock = await startMockServer({
  eventDelayMs: 40,
  handler: ({ method }: { method: string }) =>
    method === 'POST' && first && !(first = false)
      ? { status: 503, body: { error: 'unavailable', message: 'try again' } }
      : undefined,
});

try {
  // ------------------------------------------------------------------------------------------
  const tracerProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-app' }),
    spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
  });
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());

  const feather = sdk.createFeatherClient({ apiKey: mock.apiKey, baseUrl: mock.url });
  instrument(feather, { tracerProvider });

  await feather.dispatchSimulationRun({
    agent_id: randomUUID(),
    persona_id: randomUUID(),
    scenario_id: randomUUID(),
  });
  const stream = await feather.streamModel({
    messages: [{ role: 'user', content: 'Where is my order?' }],
  });
  for await (const event of stream) void event;
  // ------------------------------------------------------------------------------------------
} finally {
  await mock.close();
  await box.remove();
}
