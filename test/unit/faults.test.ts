/**
 * Fault injection against real loopback servers: every fault a network or a proxy can produce,
 * each checked for the error class, how many requests reached the server (a second POST can be a
 * second paid simulation run) and that the call ends on its own.
 */
import { spawn } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  createFeatherClient,
  createFeatherCore,
  dispatchSimulationRun,
  FeatherError,
  InternalServerError,
  InvalidResponseError,
  RateLimitError,
  RequestValidationError,
  type ClientOptions,
  type SimulationRunResponse,
} from '@featherhq/sdk';
import {
  closedPort,
  raw,
  sequence,
  serve,
  status,
  type Handler,
  type Loopback,
} from '../support/loopback.js';

const KEY = 'sk_test_faults_0123456789abcdef';
const BODY = { agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() };
const RUN: SimulationRunResponse = {
  id: randomUUID(),
  session_id: randomUUID(),
  organization_id: randomUUID(),
  agent_id: BODY.agent_id,
  agent_revision_id: null,
  persona_id: BODY.persona_id,
  scenario_id: BODY.scenario_id,
  channel: 'voice',
  tool_overrides: null,
  status: 'pending',
  started_at: null,
  finished_at: null,
  error_text: null,
  inputs_snapshot: BODY,
  created_at: '2026-01-02T03:04:05Z',
};

/** A hang check, not a speed target: far above any honest duration on a loaded machine. */
const HANG_MS = 10_000;

