/**
 * Mock servers for a test, closed after it: the one hook the mock's test files share. Requests go
 * out with plain fetch and the server's key.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startMockServer } from '../../src/testing/index.js';
import { serveRoutes, type RouteServerOptions } from '../../src/testing/mock-server.js';
import type { MockRoute } from '../../src/testing/routes.js';
import type { MockServer, MockServerOptions } from '../../src/testing/types.js';

const open: MockServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

const track = (server: MockServer) => (open.push(server), server);

/** The mock of the vendored spec. */
export const startSeedMock = async (options?: MockServerOptions) =>
  track(await startMockServer(options));

/**
 * One mock of the vendored spec for a whole test file, its request log emptied before each test:
 * `const server = useSeedMock();` then `server().url`.
 */
export function useSeedMock(): () => MockServer {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });
  return () => server;
}

/** A mock of a route table of the test's own. */
export const startRoutesMock = async (routes: MockRoute[], options?: RouteServerOptions) =>
  track(await serveRoutes(routes, options));

/** `fetch` of `path` on the server, with its key unless `headers` says otherwise. */
export async function call(server: MockServer, path: string, init: RequestInit = {}) {
  const response = await fetch(server.url + path, {
    ...init,
    headers: { 'x-api-key': server.apiKey, ...(init.headers as Record<string, string>) },
  });
  const text = await response.text();
  const json = () => JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}
