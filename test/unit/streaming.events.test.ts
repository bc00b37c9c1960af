/**
 * Streams whose events the spec declares (`events({...})`, generated from an `itemSchema`): `data`
 * parsed per event, undeclared events skipped, the error event thrown as a StreamEventError, a
 * stream that ends without its final event thrown as an IncompleteStreamError, and
 * `toReadableStream()` still the bytes as sent. Over real loopback HTTP where the connection
 * matters (that a throw closes it), in memory otherwise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAttempt } from '../../src/core/attempt.js';
import { InvalidResponseError } from '../../src/core/errors.js';
import {
  events,
  IncompleteStreamError,
  StreamEventError,
  type DeclaredEvents,
  type StreamEvent,
} from '../../src/core/streaming.js';
import { rawServer, socketClosed } from '../support/raw-server.js';

const TURN: DeclaredEvents = {
  json: ['delta', 'member', 'complete', 'error'],
  text: ['note'],
  final: 'complete',
  error: 'error',
};
const attempt = () =>
  openAttempt({ name: 'turn', timeoutMs: 5_000, signal: undefined, secret: null });
const bytes = (text: string) => new TextEncoder().encode(text);

/** The stream of `text`, arriving in the given chunks (all at once by default). */
function streamOf(text: string, declared = TURN, chunks = [text.length]) {
  const all = bytes(text);
  let at = 0;
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= all.length) return c.close();
      const end = i < chunks.length ? at + chunks[i++] : all.length;
      c.enqueue(all.slice(at, end));
      at = end;
    },
  });
  const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  return events(declared).read(response, attempt());
}

async function collect(text: string, declared = TURN, chunks?: number[]) {
  const seen: StreamEvent[] = [];
  let error: unknown;
  try {
    for await (const event of await streamOf(text, declared, chunks)) seen.push(event);
  } catch (e) {
    error = e;
  }
  return { seen, error };
}

const frame = (event: string | undefined, data: string, id?: string) =>
  `${id ? `id: ${id}\n` : ''}${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;

describe('a stream whose events the spec declares', () => {
  it('gives each declared event with its data parsed, in order, and ends after the final one', async () => {
    const complete = { turn_id: 't', text: 'Hello there' };
    const text =
      frame('member', '{"member_id":"m","arrival_source":"router","index":0}', '1') +
      frame('delta', '{"text":"Hello "}') +
      frame('delta', '{"text":"there"}') +
      frame('note', 'plain words') +
      frame('complete', JSON.stringify(complete));
    const { seen, error } = await collect(text);
    expect(error).toBeUndefined();
    expect(seen).toEqual([
      { event: 'member', data: { member_id: 'm', arrival_source: 'router', index: 0 }, id: '1' },
      { event: 'delta', data: { text: 'Hello ' }, id: '1' },
      { event: 'delta', data: { text: 'there' }, id: '1' },
      { event: 'note', data: 'plain words', id: '1' },
      { event: 'complete', data: complete, id: '1' },
    ]);
  });

  it('skips events it does not declare, and unnamed ones, as a newer server may send them', async () => {
    const text =
      frame('ping', '{}') + frame(undefined, 'hello') + frame('complete', '{"text":"x"}');
    const { seen, error } = await collect(text);
    expect(error).toBeUndefined();
    expect(seen.map((e) => e.event)).toEqual(['complete']);
  });

  it('throws the error event as a StreamEventError: the server words, retryable, the event', async () => {
    const text =
      frame('delta', '{"text":"par"}') +
      frame('error', '{"error":"model overloaded","retryable":true}') +
      frame('delta', '{"text":"never seen"}');
    const { seen, error } = await collect(text);
    expect(seen.map((e) => e.data)).toEqual([{ text: 'par' }]);
    expect(error).toBeInstanceOf(StreamEventError);
    expect(error).toMatchObject({
      name: 'StreamEventError',
      message: 'model overloaded',
      retryable: true,
      event: { event: 'error', data: { error: 'model overloaded', retryable: true } },
    });
  });

  it.each([
    ['{"error":"bad"}', 'bad', false],
    ['{"message":"said otherwise","retryable":"yes"}', 'said otherwise', false],
    ['{"detail":1}', '{"detail":1}', false],
  ])('reads an error event %s as message %j, retryable %s', async (data, message, retryable) => {
    const { error } = await collect(frame('error', data));
    expect(error).toMatchObject({ message, retryable });
  });

  it('throws IncompleteStreamError when the stream ends without its final event', async () => {
    const { seen, error } = await collect(frame('delta', '{"text":"cut"}'));
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({
      final: 'complete',
      message: 'The stream ended without its `complete` event: assume it failed',
    });
    // Without a final event declared, the end is just the end.
    expect(
      (await collect(frame('delta', '{}'), { ...TURN, final: undefined })).error,
    ).toBeUndefined();
  });

  it('throws InvalidResponseError for a JSON event whose data is not JSON', async () => {
    const { error } = await collect(frame('delta', '{"text":') + frame('complete', '{}'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(
      /the data of a `delta` event is not JSON: "\{\\"text\\":"/,
    );
  });

  it('reads the same events however the bytes are cut into chunks', async () => {
    const text =
      frame('delta', '{"text":"é€😀 \\"quoted\\""}') +
      frame('member', '{"member_id":"m","arrival_source":"x","index":2}') +
      frame('complete', '{"text":"done"}');
    const whole = await collect(text);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }),
        async (cuts) => {
          expect(await collect(text, TURN, cuts)).toEqual(whole);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hands on the bytes as sent with toReadableStream(), error events and all', async () => {
    const text = frame('delta', '{"text":"a"}') + frame('error', '{"error":"x"}') + ': comment\n\n';
    const stream = await streamOf(text);
    expect(await new Response(stream.toReadableStream()).text()).toBe(text);
  });

  it('closes the connection when the error event is thrown, with events still to come', async () => {
    let closed!: Promise<void>;
    const server = await rawServer((req, res) => {
      closed = socketClosed(req);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame('error', '{"error":"stop"}'));
      // Never ends by itself: only the client's cancel closes it.
      const timer = setInterval(() => res.write(frame('delta', '{"text":"more"}')), 20);
      res.on('close', () => clearInterval(timer));
    });
    const response = await fetch(server.url);
    const stream = await events(TURN).read(response, attempt());
    await expect(
      (async () => {
        for await (const event of stream) void event;
      })(),
    ).rejects.toBeInstanceOf(StreamEventError);
    await closed;
  });
});
