/** dispatchSimulationRun against the mock Feather server over real HTTP on loopback. */
import { randomUUID } from 'node:crypto';
import {
  createFeatherClient,
  servers,
  createFeatherCore,
  dispatchSimulationRun,
  InvalidResponseError,
  responseChecks,
  type SimulationRunDispatch,
} from '@featherhq/sdk';
import { describe, expect, it } from 'vitest';
import { startSeedMock, useSeedMock } from '../support/mock-servers.js';

const server = useSeedMock();

const body = (): SimulationRunDispatch => ({
  agent_id: randomUUID(),
  persona_id: randomUUID(),
  scenario_id: randomUUID(),
});

describe('feather.dispatchSimulationRun', () => {
  it('sends exactly one JSON POST with the key and returns the typed 201 body', async () => {
    const feather = createFeatherClient({ apiKey: server().apiKey, baseUrl: server().url });
    const input = {
      ...body(),
      channel: 'text' as const,
      tool_overrides: {
        lookup_order: { output: null, delay_ms: 10 },
        refund: { error: 'declined' },
      },
    };
    const run = await feather.dispatchSimulationRun(input);

    expect(server().requests).toHaveLength(1);
    const [request] = server().requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/simulation/runs');
    expect(request.headers['x-api-key']).toBe(server().apiKey);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.rawBody)).toEqual(input);

    expect(run).toEqual(server().runs.at(-1));
    expect(run).toMatchObject({
      agent_id: input.agent_id,
      persona_id: input.persona_id,
      scenario_id: input.scenario_id,
      channel: 'text',
      status: 'pending',
      tool_overrides: input.tool_overrides,
      inputs_snapshot: input,
      started_at: null,
      finished_at: null,
      error_text: null,
    });
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(run.created_at).toISOString()).toBe(run.created_at);
  });

  it('lets the server default the channel to voice when omitted', async () => {
    const feather = createFeatherClient({ apiKey: server().apiKey, baseUrl: server().url });
    const input = body();
    const run = await feather.dispatchSimulationRun(input);
    expect(JSON.parse(server().requests[0].rawBody)).toEqual(input);
    expect(run.channel).toBe('voice');
    expect(run.tool_overrides).toBeNull();
  });

  it('merges client and per-request headers without dropping the key', async () => {
    const feather = createFeatherClient({
      apiKey: server().apiKey,
      baseUrl: `${server().url}/`,
      headers: { 'x-trace': 'client' },
    });
    await feather.dispatchSimulationRun(body(), {
      headers: { 'x-trace': 'request', 'x-extra': '1' },
    });
    const { headers } = server().requests[0];
    expect(headers['x-trace']).toBe('request');
    expect(headers['x-extra']).toBe('1');
    expect(headers['x-api-key']).toBe(server().apiKey);
  });

  it('uses a custom fetch when given one', async () => {
    const seen: string[] = [];
    const feather = createFeatherClient({
      apiKey: server().apiKey,
      baseUrl: server().url,
      fetch: (input, init) => {
        seen.push(`${init?.method} ${String(input)}`);
        return fetch(input, init);
      },
    });
    await feather.dispatchSimulationRun(body());
    expect(seen).toEqual([`POST ${server().url}/v1/simulation/runs`]);
  });

  it('works as a standalone function on a core client', async () => {
    const core = createFeatherCore({ apiKey: server().apiKey, baseUrl: server().url });
    const run = await dispatchSimulationRun(core, body());
    expect(run.status).toBe('pending');
    expect(server().requests).toHaveLength(1);
  });

  it('accepts the full client in the standalone function too', async () => {
    const feather = createFeatherClient({ apiKey: server().apiKey, baseUrl: server().url });
    await expect(dispatchSimulationRun(feather, body())).resolves.toHaveProperty(
      'status',
      'pending',
    );
  });

  it('rejects an object that is not a Feather client', async () => {
    await expect(dispatchSimulationRun({ baseUrl: server().url }, body())).rejects.toThrow(
      /Not a Feather client/,
    );
    expect(server().requests).toHaveLength(0);
  });
});

