/**
 * operation(): every kind of spec the generator writes, built by hand, against loopback servers:
 * which methods retry, optional bodies, 2xx answers without a schema, and response checks.
 */
import { describe, expect, it } from 'vitest';
import {
  createFeatherCore,
  dispatchSimulationRun,
  FeatherError,
  InternalServerError,
  InvalidResponseError,
  RequestValidationError,
} from '@featherhq/sdk';
import { integer, object } from '../../src/core/check.js';
import { encoded, operation, type OperationSpec } from '../../src/core/operation.js';
import { idempotencyKey } from '../../src/core/idempotency.js';
import { withParams } from '../../src/core/params.js';
import { withChecks } from '../../src/core/response.js';
import { eventStream, Stream } from '../../src/core/streaming.js';
import { multipart } from '../../src/core/uploads.js';
import { raw, sequence, serve, status } from '../support/loopback.js';

const make = (url: string, options = {}) =>
  createFeatherCore({ apiKey: 'sk_test_ops', baseUrl: url, retryBaseDelayMs: 1, ...options });
const spec = (fields: Partial<OperationSpec>): OperationSpec => ({
  id: 'op',
  method: 'GET',
  path: '/things',
  input: 'none',
  response: 'empty',
  ...fields,
});
// Built by hand, so its type is left open: the type tests cover `Operation<Op, Shape>`.
const build = (fields: Partial<OperationSpec>) => operation(spec(fields)) as any;

describe('operation(): the shapes of call a spec can generate', () => {
  it('retries idempotent methods after a 500 by default, never POST or PATCH', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']) {
      const server = await serve(sequence(status(500), status(204, {}, '')));
      await expect(build({ method })(make(server.url)), method).resolves.toBeUndefined();
      expect(server.requests, method).toBe(2);
    }
    for (const method of ['POST', 'PATCH']) {
      const server = await serve(sequence(status(500), status(204, {}, '')));
      await expect(build({ method })(make(server.url)), method).rejects.toBeInstanceOf(
        InternalServerError,
      );
      expect(server.requests, method).toBe(1);
    }
  });

  it('input "none": the first argument is the request options', async () => {
    const server = await serve((req, res) =>
      status(200, {}, { trace: req.headers['x-trace'] })(res),
    );
    const call = build({ response: 'object' });
    await expect(call(make(server.url), { headers: { 'x-trace': 't1' } })).resolves.toEqual({
      trace: 't1',
    });
    expect([server.seen[0].method, server.seen[0].url, server.seen[0].body]).toEqual([
      'GET',
      '/things',
      '',
    ]);
  });

  it('input "params": the URL from the parameters, the body from `body`', async () => {
    const server = await serve(sequence(status(200, {}, { ok: 1 })));
    const call = build({ method: 'PUT', path: '/things/{id}', input: 'params', withParams });
    await call(make(server.url), {
      params: { path: { id: 'a' }, query: { q: 1 } },
      body: { x: 2 },
    });
    // No arguments at all: no parameters, no body.
    await call(make(server.url));
    expect(server.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['PUT', '/things/a?q=1', '{"x":2}'],
      ['PUT', '/things/%7Bid%7D', ''],
    ]);
  });

  it('an optional body may be left out; a present one is still validated', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const body = object({ a: [integer(), true] });
    const optional = build({ method: 'POST', path: '/o', input: 'body', body, bodyOptional: true });
    const required = build({ method: 'POST', path: '/r', input: 'body', body });
    await expect(optional(make(server.url))).resolves.toBeUndefined();
    await expect(optional(make(server.url), {})).rejects.toThrow('a: is required');
    await expect(required(make(server.url))).rejects.toBeInstanceOf(RequestValidationError);
    await expect(required(make(server.url), { a: 1 })).resolves.toBeUndefined();
    expect(server.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/o', ''],
      ['POST', '/r', '{"a":1}'],
    ]);
  });

  it('without a response schema, an empty 2xx is undefined and JSON is parsed', async () => {
    const server = await serve(sequence(raw(200, ''), status(200, {}, [1, 2])));
    await expect(build({})(make(server.url))).resolves.toBeUndefined();
    await expect(build({})(make(server.url))).resolves.toEqual([1, 2]);
  });

  it('"json" parses any JSON value; "object" refuses anything but an object', async () => {
    const server = await serve(sequence(status(200, {}, [1]), status(200, {}, [1]), raw(200, '')));
    await expect(build({ response: 'json' })(make(server.url))).resolves.toEqual([1]);
    await expect(build({ response: 'object' })(make(server.url))).rejects.toThrow(
      '200 response is not a JSON object: [1]',
    );
    await expect(build({ response: 'json' })(make(server.url))).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });
});

