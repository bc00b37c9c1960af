/**
 * The mock's runtime on the media types beyond JSON and on cookie parameters, over a route table
 * written as the generator writes one: forms, text and bytes in, text and bytes out, cookies read
 * as FastAPI reads them, and an operation whose answer has no sample.
 */
import { describe, expect, it } from 'vitest';
import { any, array, integer, object, string, stringBounds } from '../../src/core/check.js';
import { SAMPLE_BYTES } from '../../src/testing/answers.js';
import type { MockRoute } from '../../src/testing/routes.js';
import type { MockRequest } from '../../src/testing/types.js';
import { call, startRoutesMock } from '../support/mock-servers.js';

const routes: MockRoute[] = [
  {
    id: 'login',
    method: 'POST',
    path: '/login',
    match: /^\/login$/,
    body: {
      kind: 'form',
      check: object({
        username: [string(), true],
        remember: [integer()],
        scopes: [array(string())],
      }),
      required: true,
      files: [],
      fields: { username: 'string', remember: 'integer', scopes: 'string[]' },
    },
    status: 200,
    response: 'text',
    mediaType: 'text/html',
    sample: '<p>welcome</p>',
  },
  {
    id: 'saveConfig',
    method: 'POST',
    path: '/config',
    match: /^\/config$/,
    body: { kind: 'text', check: stringBounds(0, 10), required: true },
    status: 204,
    response: 'empty',
  },
  {
    id: 'putSnapshot',
    method: 'PUT',
    path: '/snapshot',
    match: /^\/snapshot$/,
    body: { kind: 'binary', check: any, required: true },
    status: 200,
    response: 'binary',
    mediaType: 'application/octet-stream',
  },
  {
    id: 'whoami',
    method: 'GET',
    path: '/me',
    match: /^\/me$/,
    params: {
      check: object({
        cookie: [object({ session: [string(), true], ids: [array(integer())] }), true],
      }),
      in: { cookie: { session: 'string', ids: 'integer[]' } },
    },
    status: 200,
    response: 'object',
    sample: { ok: true },
  },
  {
    id: 'getPrice',
    method: 'GET',
    path: '/price',
    match: /^\/price$/,
    status: 200,
    response: 'object',
    unsampled: 'Price.amount: no sample string found for the pattern ^a(?!a)a$',
  },
];

/** A server whose handlers keep the request each operation received, then fall through. */
async function recording() {
  const seen: MockRequest[] = [];
  const keep = (request: MockRequest) => void seen.push(request);
  const handlers = Object.fromEntries(routes.map((r) => [r.id, keep]));
  return Object.assign(await startRoutesMock(routes, { handlers }), { seen });
}

describe('request bodies beyond JSON', () => {
  it('a urlencoded form reads as FastAPI reads Form(): kinds parsed, lists repeated', async () => {
    const server = await recording();
    const body = 'username=ada&remember=1&scopes=a&scopes=b';
    const ok = await call(server, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect([ok.status, ok.headers.get('content-type'), ok.text]).toEqual([
      200,
      'text/html',
      '<p>welcome</p>',
    ]);
    const bad = await call(server, '/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'remember=x',
    });
    expect(bad.status).toBe(422);
    expect(bad.json().detail.map((d: { loc: unknown }) => d.loc)).toEqual([
      ['body', 'username'],
      ['body', 'remember'],
    ]);
  });

  it('text is judged as sent; a required raw body that is missing is a missing field', async () => {
    const server = await recording();
    const send = (body?: string) =>
      call(server, '/config', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect((await send('a=1')).status).toBe(204);
    expect(server.seen.at(-1)!.rawBody).toBe('a=1');
    const long = await send('x'.repeat(11));
    expect([long.status, long.json().detail[0].type]).toEqual([422, 'string_too_long']);
    const none = await send();
    expect([none.status, none.json().detail[0]]).toMatchObject([
      422,
      { type: 'missing', loc: ['body'] },
    ]);
  });

  it('bytes pass as sent, and bytes come back byte for byte', async () => {
    const server = await recording();
    const bytes = new Uint8Array([0, 255, 128, 7]);
    const response = await fetch(`${server.url}/snapshot`, {
      method: 'PUT',
      headers: { 'x-api-key': server.apiKey, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(SAMPLE_BYTES);
  });
});

describe('cookie parameters', () => {
  it('are read from the cookie header, typed as declared, and validated', async () => {
    const server = await recording();
    const ok = await call(server, '/me', {
      headers: { cookie: 'theme=dark; session=a%20b; ids=1,2' },
    });
    expect(ok.status).toBe(200);
    expect(server.seen.at(-1)!.params.cookie).toEqual({ session: 'a b', ids: [1, 2] });
    const bad = await call(server, '/me', { headers: { cookie: 'ids=x' } });
    expect(bad.status).toBe(422);
    expect(bad.json().detail.map((d: { loc: unknown }) => d.loc)).toEqual([
      ['cookie', 'session'],
      ['cookie', 'ids', 0],
    ]);
  });
});

describe('an answer without a sample', () => {
  it('is a 501 naming the schema, unless a handler answers', async () => {
    const server = await startRoutesMock(routes);
    const answer = await call(server, '/price');
    expect(answer.status).toBe(501);
    expect(answer.json()).toEqual({
      error: 'no_sample',
      message:
        'The mock has no sample answer for getPrice: Price.amount: no sample string found for the pattern ^a(?!a)a$. To test it, give startMockServer a handler for getPrice.',
    });
    const handled = await startRoutesMock(routes, {
      handlers: { getPrice: () => ({ status: 200, body: { amount: 'aa' } }) },
    });
    expect((await call(handled, '/price')).json()).toEqual({ amount: 'aa' });
  });
});
