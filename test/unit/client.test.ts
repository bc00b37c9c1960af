/**
 * createFeatherClient binds each operation as a method on its first use (bindOnUse in
 * src/index.ts), so that a client of a spec with hundreds of operations costs nothing for those
 * it never calls, while a method still behaves as a bound function of that client.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { clientMethods, createFeatherClient } from '@featherhq/sdk';
import { sequence, serve, status } from '../support/loopback.js';

const KEY = 'sk_test_client_0123456789';
const RUN = { id: 'r1', status: 'pending' };
const body = () => ({
  agent_id: randomUUID(),
  persona_id: randomUUID(),
  scenario_id: randomUUID(),
});

describe('methods bound on first use', () => {
  it('a method is an own property once used, the same function each time', () => {
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    expect(Object.keys(feather)).not.toContain('dispatchSimulationRun');
    expect('dispatchSimulationRun' in feather).toBe(true);
    const method = feather.dispatchSimulationRun;
    expect(typeof method).toBe('function');
    expect(Object.keys(feather)).toContain('dispatchSimulationRun');
    expect(feather.dispatchSimulationRun).toBe(method);
    // Another client binds its own.
    const other = createFeatherClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    expect(other.dispatchSimulationRun).not.toBe(method);
  });

  it('a bound method can be replaced, as a test double does', () => {
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    const spy = vi.spyOn(feather, 'dispatchSimulationRun').mockResolvedValue(RUN as never);
    void feather.dispatchSimulationRun(body());
    expect(spy).toHaveBeenCalledOnce();
    const other = createFeatherClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    void other.dispatchSimulationRun; // bound: an own property now
    const fake = vi.fn();
    (other as { dispatchSimulationRun: unknown }).dispatchSimulationRun = fake;
    expect(other.dispatchSimulationRun).toBe(fake);
  });

  it('a method taken off its client still calls with that client', async () => {
    const server = await serve(sequence(status(201, {}, RUN)));
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: server.url });
    const { dispatchSimulationRun } = feather;
    await expect(dispatchSimulationRun(body())).resolves.toEqual(RUN);
    expect(server.seen[0].headers['x-api-key']).toBe(KEY);
  });

  it('every operation and helper is there; other names are not, and objects still print', () => {
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    const anyClient = feather as unknown as Record<string, unknown>;
    for (const name of Object.keys(clientMethods)) expect(typeof anyClient[name]).toBe('function');
    expect(anyClient.notAnOperation).toBeUndefined();
    expect('notAnOperation' in feather).toBe(false);
    expect(String(feather)).toBe('[object Object]');
  });
});