describe('operation(): uploads, event streams and headers', () => {
  const upload = (fields: Partial<OperationSpec> = {}) =>
    build({
      method: 'POST',
      path: '/files',
      input: 'body',
      encode: encoded(multipart(['file'], 'uploadFile')),
      bodyOptional: true,
      ...fields,
    });

  it('sends an upload as multipart/form-data, and no body when it is left out', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    await upload()(make(server.url), { file: new Blob(['file-bytes']), note: 'n' });
    await upload()(make(server.url));
    const [sent, empty] = server.seen;
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.headers['x-api-key']).toBe('sk_test_ops'); // the client's headers, and the encoder's
    expect(sent.body).toContain('file-bytes');
    expect(sent.body).toMatch(/name="note"\r\n\r\nn\r\n/);
    expect([empty.headers['content-type'], empty.body]).toEqual([undefined, '']);
  });

  it('never follows a redirect with an upload: one request, and an error', async () => {
    const server = await serve(sequence(status(307, { location: '/files/again' }, '')));
    const error = await upload()(make(server.url, { maxRetries: 0 }), {
      file: new Blob(['x']),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeatherError);
    expect(server.seen.map((s) => s.url)).toEqual(['/files']);
  });

  it('reads a 2xx with the reader it is given, and asks for its type', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: 1\n\n');
    });
    const stream = await build({ response: eventStream })(make(server.url));
    expect(stream).toBeInstanceOf(Stream);
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([{ data: '1' }]);
    expect(server.seen[0].headers.accept).toBe('text/event-stream');
  });

  it('sends no accept header of its own for JSON, and a null header option removes one', async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const core = make(server.url, { headers: { 'x-team': 'a', 'x-keep': 'k' } });
    await build({})(core, { headers: { 'x-team': null } });
    const { headers } = server.seen[0];
    expect(headers.accept).toBe('*/*'); // fetch's own default
    expect([headers['x-team'], headers['x-keep']]).toEqual([undefined, 'k']);
  });

  it("fills a header idempotency key, and keeps the caller's own", async () => {
    const server = await serve(sequence(status(204, {}, '')));
    const call = build({
      method: 'POST',
      input: 'params',
      withParams,
      idempotencyKey: idempotencyKey('header', 'idempotency-key'),
    });
    await call(make(server.url), { params: { header: { 'idempotency-key': 'mine' } } });
    await call(make(server.url));
    const [given, filled] = server.seen.map((s) => s.headers['idempotency-key']);
    expect(given).toBe('mine');
    expect(filled).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the call by method and path in a validation error', async () => {
    const call = build({ method: 'POST', path: '/runs', input: 'body', body: object({}) });
    await expect(call(make('http://127.0.0.1:9'), 1)).rejects.toThrow(
      /^Invalid request for POST \/runs, not sent:/,
    );
  });
});

describe('response checks', () => {
  it('checks the 2xx body with the check of its operationId', async () => {
    const server = await serve(sequence(status(200, { 'x-request-id': 'r1' }, -1)));
    const checks = withChecks({ op: integer(0) });
    const call = build({ response: 'json' });
    const thrown = await call(
      make(server.url, { validateResponses: true, responseChecks: checks }),
    ).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(InvalidResponseError);
    expect(thrown).toMatchObject({
      status: 200,
      requestId: 'r1',
      body: -1,
      message: '200 response does not match the spec:\n  (body): must be >= 0',
      issues: [{ path: [], rule: 'minimum' }],
    });
  });

  it('an operation the checks do not know is an error, not a pass', async () => {
    const server = await serve(sequence(status(200, {}, 1)));
    const call = build({ id: 'unknownOp', response: 'json' });
    await expect(
      call(
        make(server.url, {
          validateResponses: true,
          responseChecks: withChecks({ op: integer() }),
        }),
      ),
    ).rejects.toThrow('responseChecks has no check for unknownOp: it comes from another spec');
  });

  it('validateResponses on a bare core needs responseChecks', async () => {
    const server = await serve(sequence(status(201, {}, { id: 'run' })));
    const core = make(server.url, { validateResponses: true });
    const id = '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d';
    const error = await dispatchSimulationRun(core, {
      agent_id: id,
      persona_id: id,
      scenario_id: id,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeatherError);
    expect((error as Error).message).toBe(
      'validateResponses on createFeatherCore needs `responseChecks` (see ClientOptions)',
    );
  });
});
