/**
 * The helpers that depend on what a spec declares, generated from specs that declare them:
 * the waiters of sdk.config.json (skipped where the spec lacks their operations, refused where it
 * contradicts them), and idempotency keys (Feather 1.90.0 adds `idempotency_key` to the dispatch
 * body), proven with the fault tests' method: count what reaches a loopback server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSdkConfig } from '../scripts/generate.js';
import { readModel } from '../scripts/gen/model.js';
import { waitersSource } from '../scripts/gen/waiters.js';
import type { Spec } from '../scripts/lib/spec.js';
import { sequence, serve, status } from './support/loopback.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { seedSpec, vendoredSpec } from './support/specs.js';

const seed: Spec = seedSpec();
const real: Spec = vendoredSpec();
const config = readSdkConfig();
const waiters = (spec: Spec, sdkConfig: Spec = config) =>
  waitersSource(spec, readModel(spec), sdkConfig);
const withWaiter = (change: Record<string, unknown>) => ({
  waiters: [{ ...config.waiters[0], ...change }],
});

describe('waiters from sdk.config.json', () => {
  it('are generated where the spec has both operations, and skipped where it does not', () => {
    expect(waiters(seed)).toEqual([]);
    const [waiter] = waiters(real);
    expect(waiter.names).toEqual(['waitForSimulationRun', 'dispatchSimulationRunAndWait']);
    expect(waiter.source).toContain('["completed","failed","cancelled","budget_exceeded"]');
  });

  it.each([
    [{ finalStatuses: ['completed', 'done'] }, /done not among getSimulationRun's status values/],
    [{ idField: 'run_id' }, /dispatchSimulationRun's answer has no field run_id/],
    [{ statusField: 'state' }, /getSimulationRun's answer has no field state/],
    [
      { idParam: 'run_id' },
      /getSimulationRun must take exactly one required parameter, path run_id/,
    ],
    [{ finalStatuses: [] }, /needs name, create, get/],
    [{ statusEnum: 'RunState' }, /statusEnum RunState is not an enum schema of the spec/],
  ])('fail clearly when the file contradicts the spec: %j', (change, message) => {
    expect(() => waiters(real, withWaiter(change))).toThrow(message);
  });
  it('fail clearly when a helper would take the name of an operation', () => {
    const spec = structuredClone(real);
    const getOp = {
      operationId: 'waitForSimulationRun',
      responses: { '204': { description: 'ok' } },
    };
    spec.paths['/v1/wait'] = { get: getOp };
    expect(() => waiters(spec)).toThrow(
      /its helper waitForSimulationRun is the name of operation waitForSimulationRun/,
    );
  });
});

describe('idempotency keys declared by the spec', () => {
  let box: Sandbox;
  let sdk: any; // the SDK generated from the seed plus idempotency_key
  beforeAll(async () => {
    const spec = structuredClone(seed);
    spec.components.schemas.SimulationRunDispatch.properties.idempotency_key = {
      anyOf: [{ type: 'string', minLength: 1, maxLength: 128 }, { type: 'null' }],
    };
    box = await createSandbox();
    const files = await box.regenerate(spec);
    expect(files.get('src/generated/operations.ts')).toContain(
      'idempotencyKey: /* @__PURE__ */ idempotencyKey("body", "idempotency_key")'.replace(
        /"/g,
        "'",
      ),
    );
    sdk = await import(join(box.dir, 'src/index.ts'));
  }, 60_000);
  afterAll(() => box?.remove());

  const ids = '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d';
  const body = { agent_id: ids, persona_id: ids, scenario_id: ids };
  const RUN = { id: 'r1', status: 'pending' };
  const core = (url: string) =>
    sdk.createFeatherCore({ apiKey: 'sk_test_idem', baseUrl: url, retryBaseDelayMs: 1 });
  const keys = (seen: { body: string }[]) => seen.map((s) => JSON.parse(s.body).idempotency_key);

  it('a 500 then a 201: two requests carrying the same key, and one result', async () => {
    const server = await serve(sequence(status(500), status(201, {}, RUN)));
    await expect(sdk.dispatchSimulationRun(core(server.url), body)).resolves.toEqual(RUN);
    const [first, second] = keys(server.seen);
    expect(server.requests).toBe(2);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
  });

  it('two separate calls carry different keys; a key the caller passes is used as given', async () => {
    const server = await serve(sequence(status(201, {}, RUN)));
    const feather = core(server.url);
    await sdk.dispatchSimulationRun(feather, body);
    await sdk.dispatchSimulationRun(feather, body);
    await sdk.dispatchSimulationRun(feather, { ...body, idempotency_key: 'mine' });
    const [a, b, c] = keys(server.seen);
    expect(a).not.toBe(b);
    expect(c).toBe('mine');
  });

  it('feather.client fills and keeps the key the same way', async () => {
    const server = await serve(sequence(status(502), status(201, {}, RUN)));
    const feather = sdk.createFeatherClient({
      apiKey: 'sk_test_idem',
      baseUrl: server.url,
      retryBaseDelayMs: 1,
    });
    const { data } = await feather.client.POST('/v1/simulation/runs', { body });
    expect(data).toEqual(RUN);
    const [first, second] = keys(server.seen);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
  });
});
