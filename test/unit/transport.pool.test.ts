/**
 * The pool of AbortSignals (attempt.ts): a signal that never fired serves the next request, up to
 * 100 requests each and 64 idle ones; one whose response body is still being read is never lent
 * to another request, whose timeout would otherwise cut that body off.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { APIConnectionTimeoutError, createFeatherCore, type CoreOptions } from '@featherhq/sdk';
import { rawClient } from '../../src/core/client-fetch.js';
import { configOf } from '../../src/core/core.js';
import { sequence, serve, status } from '../support/loopback.js';
import { getThing, streamThing, type GetThingOp } from '../support/operations.js';

const KEY = 'sk_test_transportpool_0123456789';
const THING = { id: 't1', status: 'done' };
const thing = { params: { path: { thing_id: 't1' } } };

const core = (url: string, options: CoreOptions = {}) =>
  createFeatherCore({ apiKey: KEY, baseUrl: url, maxRetries: 0, ...options });

/** The global fetch, keeping the signal each attempt was given. */
function signalsSeen() {
  const signals: AbortSignal[] = [];
  const spy: typeof fetch = (input, init) => {
    signals.push(init!.signal!);
    return fetch(input, init);
  };
  return { signals, fetch: spy };
}

/** Lengths of the runs of one same signal, in order. */
function runs(signals: AbortSignal[]): number[] {
  const lengths: number[] = [];
  signals.forEach((signal, i) => {
    if (i > 0 && signal === signals[i - 1]) lengths[lengths.length - 1]++;
    else lengths.push(1);
  });
  return lengths;
}

/** A call whose server never answers, timing out after 30 ms: its timer fires on its signal. */
async function timeOutAnotherCall() {
  const silent = await serve(() => {});
  await expect(getThing(core(silent.url, { timeoutMs: 30 }), thing)).rejects.toBeInstanceOf(
    APIConnectionTimeoutError,
  );
}

/** Writes `first`, then `rest` 150 ms later: long after another call's 30 ms timeout. */
const inTwoParts = (type: string, first: string, rest: string) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': type });
  res.write(first);
  setTimeout(() => res.end(rest), 150);
};

describe('signals serve again', () => {
  it('one after another, calls share a signal for 100 requests, then take a fresh one', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const seen = signalsSeen();
    const feather = core(server.url, { fetch: seen.fetch });
    for (let i = 0; i < 220; i++) await getThing(feather, thing);
    // The first run may finish a signal an earlier test left; the last is cut short.
    expect(runs(seen.signals).slice(1, -1)).toEqual([100]);
  });

  it('at most 64 idle signals are kept', async () => {
    const held: ServerResponse[] = [];
    // Answers only once all 70 are in, so that the 70 calls are open at once.
    const server = await serve((_req, res) => {
      if (held.push(res) === 70) held.splice(0).forEach(status(200, {}, THING));
    });
    const seen = signalsSeen();
    const feather = core(server.url, { fetch: seen.fetch });
    const round = () => Promise.all(Array.from({ length: 70 }, () => getThing(feather, thing)));
    await round();
    const first = new Set(seen.signals.splice(0));
    await round();
    expect(seen.signals.filter((s) => first.has(s))).toHaveLength(64);
  });
});

describe('a body still being read keeps its signal', () => {
  it('asResponse(): the body, unread by the SDK, arrives whole after another call timed out', async () => {
    const text = '{ "id": "t1",  "status": "done" }';
    const server = await serve((_req, res) =>
      inTwoParts('application/json', text.slice(0, 5), text.slice(5))(res),
    );
    const response = await getThing(core(server.url), thing).asResponse();
    await timeOutAnotherCall();
    // Byte for byte as sent: the SDK did not read and re-serialise it.
    expect(await response.text()).toBe(text);
  });

  it('an event stream of an operation reads on after another call timed out', async () => {
    const server = await serve((_req, res) =>
      inTwoParts('text/event-stream', 'data: one\n\n', 'data: two\n\n')(res),
    );
    const stream = await streamThing(core(server.url));
    const events: string[] = [];
    for await (const event of stream) {
      events.push(event.data);
      if (events.length === 1) await timeOutAnotherCall();
    }
    expect(events).toEqual(['one', 'two']);
  });

  it('an event stream of feather.client reads on after another call timed out', async () => {
    const server = await serve((_req, res) =>
      inTwoParts('text/event-stream', 'data: one\n\n', 'data: two\n\n')(res),
    );
    const client = rawClient<{ '/things/{thing_id}': { get: GetThingOp } }>(
      configOf(core(server.url)),
      [],
    );
    const { data } = await client.GET('/things/{thing_id}', { ...thing, parseAs: 'stream' });
    await timeOutAnotherCall();
    expect(await new Response(data).text()).toBe('data: one\n\ndata: two\n\n');
  });
});
