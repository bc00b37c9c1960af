/**
 * Bodies and answers that are not JSON (src/core/bodies.ts, readers.ts) and cookie parameters
 * (cookies.ts), through operation() as the generator writes it, against loopback servers: what
 * goes on the wire, what the caller gets back, and the same policy as JSON calls (validation,
 * retries, timeouts, typed errors, redaction).
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  APIConnectionTimeoutError,
  createFeatherCore,
  InvalidResponseError,
  logging,
  NotFoundError,
  RequestValidationError,
} from '@featherhq/sdk';
import { binaryBody, jsonBody, textBody, urlEncoded } from '../../src/core/bodies.js';
import { any, array, integer, object, string, stringBounds, upload } from '../../src/core/check.js';
import { withCookies } from '../../src/core/cookies.js';
import { encoded, operation, type OperationSpec } from '../../src/core/operation.js';
import { blobAnswer, textAnswer } from '../../src/core/readers.js';
import { withChecks } from '../../src/core/response.js';
import { recorder } from '../support/log-recorder.js';
import { raw, sequence, serve, status } from '../support/loopback.js';
import { rawServer } from '../support/raw-server.js';

const KEY = 'sk_test_media_0123456789abcdef';
const make = (url: string, options = {}) =>
  createFeatherCore({ apiKey: KEY, baseUrl: url, retryBaseDelayMs: 1, ...options });
const build = (fields: Partial<OperationSpec>) =>
  operation({
    id: 'op',
    method: 'POST',
    path: '/things',
    input: 'body',
    response: 'empty',
    ...fields,
  }) as any;
/** Bytes that are not UTF-8 text: they must arrive and come back unchanged. */
const BYTES = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 200) % 256);

/** A server that keeps each request's body as bytes, and answers 204. */
async function bytesServer(
  reply: (res: ServerResponse) => void = (res) => void res.writeHead(204).end(),
) {
  const bodies: { type?: string; bytes: Buffer }[] = [];
  const server = await rawServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    bodies.push({ type: req.headers['content-type'], bytes: Buffer.concat(chunks) });
    reply(res);
  });
  return Object.assign(server, { bodies });
}

describe('request bodies', () => {
  it('application/x-www-form-urlencoded: openapi-fetch serializes, lists as repeated keys', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const call = build({ body: any, encode: encoded(urlEncoded()) });
    await call(make(server.url), { name: 'Ada Lovelace & co', tags: ['a', 'b/c'], gone: null });
    const [seen] = server.seen;
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(seen.body);
    expect([form.get('name'), form.getAll('tags'), form.has('gone')]).toEqual([
      'Ada Lovelace & co',
      ['a', 'b/c'],
      false,
    ]);
  });

  it('text: the string as is, in the declared media type; a non-string is refused unsent', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const call = build({ body: string(), encode: encoded(textBody('text/csv')) });
    await call(make(server.url), 'a,b\n1,"é"\n');
    expect([server.seen[0].headers['content-type'], server.seen[0].body]).toEqual([
      'text/csv',
      'a,b\n1,"é"\n',
    ]);
    await expect(call(make(server.url), 5)).rejects.toBeInstanceOf(RequestValidationError);
    expect(server.requests).toBe(1);
  });

  it('JSON of another media type keeps its type', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const call = build({ body: any, encode: encoded(jsonBody('application/merge-patch+json')) });
    await call(make(server.url), { name: null });
    expect([server.seen[0].headers['content-type'], server.seen[0].body]).toEqual([
      'application/merge-patch+json',
      '{"name":null}',
    ]);
  });

  it("binary: a Blob, bytes or an ArrayBuffer arrive byte for byte; a wildcard type takes the Blob's", async () => {
    const server = await bytesServer();
    const octets = build({ body: upload, encode: encoded(binaryBody('application/octet-stream')) });
    const images = build({ body: upload, encode: encoded(binaryBody('image/*')) });
    await octets(make(server.url), BYTES);
    await octets(make(server.url), BYTES.buffer);
    await images(make(server.url), new Blob([BYTES], { type: 'image/png' }));
    await images(make(server.url), new Blob([BYTES]));
    expect(server.bodies.map((b) => b.type)).toEqual([
      'application/octet-stream',
      'application/octet-stream',
      'image/png',
      'application/octet-stream',
    ]);
    for (const body of server.bodies) expect(new Uint8Array(body.bytes)).toEqual(BYTES);
    await expect(octets(make(server.url), 'text')).rejects.toBeInstanceOf(RequestValidationError);
    expect(server.bodies).toHaveLength(4);
  });

  it('binary: a stream is streamed, and never sent twice (a 500 is not retried)', async () => {
    let first = true;
    const server = await bytesServer((res) => {
      res.writeHead(first ? 500 : 204).end();
      first = false;
    });
    const call = build({
      method: 'PUT',
      body: upload,
      encode: encoded(binaryBody('application/pdf')),
    });
    const stream = new Blob([BYTES, BYTES]).stream();
    await expect(call(make(server.url), stream)).rejects.toMatchObject({ status: 500 });
    expect(server.bodies).toHaveLength(1);
    expect(new Uint8Array(server.bodies[0].bytes)).toEqual(new Uint8Array([...BYTES, ...BYTES]));
    // The same call with bytes, which can be sent again, is retried.
    await call(make(server.url), BYTES);
    expect(server.bodies).toHaveLength(2);
  });
});

