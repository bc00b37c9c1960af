import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAttempt, type Attempt } from '../../src/core/attempt.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  FeatherError,
  InvalidResponseError,
} from '../../src/core/errors.js';
import { eventStream, Stream, type ServerSentEvent } from '../../src/core/streaming.js';
import { rawServer, socketClosed } from '../support/raw-server.js';

const bytes = (text: string) => new TextEncoder().encode(text);

const attemptFor = (timeoutMs = 5_000, signal?: AbortSignal) =>
  openAttempt({ name: 'streamModel', timeoutMs, signal, secret: null });

/** Events parsed from a body that arrives in exactly these chunks. */
async function parse(chunks: Uint8Array[]): Promise<ServerSentEvent[]> {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]) : c.close()),
  });
  const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  const events: ServerSentEvent[] = [];
  // Every event takes at least two bytes (its data line's end and the blank line): more events
  // than that is a parser that repeats itself, stopped here rather than left to run forever.
  const most = chunks.reduce((sum, chunk) => sum + chunk.length, 0) / 2;
  for await (const event of await eventStream.read(response, attemptFor())) {
    if (events.push(event) > most) throw new Error(`more events than ${most}`);
  }
  return events;
}

/** Byte chunks of `input`, cut at the given offsets. */
function cut(input: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets)].sort((a, b) => a - b);
  return [0, ...points].map((start, k) => input.slice(start, points[k] ?? input.length));
}

// Each expectation is read off the WHATWG HTML spec, section 9.2.6 (the event stream
// interpretation); the first two are its own examples.
const cases: [string, string, ServerSentEvent[]][] = [
  ['the spec example of empty data', 'data\n\ndata\ndata\n\ndata:', [{ data: '' }, { data: '\n' }]],
  [
    'one leading space removed',
    'data:test\n\ndata: test\n\ndata:  two\n\n',
    [{ data: 'test' }, { data: 'test' }, { data: ' two' }],
  ],
  ['multi-line data joined with LF', 'data: a\ndata: b\ndata:c\n\n', [{ data: 'a\nb\nc' }]],
  [
    'CR, LF and CRLF line ends',
    'data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r',
    [{ data: 'a\nb\nc' }, { data: 'd' }],
  ],
  ['comments skipped', ': hi\ndata: a\n: there\n\n: keep-alive\n\n', [{ data: 'a' }]],
  ['a leading BOM ignored', '\uFEFFdata: a\n\n', [{ data: 'a' }]],
  ['only one BOM ignored', '\uFEFF\uFEFFdata: a\n\ndata: b\n\n', [{ data: 'b' }]],
  [
    'event type, reset after each event',
    'event: add\ndata: 1\n\ndata: 2\n\n',
    [{ event: 'add', data: '1' }, { data: '2' }],
  ],
  [
    'id kept until changed; an empty id clears it',
    'id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n',
    [{ id: '7', data: 'a' }, { id: '7', data: 'b' }, { data: 'c' }],
  ],
  [
    'an id with NUL ignored',
    'id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n',
    [
      { id: '1', data: 'a' },
      { id: '1', data: 'b' },
    ],
  ],
  [
    'retry only when all digits',
    'retry: 5\n\nretry: 3000\ndata: a\n\nretry: 12x\nretry: -1\nretry:\ndata: b\n\n',
    [
      { retry: 3000, data: 'a' },
      { retry: 3000, data: 'b' },
    ],
  ],
  [
    'a retry alone is kept for the next event',
    'retry: 5\n\ndata: a\n\n',
    [{ retry: 5, data: 'a' }],
  ],
  ['no data, no event', 'event: x\nid: 1\n\n\n\ndata: a\n\n', [{ id: '1', data: 'a' }]],
  [
    'unknown fields ignored; colons in values kept',
    'foo: 1\nDATA: 2\ndata: a:b: c\n\n',
    [{ data: 'a:b: c' }],
  ],
  ['only a leading space removed', 'data:a b \n\n', [{ data: 'a b ' }]],
  ['a field with no colon has the empty value', 'data\nevent\ndata\n\n', [{ data: '\n' }]],
  [
    'JSON data stays a string',
    'data: {"delta":"hi","n":1}\n\n',
    [{ data: '{"delta":"hi","n":1}' }],
  ],
  ['an unfinished last event dropped', 'data: a\n\ndata: b\n', [{ data: 'a' }]],
  ['multi-byte UTF-8', 'data: héllo 🎉 日本\n\n', [{ data: 'héllo 🎉 日本' }]],
];

