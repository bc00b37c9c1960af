/**
 * The mock's runtime over a made-up route table (test/support/mock-routes.ts), spoken to with
 * plain fetch over loopback: routing, parameters read as FastAPI reads them, 422s naming each
 * problem, pages, event streams, uploads, 204s, resources read back, and handlers by operationId.
 */
import { describe, expect, it } from 'vitest';
import type { MockRequest } from '../../src/testing/types.js';
import { call, startRoutesMock } from '../support/mock-servers.js';
import { routes, THING_ID } from '../support/mock-routes.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A server whose handlers keep the request each operation received, then fall through. */
async function recording() {
  const seen: MockRequest[] = [];
  const keep = (request: MockRequest) => void seen.push(request);
  const ids = routes.map((route) => route.id);
  const server = await startRoutesMock(routes, {
    handlers: Object.fromEntries(ids.map((id) => [id, keep])),
  });
  return Object.assign(server, { seen });
}

describe('routing', () => {
  it('takes the first route whose path and method match; 405 for a known path, else 404', async () => {
    const server = await startRoutesMock(routes);
    const events = await call(server, '/things/events', { signal: AbortSignal.timeout(3000) });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    expect(server.requests.at(-1)!.operationId).toBe('watchThings');
    const put = await call(server, `/things/${THING_ID}`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.json()).toEqual({ error: 'method_not_allowed', message: 'Method Not Allowed' });
    const missing = await call(server, `/things/${THING_ID}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      error: 'not_found',
      message: `No route /things/${THING_ID}/nope`,
    });
    expect(server.requests.map((r) => r.operationId)).toEqual([
      'watchThings',
      undefined,
      undefined,
    ]);
    // A known route still needs the key.
    const keyless = await call(server, '/things', { headers: { 'x-api-key': 'nope' } });
    expect(keyless.status).toBe(401);
  });

  it('answers a 204 with no body, and an unknown path before the key check', async () => {
    const server = await startRoutesMock(routes);
    const deleted = await call(server, `/things/${THING_ID}`, { method: 'DELETE' });
    expect(deleted).toMatchObject({ status: 204, text: '' });
    expect((await call(server, '/nowhere', { headers: { 'x-api-key': '' } })).status).toBe(404);
  });

  it('echoes the headers a CORS preflight asks for', async () => {
    const server = await startRoutesMock(routes);
    const preflight = await fetch(`${server.url}/things`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-headers': 'x-trace' },
    });
    expect(preflight.headers.get('access-control-allow-headers')).toBe('x-trace');
    expect(server.requests).toEqual([]);
  });
});

describe('parameters, as FastAPI reads them', () => {
  it('parses numbers and booleans, repeats arrays, takes the last of a repeated scalar, ignores the undeclared', async () => {
    const server = await recording();
    const query = '?limit=5&limit=7&tag=a&tag=b&active=yes&kind=tool&other=1';
    expect((await call(server, `/things${query}`)).status).toBe(200);
    expect(server.seen[0].params).toEqual({
      query: { limit: 7, tag: ['a', 'b'], active: true, kind: 'tool' },
    });
    await call(server, `/things/${THING_ID}`, { headers: { 'x-trace': '12' } });
    expect(server.seen[1].params).toEqual({
      path: { thing_id: THING_ID },
      header: { 'X-Trace': 12 },
    });
    for (const [text, value] of [
      ['off', false],
      ['1', true],
      ['F', false],
    ] as const) {
      await call(server, `/things?active=${text}`);
      expect(server.seen.at(-1)!.params.query.active).toBe(value);
    }
    // A path parameter is percent-decoded; a header not sent is not there at all.
    await call(server, '/things/a%20b');
    expect(server.requests.at(-1)!.params).toStrictEqual({
      path: { thing_id: 'a b' },
      header: {},
    });
  });

  it('answers 422 with one detail per bad parameter, naming where it is', async () => {
    const server = await recording();
    const answer = await call(server, '/things?limit=abc&active=maybe&kind=gadget&tag=x');
    expect(answer.status).toBe(422);
    expect(answer.json().detail).toEqual([
      {
        type: 'int_parsing',
        loc: ['query', 'limit'],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: 'abc',
      },
      {
        type: 'bool_parsing',
        loc: ['query', 'active'],
        msg: 'Input should be a valid boolean, unable to interpret input',
        input: 'maybe',
      },
      {
        type: 'enum',
        loc: ['query', 'kind'],
        msg: "Input should be 'tool' or 'part'",
        input: 'gadget',
        ctx: { expected: "'tool' or 'part'" },
      },
    ]);
    const bounds = await call(server, '/things?limit=0');
    expect(bounds.json().detail).toEqual([
      {
        type: 'greater_than_equal',
        loc: ['query', 'limit'],
        msg: 'Input should be greater than or equal to 1',
        input: 0,
        ctx: { ge: 1 },
      },
    ]);
    const path = await call(server, '/things/not-a-uuid', { headers: { 'x-trace': 'x' } });
    expect(path.json().detail.map((d: { loc: unknown; type: string }) => [d.loc, d.type])).toEqual([
      [['path', 'thing_id'], 'uuid_parsing'],
      [['header', 'X-Trace'], 'int_parsing'],
    ]);
    // Validation comes before the handlers: they never saw these.
    expect(server.seen).toEqual([]);
  });
});

describe('default answers', () => {
  it('serves pages chained by next_cursor, has_more false on the last, limit items each', async () => {
    const server = await startRoutesMock(routes);
    const pages: { items: { id: string }[]; next_cursor: string | null; has_more: boolean }[] = [];
    let cursor: string | null = '';
    // At most one page past the chain's end: a broken chain fails here rather than looping.
    for (let i = 0; i < 4 && cursor !== null; i++) {
      const answer = await call(server, `/things?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(answer.json());
      cursor = pages.at(-1)!.next_cursor;
    }
    expect(pages.map((p) => [p.items.length, p.next_cursor, p.has_more])).toEqual([
      [4, 'page-2', true],
      [4, 'page-3', true],
      [4, null, false],
    ]);
    const ids = pages.flatMap((p) => p.items.map((item) => item.id));
    expect(new Set(ids).size).toBe(12);
    expect(ids.every((id) => UUID_RE.test(id))).toBe(true);
    expect(pages[0].items[0]).toEqual({
      id: ids[0],
      name: 'name',
      kind: 'tool',
      note: null,
      status: 'active',
    });
    // Without a limit: `pageSize` items; `pages` pages.
    const small = await startRoutesMock(routes, { pages: 2, pageSize: 1 });
    const first = (await call(small, '/things')).json();
    expect([first.items.length, first.next_cursor]).toEqual([1, 'page-2']);
    const last = (await call(small, '/things?cursor=page-2')).json();
    expect([last.items.length, last.next_cursor, last.has_more]).toEqual([1, null, false]);
    expect(last.items[0].id).not.toBe(first.items[0].id);
  });

  it('streams events one at a time, eventDelayMs apart', async () => {
    const server = await startRoutesMock(routes, { eventDelayMs: 300 });
    // A stream that stalls fails the test in seconds, not at the suite's timeout.
    const response = await fetch(`${server.url}/things/events`, {
      headers: { 'x-api-key': server.apiKey },
      signal: AbortSignal.timeout(3000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = await reader.read();
    // The first event arrives alone: the next is still 300 ms away.
    expect(first.value).toBe(
      'id: 1\nevent: message\ndata: {"operation":"watchThings","index":0}\n\n',
    );
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += chunk.value;
    expect(rest.split('\n\n').filter(Boolean)).toHaveLength(2);
  });

  it('sends the first event at once and the next one eventDelayMs later', async () => {
    const server = await startRoutesMock(routes, { eventDelayMs: 5000 });
    const response = await fetch(`${server.url}/things/events`, {
      headers: { 'x-api-key': server.apiKey },
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const late = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms, 'late'));
    const first = await Promise.race([reader.read(), late(1000)]);
    expect(first).toMatchObject({ value: expect.stringMatching(/^id: 1\n/) });
    // The second is 5 s away: not here yet.
    expect(await Promise.race([reader.read(), late(100)])).toBe('late');
    await reader.cancel();
  });

  it('creates a resource from the body, and reads it back by id; 404 for another id', async () => {
    const server = await startRoutesMock(routes);
    const created = await call(server, '/things', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'drill' }),
    });
    expect(created.status).toBe(201);
    const thing = created.json();
    // `status` from the sample: only simulation runs start `pending`.
    expect(thing).toEqual({
      id: expect.stringMatching(UUID_RE),
      name: 'drill',
      kind: 'part',
      note: null,
      status: 'active',
    });
    expect((await call(server, `/things/${thing.id}`)).json()).toEqual(thing);
    const other = await call(server, `/things/${THING_ID}`);
    expect(other.status).toBe(404);
    expect(other.json()).toEqual({ error: 'not_found', message: `No Thing ${THING_ID}` });
    // Only simulation runs are `runs`.
    expect(server.runs).toEqual([]);
  });
});

