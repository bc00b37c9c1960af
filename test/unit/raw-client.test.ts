/**
 * feather.client (openapi-fetch) gets the same policy as the methods, through openapi-fetch's
 * `fetch` option: the key, timeouts, safe retries, and the key redacted from anything it throws
 * or returns. Each rule is also tested on the methods (faults, security, retries tests).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  createFeatherClient,
  type ClientOptions,
} from '@featherhq/sdk';
import { closedPort, raw, sequence, serve, status } from '../support/loopback.js';

const KEY = 'sk_test_rawclient_SECRET_0123456789';
const RUN = { id: 'r1', status: 'pending' };
const body = () => ({
  agent_id: randomUUID(),
  persona_id: randomUUID(),
  scenario_id: randomUUID(),
});
const client = (url: string, options: ClientOptions = {}) =>
  createFeatherClient({ apiKey: KEY, baseUrl: url, retryBaseDelayMs: 1, ...options }).client;

describe('feather.client: one policy with the methods', () => {
  it('sends the key; a 503 then a 201 is retried and returns the data', async () => {
    const server = await serve(sequence(status(503), status(201, {}, RUN)));
    const { data, error } = await client(server.url).POST('/v1/simulation/runs', { body: body() });
    expect(error).toBeUndefined();
    expect(data).toEqual(RUN);
    expect(server.requests).toBe(2);
    expect(server.seen.map((s) => s.headers['x-api-key'])).toEqual([KEY, KEY]);
    expect(JSON.parse(server.seen[0].body)).toEqual(JSON.parse(server.seen[1].body));
  });

  it('a POST is never retried after a 500: { error } after one request', async () => {
    const server = await serve(sequence(status(500, {}, { error: 'boom', message: 'down' })));
    const { data, error, response } = await client(server.url).POST('/v1/simulation/runs', {
      body: body(),
    });
    expect(data).toBeUndefined();
    expect(error).toEqual({ error: 'boom', message: 'down' });
    expect(response.status).toBe(500);
    expect(server.requests).toBe(1);
  });

  it('a server that never answers: APIConnectionTimeoutError after timeoutMs, one request', async () => {
    const server = await serve(() => {});
    const started = Date.now();
    await expect(
      client(server.url, { timeoutMs: 150 }).POST('/v1/simulation/runs', { body: body() }),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.requests).toBe(1);
  });

  it('connection refused is retried (nothing was sent), then APIConnectionError', async () => {
    const port = await closedPort();
    await expect(
      client(`http://127.0.0.1:${port}`).POST('/v1/simulation/runs', { body: body() }),
    ).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('a key the server echoes is redacted from the error body and the headers it returns', async () => {
    const server = await serve(
      sequence(raw(401, `unknown key ${KEY}`), status(401, { 'x-echo': `key=${KEY}` })),
    );
    const first = await client(server.url).POST('/v1/simulation/runs', { body: body() });
    expect(String(first.error)).toBe('unknown key [redacted]');
    const second = await client(server.url).POST('/v1/simulation/runs', { body: body() });
    expect(second.response.headers.get('x-echo')).toBe('key=[redacted]');
    expect(JSON.stringify([first, second])).not.toContain(KEY);
  });

  it('a FormData body goes out as multipart: the client forces no JSON content type', async () => {
    const server = await serve(sequence(status(201, {}, RUN)));
    const form = new FormData();
    form.append('note', 'hello');
    await client(server.url).POST('/v1/simulation/runs', {
      body: form as never,
      bodySerializer: (b: unknown) => b as FormData,
    });
    expect(server.seen[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(server.seen[0].body).toContain('hello');
  });
});
