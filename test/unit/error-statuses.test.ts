/** Every non-2xx answer becomes its typed error, with the status, parsed body and server message. */
import { randomUUID } from 'node:crypto';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createFeatherClient,
  FeatherError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '@featherhq/sdk';
import { startMockServer, type MockReply, type MockServer } from '@featherhq/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let server: MockServer;
let next: MockReply | undefined;
beforeAll(async () => {
  server = await startMockServer({ handler: () => next });
});
afterAll(() => server.close());
beforeEach(() => {
  next = undefined;
  server.requests.length = 0;
});

const body = () => ({
  agent_id: randomUUID(),
  persona_id: randomUUID(),
  scenario_id: randomUUID(),
});
const client = (apiKey = server.apiKey) =>
  createFeatherClient({ apiKey, baseUrl: server.url, maxRetries: 0 });

async function failure(call: Promise<unknown>): Promise<APIError> {
  const error = await call.then(
    () => expect.fail('expected the call to throw'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeatherError);
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

describe('status -> error class', () => {
  it.each([
    [400, BadRequestError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
    [418, APIError],
  ])('%i is %o with the server message and parsed body', async (status, Class) => {
    next = {
      status,
      body: { error: 'some_code', message: `the server says ${status}` },
      headers: { 'x-request-id': `req_${status}` },
    };
    const error = await failure(client().dispatchSimulationRun(body()));
    expect(error).toBeInstanceOf(Class);
    expect(error.constructor).toBe(Class);
    expect(error.name).toBe(Class.name);
    expect(error.status).toBe(status);
    expect(error.body).toEqual(next.body);
    expect(error.message).toBe(`${status} the server says ${status}`);
    expect(error.requestId).toBe(`req_${status}`);
    expect(error.headers.get('content-type')).toBe('application/json');
    expect(server.requests).toHaveLength(1);
  });

  it('401 from a wrong key is an AuthenticationError with the server message', async () => {
    const error = await failure(client('sk_wrong').dispatchSimulationRun(body()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    const message = 'No valid API key was provided. Pass your key in the x-api-key header.';
    expect(error.body).toEqual({ error: 'authentication_required', message });
    expect(error.message).toBe(`401 ${message}`);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('422 from the server is an UnprocessableEntityError listing each detail as loc: msg', async () => {
    const feather = createFeatherClient({
      apiKey: server.apiKey,
      baseUrl: server.url,
      validate: false,
    });
    const bad = { ...body(), agent_id: 'nope', channel: 'video' } as never;
    const error = await failure(feather.dispatchSimulationRun(bad));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    const { detail } = (error as UnprocessableEntityError).body;
    expect(detail?.map((d) => d.loc)).toEqual([
      ['body', 'agent_id'],
      ['body', 'channel'],
    ]);
    expect(error.message).toBe(
      "422 body.agent_id: Input should be a valid UUID; body.channel: Input should be 'text' or 'voice'",
    );
  });

  it('keeps a non-JSON error body as text, in the message as an excerpt', async () => {
    next = { status: 502, body: '<html><body>Bad gateway</body></html>' };
    const error = await failure(client().dispatchSimulationRun(body()));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.body).toBe('<html><body>Bad gateway</body></html>');
    expect(error.message).toBe('502 <html><body>Bad gateway</body></html>');
  });

  it('says so when an error has no body', async () => {
    next = { status: 500 };
    const error = await failure(client().dispatchSimulationRun(body()));
    expect(error.body).toBe('');
    expect(error.message).toBe('500 status code (no body)');
    expect(error.requestId).toBeDefined();
  });

  it('has no requestId when the server sends none', async () => {
    next = { status: 404, body: { error: 'x', message: 'y' }, headers: { 'x-request-id': '' } };
    const error = await failure(client().dispatchSimulationRun(body()));
    expect(error.requestId).toBeUndefined();
  });
});
