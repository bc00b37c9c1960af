/**
 * feather.client on a spec whose operations declare idempotency keys (the seed declares none):
 * the raw client fills a key the caller left out, once per call, so that its retries are as safe
 * as the methods'; it names calls by the spec's path; and it reads 2xx bodies under the timer,
 * except event streams and bodiless answers.
 */
import { describe, expect, it } from 'vitest';
import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  createFeatherCore,
  middleware,
  type CoreOptions,
  type Middleware,
} from '@featherhq/sdk';
import { rawClient } from '../../src/core/client-fetch.js';
import { configOf } from '../../src/core/core.js';
import { json, sequence, serve, status } from '../support/loopback.js';
import {
  createThing,
  createThingByHeader,
  getThing,
  type CreateThingOp,
  type GetThingOp,
  type PingOp,
} from '../support/operations.js';

const KEY = 'sk_test_rawroutes_0123456789';
const THING = { id: 't1', status: 'pending' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Paths {
  '/things': { post: CreateThingOp & { parameters: { header?: { 'Idempotency-Key'?: string } } } };
  '/things/{thing_id}': { get: GetThingOp };
  '/ping': { get: PingOp; delete: PingOp };
}

/** feather.client as createFeatherClient builds it, over the given operations and helpers. */
function raw(url: string, operations: unknown[], options: CoreOptions = {}) {
  const core = createFeatherCore({
    apiKey: KEY,
    baseUrl: url,
    retryBaseDelayMs: 1,
    ...options,
  });
  return rawClient<Paths>(configOf(core), operations);
}

/** A helper that is not an operation, as a waiter among the client's methods is. */
const helper = () => undefined;

const bodyKeys = (seen: { body: string }[]) =>
  seen.map((s) => (JSON.parse(s.body) as { idempotency_key?: string }).idempotency_key);

describe('feather.client: idempotency keys where the spec declares them', () => {
  it('a body key is filled once per call: a 500 is retried with the same key', async () => {
    const server = await serve(
      sequence(status(500), status(201, {}, THING), status(201, {}, THING)),
    );
    const client = raw(server.url, [helper, createThing]);
    const { data } = await client.POST('/things', { body: { name: 'a' } });
    expect(data).toEqual(THING);
    await client.POST('/things', { body: { name: 'b' } });
    const [first, retry, other] = bodyKeys(server.seen);
    expect(first).toMatch(UUID);
    expect(retry).toBe(first);
    expect(other).toMatch(UUID);
    expect(other).not.toBe(first);
    expect(server.seen.map((s) => JSON.parse(s.body).name)).toEqual(['a', 'a', 'b']);
  });

  it("the caller's body key is sent as given; a null one, or a null body, is filled", async () => {
    const server = await serve(json(201, THING));
    const client = raw(server.url, [createThing]);
    await client.POST('/things', { body: { name: 'a', idempotency_key: 'mine-1' } });
    await client.POST('/things', { body: { name: 'b', idempotency_key: null } });
    // As the methods fill one into a missing body (the server then judges the body).
    await client.POST('/things', { body: null as never });
    const [mine, filled, alone] = bodyKeys(server.seen);
    expect(mine).toBe('mine-1');
    expect(filled).toMatch(UUID);
    expect(JSON.parse(server.seen[2].body)).toEqual({ idempotency_key: alone });
    expect(alone).toMatch(UUID);
  });

  it('a header key is filled once per call; the caller’s header is kept', async () => {
    const server = await serve(
      sequence(status(502), status(201, {}, THING), status(201, {}, THING)),
    );
    const client = raw(server.url, [createThingByHeader]);
    await client.POST('/things', { body: { name: 'a' } });
    await client.POST('/things', {
      body: { name: 'b' },
      params: { header: { 'Idempotency-Key': 'mine-2' } },
    });
    const sent = server.seen.map((s) => s.headers['idempotency-key']);
    expect(sent[0]).toMatch(UUID);
    expect(sent).toEqual([sent[0], sent[0], 'mine-2']);
    // The key went in the header only: the body is the caller's.
    expect(JSON.parse(server.seen[0].body)).toEqual({ name: 'a' });
  });

  it('where the spec declares no key, a POST is not retried after a 500, nor given a key', async () => {
    const server = await serve(sequence(status(500)));
    const { error } = await raw(server.url, [getThing]).POST('/things', { body: { name: 'a' } });
    expect(error).toEqual({ error: 'e', message: 'm' });
    expect(server.requests).toBe(1);
    expect(JSON.parse(server.seen[0].body)).toEqual({ name: 'a' });
    expect(server.seen[0].headers['idempotency-key']).toBeUndefined();
  });

  it('a GET is retried after a 500 (idempotent), on a path the spec has or not', async () => {
    const server = await serve(sequence(status(500), status(200, {}, THING)));
    const client = raw(server.url, [createThing]);
    const { data } = await client.GET('/things/{thing_id}', {
      params: { path: { thing_id: 't1' } },
    });
    expect(data).toEqual(THING);
    expect(server.requests).toBe(2);
  });
});

describe('feather.client: how a call is named and what its middleware sees', () => {
  it('errors name the call by method and spec path, braces included', async () => {
    const server = await serve(() => {});
    const client = raw(server.url, [getThing], { timeoutMs: 100, maxRetries: 0 });
    const call = client.GET('/things/{thing_id}', { params: { path: { thing_id: 't1' } } });
    await expect(call).rejects.toThrow(
      new APIConnectionTimeoutError('GET /things/{thing_id} timed out after 100 ms'),
    );
  });

  it('middleware sees the spec path and the parameters; method, headers and body reach the server', async () => {
    const server = await serve(sequence(status(503), status(201, {}, THING)));
    const seen: unknown[] = [];
    const spy: Middleware = {
      onRequest: ({ schemaPath, params }) => void seen.push([schemaPath, params]),
    };
    const client = raw(server.url, [getThing, createThing], { hooks: [middleware(spy)] });
    await client.GET('/things/{thing_id}', { params: { path: { thing_id: 't9' } } });
    expect(seen).toEqual([
      ['/things/{thing_id}', { path: { thing_id: 't9' } }],
      ['/things/{thing_id}', { path: { thing_id: 't9' } }],
    ]);
    await client.POST('/things', { body: { name: 'posted' } });
    const post = server.seen[2];
    expect(post.method).toBe('POST');
    expect(post.headers['x-api-key']).toBe(KEY);
    expect(JSON.parse(post.body)).toMatchObject({ name: 'posted' });
  });

  it("a middleware the caller adds to openapi-fetch that rebuilds the request: the URL's path names the call", async () => {
    const server = await serve(() => {});
    const client = raw(server.url, [getThing], { timeoutMs: 100, maxRetries: 0 });
    client.use({ onRequest: ({ request }) => new Request(request) });
    const call = client.GET('/things/{thing_id}', { params: { path: { thing_id: 't1' } } });
    await expect(call).rejects.toThrow('GET /things/t1 timed out after 100 ms');
  });

  it("the caller's signal aborts the call", async () => {
    const controller = new AbortController();
    const server = await serve(() => controller.abort());
    const client = raw(server.url, [getThing], { timeoutMs: 1_000 });
    const call = client.GET('/things/{thing_id}', {
      params: { path: { thing_id: 't1' } },
      signal: controller.signal,
    });
    const error: unknown = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    // The abort ended the attempt, not its timer.
    expect(((error as Error).cause as Error).name).toBe('AbortError');
  });
});

describe('feather.client: reading a 2xx', () => {
  it('an answer without a body or a content type (204) is { data: undefined }', async () => {
    const server = await serve((_req, res) => res.writeHead(204).end());
    const { data, error, response } = await raw(server.url, []).DELETE('/ping');
    expect([data, error, response.status]).toEqual([undefined, undefined, 204]);
  });

  it('a JSON body that stalls is under the timeout', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
    });
    const client = raw(server.url, [getThing], { timeoutMs: 150, maxRetries: 0 });
    const call = client.GET('/things/{thing_id}', { params: { path: { thing_id: 't1' } } });
    await expect(call).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  }, 3_000);

  it('an event stream is handed over as it arrives, not read to its end first', async () => {
    let ended = false;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('data: one\n\n');
      setTimeout(() => {
        ended = true;
        res.end('data: two\n\n');
      }, 100);
    });
    const client = raw(server.url, [getThing], { timeoutMs: 5_000 });
    const { data } = await client.GET('/things/{thing_id}', {
      params: { path: { thing_id: 't1' } },
      parseAs: 'stream',
    });
    const reader = data!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('data: one\n\n');
    expect(ended).toBe(false);
    expect((await reader.read()).value).toBe('data: two\n\n');
  });
});
