/**
 * Small HTTP servers on 127.0.0.1 for tests that need a real peer: each counts the requests that
 * reach it and answers through a handler, after the whole request has arrived.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Loopback {
  url: string;
  /** Requests received, counted as soon as their headers arrive. */
  requests: number;
  /** `Date.now()` at the arrival of each request. */
  arrivals: number[];
  /** Method, URL, headers and body text of each request, once it has fully arrived. */
  seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
}

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
export type Reply = (res: ServerResponse) => void;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** Closes the server after the current test, along with every connection it still holds. */
function closeAfterTest(server: ReturnType<typeof createServer>) {
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
}

export async function serve(handler: Handler, port = 0): Promise<Loopback> {
  const state: Loopback = { url: '', requests: 0, arrivals: [], seen: [] };
  const server = createServer((req, res) => {
    const n = ++state.requests;
    state.arrivals.push(Date.now());
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      state.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, n);
    });
  });
  // Longer than any test: a client that left its socket referenced would show up as a hang.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeAfterTest(server);
  return state;
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Answers with each reply in turn, then repeats the last. */
export const sequence =
  (...replies: Reply[]): Handler =>
  (_req, res, n) =>
    replies[Math.min(n, replies.length) - 1](res);

export const status =
  (
    code: number,
    headers: Record<string, string> = {},
    body: unknown = { error: 'e', message: 'm' },
  ): Reply =>
  (res) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

/** A JSON answer, with an `x-request-id` of `req-<n>` (n: the request's number). */
export const json =
  (code: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res, n) => {
    res.writeHead(code, {
      'content-type': 'application/json',
      'x-request-id': `req-${n}`,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };

export const raw =
  (code: number, text: string, type = 'text/plain'): Reply =>
  (res) => {
    res.writeHead(code, { 'content-type': type });
    res.end(text);
  };