describe('event-stream parsing (WHATWG)', () => {
  it.each(cases)('%s', async (_name, input, expected) => {
    // Strict: a field the event lacks must be absent, not present and undefined.
    expect(await parse([bytes(input)])).toStrictEqual(expected);
  });

  it.each(cases)('%s, cut at every byte and in one-byte chunks', async (_name, input, expected) => {
    const all = bytes(input);
    for (let at = 1; at < all.length; at++) expect(await parse(cut(all, [at]))).toEqual(expected);
    expect(await parse(cut(all, [...all.keys()].slice(1)))).toEqual(expected);
  });

  it('reassembles any cutting of a mixed stream', async () => {
    const input = cases.map(([, text]) => text.replace(/^\uFEFF+/, '')).join('\n\n');
    const all = bytes(input);
    const whole = await parse([all]);
    expect(whole.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(all.length), { maxLength: 40 }), async (offsets) => {
        expect(await parse(cut(all, offsets))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('takes a CR at the end of a chunk and a LF at the start of the next as one line end', async () => {
    const chunks = ['data: a\r', '\ndata: b\r', '\r'].map(bytes);
    expect(await parse(chunks)).toEqual([{ data: 'a\nb' }]);
  });

  it('keeps a CR at the end of a chunk across a chunk of no bytes', async () => {
    const chunks = ['data: a\r', '', '\ndata: b\n\n'].map(bytes);
    expect(await parse(chunks)).toEqual([{ data: 'a\nb' }]);
  });

  it('reads an answer with no body as no events', async () => {
    const response = new Response(null, { headers: { 'content-type': 'text/event-stream' } });
    const events = [];
    for await (const event of await eventStream.read(response, attemptFor())) events.push(event);
    expect(events).toEqual([]);
  });
});

describe('eventStream reader', () => {
  it('asks for text/event-stream and owns the attempt', () => {
    expect(eventStream.accept).toBe('text/event-stream');
    expect(eventStream.streaming).toBe(true);
  });

  it.each([
    ['application/json', 'of type application/json'],
    [undefined, 'without a content type'],
  ])(
    'refuses a 2xx of type %s with InvalidResponseError, and ends the attempt',
    async (type, says) => {
      const server = await rawServer((_req, res) => {
        res.writeHead(200, type ? { 'content-type': type } : {});
        res.end('{"id":"x"}');
      });
      const attempt = attemptFor();
      let ended = 0;
      const watched: Attempt = { ...attempt, end: () => (ended++, attempt.end()) };
      const response = await fetch(server.url, { signal: attempt.signal });
      const error = await Promise.resolve()
        .then(() => eventStream.read(response, watched))
        .catch((e) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toBe(`200 response is ${says}, not text/event-stream`);
      expect(error.status).toBe(200);
      expect(ended).toBe(1);
      expect(response.bodyUsed).toBe(true); // cancelled, so the connection is not left half read
    },
  );

  it('refuses a 2xx of another type that has no body', () => {
    const response = new Response(null, { headers: { 'content-type': 'application/json' } });
    expect(() => eventStream.read(response, attemptFor())).toThrow(InvalidResponseError);
  });

  it('takes text/event-stream with a space before its parameters', async () => {
    const response = new Response('data: a\n\n', {
      headers: { 'content-type': 'text/event-stream ; charset=utf-8' },
    });
    expect(await eventStream.read(response, attemptFor())).toBeInstanceOf(Stream);
  });

  it('takes text/event-stream with parameters, in any case', async () => {
    const response = new Response('data: a\n\n', {
      headers: { 'content-type': 'Text/Event-Stream; charset=utf-8' },
    });
    const stream = await eventStream.read(response, attemptFor());
    expect(stream).toBeInstanceOf(Stream);
    expect(stream.response).toBe(response);
  });
});

/** A server that streams: the test writes events when it wants; the connection stays open. */
async function streamingServer() {
  const held: { req: IncomingMessage; res: ServerResponse }[] = [];
  let arrived!: () => void;
  const connected = new Promise<void>((resolve) => (arrived = resolve));
  const server = await rawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    held.push({ req, res });
    arrived();
  });
  return {
    ...server,
    held,
    connected,
    get url() {
      return server.url;
    },
  };
}

/** The SDK's path for one streaming call: fetch under an attempt, then the reader. */
async function open(url: string, timeoutMs = 5_000, signal?: AbortSignal): Promise<Stream> {
  const attempt = attemptFor(timeoutMs, signal);
  let ended = false;
  const watched: Attempt = { ...attempt, end: () => ((ended = true), attempt.end()) };
  const response = await fetch(url, {
    headers: { accept: eventStream.accept! },
    signal: attempt.signal,
  });
  const stream = await eventStream.read(response, watched);
  endedOf.set(stream, () => ended);
  return stream;
}
/** Whether the stream ended its attempt (the transport hands the attempt over to the reader). */
const endedOf = new WeakMap<Stream, () => boolean>();
const ended = (stream: Stream) => endedOf.get(stream)!();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms),
    ),
  ]);

