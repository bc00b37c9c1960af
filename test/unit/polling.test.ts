/**
 * Waiting for a run: polls with backoff until the status is final, within an overall deadline,
 * honouring Retry-After on 429 and the caller's signal; the create call is never repeated.
 */
import { describe, expect, it } from 'vitest';
import {
  APIUserAbortError,
  createFeatherCore,
  FeatherError,
  NotFoundError,
  PollTimeoutError,
} from '@featherhq/sdk';
import { createAndWait, waiter } from '../../src/core/polling.js';
import { json, serve } from '../support/loopback.js';
import { createThingNoKey, getThing, type Thing } from '../support/operations.js';

const KEY = 'sk_test_polling_0123456789';
const core = (url: string) => createFeatherCore({ apiKey: KEY, baseUrl: url, retryBaseDelayMs: 1 });

// As the generator writes them from sdk.config.json.
const waitForThingAsGenerated = waiter(
  (c, id, options) => getThing(c, { params: { path: { thing_id: id } } }, options),
  'status',
  ['done', 'failed'],
);
/** The waiter with a 2 s deadline unless told: a wait that never ends fails the test instead. */
const waitForThing: typeof waitForThingAsGenerated = (c, id, options) =>
  waitForThingAsGenerated(c, id, { maxWaitMs: 2_000, ...options });
const createThingAndWait = createAndWait(createThingNoKey, waitForThing, 'id');

/** The promise, or a rejection after `ms`: a mutant that loops forever fails here, and fast. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms),
    ),
  ]);

/** Answers GETs with each status in turn (then repeats the last), POSTs with a pending thing. */
function statuses(...list: (Thing['status'] | 429)[]) {
  let polls = 0;
  return serve((req, res, n) => {
    if (req.method === 'POST') return json(201, { id: 't1', status: 'pending' })(req, res, n);
    const next = list[Math.min(polls++, list.length - 1)];
    if (next === 429) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0.3' });
      return res.end('{"error":"rate_limited","message":"slow down"}');
    }
    json(200, { id: 't1', status: next })(req, res, n);
  });
}

describe('waitFor', () => {
  it('polls until the status is final, backing off from pollIntervalMs, capped by maxPollIntervalMs', async () => {
    const server = await statuses('pending', 'running', 'running', 'running', 'done');
    const thing = await waitForThing(core(server.url), 't1', {
      pollIntervalMs: 20,
      maxPollIntervalMs: 60,
    });
    expect(thing).toEqual({ id: 't1', status: 'done' });
    const gaps = server.arrivals.slice(1).map((t, i) => t - server.arrivals[i]);
    expect(gaps.length).toBe(4);
    // 20, 40, 60, 60 (lower bounds: a shared machine only ever adds time).
    [20, 40, 60, 60].forEach((min, i) => expect(gaps[i]).toBeGreaterThanOrEqual(min - 2));
  });

  it('stops doubling at maxPollIntervalMs', async () => {
    const server = await statuses(
      'pending',
      'running',
      'running',
      'running',
      'running',
      'running',
      'done',
    );
    const started = Date.now();
    await waitForThing(core(server.url), 't1', { pollIntervalMs: 10, maxPollIntervalMs: 10 });
    // 6 x 10 = 60 ms of waits; doubling past the cap would wait 10 + 20 + 40 + 80 + 160 + 320.
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('a failed run is returned, not thrown', async () => {
    const server = await statuses('pending', 'failed');
    await expect(waitForThing(core(server.url), 't1', { pollIntervalMs: 1 })).resolves.toEqual({
      id: 't1',
      status: 'failed',
    });
  });

  it('past maxWaitMs: PollTimeoutError, a FeatherError holding the last state seen', async () => {
    const server = await statuses('running');
    const wait = waitForThing(core(server.url), 't1', { pollIntervalMs: 20, maxWaitMs: 100 });
    const error = await within(wait, 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as Error).message).toBe('t1 did not reach a final status within 100 ms');
    expect(error).toBeInstanceOf(FeatherError);
    expect((error as PollTimeoutError<Thing>).last).toEqual({ id: 't1', status: 'running' });
    expect(server.requests).toBeLessThanOrEqual(5);
  });

  it("the caller's signal stops the wait with APIUserAbortError, and no poll follows", async () => {
    const server = await statuses('running');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    await expect(
      waitForThing(core(server.url), 't1', { pollIntervalMs: 30, signal: controller.signal }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    // The poll the abort cut may still reach the server (on a busy machine, late): count after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = server.requests;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.requests).toBe(after);
  });

  it('an abort during the wait between polls says so', async () => {
    const controller = new AbortController();
    // Aborted 50 ms after the first answer, well inside the 2 s wait that follows it.
    const server = await serve((req, res, n) => {
      json(200, { id: 't1', status: 'running' })(req, res, n);
      setTimeout(() => controller.abort(), 50);
    });
    const wait = waitForThing(core(server.url), 't1', {
      pollIntervalMs: 2_000,
      maxWaitMs: 10_000,
      signal: controller.signal,
    });
    const error = await within(wait, 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as Error).message).toBe(
      'Request aborted by the caller during the wait between polls',
    );
    expect(server.requests).toBe(1);
  });

  it('429 past the call retries: waits as Retry-After says, and polls again', async () => {
    const server = await statuses(429, 429, 'done');
    const started = Date.now();
    const thing = await waitForThing(core(server.url), 't1', { pollIntervalMs: 1, maxRetries: 0 });
    expect(thing.status).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 300 - 5);
  });

  it('other errors end the wait', async () => {
    const server = await serve(json(404, { error: 'not_found', message: 'no run' }));
    await expect(waitForThing(core(server.url), 'x', { pollIntervalMs: 1 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('createAndWait', () => {
  it('creates once, then waits, with the request options applied to every request', async () => {
    const server = await statuses('pending', 'done');
    const thing = await createThingAndWait(
      core(server.url),
      { name: 'a' },
      {
        pollIntervalMs: 1,
        headers: { 'x-trace': 'abc' },
      },
    );
    expect(thing.status).toBe('done');
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'GET', 'GET']);
    expect(server.seen.every((s) => s.headers['x-trace'] === 'abc')).toBe(true);
  });
});