describe('answers', () => {
  it('text: a string, asked for with `accept`; checked against its schema when asked', async () => {
    const server = await serve(sequence(raw(200, '<p>hé</p>', 'text/html; charset=utf-8')));
    const call = build({ method: 'GET', input: 'none', response: textAnswer('text/html') });
    await expect(call(make(server.url))).resolves.toBe('<p>hé</p>');
    expect(server.seen[0].headers.accept).toBe('text/html');
    const strict = make(server.url, {
      validateResponses: true,
      responseChecks: withChecks({ op: stringBounds(0, 3) }),
    });
    await expect(call(strict)).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('binary: a Blob of the exact bytes; `.asResponse()` hands the body over unread', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(BYTES);
    });
    const call = build({
      method: 'GET',
      input: 'none',
      response: blobAnswer('application/octet-stream'),
    });
    const blob: Blob = await call(make(server.url));
    expect(blob).toBeInstanceOf(Blob);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(BYTES);
    const response: Response = await call(make(server.url)).asResponse();
    expect(response.bodyUsed).toBe(false);
    expect(response.body).toBeInstanceOf(ReadableStream);
    expect(new Uint8Array(await new Response(response.body).arrayBuffer())).toEqual(BYTES);
  });

  it('go through the same policy: retried after a 503, typed errors, timeouts', async () => {
    const server = await serve(sequence(status(503), raw(200, 'ok')));
    const call = build({ method: 'GET', input: 'none', response: textAnswer('text/plain') });
    await expect(call(make(server.url))).resolves.toBe('ok');
    expect(server.requests).toBe(2);
    const missing = await serve(sequence(status(404)));
    await expect(call(make(missing.url))).rejects.toBeInstanceOf(NotFoundError);
    // A body that never ends: the timeout covers reading it, not only the headers.
    const stall = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    await expect(call(make(stall.url, { timeoutMs: 300, maxRetries: 0 }))).rejects.toBeInstanceOf(
      APIConnectionTimeoutError,
    );
  });

  it('never log the key, in a form body or a URL', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const log = recorder();
    const call = build({ body: any, encode: encoded(urlEncoded()) });
    const hooks = [logging({ level: 'debug', logger: log.logger })];
    await call(make(server.url, { hooks }), { token: KEY });
    expect(server.seen[0].body).toContain(KEY);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.text()).not.toContain(KEY);
  });
});

describe('cookie parameters', () => {
  const params = object({ cookie: [object({ session: [string()], ids: [array(integer())] })] });

  it("go in the cookie header, after the client's own cookies, serialized by openapi-fetch", async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const call = build({ method: 'GET', input: 'params', params, withParams: withCookies });
    const core = make(server.url, { headers: { cookie: 'theme=dark' } });
    await call(core, { params: { cookie: { session: 'a b;c', ids: [1, 2] } } });
    await call(make(server.url), { params: { cookie: {} } });
    expect(server.seen.map((s) => s.headers.cookie)).toEqual([
      'theme=dark; session=a%20b%3Bc; ids=1,2',
      undefined,
    ]);
    await expect(call(core, { params: { cookie: { session: 5 } } })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(server.requests).toBe(2);
  });
});
