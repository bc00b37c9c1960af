/**
 * The loopback Feather API for the throughput and cold-start benchmarks, run as its own process
 * so that its work does not count against the client being measured. Prints its URL, then serves
 * every POST with the same ready 201 run until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RESPONSE_TEXT } from './fixtures.js';

const server = createServer((req, res) => {
  // Drain the body as a real server would, then answer.
  req.resume();
  req.on('end', () => {
    res.writeHead(req.method === 'POST' ? 201 : 404, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(RESPONSE_TEXT),
    });
    res.end(RESPONSE_TEXT);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