describe('multipart bodies', () => {
  const upload = (
    server: { url: string; apiKey: string },
    form: FormData | string,
    id = THING_ID,
  ) =>
    call(server as never, `/things/${id}/files`, {
      method: 'POST',
      body: form,
      ...(typeof form === 'string' && { headers: { 'content-type': 'application/json' } }),
    });

  it('parses the parts with the platform: files as Files, other parts read as their type', async () => {
    const server = await recording();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])], { type: 'audio/wav' }), 'a.wav');
    form.append('note', 'hello');
    form.append('pages', '3');
    form.append('extra', 'ignored');
    const answer = await upload(server, form);
    expect([answer.status, answer.json()]).toEqual([201, { uploaded: true }]);
    const body = server.seen[0].body as Record<string, unknown>;
    expect(body.file).toBeInstanceOf(File);
    expect([(body.file as File).name, (body.file as File).type]).toEqual(['a.wav', 'audio/wav']);
    expect([...new Uint8Array(await (body.file as File).arrayBuffer())]).toEqual([1, 2, 3]);
    expect([body.note, body.pages, body.extra]).toEqual(['hello', '3', 'ignored']);
  });

  it('answers 422 for a bad part, a missing file or a file sent as text, with path problems too', async () => {
    const server = await startRoutesMock(routes);
    const form = new FormData();
    form.append('file', 'not a file');
    form.append('pages', 'many');
    const answer = await upload(server, form, 'nope');
    expect(answer.status).toBe(422);
    expect(answer.json().detail).toEqual([
      expect.objectContaining({ loc: ['path', 'thing_id'], type: 'uuid_parsing' }),
      {
        type: 'value_error',
        loc: ['body', 'file'],
        msg: "Value error, Expected UploadFile, received: <class 'str'>",
        input: 'not a file',
        ctx: { error: {} },
      },
      expect.objectContaining({ loc: ['body', 'pages'], type: 'int_parsing', input: 'many' }),
    ]);
    // JSON where a form is declared: no parts, so each required one is missing.
    const json = await upload(server, '{"file":1}');
    expect(json.json().detail).toEqual([
      { type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: {} },
    ]);
  });

  it('answers 400 for a form the platform cannot parse', async () => {
    const server = await startRoutesMock(routes);
    const answer = await call(server, `/things/${THING_ID}/files`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'not a multipart body',
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      error: 'invalid_body',
      message: 'There was an error parsing the body',
    });
  });
});

