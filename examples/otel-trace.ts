/**
 * `npx tsx examples/otel-trace.ts`: prints the trace shown in the README's OpenTelemetry section, a
 * call retried after a 503 and a streamed turn, as OpenTelemetry's ConsoleSpanExporter prints them.
 * It talks to the built-in mock server. The part between the two rulers is all an app writes,
 * importing from `@featherhq/sdk` and `@featherhq/sdk/otel`.
 */
import { randomUUID } from 'node:crypto';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import * as sdk from '../src/index.js';
import { instrument } from '../src/otel/index.js';
import { startMockServer } from '../src/testing/index.js';

let first = true;
// The mock answers the first dispatch 503 (the SDK retries it) and streams its events 40 ms apart.
const mock = await startMockServer({
  eventDelayMs: 40,
  handler: ({ method }) =>
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
}