describe('Stream over a real connection', () => {
  it('yields each event as it arrives, while the server holds the connection open', async () => {
    const server = await streamingServer();
    const stream = await open(server.url);
    const events = stream[Symbol.asyncIterator]();
    await server.connected;
    const { res } = server.held[0];
    res.write('event: delta\ndata: one\n\n');
    expect((await within(events.next(), 2_000, 'first event')).value).toEqual({
      event: 'delta',
      data: 'one',
    });
    expect(res.writableEnded).toBe(false);
    res.write('data: two\n');
    res.write('\n');
    expect((await within(events.next(), 2_000, 'second event')).value).toEqual({ data: 'two' });
    expect(ended(stream)).toBe(false);
    res.end();
    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(ended(stream)).toBe(true);
  });

  it('closes the connection on break', async () => {
    const server = await streamingServer();
    const stream = await open(server.url);
    await server.connected;
    const { req, res } = server.held[0];
    const closed = socketClosed(req);
    res.write('data: 1\n\ndata: 2\n\n');
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.data);
      break;
    }
    expect(seen).toEqual(['1']);
    expect(ended(stream)).toBe(true);
    await within(closed, 2_000, 'the server sees the socket close');
    expect(req.socket.destroyed).toBe(true);
  });

  it("closes the connection on the caller's signal, with APIUserAbortError", async () => {
    const server = await streamingServer();
    const caller = new AbortController();
    const stream = await open(server.url, 5_000, caller.signal);
    await server.connected;
    const { req, res } = server.held[0];
    const closed = socketClosed(req);
    res.write('data: 1\n\n');
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) {
        seen.push(event.data);
        caller.abort();
      }
    })().catch((e) => e);
    expect(seen).toEqual(['1']);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(ended(stream)).toBe(true);
    await within(closed, 2_000, 'the server sees the socket close');
  });

  it('throws APIConnectionError after the events received when the connection is lost', async () => {
    const server = await streamingServer();
    const stream = await open(server.url);
    await server.connected;
    const { res } = server.held[0];
    res.write('data: 1\n\ndata: 2\n\ndata: 3');
    setTimeout(() => res.socket!.destroy(), 50);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.data);
    })().catch((e) => e);
    expect(seen).toEqual(['1', '2']);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toMatch(/^streamModel failed: /);
    expect(ended(stream)).toBe(true);
  });

  it('times out on an idle gap, not on the length of the stream', async () => {
    const server = await streamingServer();
    const stream = await open(server.url, 400);
    await server.connected;
    const { res } = server.held[0];
    let sent = 0;
    // 7 events 100 ms apart: 0.7 s in all, well past the timeout; then silence.
    const timer = setInterval(() => {
      res.write(`data: ${++sent}\n\n`);
      if (sent === 7) clearInterval(timer);
    }, 100);
    const seen: string[] = [];
    const started = Date.now();
    const error = await (async () => {
      for await (const event of stream) seen.push(event.data);
    })().catch((e) => e);
    clearInterval(timer);
    expect(seen).toHaveLength(7);
    expect(Date.now() - started).toBeGreaterThan(700);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toBe('streamModel timed out after 400 ms');
    expect(ended(stream)).toBe(true);
  });

  it("does not count the caller's own time between events as idle", async () => {
    const server = await streamingServer();
    const stream = await open(server.url, 1_000);
    await server.connected;
    const { res } = server.held[0];
    // The server: events at 1.2 s and 1.6 s after the headers, the end at 2 s. The caller starts
    // reading at 0.6 s and spends 0.6 s on each event. Counted from the last chunk alone, or from
    // the last read alone, some gap would pass 1 s.
    setTimeout(() => res.write('data: 1\n\n'), 1_200);
    setTimeout(() => res.write('data: 2\n\n'), 1_600);
    setTimeout(() => res.end(), 2_000);
    await sleep(600);
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.data);
      await sleep(600);
    }
    expect(seen).toEqual(['1', '2']);
  });

  it('can be read only once', async () => {
    const response = () =>
      new Response('data: a\n\n', { headers: { 'content-type': 'text/event-stream' } });
    const message = 'This Stream was already read: iterate it, or call toReadableStream(), once';
    const first = await eventStream.read(response(), attemptFor());
    for await (const _ of first);
    await expect(async () => {
      for await (const _ of first);
    }).rejects.toThrow(new FeatherError(message));
    expect(() => first.toReadableStream()).toThrow(message);
    const second = await eventStream.read(response(), attemptFor());
    second.toReadableStream();
    expect(() => second[Symbol.asyncIterator]()).toThrow(message);
  });

  it('hands on its raw bytes with toReadableStream(), which a second server re-serves', async () => {
    const sent = ['\uFEFFevent: a\r\ndata: 1\r\n\r', '\n: ping\n\n', 'id: 9\ndata: x\ndata: y\n\n'];
    const origin = await rawServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const text of sent) {
        res.write(text);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      res.end();
    });
    const fetched: Stream[] = [];
    const edge = await rawServer(async (_req, res) => {
      // What an edge function does: fetch the stream and answer with it, as a web Response.
      const stream = await open(origin.url);
      fetched.push(stream);
      const relay = new Response(stream.toReadableStream(), {
        headers: { 'content-type': 'text/event-stream' },
      });
      res.writeHead(relay.status, Object.fromEntries(relay.headers as never));
      Readable.fromWeb(relay.body as never).pipe(res);
    });
    const relayed = (async () => new Uint8Array(await (await fetch(edge.url)).arrayBuffer()))();
    const raw = await within(relayed, 2_000, 'the relayed stream ends');
    expect(raw).toEqual(bytes(sent.join('')));
    const events = [];
    for await (const event of await open(edge.url)) events.push(event);
    expect(events).toEqual([
      { event: 'a', data: '1' },
      { id: '9', data: 'x\ny' },
    ]);
    expect(origin.requests).toBe(2);
    expect(fetched.map(ended)).toEqual([true, true]);
  });

  it('pulls no bytes from the server before the re-served stream is read', async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      { pull: (c) => (pulls++, c.enqueue(bytes('data: 1\n\n'))) },
      { highWaterMark: 0 },
    );
    const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const stream = await eventStream.read(response, attemptFor());
    const reader = stream.toReadableStream().getReader();
    await sleep(20);
    expect(pulls).toBe(0);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    expect(pulls).toBe(1);
    await reader.cancel();
  });

  it('ends the attempt and closes the connection when the re-served stream is cancelled', async () => {
    const server = await streamingServer();
    const stream = await open(server.url);
    await server.connected;
    const { req, res } = server.held[0];
    const closed = socketClosed(req);
    res.write('data: 1\n\n');
    const reader = stream.toReadableStream().getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    expect(ended(stream)).toBe(false);
    await reader.cancel();
    expect(ended(stream)).toBe(true);
    await within(closed, 2_000, 'the server sees the socket close');
  });

  it('errors the re-served stream with APIConnectionError when the connection is lost', async () => {
    const server = await streamingServer();
    const stream = await open(server.url);
    await server.connected;
    const { res } = server.held[0];
    res.write('data: 1\n\n');
    const reader = stream.toReadableStream().getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    res.socket!.destroy();
    const error = await within(reader.read(), 2_000, 'the read fails').catch((e) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(ended(stream)).toBe(true);
  });
});
