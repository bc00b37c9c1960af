/**
 * The mock server over a route table: each request recorded, routed, its key checked, validated,
 * then answered by the caller's handlers or by default (answers.ts). `startMockServer` serves the
 * generated table; tests of the runtime serve tables of their own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { defaultAnswer, type AnswerSettings } from './answers.js';
import { parseBody } from './body.js';
import { readParams } from './params.js';
import type { Stores } from './resources.js';
import { findRoute, type MockRoute } from './routes.js';
import { errorReply, listen, type IncomingRequest } from './server.js';
import type {
  MockHandler,
  MockReply,
  MockRequest,
  MockServer,
  MockServerOptions,
  RecordedRequest,
} from './types.js';
import { problems } from './validate.js';

const NO_KEY = 'No valid API key was provided. Pass your key in the x-api-key header.';

/** The options, with handlers for any operationId of the table. */
export type RouteServerOptions = Omit<MockServerOptions, 'handlers'> & {
  handlers?: Record<string, MockHandler | undefined>;
};

interface Context {
  routes: readonly MockRoute[];
  options: RouteServerOptions;
  apiKey: string;
  requests: RecordedRequest[];
  settings: AnswerSettings;
}

async function respond(context: Context, incoming: IncomingRequest): Promise<MockReply> {
  const { method, headers, bytes } = incoming;
  const url = new URL(incoming.url, 'http://mock.invalid');
  const found = findRoute(context.routes, method, url.pathname);
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
    // Feather's own words for a missing or wrong key (authentication.mdx, "401").
    return errorReply(401, 'authentication_required', NO_KEY);
  }
  request.params = readParams(route, found.pathValues, url.searchParams, headers);
  const operation = request as MockRequest;
  const handler = context.options.handlers?.[route.id];
  return (
    problems(route, operation, parsed) ??
    (await handler?.(operation)) ??
    defaultAnswer(route, operation, context.settings)
  );
}

/** Handlers for operations the spec lacks are typos: say so rather than never calling them. */
function checkHandlers(routes: readonly MockRoute[], handlers = {}): void {
  const unknown = Object.keys(handlers).filter((id) => !routes.some((r) => r.id === id));
  if (unknown.length) {
    throw new Error(
      `startMockServer: handlers for operations the spec lacks: ${unknown.join(', ')}`,
    );
  }
}

/** Serves `routes` on 127.0.0.1; `close()` stops it. */
export async function serveRoutes(
  routes: readonly MockRoute[],
  options: RouteServerOptions = {},
): Promise<MockServer> {
  checkHandlers(routes, options.handlers);
  const apiKey = options.apiKey ?? `sk_test_${randomBytes(12).toString('hex')}`;
  const stores: Stores = new Map(
    routes.flatMap((route) => (route.creates ? [[route.creates.store, []]] : [])),
  );
  const settings: AnswerSettings = {
    stores,
    organizationId: options.organizationId ?? randomUUID(),
    pages: options.pages ?? 3,
    pageSize: options.pageSize ?? 2,
    runStatuses: options.runStatuses ?? [],
  };
  const context: Context = { routes, options, apiKey, requests: [], settings };
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