/** Fails with "hung" instead of letting the test time out without saying where. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: no result after ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error a call ends with; fails the test if it succeeds instead. */
async function failure(promise: Promise<unknown>): Promise<FeatherError> {
  const outcome = await settle(
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  expect(outcome.error).toBeInstanceOf(FeatherError);
  return outcome.error as FeatherError;
}

const created = status(201, {}, RUN);

function client(url: string, options: ClientOptions = {}) {
  // A short backoff keeps retries quick; Retry-After tests set their own delays.
  return createFeatherClient({ apiKey: KEY, baseUrl: url, retryBaseDelayMs: 5, ...options });
}

/** The global fetch, counting its calls: the only way to count attempts that never connect. */
function countingFetch(before?: (call: number) => Promise<void>) {
  const counter = {
    calls: 0,
    fetch: (async (input, init) => {
      counter.calls++;
      await before?.(counter.calls);
      return fetch(input, init);
    }) as typeof fetch,
  };
  return counter;
}

describe('connection refused (nothing was sent, so retrying is safe)', () => {
  it('retries maxRetries times, then throws APIConnectionError (not a timeout)', async () => {
    const port = await closedPort();
    const counter = countingFetch();
    const feather = client(`http://127.0.0.1:${port}`, { fetch: counter.fetch });
    const error = await failure(feather.dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    // The code, the socket's words and fetch's, so a log line says what happened.
    expect(error.message).toBe(
      `POST /v1/simulation/runs failed: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${port} fetch failed`,
    );
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(counter.calls).toBe(3);
  });

  it('honours maxRetries from the client and per request', async () => {
    const port = await closedPort();
    const counter = countingFetch();
    const feather = client(`http://127.0.0.1:${port}`, { fetch: counter.fetch, maxRetries: 0 });
    await failure(feather.dispatchSimulationRun(BODY));
    expect(counter.calls).toBe(1);
    await failure(feather.dispatchSimulationRun(BODY, { maxRetries: 4 }));
    expect(counter.calls).toBe(1 + 5);
  });

  it('succeeds once the server comes up, with a single request reaching it', async () => {
    const port = await closedPort();
    let server: Loopback | undefined;
    const counter = countingFetch(async (call) => {
      if (call !== 2) return;
      // Comes up on the refused port between the first attempt and the retry.
      server = await serve(sequence(created), port);
    });
    const feather = client(`http://127.0.0.1:${port}`, { fetch: counter.fetch });
    const run = await settle(feather.dispatchSimulationRun(BODY));
    expect(run.id).toBe(RUN.id);
    expect(counter.calls).toBe(2);
    expect(server!.requests).toBe(1);
  });
});

describe('the connection breaks after the request was sent (never retried by default)', () => {
  const resetOnRequest: Handler = (req) => req.socket.resetAndDestroy();

  it('reset before the response: APIConnectionError, one request', async () => {
    const server = await serve(resetOnRequest);
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toMatch(/^POST \/v1\/simulation\/runs failed: /);
    expect(server.requests).toBe(1);
  });

  it('reset before the response, retryAmbiguous: every attempt reaches the server', async () => {
    const server = await serve(resetOnRequest);
    const feather = client(server.url, { retryAmbiguous: true });
    expect(await failure(feather.dispatchSimulationRun(BODY))).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toBe(3);
    // ...and per request, over a client that does not opt in.
    const strict = client(server.url);
    await failure(strict.dispatchSimulationRun(BODY, { retryAmbiguous: true, maxRetries: 1 }));
    expect(server.requests).toBe(3 + 2);
  });

  it('reset in the middle of the 201 body: APIConnectionError, one request', async () => {
    const server = await serve((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write(JSON.stringify(RUN).slice(0, 40));
      setTimeout(() => req.socket.destroy(), 20);
    });
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(server.requests).toBe(1);
  });

  it('the socket closes without any answer: APIConnectionError, one request', async () => {
    const server = await serve((req) => req.socket.end());
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toBe(1);
  });
});

describe('timeouts', () => {
  const silent: Handler = () => {};

  it('a server that never answers: APIConnectionTimeoutError after one request', async () => {
    const server = await serve(silent);
    const error = await failure(client(server.url, { timeoutMs: 200 }).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toBe('POST /v1/simulation/runs timed out after 200 ms');
    expect(error.cause).toBeDefined();
    expect(server.requests).toBe(1);
  });

  it('timeoutMs per request overrides the client', async () => {
    const server = await serve(silent);
    const feather = client(server.url, { timeoutMs: 60_000 });
    const error = await failure(feather.dispatchSimulationRun(BODY, { timeoutMs: 150 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toMatch(/after 150 ms/);
    expect(server.requests).toBe(1);
  });

  it('retryAmbiguous retries a timeout, each attempt with its own timer', async () => {
    const server = await serve(silent);
    const feather = client(server.url, { timeoutMs: 150, retryAmbiguous: true, maxRetries: 1 });
    expect(await failure(feather.dispatchSimulationRun(BODY))).toBeInstanceOf(
      APIConnectionTimeoutError,
    );
    expect(server.requests).toBe(2);
  });

  it('slow headers within the timeout: the run is returned', async () => {
    const server = await serve((_req, res) => setTimeout(() => created(res), 300));
    const run = await settle(client(server.url, { timeoutMs: 5_000 }).dispatchSimulationRun(BODY));
    expect(run).toEqual(RUN);
    expect(server.requests).toBe(1);
  });

  it('slow headers beyond the timeout: APIConnectionTimeoutError, one request', async () => {
    const server = await serve((_req, res) =>
      setTimeout(() => res.writable && created(res), 1_500),
    );
    const error = await failure(client(server.url, { timeoutMs: 200 }).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(server.requests).toBe(1);
  });

  it('headers on time but a body that stalls: the body read is under the timeout too', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"id":');
    });
    const error = await failure(client(server.url, { timeoutMs: 300 }).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(server.requests).toBe(1);
  });
});

describe('statuses where the server says it did not take the request (retried)', () => {
  it('429 with Retry-After: 0, then 201', async () => {
    const server = await serve(sequence(status(429, { 'retry-after': '0' }), created));
    expect(await settle(client(server.url).dispatchSimulationRun(BODY))).toEqual(RUN);
    expect(server.requests).toBe(2);
  });

  it('429 with Retry-After in seconds: the retry waits that long', async () => {
    const server = await serve(sequence(status(429, { 'retry-after': '1' }), created));
    // No backoff of its own, so an ignored Retry-After would retry at once.
    const feather = client(server.url, { retryBaseDelayMs: 0 });
    expect(await settle(feather.dispatchSimulationRun(BODY))).toEqual(RUN);
    expect(server.requests).toBe(2);
    // A lower bound only: waiting less than the server asked is the bug.
    expect(server.arrivals[1] - server.arrivals[0]).toBeGreaterThanOrEqual(1_000 - 20);
  });

  it('429 with Retry-After as an HTTP date: the retry waits until then', async () => {
    let date = '';
    const server = await serve(
      sequence((res) => {
        date = new Date(Date.now() + 1_500).toUTCString();
        status(429, { 'retry-after': date })(res);
      }, created),
    );
    const feather = client(server.url, { retryBaseDelayMs: 0 });
    expect(await settle(feather.dispatchSimulationRun(BODY))).toEqual(RUN);
    expect(server.requests).toBe(2);
    expect(server.arrivals[1]).toBeGreaterThanOrEqual(Date.parse(date) - 20);
  });

  it('429 on every attempt: RateLimitError after 1 + maxRetries requests', async () => {
    const server = await serve(sequence(status(429, { 'retry-after': '0' })));
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('0');
    expect(server.requests).toBe(3);
  });

  it('503 then 201', async () => {
    const server = await serve(sequence(status(503), created));
    expect(await settle(client(server.url).dispatchSimulationRun(BODY))).toEqual(RUN);
    expect(server.requests).toBe(2);
  });

  it('503 on every attempt: InternalServerError 503; maxRetries: 0 sends once', async () => {
    const server = await serve(sequence(status(503)));
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(503);
    expect(server.requests).toBe(3);
    await failure(client(server.url, { maxRetries: 0 }).dispatchSimulationRun(BODY));
    expect(server.requests).toBe(4);
  });
});

describe('statuses that leave it unknown whether the run was created', () => {
  for (const code of [500, 502, 504]) {
    it(`${code}: InternalServerError after exactly one request`, async () => {
      const server = await serve(
        sequence(status(code, {}, { error: 'boom', message: 'upstream' })),
      );
      const error = await failure(client(server.url).dispatchSimulationRun(BODY));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status: code, message: `${code} upstream` });
      expect(server.requests).toBe(1);
    });

    it(`${code} with retryAmbiguous: true is retried, then the 201 is returned`, async () => {
      const server = await serve(sequence(status(code), created));
      const feather = client(server.url, { retryAmbiguous: true });
      expect(await settle(feather.dispatchSimulationRun(BODY))).toEqual(RUN);
      expect(server.requests).toBe(2);
    });
  }

  it('retryAmbiguous never retries an answer that is final (400, 401, 404, 409, 422)', async () => {
    for (const code of [400, 401, 404, 409, 422]) {
      const server = await serve(sequence(status(code)));
      const feather = client(server.url, { retryAmbiguous: true });
      expect(await failure(feather.dispatchSimulationRun(BODY))).toMatchObject({ status: code });
      expect(server.requests, String(code)).toBe(1);
    }
  });

  it('408 is retried only with retryAmbiguous', async () => {
    const server = await serve(sequence(status(408)));
    expect(await failure(client(server.url).dispatchSimulationRun(BODY))).toBeInstanceOf(APIError);
    expect(server.requests).toBe(1);
    const feather = client(server.url, { retryAmbiguous: true });
    await failure(feather.dispatchSimulationRun(BODY));
    expect(server.requests).toBe(1 + 3);
  });

  it('an HTML 502 page from a proxy: APIError with the status and a short excerpt', async () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(
      1_000,
    )}</body></html>`;
    const server = await serve(sequence(raw(502, page, 'text/html')));
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).body).toBe(page);
    expect(error.message).toBe(`502 ${page.slice(0, 200)}… (${page.length} chars)`);
    expect(server.requests).toBe(1);
  });

  it('an empty 500: APIError that says there was no body', async () => {
    const server = await serve(sequence(raw(500, '')));
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, body: '', message: '500 status code (no body)' });
    expect(server.requests).toBe(1);
  });

  it('truncated JSON in a 500: the raw text is kept, no SyntaxError', async () => {
    const server = await serve(sequence(raw(500, '{"error": "bo', 'application/json')));
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toMatchObject({
      status: 500,
      body: '{"error": "bo',
      message: '500 {"error": "bo',
    });
  });
});

describe('a 201 whose body is not a run (the run exists: never retried)', () => {
  it('invalid JSON: InvalidResponseError with the status and an excerpt', async () => {
    const text = JSON.stringify(RUN).slice(0, 30);
    const server = await serve(sequence(raw(201, text, 'application/json')));
    const error = await failure(
      client(server.url, { retryAmbiguous: true }).dispatchSimulationRun(BODY),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 201, body: text });
    expect(error.message).toBe(`201 response is not valid JSON: ${JSON.stringify(text)}`);
    expect(server.requests).toBe(1);
  });

  it('an empty 201: InvalidResponseError', async () => {
    const server = await serve(sequence(raw(201, '')));
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toBe('201 response is not valid JSON: ""');
  });

  for (const [what, body] of [
    ['an array', [1, 2]],
    ['a string', 'created'],
    ['null', null],
    ['a number', 201],
  ] as const) {
    it(`a JSON ${what}: InvalidResponseError "not a JSON object"`, async () => {
      const server = await serve(sequence(status(201, {}, body)));
      const error = await failure(client(server.url).dispatchSimulationRun(BODY));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ status: 201, body });
      expect(error.message).toBe(`201 response is not a JSON object: ${JSON.stringify(body)}`);
      expect(server.requests).toBe(1);
    });
  }
});

describe('validateResponses', () => {
  const { status: _dropped, ...incomplete } = RUN;

  it('off by default: a 201 that breaks the schema is returned as is', async () => {
    const server = await serve(sequence(status(201, {}, incomplete)));
    expect(await settle(client(server.url).dispatchSimulationRun(BODY))).toEqual(incomplete);
  });

  it('on: a 201 that breaks the schema is an InvalidResponseError listing each problem', async () => {
    const server = await serve(
      sequence(status(201, {}, { ...incomplete, created_at: 'yesterday' })),
    );
    const feather = client(server.url, { validateResponses: true });
    const error = await failure(feather.dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const { issues } = error as InvalidResponseError;
    expect(issues.map((i) => [i.path.join('.'), i.rule])).toEqual([
      ['status', 'required'],
      ['created_at', 'format'],
    ]);
    expect(error.message).toBe(
      '201 response does not match the spec:\n  status: is required\n  created_at: must be an ISO date-time',
    );
    expect(server.requests).toBe(1);
  });

  it('on per request, and a valid run passes', async () => {
    const server = await serve(sequence(status(201, {}, incomplete), created));
    const feather = client(server.url);
    const error = await failure(feather.dispatchSimulationRun(BODY, { validateResponses: true }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const strict = client(server.url, { validateResponses: true });
    expect(await settle(strict.dispatchSimulationRun(BODY))).toEqual(RUN);
    // ...and off per request over a client that has it on.
    const again = await serve(sequence(status(201, {}, incomplete)));
    const loose = client(again.url, { validateResponses: true });
    expect(await settle(loose.dispatchSimulationRun(BODY, { validateResponses: false }))).toEqual(
      incomplete,
    );
  });
});

describe('cancellation', () => {
  it('aborted before the call: APIUserAbortError, nothing sent', async () => {
    const server = await serve(sequence(created));
    const error = await failure(
      client(server.url).dispatchSimulationRun(BODY, { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.message).toBe('Request aborted by the caller before it was sent');
    expect(server.requests).toBe(0);
  });

  it('aborted while the server holds the request: APIUserAbortError at once, one request', async () => {
    const controller = new AbortController();
    const server = await serve(() => controller.abort());
    // Well within the timeout: the abort itself must end the attempt (its cause says which did).
    const error = await failure(
      client(server.url, { timeoutMs: 1_000 }).dispatchSimulationRun(BODY, {
        signal: controller.signal,
      }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.message).toBe('Request aborted by the caller');
    expect((error.cause as Error).name).toBe('AbortError');
    expect(server.requests).toBe(1);
  });

  it('aborted while the body streams in: APIUserAbortError', async () => {
    const controller = new AbortController();
    const server = await serve((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"id":', () => setTimeout(() => controller.abort(), 50));
    });
    const error = await failure(
      client(server.url).dispatchSimulationRun(BODY, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toBe(1);
  });

  it('aborted during a retry wait: APIUserAbortError without the retry', async () => {
    const controller = new AbortController();
    const server = await serve((_req, res) => {
      status(429, { 'retry-after': '30' })(res);
      setTimeout(() => controller.abort(), 100);
    });
    const error = await failure(
      client(server.url).dispatchSimulationRun(BODY, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.message).toBe('Request aborted by the caller during a retry wait');
    expect(server.requests).toBe(1);
  });

  it('aborted as the retryable answer arrives: no second request', async () => {
    const controller = new AbortController();
    const server = await serve(sequence(status(503, { 'retry-after': '0' }), created));
    // Reads the whole answer, then aborts, so the abort lands before the retry wait begins.
    const abortAfter: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      controller.abort();
      return new Response(text, response);
    };
    const feather = client(server.url, { fetch: abortAfter });
    const error = await failure(feather.dispatchSimulationRun(BODY, { signal: controller.signal }));
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toBe(1);
    // The abort ended that call only: the next one goes through.
    expect(await settle(client(server.url).dispatchSimulationRun(BODY))).toEqual(RUN);
    expect(server.requests).toBe(2);
  });

  it("leaves no listener on the caller's signal, whatever the outcome", async () => {
    const controller = new AbortController();
    const server = await serve(sequence(status(503, { 'retry-after': '0' }), created, status(500)));
    const feather = client(server.url);
    const options = { signal: controller.signal };
    await settle(feather.dispatchSimulationRun(BODY, options));
    await failure(feather.dispatchSimulationRun(BODY, options));
    await failure(feather.dispatchSimulationRun({ ...BODY, agent_id: 'x' }, options));
    // A signal shared by many calls would otherwise collect one listener per attempt.
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    expect(server.requests).toBe(3);
  });

  it('aborted during the backoff after a refused connection', async () => {
    const port = await closedPort();
    const controller = new AbortController();
    const counter = countingFetch();
    const feather = client(`http://127.0.0.1:${port}`, {
      fetch: counter.fetch,
      retryBaseDelayMs: 30_000,
    });
    const call = feather.dispatchSimulationRun(BODY, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await failure(call)).toBeInstanceOf(APIUserAbortError);
    expect(counter.calls).toBe(1);
  });
});

