/**
 * Trace context from a browser where the spec declares the header, in the unit tier: the seed's
 * spec declares no header parameter, so the generated table is replaced here by one that declares
 * `traceparent` for `dispatchSimulationRun`. (test/otel-spec-headers.test.ts generates a real one.)
 */
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createFeatherClient } from '@featherhq/sdk';
import { instrument } from '@featherhq/sdk/otel';
import { startSeedMock } from '../support/mock-servers.js';

vi.mock('../../src/generated/headers.js', () => ({
  headerParameters: { dispatchSimulationRun: ['traceparent'] },
}));

beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

it('in a browser, traceparent goes to an operation that declares it, not to one that does not', async () => {
  const mock = await startSeedMock({
    handler: ({ path }) => (path === '/v1/other' ? { status: 200, body: {} } : undefined),
  });
  vi.stubGlobal('window', { document: {} });
  try {
    const feather = createFeatherClient({
      apiKey: mock.apiKey,
      baseUrl: mock.url,
      dangerouslyAllowBrowser: true,
    });
    instrument(feather, { tracerProvider: new BasicTracerProvider() });
    await feather.dispatchSimulationRun({
      agent_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c01',
      persona_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c02',
      scenario_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c03',
    });
    // A path the spec lacks has no operationId, so no declared header.
    await feather.client.GET('/v1/other' as never);
  } finally {
    vi.unstubAllGlobals();
  }
  expect(mock.requests.map((r) => [r.path, typeof r.headers.traceparent])).toEqual([
    ['/v1/simulation/runs', 'string'],
    ['/v1/other', 'undefined'],
  ]);
});
