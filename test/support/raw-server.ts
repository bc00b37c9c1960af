/**
 * A loopback HTTP server that hands each request to the test untouched (its body unread, so it
 * can be binary or streamed), and closes with every connection it holds after the test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach } from 'vitest';

export interface RawServer {
  url: string;
  /** Requests received, counted as soon as their headers arrive. */
  requests: number;
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

export async function rawServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RawServer> {
  const state: RawServer = { url: '', requests: 0 };
  const server = createServer((req, res) => {
    state.requests++;
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** The request's multipart body, parsed by the platform (undici's `Request.formData()`). */
export function formOf(req: IncomingMessage): Promise<FormData> {
  return new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit).formData();
}

/** Resolves when the request's connection closes. */
export const socketClosed = (req: IncomingMessage) =>
  new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