describe('handlers by operationId', () => {
  it('answer valid requests of their operation; undefined falls through to the default', async () => {
    const calls: string[] = [];
    const server = await startRoutesMock(routes, {
      handlers: {
        listThings: (request) => {
          calls.push(request.url);
          if (request.params.query.kind === 'part') return undefined;
          return {
            status: 503,
            body: { error: 'busy', message: 'try later' },
            headers: { 'retry-after': '1' },
          };
        },
        watchThings: () => ({
          status: 200,
          events: [{ data: 'a\nb', event: 'tick', retry: 5 }, { data: 'plain' }],
        }),
      },
      eventDelayMs: 1,
    });
    const busy = await call(server, '/things?kind=tool');
    expect([busy.status, busy.json(), busy.headers.get('retry-after')]).toEqual([
      503,
      { error: 'busy', message: 'try later' },
      '1',
    ]);
    expect((await call(server, '/things?kind=part')).status).toBe(200);
    expect(calls).toEqual(['/things?kind=tool', '/things?kind=part']);
    const events = await call(server, '/things/events', { signal: AbortSignal.timeout(3000) });
    expect(events.text).toBe('event: tick\nretry: 5\ndata: a\ndata: b\n\ndata: plain\n\n');
  });

  it('refuses handlers for operations the table lacks', async () => {
    await expect(
      startRoutesMock(routes, { handlers: { listThingz: () => undefined } }),
    ).rejects.toThrow('startMockServer: handlers for operations the spec lacks: listThingz');
    const two = { listThingz: () => undefined, getThings: () => undefined };
    await expect(startRoutesMock(routes, { handlers: two })).rejects.toThrow(
      'handlers for operations the spec lacks: listThingz, getThings',
    );
  });
});
