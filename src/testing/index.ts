/**
 * `@featherhq/sdk/testing`: a Feather API on loopback, for your tests and the demo (Node only).
 *
 * It serves every operation of the spec the SDK was generated from (src/generated/mock.ts), and
 * answers like the real FastAPI service:
 * - 404 for an unknown path, 405 for a known path with another method;
 * - 401 `{ error, message }` without the right `x-api-key`;
 * - 400 for a JSON body that is not JSON;
 * - 422 `{ detail: [{ type, loc, msg, input, ctx? }] }`, one item per problem of the parameters
 *   (read as FastAPI reads them) and the body (multipart included), as the generated validators
 *   find them;
 * - otherwise a 2xx from the spec: a sample body that the spec's schema accepts, several pages
 *   for a paginated list, a few events for an event stream, nothing for a 204, and runs
 *   dispatched through `dispatchSimulationRun` (recorded in `runs`, read back by
 *   `getSimulationRun` where the spec has it).
 *
 * `handler` answers any request first (a 429, a 500...); `handlers` answer single operations by
 * operationId, in place of the default 2xx.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Issue } from '../core/check.js';
import { mockRoutes } from '../generated/mock.js';
import { defaultAnswer, type AnswerSettings } from './answers.js';
import { formFields, parseBody, type ParsedBody } from './body.js';
import { readParams } from './params.js';
import type { Stores } from './resources.js';
import { details, type Detail } from './pydantic.js';
import { findRoute, type MockRoute } from './routes.js';
import { errorReply, listen, type IncomingRequest } from './server.js';
import type {
  MockOperationId,
  MockReply,
  MockRequest,
  MockServer,
  MockServerOptions,
  RecordedRequest,
} from './types.js';

export type {
  MockEvent,
  MockHandler,
  MockOperationId,
  MockReply,
  MockRequest,
  MockServer,
  MockServerOptions,
  RecordedRequest,
} from './types.js';

interface Context {
  options: MockServerOptions;
  apiKey: string;
  requests: RecordedRequest[];
  settings: AnswerSettings;
}

/** The request's problems, as FastAPI answers them: a 400 for a body it cannot read, else a 422. */
function problems(
  route: MockRoute,
  request: MockRequest,
  parsed: ParsedBody,
): MockReply | undefined {
  const declared = route.body;
  let body = parsed.body;
  if (declared?.kind === 'json' && (parsed.invalid || (declared.required && body === undefined))) {
    return errorReply(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (declared?.kind === 'multipart') {
    if (parsed.invalid)
      return errorReply(400, 'invalid_body', 'There was an error parsing the body');
    body = parsed.form || declared.required ? formFields(route, parsed) : undefined;
  }
  const found: Detail[] = [];
  const check = (run: (issues: Issue[]) => unknown, root: unknown, where: 'body' | 'params') => {
    const issues: Issue[] = [];
    run(issues);
    found.push(...details(issues, root, where));
  };
  if (route.params)
    check((o) => route.params!.check(request.params, [], o), request.params, 'params');
  if (declared && body !== undefined) check((o) => declared.check(body, [], o), body, 'body');
  return found.length ? { status: 422, body: { detail: found } } : undefined;
}

async function respond(context: Context, incoming: IncomingRequest): Promise<MockReply> {
  const { method, headers, bytes } = incoming;
  const url = new URL(incoming.url, 'http://mock.invalid');
  const found = findRoute(mockRoutes, method, url.pathname);
  const parsed = await parseBody(bytes, headers['content-type']);
  const request: RecordedRequest = {
    method,
    path: url.pathname,
    url: incoming.url,
    headers,
    rawBody: bytes.toString('utf8'),
    body: parsed.body,
    operationId: found.route?.id,
  };
  context.requests.push(request);
  const custom = await context.options.handler?.(request);
  if (custom) return custom;
  const { route } = found;
  if (!route) {
    return found.status === 405
      ? errorReply(405, 'method_not_allowed', 'Method Not Allowed')
      : errorReply(404, 'not_found', `No route ${url.pathname}`);
  }
  if (headers['x-api-key'] !== context.apiKey) {
    return errorReply(401, 'unauthorized', 'Missing or invalid API key');
  }
  request.params = readParams(route, found.pathValues, url.searchParams, headers);
  const operation = request as MockRequest;
  const handler = context.options.handlers?.[route.id as MockOperationId];
  return (
    problems(route, operation, parsed) ??
    (await handler?.(operation)) ??
    defaultAnswer(route, operation, context.settings)
  );
}

/** Handlers for operations the spec lacks are typos: say so rather than never calling them. */
function checkHandlers(handlers: MockServerOptions['handlers'] = {}): void {
  const unknown = Object.keys(handlers).filter((id) => !mockRoutes.some((r) => r.id === id));
  if (unknown.length) {
    throw new Error(
      `startMockServer: handlers for operations the spec lacks: ${unknown.join(', ')}`,
    );
  }
}

/** Starts the mock Feather API on 127.0.0.1; `close()` stops it. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  checkHandlers(options.handlers);
  const apiKey = options.apiKey ?? `sk_test_${randomBytes(12).toString('hex')}`;
  const stores: Stores = new Map(
    mockRoutes.flatMap((route) => (route.creates ? [[route.creates.store, []]] : [])),
  );
  const settings: AnswerSettings = {
    stores,
    organizationId: options.organizationId ?? randomUUID(),
    pages: options.pages ?? 3,
    pageSize: options.pageSize ?? 2,
  };
  const context: Context = { options, apiKey, requests: [], settings };
  const answer = (request: IncomingRequest) => respond(context, request);
  const server = await listen(options.port ?? 0, answer, options.eventDelayMs ?? 10);
  return {
    url: `http://127.0.0.1:${server.port}`,
    apiKey,
    requests: context.requests,
    runs: (stores.get('SimulationRun') ?? []) as MockServer['runs'],
    close: server.close,
  };
}
