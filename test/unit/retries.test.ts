/**
 * What makes a retry safe: idempotency keys (filled once per call, the same on every retry, so
 * the server deduplicates), the cautious rule where the spec declares none, and the per-client
 * retry budget that stops a failing server from turning one app into a retry storm.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeatherCore, InternalServerError, type ClientOptions } from '@featherhq/sdk';
import { retryBudget, retryDelay, retryPolicy, shouldRetry } from '../../src/core/retry.js';
import { json, sequence, serve, status } from '../support/loopback.js';
import { createThing, createThingByHeader, createThingNoKey } from '../support/operations.js';

const KEY = 'sk_test_retries_0123456789';
const THING = { id: 't1', status: 'pending' };
const core = (url: string, options: ClientOptions = {}) =>
  createFeatherCore({
    apiKey: KEY,
    baseUrl: url,
    retryBaseDelayMs: 1,
    ...options,
  });
const keys = (seen: { body: string }[]) => seen.map((s) => JSON.parse(s.body).idempotency_key);

describe('idempotency keys', () => {
  it('a 500 then a 201: two requests with the same fresh key, and one result', async () => {
    const server = await serve(sequence(status(500), status(201, {}, THING)));
    await expect(createThing(core(server.url), { name: 'a' })).resolves.toEqual(THING);
    const [first, second] = keys(server.seen);
    expect(server.requests).toBe(2);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
  });

  it('two separate calls carry different keys; a key the caller passes is used as given', async () => {
    const server = await serve(json(201, THING));
    const feather = core(server.url);
    await createThing(feather, { name: 'a' });
    await createThing(feather, { name: 'b' });
    await createThing(feather, { name: 'c', idempotency_key: 'mine-1' });
    const [a, b, c] = keys(server.seen);
    expect(a).not.toBe(b);
    expect(c).toBe('mine-1');
  });

  it('a timeout and a reset are retried too once a key makes the repeat harmless', async () => {
    let n = 0;
    const server = await serve((req, res) => {
      if (++n === 1) return req.socket.destroy();
      json(201, THING)(req, res, n);
    });
    await expect(createThing(core(server.url), { name: 'a' })).resolves.toEqual(THING);
    expect(new Set(keys(server.seen)).size).toBe(1);
    expect(server.requests).toBe(2);
  });

  it('an Idempotency-Key header parameter is filled the same way', async () => {
    const server = await serve(sequence(status(502), status(201, {}, THING)));
    await createThingByHeader(core(server.url), { body: { name: 'a' } });
    const sent = server.seen.map((s) => s.headers['idempotency-key']);
    expect(sent[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent).toEqual([sent[0], sent[0]]);
  });

  it('where the spec declares no key, a POST is never retried after a 500', async () => {
    const server = await serve(sequence(status(500)));
    await expect(createThingNoKey(core(server.url), { name: 'a' })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(server.requests).toBe(1);
    expect(JSON.parse(server.seen[0].body)).toEqual({ name: 'a' });
  });
});

describe('the retry policy as data', () => {
  it('statuses that say "not done" retry any method; ambiguous ones only repeatable calls', () => {
    for (const code of retryPolicy.retryStatusCodes) {
      expect(shouldRetry({ status: code }, false)).toBe(true);
    }
    for (const code of retryPolicy.ambiguousStatusCodes) {
      expect(shouldRetry({ status: code }, false)).toBe(false);
      expect(shouldRetry({ status: code }, true)).toBe(true);
    }
    for (const code of [400, 401, 403, 404, 409, 422, 501]) {
      expect(shouldRetry({ status: code }, true)).toBe(false);
    }
    // A timeout is `{ sent: true }`: the server may have acted, so only a repeatable call retries.
    expect(shouldRetry({ sent: true }, false)).toBe(false);
    expect(shouldRetry({ sent: true }, true)).toBe(true);
    expect(shouldRetry({ sent: false }, false)).toBe(true);
  });
});

describe('the retry budget', () => {
  afterEach(() => vi.useRealTimers());

  it('counts retries in a sliding 60-second window', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const take = retryBudget(3);
    expect([take(), take(), take(), take()]).toEqual([true, true, true, false]);
    vi.setSystemTime(1_000_000 + 59_999);
    expect(take()).toBe(false);
    vi.setSystemTime(1_000_000 + 60_000);
    expect([take(), take(), take(), take()]).toEqual([true, true, true, false]);
  });

  it('100 concurrent calls against a server that always answers 503 send at most 100 + the budget', async () => {
    const server = await serve(sequence(status(503)));
    const feather = core(server.url, { maxRetries: 5, maxRetriesPerMinute: 60 });
    const calls = Array.from({ length: 100 }, () =>
      createThingNoKey(feather, { name: 'a' }).catch((e: unknown) => e),
    );
    const errors = await Promise.all(calls);
    expect(errors.every((e) => e instanceof InternalServerError)).toBe(true);
    expect(server.requests).toBe(100 + 60);
  });

  it('a spent budget throws the last error at once; the default is 60 per minute', async () => {
    const server = await serve(sequence(status(503)));
    const none = core(server.url, { maxRetriesPerMinute: 0 });
    await expect(createThingNoKey(none, { name: 'a' })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toBe(1);
    const { DEFAULTS } = await import('@featherhq/sdk');
    expect(DEFAULTS.maxRetriesPerMinute).toBe(60);
  });
});

describe('retryDelay', () => {
  const sample = (attempt: number, base?: number) =>
    Array.from({ length: 200 }, () => retryDelay(attempt, undefined, base ?? 500));

  it('doubles from 500 ms, minus up to 25% jitter, capped at 16x the base', () => {
    for (const [attempt, full] of [
      [0, 500],
      [1, 1_000],
      [3, 4_000],
      [4, 8_000],
      [5, 8_000],
      [20, 8_000],
    ]) {
      const delays = sample(attempt);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(full * 0.75);
      expect(Math.max(...delays)).toBeLessThanOrEqual(full);
      // Jittered: two hundred draws are not all the same.
      expect(new Set(delays).size).toBeGreaterThan(1);
    }
  });

  it('scales with the base delay', () => {
    const delays = sample(2, 10);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(40);
    expect(sample(9, 10).every((d) => d <= 160 && d >= 120)).toBe(true);
    expect(sample(3, 0)).toEqual(Array(200).fill(0));
  });

  const after = (value: string, attempt = 0) =>
    retryDelay(attempt, new Headers({ 'retry-after': value }), 10);

  it('honours Retry-After in seconds, capped at a minute', () => {
    expect(after('0')).toBe(0);
    expect(after('2')).toBe(2_000);
    expect(after('1.5', 3)).toBe(1_500);
    expect(after('60')).toBe(60_000);
    expect(after('3600')).toBe(60_000);
  });

  it('honours Retry-After as an HTTP date, capped at a minute', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const delay = after(inTenSeconds);
    // The date has whole seconds, so it is up to a second nearer than 10 s.
    expect(delay).toBeGreaterThan(8_000);
    expect(delay).toBeLessThanOrEqual(10_000);
    expect(after(new Date(Date.now() + 3_600_000).toUTCString())).toBe(60_000);
  });

  it('falls back to the backoff for a past date, a negative or an unreadable value', () => {
    for (const value of [new Date(Date.now() - 60_000).toUTCString(), '-5', 'soon', '']) {
      const delay = after(value, 1);
      expect(delay, value).toBeGreaterThanOrEqual(15);
      expect(delay, value).toBeLessThanOrEqual(20);
    }
    expect(retryDelay(0, new Headers(), 10)).toBeLessThanOrEqual(10);
  });
});