describe('timeout and abort together', () => {
  it('the timeout fires first: APIConnectionTimeoutError', async () => {
    const controller = new AbortController();
    const server = await serve(() => {});
    const error = await failure(
      client(server.url, { timeoutMs: 150 }).dispatchSimulationRun(BODY, {
        signal: controller.signal,
      }),
    );
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(server.requests).toBe(1);
    controller.abort(); // after the call ended: must not throw anywhere
  });

  it('the abort fires first: APIUserAbortError', async () => {
    const controller = new AbortController();
    const server = await serve(() => setTimeout(() => controller.abort(), 50));
    const error = await failure(
      client(server.url, { timeoutMs: 5_000 }).dispatchSimulationRun(BODY, {
        signal: controller.signal,
      }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toBe(1);
  });

  it("a caller's AbortSignal.timeout is the caller's abort, not the SDK's timeout", async () => {
    const server = await serve(() => {});
    const error = await failure(
      client(server.url, { timeoutMs: 5_000 }).dispatchSimulationRun(BODY, {
        signal: AbortSignal.timeout(100),
      }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    // Never retried. (On a busy machine the signal may fire before the request arrives.)
    expect(server.requests).toBeLessThanOrEqual(1);
  });

  it('through retries: a timeout is retried (opt-in), then the abort ends the call', async () => {
    const controller = new AbortController();
    const server = await serve((_req, _res, n) => {
      if (n === 2) setTimeout(() => controller.abort(), 50);
    });
    const feather = client(server.url, { timeoutMs: 150, retryAmbiguous: true, maxRetries: 5 });
    const error = await failure(feather.dispatchSimulationRun(BODY, { signal: controller.signal }));
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toBe(2);
  });
});

describe('the edges of success and of the network', () => {
  it('a 200 is a success like a 201; a 300 is an APIError, not retried', async () => {
    const server = await serve(sequence(status(200, {}, RUN), status(300)));
    expect(await settle(client(server.url).dispatchSimulationRun(BODY))).toEqual(RUN);
    const error = await failure(client(server.url).dispatchSimulationRun(BODY));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 300 });
    expect(server.requests).toBe(2);
  });

  it('a request fetch refuses to build: APIConnectionError, nothing sent, no retry', async () => {
    const server = await serve(sequence(created));
    const counter = countingFetch();
    const feather = client(server.url, { fetch: counter.fetch });
    const error = await failure(
      feather.dispatchSimulationRun(BODY, { headers: { 'x-trace': 'line\nbreak' } }),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    // fetch's own words, without the blanks of the missing socket details.
    expect(error.message).toBe(
      `POST /v1/simulation/runs failed: ${(error.cause as Error).message}`,
    );
    expect(error.message).toMatch(/^POST \/v1\/simulation\/runs failed: \S.*\S$/s);
    expect(counter.calls).toBe(1);
    expect(server.requests).toBe(0);
  });

  it('the backoff waits retryBaseDelayMs, 500 ms by default (lower bounds only)', async () => {
    const port = await closedPort();
    for (const [base, least] of [
      [undefined, 375],
      [1_500, 1_125],
    ] as const) {
      const calls: number[] = [];
      const feather = createFeatherClient({
        apiKey: KEY,
        baseUrl: `http://127.0.0.1:${port}`,
        maxRetries: 1,
        retryBaseDelayMs: base,
        fetch: (input, init) => {
          calls.push(Date.now());
          return fetch(input, init);
        },
      });
      await failure(feather.dispatchSimulationRun(BODY));
      expect(calls).toHaveLength(2);
      expect(calls[1] - calls[0], `base ${base}`).toBeGreaterThanOrEqual(least - 5);
    }
  });
});

describe('validation happens before the network', () => {
  it('an invalid body is a RequestValidationError and no request; validate: false sends it', async () => {
    const server = await serve(sequence(status(422, {}, { detail: [] })));
    const bad = { ...BODY, agent_id: 'nope' };
    const core = createFeatherCore({ apiKey: KEY, baseUrl: server.url });
    const error = await failure(dispatchSimulationRun(core, bad as typeof BODY));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(server.requests).toBe(0);
    await failure(dispatchSimulationRun(core, bad as typeof BODY, { validate: false }));
    expect(server.requests).toBe(1);
  });
});

describe('nothing is left behind', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsx = join(root, 'node_modules', '.bin', 'tsx');

  /** Runs a script in a child Node (through tsx, against src/) and waits for it to exit. */
  function runScript(source: string, url: string) {
    const dir = mkdtempSync(join(tmpdir(), 'feather-faults-'));
    const file = join(dir, 'script.mts');
    writeFileSync(file, source);
    const child = spawn(tsx, [file, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    return new Promise<{ code: number | null; out: string }>((resolve) => {
      // A hang check with a generous bound, not a speed target: tsx alone takes a second or two.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
  }

  const sdk = pathToFileURL(join(root, 'src', 'index.ts')).href;
  const header = `import { createFeatherClient } from ${JSON.stringify(sdk)};
const feather = createFeatherClient({ apiKey: ${JSON.stringify(KEY)}, baseUrl: process.argv[2], retryBaseDelayMs: 5 });
const body = ${JSON.stringify(BODY)};
`;

  it('a script that makes one call exits on its own, with code 0', async () => {
    const server = await serve(sequence(created));
    const result = await runScript(
      `${header}const run = await feather.dispatchSimulationRun(body);\nconsole.log('run', run.id);\n`,
      server.url,
    );
    expect(result).toEqual({ code: 0, out: `run ${RUN.id}\n` });
    expect(server.requests).toBe(1);
  }, 30_000);

  it('...and after a retry, a timeout, an abort and an error status too', async () => {
    const server = await serve((req, res, n) => {
      if (n === 1) status(503, { 'retry-after': '0' })(res);
      else if (n === 2) created(res);
      else if (n === 5) status(500)(res);
      // n === 3: never answered (timeout); n === 4: never answered (aborted).
    });
    const result = await runScript(
      `${header}const run = await feather.dispatchSimulationRun(body);
const timeout = await feather.dispatchSimulationRun(body, { timeoutMs: 100 }).catch((e) => e.name);
const controller = new AbortController();
setTimeout(() => controller.abort(), 100);
const abort = await feather.dispatchSimulationRun(body, { signal: controller.signal }).catch((e) => e.name);
const status = await feather.dispatchSimulationRun(body).catch((e) => e.name);
console.log(run.id, timeout, abort, status);
`,
      server.url,
    );
    expect(result).toEqual({
      code: 0,
      out: `${RUN.id} APIConnectionTimeoutError APIUserAbortError InternalServerError\n`,
    });
    expect(server.requests).toBe(5);
  }, 30_000);
});
