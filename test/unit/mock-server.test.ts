/**
 * `@featherhq/sdk/testing`: the mock server of the vendored spec answers like the Feather API
 * (FastAPI + Pydantic), so the tests of users and of this SDK can trust it. Spoken to with plain
 * fetch over loopback, and through the SDK.
 */
import { randomUUID } from 'node:crypto';
import {
  APIError,
  createFeatherClient,
  createFeatherCore,
  dispatchSimulationRun,
  responseChecks,
} from '@featherhq/sdk';
import {
  startMockServer,
  type MockReply,
  type MockRequest,
  type MockServer,
} from '@featherhq/sdk/testing';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../support/loopback.js';
import { startSeedMock as start } from '../support/mock-servers.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ids = () => ({ agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() });

async function post(server: MockServer, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/v1/simulation/runs?x=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

describe('the mock server', () => {
  it('creates a run from a valid body, and records the request and the run', async () => {
    const organizationId = randomUUID();
    const server = await start({ apiKey: 'sk_test_fixed', organizationId });
    expect(server.apiKey).toBe('sk_test_fixed');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.requests).toEqual([]);
    expect(server.runs).toEqual([]);
    const body = ids();
    const answer = await post(server, JSON.stringify(body));
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('x-request-id')).toMatch(UUID_RE);
    const run = answer.json();
    expect(run).toEqual({
      id: expect.stringMatching(UUID_RE),
      session_id: expect.stringMatching(UUID_RE),
      organization_id: organizationId,
      ...body,
      agent_revision_id: null,
      channel: 'voice',
      tool_overrides: null,
      status: 'pending',
      started_at: null,
      finished_at: null,
      error_text: null,
      inputs_snapshot: body,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      recording_id: null,
      recording_status: null,
    });
    expect(run.id).not.toBe(run.session_id);
    expect(server.runs).toEqual([run]);
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/simulation/runs',
        url: '/v1/simulation/runs?x=1',
        headers: expect.objectContaining({ 'x-api-key': 'sk_test_fixed' }),
        rawBody: JSON.stringify(body),
        body,
        operationId: 'dispatchSimulationRun',
        params: {},
      },
    ]);
  });

  it('keeps what the body sets', async () => {
    const server = await start();
    expect(server.apiKey).toMatch(/^sk_test_[0-9a-f]{24}$/);
    const body = {
      ...ids(),
      agent_revision_id: randomUUID(),
      channel: 'text',
      tool_overrides: { t: { output: null } },
    };
    const run = (await post(server, JSON.stringify(body))).json();
    expect(run).toMatchObject(body);
    expect(run.organization_id).toMatch(UUID_RE);
  });

  it('401 without the right key, 400 for a body that is not JSON, 404 and 405', async () => {
    const server = await start();
    for (const headers of [{ 'x-api-key': 'wrong' }, { 'x-api-key': '' }]) {
      const answer = await post(server, JSON.stringify(ids()), headers);
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({
        error: 'authentication_required',
        message: 'No valid API key was provided. Pass your key in the x-api-key header.',
      });
    }
    for (const text of ['{not json', '']) {
      const answer = await post(server, text);
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({
        error: 'invalid_json',
        message: 'Request body is not valid JSON',
      });
    }
    expect(server.requests.at(-1)).toMatchObject({ rawBody: '', body: undefined });
    const missing = await fetch(`${server.url}/v1/nowhere?q=1`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'No route /v1/nowhere' });
    // The path has a GET and a POST, and no DELETE.
    const wrongMethod = await fetch(`${server.url}/v1/simulation/runs`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({
      error: 'method_not_allowed',
      message: 'Method Not Allowed',
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`).slice(-2)).toEqual([
      'GET /v1/nowhere',
      'DELETE /v1/simulation/runs',
    ]);
    expect(server.runs).toEqual([]);
  });

  it('422 with one Pydantic-style detail per problem, each with its input', async () => {
    const server = await start();
    const body = {
      agent_id: 'agent-1',
      scenario_id: 5,
      channel: 'sms',
      tool_overrides: {
        both: { output: 1, error: 'e', delay_ms: 60_001, extra: true },
        early: { error: 'x', delay_ms: -1 },
        half: { output: 1, delay_ms: 1.5 },
      },
    };
    const answer = await post(server, JSON.stringify(body));
    expect(answer.status).toBe(422);
    expect(answer.json()).toEqual({
      detail: [
        {
          loc: ['body', 'agent_id'],
          msg: 'Input should be a valid UUID',
          type: 'uuid_parsing',
          input: 'agent-1',
        },
        { loc: ['body', 'persona_id'], msg: 'Field required', type: 'missing', input: body },
        {
          loc: ['body', 'scenario_id'],
          msg: 'Input should be a valid string',
          type: 'string_type',
          input: 5,
        },
        {
          loc: ['body', 'channel'],
          msg: "Input should be 'text' or 'voice'",
          type: 'enum',
          input: 'sms',
          ctx: { expected: "'text' or 'voice'" },
        },
        {
          loc: ['body', 'tool_overrides', 'both', 'delay_ms'],
          msg: 'Input should be less than or equal to 60000',
          type: 'less_than_equal',
          input: 60_001,
          ctx: { le: 60_000 },
        },
        {
          loc: ['body', 'tool_overrides', 'both', 'extra'],
          msg: 'Extra inputs are not permitted',
          type: 'extra_forbidden',
          input: true,
        },
        {
          loc: ['body', 'tool_overrides', 'both'],
          msg: 'Value error, exactly one of output or error must be set',
          type: 'value_error',
          input: body.tool_overrides.both,
          ctx: { error: {} },
        },
        {
          loc: ['body', 'tool_overrides', 'early', 'delay_ms'],
          msg: 'Input should be greater than or equal to 0',
          type: 'greater_than_equal',
          input: -1,
          ctx: { ge: 0 },
        },
        {
          loc: ['body', 'tool_overrides', 'half', 'delay_ms'],
          msg: 'Input should be a valid integer, got a number with a fractional part',
          type: 'int_from_float',
          input: 1.5,
        },
      ],
    });
    const notAnObject = await post(server, JSON.stringify({ ...ids(), tool_overrides: 'x' }));
    // Pydantic says `dict_type` for a dict field such as this one, and `model_attributes_type` for
    // a model (the body, and most objects): an issue's data does not tell them apart, and models
    // are the common case.
    expect(notAnObject.json().detail).toEqual([
      {
        loc: ['body', 'tool_overrides'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        type: 'model_attributes_type',
        input: 'x',
      },
    ]);
    // A body that is JSON but not an object: the whole body is the input.
    const list = await post(server, '[1]');
    expect(list.json().detail).toEqual([
      {
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        type: 'model_attributes_type',
        input: [1],
      },
    ]);
    expect(server.runs).toEqual([]);
  });

  it('answers CORS preflights without recording them, and sets CORS headers on every answer', async () => {
    const server = await start();
    const preflight = await fetch(`${server.url}/v1/simulation/runs`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173' },
    });
    expect(preflight.status).toBe(204);
    expect(await preflight.text()).toBe('');
    const cors = [
      'access-control-allow-origin',
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-expose-headers',
    ].map((name) => preflight.headers.get(name));
    expect(cors).toEqual([
      'http://localhost:5173',
      'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'content-type, x-api-key',
      'x-request-id, retry-after',
    ]);
    expect(server.requests).toEqual([]);
    const answer = await post(server, JSON.stringify(ids()));
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')).toBe('x-request-id, retry-after');
  });

  it('lets a handler answer instead, after recording the request', async () => {
    let calls = 0;
    const server = await start({
      handler: async (request): Promise<MockReply | undefined> => {
        calls++;
        expect(server.requests.at(-1)).toBe(request);
        if (calls === 1) return { status: 429, headers: { 'retry-after': '0' } };
        if (calls === 2) return { status: 502, body: '<html>Bad Gateway</html>' };
        if (calls === 3) throw new Error('handler broke');
        if (calls === 4) return { status: 200, body: { ok: true }, headers: { 'x-extra': '1' } };
        return undefined;
      },
    });
    const limited = await post(server, '{}');
    expect(limited).toMatchObject({ status: 429, text: '' });
    expect(limited.headers.get('retry-after')).toBe('0');
    expect(limited.headers.get('content-type')).toBe('application/json');
    const html = await post(server, '{}');
    expect(html).toMatchObject({ status: 502, text: '<html>Bad Gateway</html>' });
    expect(html.headers.get('content-type')).toBe('text/plain');
    const broken = await post(server, '{}');
    expect(broken.status).toBe(500);
    expect(broken.json()).toEqual({ error: 'internal_error', message: 'Error: handler broke' });
    const custom = await post(server, '{}');
    expect(custom.json()).toEqual({ ok: true });
    expect(custom.headers.get('x-extra')).toBe('1');
    expect(custom.headers.get('x-request-id')).toMatch(UUID_RE);
    // Undefined: the default behaviour.
    expect((await post(server, JSON.stringify(ids()))).status).toBe(201);
    expect(server.requests).toHaveLength(5);
    expect(server.runs).toHaveLength(1);
  });

  it('listens on the port asked for, and close() frees it even with a connection open', async () => {
    const port = await closedPort();
    const server = await startMockServer({ port });
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    // A keep-alive connection stays open after this answer.
    expect((await post(server, JSON.stringify(ids()))).status).toBe(201);
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow(/fetch failed/);
    // A port in use is an error, not a hang.
    const first = await start();
    await expect(startMockServer({ port: Number(new URL(first.url).port) })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe('the mock server, through the SDK', () => {
  const client = (server: MockServer) =>
    createFeatherClient({ apiKey: server.apiKey, baseUrl: server.url, validateResponses: true });

  it('dispatches runs in both styles; each answer passes the response check and is in runs', async () => {
    const server = await start();
    const body = { ...ids(), channel: 'text' as const };
    const run = await client(server).dispatchSimulationRun(body);
    expect(run).toMatchObject({ ...body, status: 'pending', inputs_snapshot: body });
    const core = createFeatherCore({
      apiKey: server.apiKey,
      baseUrl: server.url,
      validateResponses: true,
      responseChecks,
    });
    const second = await dispatchSimulationRun(core, ids());
    const { data, response } = await client(server).client.POST('/v1/simulation/runs', {
      body: ids(),
    });
    expect(response.status).toBe(201);
    expect(server.runs).toEqual([run, second, data]);
    expect(server.requests.map((r) => r.operationId)).toEqual(
      Array(3).fill('dispatchSimulationRun'),
    );
  });

  it('lets a handler answer one operation by id, after validation; undefined falls through', async () => {
    const seen: MockRequest[] = [];
    const server = await start({
      handlers: {
        dispatchSimulationRun: (request) => {
          seen.push(request);
          const { channel } = request.body as { channel?: string };
          return channel === 'text'
            ? { status: 409, body: { error: 'conflict', message: 'agent busy' } }
            : undefined;
        },
      },
    });
    const feather = createFeatherClient({
      apiKey: server.apiKey,
      baseUrl: server.url,
      validate: false,
    });
    const error = await feather
      .dispatchSimulationRun({ ...ids(), channel: 'text' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(APIError);
    expect([error.status, error.body]).toEqual([409, { error: 'conflict', message: 'agent busy' }]);
    expect((await feather.dispatchSimulationRun(ids())).status).toBe('pending');
    // An invalid body gets its 422 without reaching the handler.
    const invalid = await feather.dispatchSimulationRun({ agent_id: 'x' } as never).catch((e) => e);
    expect(invalid.status).toBe(422);
    expect(seen.map((r) => [r.operationId, r.params, r.method])).toEqual([
      ['dispatchSimulationRun', {}, 'POST'],
      ['dispatchSimulationRun', {}, 'POST'],
    ]);
    expect(seen[0]).toBe(server.requests[0]);
    expect(server.runs).toHaveLength(1);
  });

  it('moves dispatched runs through runStatuses, one per read: a waiter sees them end', async () => {
    const server = await start({ runStatuses: ['running', 'completed'] });
    const feather = createFeatherClient({ apiKey: server.apiKey, baseUrl: server.url });
    const run = await feather.dispatchSimulationRun(ids());
    const read = () => feather.getSimulationRun({ params: { path: { sim_run_id: run.id } } });
    expect([
      run.status,
      (await read()).status,
      (await read()).status,
      (await read()).status,
    ]).toEqual(['pending', 'running', 'completed', 'completed']);
    const other = await feather.dispatchSimulationRunAndWait(ids(), { pollIntervalMs: 1 });
    expect(other.status).toBe('completed');
    const reads = server.requests.filter((r) => r.operationId === 'getSimulationRun');
    expect(reads).toHaveLength(5);
  });

  it('refuses handlers for operations the spec lacks', async () => {
    await expect(
      startMockServer({ handlers: { dispatchSimulationRuns: () => undefined } as never }),
    ).rejects.toThrow('handlers for operations the spec lacks: dispatchSimulationRuns');
  });
});
