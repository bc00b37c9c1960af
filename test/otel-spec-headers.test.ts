/**
 * In a browser, `@featherhq/sdk/otel` sends trace context only where the spec declares the
 * header (or the user turns it on): a server that declares `traceparent` accepts it, so the CORS
 * preflight passes. The seed declares no header parameter, so a spec that does is generated into a
 * sandbox copy (the generator writes src/generated/headers.ts), and its operations are called from
 * a simulated browser page over loopback.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SPEC_PATH } from '../scripts/generate.js';
import { json, serve } from './support/loopback.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

const seed = JSON.parse(await readFile(SPEC_PATH, 'utf8'));
const getRun = (headers: { name: string; in: string }[]) => ({
  parameters: [
    { name: 'run_id', in: 'path', required: true, schema: { type: 'string' } },
    ...headers.map((h) => ({ ...h, required: false, schema: { type: 'string' } })),
  ],
  responses: {
    '200': {
      description: 'The run',
      content: { 'application/json': { schema: { type: 'object' } } },
    },
  },
});
const spec = {
  ...seed,
  paths: {
    ...seed.paths,
    // Declares W3C trace context (as its name is written by the spec, case and all).
    '/v1/traced/{run_id}': {
      get: {
        operationId: 'getTracedRun',
        ...getRun([
          { name: 'Traceparent', in: 'header' },
          { name: 'tracestate', in: 'header' },
        ]),
      },
    },
    // Declares another header only.
    '/v1/plain/{run_id}': {
      get: { operationId: 'getPlainRun', ...getRun([{ name: 'X-Request-Tag', in: 'header' }]) },
    },
  },
};

let box: Sandbox;
let sdk: any;
let otel: any;
let generated: string;
beforeAll(async () => {
  box = await createSandbox();
  const files = await box.regenerate(spec);
  generated = files.get('src/generated/headers.ts')!;
  sdk = await import(join(box.dir, 'src/index.ts'));
  otel = await import(join(box.dir, 'src/otel/index.ts'));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}, 120_000);
afterAll(async () => {
  propagation.disable();
  await box?.remove();
});

it('the generator lists each operation’s declared headers, lower case', () => {
  expect(generated).toContain(
    `headerParameters: Readonly<Record<string, readonly string[]>> = {\n  getTracedRun: ['traceparent', 'tracestate'],\n  getPlainRun: ['x-request-tag'],\n}`,
  );
});

it('in a browser page, trace context goes out to the operations that declare it, and no other', async () => {
  const server = await serve(json(200, {}));
  const tracerProvider = new BasicTracerProvider();
  vi.stubGlobal('window', { document: {} });
  try {
    const core = sdk.createFeatherCore({
      apiKey: 'sk_test_headers_0123',
      baseUrl: server.url,
      dangerouslyAllowBrowser: true,
    });
    otel.instrument(core, { tracerProvider });
    const params = { params: { path: { run_id: 'r1' } } };
    await sdk.getTracedRun(core, params);
    await sdk.getPlainRun(core, params);
    await sdk.dispatchSimulationRun(core, {
      agent_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c01',
      persona_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c02',
      scenario_id: '0b9c9c38-4a3e-4bb2-9d0a-3f1f3b0a1c03',
    });
  } finally {
    vi.unstubAllGlobals();
  }
  expect(server.seen.map((r) => [r.url, r.headers.traceparent !== undefined])).toEqual([
    ['/v1/traced/r1', true],
    ['/v1/plain/r1', false],
    ['/v1/simulation/runs', false],
  ]);
});
