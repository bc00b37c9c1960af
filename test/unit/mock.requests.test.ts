/**
 * The mock's runtime at the edges of what a request can be, over the made-up route table
 * (test/support/mock-routes.ts) with plain fetch: parameters of every kind, optional and repeated
 * bodies, cursors that do not chain, pages that differ from the usual, resources of another
 * shape, and replies or connections that are not the usual ones.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { call, startRoutesMock } from '../support/mock-servers.js';
import { routes, THING_ID } from '../support/mock-routes.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('parameters', () => {
  it('reads numbers, trims integers, repeats integer lists; text that does not parse stays text', async () => {
    const seen: unknown[] = [];
    const server = await startRoutesMock(routes, {
      handlers: { listThings: (r) => void seen.push(r.params.query) },
    });
    expect((await call(server, '/things?limit=%207%20&min_score=0.5&size=1&size=20')).status).toBe(
      200,
    );
    expect(seen).toEqual([{ limit: 7, min_score: 0.5, size: [1, 20] }]);
    const bad = await call(server, '/things?limit=1.5&min_score=high&size=2&size=x');
    expect(bad.json().detail).toEqual([
      {
        type: 'int_parsing',
        loc: ['query', 'limit'],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: '1.5',
      },
      {
        type: 'float_parsing',
        loc: ['query', 'min_score'],
        msg: 'Input should be a valid number, unable to parse string as a number',
        input: 'high',
      },
      {
        type: 'int_parsing',
        loc: ['query', 'size', 1],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: 'x',
      },
    ]);
  });

  it('keeps a path segment whose escapes do not decode as it came', async () => {
    const server = await startRoutesMock(routes);
    const answer = await call(server, '/things/%zz');
    expect(answer.json().detail).toEqual([
      {
        type: 'uuid_parsing',
        loc: ['path', 'thing_id'],
        msg: 'Input should be a valid UUID',
        input: '%zz',
      },
    ]);
  });
});

describe('bodies', () => {
  const patch = (server: Parameters<typeof call>[0], body?: string) =>
    call(server, `/things/${THING_ID}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('takes an optional JSON body sent or not; 400 for one that is not JSON, 422 for a bad one', async () => {
    const server = await startRoutesMock(routes);
    expect((await patch(server)).status).toBe(200);
    expect((await patch(server, '')).status).toBe(200);
    expect((await patch(server, '{"name":"saw"}')).status).toBe(200);
    const broken = await patch(server, '{bad');
    expect([broken.status, broken.json()]).toEqual([
      400,
      { error: 'invalid_json', message: 'Request body is not valid JSON' },
    ]);
    expect((await patch(server, '{"name":5}')).json().detail).toEqual([
      {
        type: 'string_type',
        loc: ['body', 'name'],
        msg: 'Input should be a valid string',
        input: 5,
      },
    ]);
  });

  it('ignores a body sent to an operation that declares none', async () => {
    const server = await startRoutesMock(routes);
    const deleted = await call(server, `/things/${THING_ID}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: '{"not": "read"}',
    });
    expect(deleted.status).toBe(204);
    expect(server.requests[0].body).toEqual({ not: 'read' });
  });

  it('reads a repeated form part: a list part has every value, another part its last', async () => {
    const seen: unknown[] = [];
    const server = await startRoutesMock(routes, {
      handlers: { uploadThingFile: (r) => void seen.push(r.body) },
    });
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.txt');
    form.append('pages', 'many');
    form.append('pages', '2');
    form.append('tags', 'a');
    form.append('tags', 'b');
    const answer = await call(server, `/things/${THING_ID}/files`, { method: 'POST', body: form });
    expect(answer.status).toBe(201);
    // The recorded parts: each value, in order.
    expect(seen).toEqual([{ file: expect.any(File), pages: ['many', '2'], tags: ['a', 'b'] }]);
  });

  it('answers 422 for a file where text is expected, in a part or a list part', async () => {
    const server = await startRoutesMock(routes);
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.txt');
    form.append('note', new Blob(['n']), 'n.txt');
    form.append('tags', 'a');
    form.append('tags', new Blob(['t']), 't.txt');
    form.append('pages', new Blob(['1']), 'p.txt');
    form.append('pages', '3');
    const answer = await call(server, `/things/${THING_ID}/files`, { method: 'POST', body: form });
    expect(answer.status).toBe(422);
    const string = { type: 'string_type', msg: 'Input should be a valid string' };
    // `pages` is fine: its last value, 3, is what FastAPI reads.
    expect(answer.json().detail).toEqual([
      expect.objectContaining({ ...string, loc: ['body', 'note'] }),
      expect.objectContaining({ ...string, loc: ['body', 'tags', 1] }),
    ]);
  });
});

describe('pages', () => {
  it('serves the first page for a cursor it did not write, and the last for one past the end', async () => {
    const server = await startRoutesMock(routes);
    const page = async (cursor: string) => {
      const { items, ...rest } = (await call(server, `/things?cursor=${cursor}`)).json();
      return { count: items.length, ...rest };
    };
    const first = { count: 2, next_cursor: 'page-2', has_more: true };
    expect(await page('xpage-2')).toEqual(first);
    expect(await page('page-2x')).toEqual(first);
    expect(await page('page-12')).toEqual({ count: 2, next_cursor: null, has_more: false });
  });

  it('numbers only UUID ids, and sets next_cursor even where the sample has none', async () => {
    const server = await startRoutesMock(routes);
    const tag = { id: 'tag_1', label: 'red' };
    expect((await call(server, '/tags')).json()).toEqual({
      tags: [tag, tag],
      next_cursor: 'page-2',
    });
    expect((await call(server, '/tags?cursor=page-3')).json()).toEqual({
      tags: [tag, tag],
      next_cursor: null,
    });
  });

  it('serves empty pages, still chained, where the sample list is empty', async () => {
    const server = await startRoutesMock(routes);
    expect((await call(server, '/notes?limit=5')).json()).toEqual({
      notes: [],
      next_cursor: 'page-2',
      has_more: true,
    });
  });
});

describe('resources', () => {
  it('gives a run only the fields its schema has, and lists it in runs', async () => {
    const server = await startRoutesMock(routes);
    const answer = await call(server, '/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"note":"n"}',
    });
    const run = answer.json();
    expect(run).toEqual({ id: expect.stringMatching(UUID_RE), status: 'pending' });
    expect(run.id).not.toBe(THING_ID);
    expect(server.runs).toEqual([run]);
  });
});

describe('the HTTP side', () => {
  it('drops the connection when a handler gives a reply it cannot write', async () => {
    const server = await startRoutesMock(routes, { handler: () => ({ status: 1000 }) });
    const error = await fetch(`${server.url}/things`, { signal: AbortSignal.timeout(2000) }).catch(
      (e: Error) => e,
    );
    // Not a timeout: the client learns at once.
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
  });

  it('listens on 127.0.0.1 only', async () => {
    const server = await startRoutesMock(routes);
    const port = Number(new URL(server.url).port);
    // Another loopback address (Linux routes 127.0.0.0/8 to this host): refused.
    const refused = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.2', port, path: '/things', timeout: 2000 });
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    });
    expect(refused).not.toMatch(/^\d+$/);
  });
});
