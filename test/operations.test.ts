/**
 * Every operation of a spec becomes a typed function with dispatchSimulationRun's behaviour.
 * A synthetic spec (GET/POST/PUT/PATCH/DELETE, path and query parameters, inline and optional
 * bodies, a 204) is generated into a sandbox copy of src/, then called over a real loopback
 * server, and a consumer of it is type-checked by the TypeScript compiler.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedSpec, syntheticSpec } from '../scripts/synthetic-spec.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

const base = seedSpec();
// The seed's operation plus one resource's seven: list, create, get, update, replace, delete, archive.
// Functions come in spec order: by path, then get, put, post, delete, options, head, patch, trace.
const spec = syntheticSpec({
  base,
  operations: 8,
  schemas: Object.keys(base.components.schemas).length + 6,
});
const ID = '6f1c2b7e-8a4d-4c3e-9b1a-2d3e4f5a6b7c';
const agent = {
  id: ID,
  name: 'Ada',
  status: 'active',
  description: null,
  labels: [],
  created_at: '2026-01-01T00:00:00Z',
};

interface Seen {
  method: string;
  url: string;
  body: string;
}
type Reply = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

let box: Sandbox;
let sdk: any;
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: Reply = (_req, res) => res.end();

beforeAll(async () => {
  box = await createSandbox();
  await box.regenerate(spec);
  sdk = await import(join(box.dir, 'src/index.ts'));
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method!, url: req.url!, body });
    reply(req, res, seen.length);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await box?.remove();
});
beforeEach(() => {
  seen = [];
  reply = (_req, res) => res.end();
});

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const core = (options = {}) =>
  sdk.createFeatherCore({ apiKey: 'sk-test', baseUrl, maxRetries: 2, ...options });

describe('generated operations over HTTP', () => {
  it('generates one function per operationId, and the client binds each as a method', () => {
    expect(Object.keys(sdk.clientMethods)).toEqual([
      'dispatchSimulationRun',
      'listAgents',
      'createAgent',
      'getAgent',
      'replaceAgent',
      'deleteAgent',
      'updateAgent',
      'archiveAgent',
    ]);
    const feather = sdk.createFeatherClient({ apiKey: 'sk-test', baseUrl });
    for (const id of Object.keys(sdk.clientMethods)) expect(typeof feather[id]).toBe('function');
  });

  it('GET puts path parameters (encoded) in the path and query parameters in the query', async () => {
    reply = (_req, res) => json(res, 200, agent);
    // A path parameter is validated like a body: this one is not the UUID the spec asks for.
    await expect(sdk.getAgent(core(), { params: { path: { agent_id: 'a/b c' } } })).rejects.toThrow(
      'params.path.agent_id: must be a UUID',
    );
    const raw = { params: { path: { agent_id: 'a/b c' } } };
    expect(await sdk.getAgent(core(), raw, { validate: false })).toEqual(agent);
    reply = (_req, res) => json(res, 200, { data: [agent], next_cursor: null });
    const page = await sdk.listAgents(core(), {
      params: { query: { limit: 5, status: 'active', cursor: undefined } },
    });
    expect(page.data[0].name).toBe('Ada');
    await sdk.listAgents(core());
    expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
      'GET /v1/agents/a%2Fb%20c ',
      'GET /v1/agents?limit=5&status=active ',
      'GET /v1/agents ',
    ]);
  });

  it('PATCH validates its inline body before sending, and sends it as JSON', async () => {
    const c = core();
    const args = { params: { path: { agent_id: ID } }, body: { name: '', colour: 'red' } };
    const error = await sdk.updateAgent(c, args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.RequestValidationError);
    expect(error.issues.map((i: any) => `${i.path.join('.')} ${i.rule}`)).toEqual([
      'name minLength',
      'colour additionalProperties',
    ]);
    expect(seen).toEqual([]);

    reply = (_req, res) => json(res, 200, { ...agent, name: 'Grace' });
    const updated = await sdk.updateAgent(c, {
      params: { path: { agent_id: ID } },
      body: { name: 'Grace', status: 'paused' },
    });
    expect(updated.name).toBe('Grace');
    expect(seen).toEqual([
      { method: 'PATCH', url: `/v1/agents/${ID}`, body: '{"name":"Grace","status":"paused"}' },
    ]);
  });

  it('PUT sends path and query parameters and a $ref body', async () => {
    reply = (_req, res) => json(res, 200, agent);
    await sdk.replaceAgent(core(), {
      params: { path: { agent_id: ID }, query: { if_version: 3 } },
      body: { name: 'Ada', labels: [{ key: 'team', value: 'core' }] },
    });
    expect(seen[0]).toEqual({
      method: 'PUT',
      url: `/v1/agents/${ID}?if_version=3`,
      body: '{"name":"Ada","labels":[{"key":"team","value":"core"}]}',
    });
  });

  it('DELETE with a 204 resolves to undefined; an optional body may be left out', async () => {
    reply = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    expect(await sdk.deleteAgent(core(), { params: { path: { agent_id: ID } } })).toBeUndefined();
    reply = (_req, res) => json(res, 200, agent);
    await sdk.archiveAgent(core(), { params: { path: { agent_id: ID } } });
    await sdk.archiveAgent(core(), {
      params: { path: { agent_id: ID } },
      body: { reason: 'obsolete' },
    });
    const bad = sdk.archiveAgent(core(), {
      params: { path: { agent_id: ID } },
      body: { reason: 'bored' },
    });
    await expect(bad).rejects.toBeInstanceOf(sdk.RequestValidationError);
    expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
      `DELETE /v1/agents/${ID} `,
      `POST /v1/agents/${ID}/archive `,
      `POST /v1/agents/${ID}/archive {"reason":"obsolete"}`,
    ]);
  });

  it('maps error statuses to the typed errors', async () => {
    reply = (_req, res) => json(res, 404, { error: 'not_found', message: 'no such agent' });
    const error = await sdk
      .getAgent(core(), { params: { path: { agent_id: ID } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.NotFoundError);
    expect(error.status).toBe(404);
  });
});

describe('retries follow HTTP semantics', () => {
  // Retry-After: 0 keeps the tests fast without changing which attempts happen.
  const failOnce =
    (status: number): Reply =>
    (_req, res, attempt) =>
      attempt === 1
        ? json(res, status, { error: 'x', message: 'y' }, { 'retry-after': '0' })
        : json(res, 200, agent);

  it.each([
    ['GET', 500, (c: any) => sdk.getAgent(c, { params: { path: { agent_id: ID } } })],
    [
      'PUT',
      502,
      (c: any) => sdk.replaceAgent(c, { params: { path: { agent_id: ID } }, body: { name: 'A' } }),
    ],
    ['DELETE', 504, (c: any) => sdk.deleteAgent(c, { params: { path: { agent_id: ID } } })],
  ])('%s (idempotent) is retried after a %i', async (method, status, call) => {
    reply = failOnce(status);
    await call(core());
    expect(seen.map((s) => s.method)).toEqual([method, method]);
  });

  it.each([
    [
      'PATCH',
      (c: any) => sdk.updateAgent(c, { params: { path: { agent_id: ID } }, body: { name: 'A' } }),
    ],
    ['POST', (c: any) => sdk.createAgent(c, { name: 'A' })],
  ])('%s is not retried after a 500: the work may be done', async (method, call) => {
    reply = failOnce(500);
    await expect(call(core())).rejects.toBeInstanceOf(sdk.InternalServerError);
    expect(seen.map((s) => s.method)).toEqual([method]);
  });

  it('PATCH is retried after a 503: the server did not take it', async () => {
    reply = failOnce(503);
    await sdk.updateAgent(core(), { params: { path: { agent_id: ID } }, body: { name: 'A' } });
    expect(seen.map((s) => s.method)).toEqual(['PATCH', 'PATCH']);
  });

  it('PUT is retried after a timeout; PATCH is not', async () => {
    // The first attempt never gets an answer; later ones do.
    reply = (_req, res, attempt) => (attempt === 1 ? undefined : json(res, 200, agent));
    const c = core({ timeoutMs: 300 });
    await sdk.replaceAgent(c, { params: { path: { agent_id: ID } }, body: { name: 'A' } });
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);

    seen = [];
    const patch = sdk.updateAgent(c, { params: { path: { agent_id: ID } }, body: { name: 'A' } });
    await expect(patch).rejects.toBeInstanceOf(sdk.APIConnectionTimeoutError);
    expect(seen.map((s) => s.method)).toEqual(['PATCH']);
  });
});

describe('types of the generated operations', () => {
  it('type-checks a consumer: typed path and query parameters, bodies and results', async () => {
    const consumer = `
import {
  archiveAgent, createAgent, createFeatherClient, createFeatherCore, deleteAgent,
  dispatchSimulationRun, getAgent, listAgents, replaceAgent, updateAgent,
} from './src/index.js';

const core = createFeatherCore({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
const id = '${ID}';

export async function uses(): Promise<void> {
  const agent = await getAgent(core, { params: { path: { agent_id: id } } });
  const name: string = agent.name;
  const status: 'active' | 'paused' | 'archived' = agent.status;
  // @ts-expect-error the path parameter is required
  await getAgent(core, { params: { path: {} } });
  // @ts-expect-error and so are the params
  await getAgent(core);
  // @ts-expect-error a path parameter is a string
  await getAgent(core, { params: { path: { agent_id: 1 } } });

  const page = await listAgents(core, { params: { query: { limit: 5, status: 'paused' } } });
  const first: string | undefined = page.data[0]?.id;
  await listAgents(core);
  // @ts-expect-error status is an enum
  await listAgents(core, { params: { query: { status: 'deleted' } } });
  // @ts-expect-error limit is a number
  await listAgents(core, { params: { query: { limit: '5' } } });

  await createAgent(core, { name: 'Ada' }, { timeoutMs: 5000 });
  // @ts-expect-error name is required
  await createAgent(core, {});
  await updateAgent(core, { params: { path: { agent_id: id } }, body: { status: 'archived' } });
  // @ts-expect-error the body of a PATCH is required here
  await updateAgent(core, { params: { path: { agent_id: id } } });
  // @ts-expect-error unknown key in an inline body
  await updateAgent(core, { params: { path: { agent_id: id } }, body: { colour: 'red' } });
  await replaceAgent(core, { params: { path: { agent_id: id }, query: { if_version: 1 } }, body: { name: 'A' } });
  const nothing: undefined = await deleteAgent(core, { params: { path: { agent_id: id } } });
  await archiveAgent(core, { params: { path: { agent_id: id } } });
  // @ts-expect-error reason is an enum
  await archiveAgent(core, { params: { path: { agent_id: id } }, body: { reason: 'bored' } });

  const run = await dispatchSimulationRun(core, { agent_id: id, persona_id: id, scenario_id: id });
  const runId: string = run.id;

  const feather = createFeatherClient({ apiKey: 'k' });
  const again = await feather.getAgent({ params: { path: { agent_id: id } } });
  const same: string = again.id;
  // @ts-expect-error methods take no core
  await feather.getAgent(core, { params: { path: { agent_id: id } } });
  void [name, status, first, nothing, runId, same];
}
`;
    await writeFile(join(box.dir, 'consumer.ts'), consumer);
    const problems = box.typecheck('consumer.ts');
    // An unused @ts-expect-error is an error too: each line above fails exactly as intended.
    expect(problems).toEqual([]);
  }, 60_000);
});
