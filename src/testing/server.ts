/**
 * The HTTP side of the mock: a server on 127.0.0.1 that reads each request whole, adds CORS
 * headers (browsers on another origin use the mock in tests), and writes the reply: JSON, text, or
 * an event stream sent event by event.
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockEvent, MockReply } from './types.js';

export interface IncomingRequest {
  method: string;
  /** The path and query string, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
}

export interface Listening {
  port: number;
  close(): Promise<void>;
}

export const errorReply = (status: number, error: string, message: string): MockReply => ({
  status,
  body: { error, message },
});

/** `id`, `event`, `retry`, then one `data:` line per line of `data`, and the blank line. */
export function eventText(event: MockEvent): string {
  const lines = [
    event.id !== undefined && `id: ${event.id}`,
    event.event !== undefined && `event: ${event.event}`,
    event.retry !== undefined && `retry: ${event.retry}`,
    ...event.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`),
  ];
  return `${lines.filter(Boolean).join('\n')}\n\n`;
}

async function writeEvents(res: ServerResponse, events: MockEvent[], delayMs: number) {
  res.flushHeaders();
  for (const [i, event] of events.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // Stryker disable next-line ConditionalExpression: equivalent, writes to a gone client are dropped; this only stops sooner
    if (res.destroyed) return; // the client went away
    res.write(eventText(event));
  }
  res.end();
}

async function writeReply(res: ServerResponse, reply: MockReply, delayMs: number) {
  const { status, body, headers, events } = reply;
  const text = typeof body === 'string';
  const bytes = body instanceof Uint8Array;
  const type = events
    ? 'text/event-stream'
    : text
      ? 'text/plain'
      : bytes
        ? 'application/octet-stream'
        : 'application/json';
  res.writeHead(status, {
    'content-type': type,
    'x-request-id': randomUUID(),
    ...(events && { 'cache-control': 'no-cache' }),
    ...headers,
  });
  if (events) return writeEvents(res, events, delayMs);
  // No body: JSON.stringify(undefined) is undefined, and end(undefined) sends nothing.
  res.end(text || bytes ? body : JSON.stringify(body));
}

function allowCors(res: ServerResponse, headers: IncomingHttpHeaders) {
  res.setHeader('access-control-allow-origin', headers.origin ?? '*');
  res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  res.setHeader(
    'access-control-allow-headers',
    headers['access-control-request-headers'] ?? 'content-type, x-api-key',
  );
  res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
}

/**
 * Listens on `port` (0: a free one) and answers each request with `answer`'s reply; CORS
 * preflights get a 204 without reaching it, and an `answer` that throws gets a 500.
 */
export async function listen(
  port: number,
  answer: (request: IncomingRequest) => Promise<MockReply>,
  eventDelayMs: number,
): Promise<Listening> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    allowCors(res, req.headers);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // A server's request always has them (only a client's lacks them).
    const method = req.method!;
    const bytes = Buffer.concat(chunks);
    const request = { method, url: req.url!, headers: req.headers, bytes };
    const reply =
      method === 'OPTIONS'
        ? { status: 204 }
        : await answer(request).catch((e: unknown) => errorReply(500, 'internal_error', String(e)));
    await writeReply(res, reply, eventDelayMs);
  };
  // A request whose client went away mid-way has no one to answer.
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
