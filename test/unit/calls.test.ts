/**
 * The three call shapes and what each sends: parameters through openapi-fetch's serializers
 * (arrays as repeated keys, null and undefined left out, header parameters as headers), a JSON
 * body with its content type, and no content type without a body.
 */
import { describe, expect, it } from 'vitest';
import { APIError, createFeatherCore, NotFoundError, RequestValidationError } from '@featherhq/sdk';
import { object, string } from '../../src/core/check.js';
import { withChecks } from '../../src/core/response.js';
import { json, raw, sequence, serve } from '../support/loopback.js';
import { createThingNoKey, getThing, listThings, ping } from '../support/operations.js';

const KEY = 'sk_test_calls_0123456789';
const core = (url: string) => createFeatherCore({ apiKey: KEY, baseUrl: url });
const THING = { id: 't1', status: 'done' };

describe('call shapes', () => {
  it('an operation with neither parameters nor body takes only the request options', async () => {
    const server = await serve((_req, res) => (res.writeHead(204), res.end()));
    await expect(ping(core(server.url), { timeoutMs: 5_000 })).resolves.toBeUndefined();
    const [seen] = server.seen;
    expect([seen.method, seen.url, seen.body]).toEqual(['GET', '/ping', '']);
    expect(seen.headers['content-type']).toBeUndefined();
    expect(seen.headers['x-api-key']).toBe(KEY);
  });

  it('a body-only operation takes the body, sent as JSON with its content type', async () => {
    const server = await serve(json(201, THING));
    const thing = await createThingNoKey(core(server.url), { name: 'a' });
    expect(thing).toEqual(THING);
    expect(JSON.parse(server.seen[0].body)).toEqual({ name: 'a' });
    expect(server.seen[0].headers['content-type']).toBe('application/json');
  });

  it('path parameters are encoded; header parameters become headers; no body, no content type', async () => {
    const server = await serve(json(200, THING));
    await getThing(core(server.url), {
      params: { path: { thing_id: 'a/b c' }, header: { 'x-trace': 'trace-1' } },
    });
    const [seen] = server.seen;
    expect(seen.url).toBe('/things/a%2Fb%20c');
    expect(seen.headers['x-trace']).toBe('trace-1');
    expect(seen.headers['content-type']).toBeUndefined();
  });

  it('query: arrays as repeated keys, null and undefined left out, nothing the caller did not set', async () => {
    const server = await serve(json(200, { items: [], has_more: false }));
    const feather = core(server.url);
    await listThings(feather, { params: { query: { limit: 5, tag: ['a', 'b c'], cursor: null } } });
    await listThings(feather, { params: { query: { limit: undefined } } });
    await listThings(feather);
    expect(server.seen.map((s) => s.url)).toEqual([
      '/things?limit=5&tag=a&tag=b%20c',
      '/things',
      '/things',
    ]);
  });

  it('bad parameters: every problem named by where it is, and nothing is sent', async () => {
    const server = await serve(json(200, THING));
    const error = await listThings(core(server.url), {
      params: { query: { limit: 100_000, tag: [1 as never] } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    const issues = (error as RequestValidationError).issues.map((i) => [i.path.join('.'), i.rule]);
    expect(issues).toEqual([
      ['params.query.limit', 'maximum'],
      ['params.query.tag.0', 'type'],
    ]);
    expect((error as Error).message).toContain('params.query.limit: must be <= 200');
    // A typo of a header parameter is refused rather than silently not sent.
    await expect(
      getThing(core(server.url), {
        params: { path: { thing_id: 'x' }, header: { 'x-trcae': 't' } as never },
      }),
    ).rejects.toThrow(/params\.header\.x-trcae/);
    expect(server.requests).toBe(0);
  });

  it('validate: false sends what it is given', async () => {
    const server = await serve(json(200, { items: [], has_more: false }));
    await listThings(core(server.url), { params: { query: { limit: 0 } } }, { validate: false });
    expect(server.seen[0].url).toBe('/things?limit=0');
  });
});

describe('withResponse() and asResponse()', () => {
  it('withResponse gives the data, the response and its x-request-id', async () => {
    const server = await serve(json(200, THING));
    const { data, response, requestId } = await getThing(core(server.url), {
      params: { path: { thing_id: 't1' } },
    }).withResponse();
    expect(data).toEqual(THING);
    expect(response.status).toBe(200);
    expect(requestId).toBe('req-1');
  });

  it('asResponse gives the response with its body unread, and one request is sent', async () => {
    const server = await serve(json(200, THING));
    const response = await getThing(core(server.url), {
      params: { path: { thing_id: 't1' } },
    }).asResponse();
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual(THING);
    expect(server.requests).toBe(1);
  });

  it('asResponse gives the bytes as the server sent them, unchecked even with validateResponses', async () => {
    // Spaced JSON, and a body the spec's check would refuse: the raw answer is the server's own.
    const text = '{ "id": "t1",  "status": 7 }\n';
    const server = await serve(sequence(raw(200, text, 'application/json')));
    const checked = createFeatherCore({
      apiKey: KEY,
      baseUrl: server.url,
      validateResponses: true,
      responseChecks: withChecks({ getThing: object({ status: [string(), true] }) }),
    });
    await expect(getThing(checked, { params: { path: { thing_id: 't1' } } })).rejects.toThrow(
      'status: must be a string',
    );
    const response = await getThing(checked, { params: { path: { thing_id: 't1' } } }).asResponse();
    expect(await response.text()).toBe(text);
  });

  it('a non-2xx answer still throws its typed error from either method', async () => {
    const server = await serve(json(404, { error: 'not_found', message: 'no such thing' }));
    const call = () => getThing(core(server.url), { params: { path: { thing_id: 'x' } } });
    await expect(call().asResponse()).rejects.toBeInstanceOf(NotFoundError);
    const error = await call()
      .withResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).requestId).toBe('req-2');
  });

  it('awaiting the promise itself gives the data, and it is a thenable like any promise', async () => {
    const server = await serve(json(200, THING));
    const promise = getThing(core(server.url), { params: { path: { thing_id: 't1' } } });
    expect(promise).toBeInstanceOf(Promise);
    await expect(Promise.resolve(promise)).resolves.toEqual(THING);
    await expect(promise.then((t) => t.id)).resolves.toBe('t1');
  });
});