describe('configuration', () => {
  it('reads FEATHER_API_KEY and FEATHER_BASE_URL from the environment', async () => {
    const saved = { ...process.env };
    process.env.FEATHER_API_KEY = server().apiKey;
    process.env.FEATHER_BASE_URL = server().url;
    try {
      const feather = createFeatherClient();
      expect(feather.baseUrl).toBe(server().url);
      await feather.dispatchSimulationRun(body());
      expect(server().requests[0].headers['x-api-key']).toBe(server().apiKey);
    } finally {
      process.env = saved;
    }
  });

  it("defaults to the spec's first server; without any, a baseUrl is needed", () => {
    const saved = process.env.FEATHER_BASE_URL;
    delete process.env.FEATHER_BASE_URL;
    try {
      // Read from the generated servers, so the test holds for any spec (environments by name:
      // test/unit/options.test.ts).
      const [first] = Object.values<string>(servers);
      if (first) expect(createFeatherClient({ apiKey: 'k' }).baseUrl).toBe(first);
      else expect(() => createFeatherClient({ apiKey: 'k' })).toThrow(/FEATHER_BASE_URL/);
    } finally {
      if (saved !== undefined) process.env.FEATHER_BASE_URL = saved;
    }
  });

  it('an explicit baseUrl wins over the environment and environment variable', () => {
    const feather = createFeatherClient({
      apiKey: 'k',
      baseUrl: 'https://proxy.example.test/feather/',
      environment: Object.keys(servers).at(-1) as never,
    });
    expect(feather.baseUrl).toBe('https://proxy.example.test/feather');
  });
});

describe('feather.client (openapi-fetch)', () => {
  it('returns { data } for a 201 and { error } for a 422, with the key sent', async () => {
    const feather = createFeatherClient({ apiKey: server().apiKey, baseUrl: server().url });
    const ok = await feather.client.POST('/v1/simulation/runs', { body: body() });
    expect(ok.response.status).toBe(201);
    expect(ok.data?.status).toBe('pending');
    expect(ok.error).toBeUndefined();

    const bad = await feather.client.POST('/v1/simulation/runs', {
      body: { ...body(), agent_id: 'nope' },
    });
    expect(bad.response.status).toBe(422);
    expect(bad.data).toBeUndefined();
    expect(bad.error).toEqual({
      detail: [
        expect.objectContaining({ loc: ['body', 'agent_id'], type: 'uuid_parsing', input: 'nope' }),
      ],
    });
    expect(server().requests.map((r) => r.headers['x-api-key'])).toEqual([
      server().apiKey,
      server().apiKey,
    ]);
  });

  it('is created once, on first use', () => {
    const feather = createFeatherClient({ apiKey: server().apiKey, baseUrl: server().url });
    expect(feather.client).toBe(feather.client);
  });
});

describe('validateResponses on a core client', () => {
  it('needs the response validators, and then checks 2xx bodies with them', async () => {
    const liar = await startSeedMock({
      handler: () => ({ status: 201, body: { id: 'not-a-uuid', status: 'pending' } }),
    });
    const options = { apiKey: liar.apiKey, baseUrl: liar.url, validateResponses: true };
    await expect(dispatchSimulationRun(createFeatherCore(options), body())).rejects.toThrow(
      /validateResponses on createFeatherCore needs `responseChecks`/,
    );
    const error = await dispatchSimulationRun(
      createFeatherCore({ ...options, responseChecks }),
      body(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['id', 'session_id', 'channel']),
    );
    // Off by default: the same answer is returned as it came.
    const lax = createFeatherCore({ apiKey: liar.apiKey, baseUrl: liar.url });
    await expect(dispatchSimulationRun(lax, body())).resolves.toEqual({
      id: 'not-a-uuid',
      status: 'pending',
    });
  });
});
