/**
 * The retry loop every request goes through, for the operation functions and for
 * `feather.client` alike: one attempt at a time, each under its own timer, retried only where the
 * retry policy (retry.ts) says a repeat cannot do the work twice, within the client's budget.
 */
import { openAttempt, type Attempt } from './attempt.js';
import { APIConnectionError, redact, type FeatherError } from './errors.js';
import { loggableHeaders } from './logging.js';
import type { Config, RequestOptions } from './options.js';
import { retryDelay, retryPolicy, shouldRetry, type Failure } from './retry.js';
import { sleep } from '../internal/sleep.js';

/** How the transport reads a 2xx body; `streaming` readers own the attempt and end it. */
export interface ResponseReader<T> {
  /** Sent as the `accept` header. */
  accept?: string;
  streaming?: boolean;
  read(response: Response, attempt: Attempt): T | Promise<T>;
}

/** One call, as the loop needs it. */
export interface Exchange<T> {
  /** Names the call in errors and logs: the operationId, or `METHOD /path` for feather.client. */
  name: string;
  /** A repeat cannot do the work twice: an idempotent method, or an idempotency key. */
  repeatable: boolean;
  /** false for a one-shot stream body: never sent twice. */
  replayable: boolean;
  /** One attempt's request (through the middleware, when the client has any). */
  fetch(signal: AbortSignal): Promise<Response>;
  reader: ResponseReader<T>;
  /** The final non-2xx answer, its body read: throw the typed error, or return a value. */
  refuse(response: Response, text: string): T;
  /** Set by `.asResponse()`: hand over the 2xx response with its body unread. */
  raw?: boolean;
  /** What a debug log line shows of the request (credentials are redacted there). */
  request: { method: string; url: string; headers: HeadersInit; body?: unknown };
}

export interface Outcome<T> {
  data: T;
  response: Response;
}

/** An attempt that failed: with the non-2xx answer, or with the error that ended it. */
type Failed =
  | { failure: Failure; response: Response; text: string }
  | { failure: Failure; error: FeatherError };

type Attempted<T> = { outcome: Outcome<T> } | Failed;

export async function send<T>(
  config: Config,
  exchange: Exchange<T>,
  options: RequestOptions,
): Promise<Outcome<T>> {
  const started = Date.now();
  const maxRetries = options.maxRetries ?? config.maxRetries;
  const repeatable = exchange.repeatable || (options.retryAmbiguous ?? config.retryAmbiguous);
  for (let attempt = 1; ; attempt++) {
    const result = await attemptOnce(config, exchange, options);
    if ('outcome' in result) {
      const { status, headers } = result.outcome.response;
      config.log.info?.(
        `${exchange.name} ${status} in ${Date.now() - started} ms, ${attempt} attempt(s), request id ${headers.get('x-request-id') ?? 'none'}`,
      );
      return result.outcome;
    }
    const retry =
      exchange.replayable &&
      attempt <= maxRetries &&
      shouldRetry(result.failure, repeatable) &&
      config.takeRetry();
    if (!retry) {
      config.log.error?.(`${exchange.name} failed after ${attempt} attempt(s): ${failure(result)}`);
      if ('error' in result) throw result.error;
      return { data: exchange.refuse(result.response, result.text), response: result.response };
    }
    const headers = 'response' in result ? result.response.headers : undefined;
    const delay = retryDelay(attempt - 1, headers, config.retryBaseDelayMs);
    config.log.warn?.(
      `${exchange.name}: ${describe(result)}; retry ${attempt} of ${maxRetries} in ${Math.round(delay)} ms`,
    );
    await sleep(delay, options.signal);
  }
}

function describeRequest(
  config: Config,
  { name, request }: Exchange<unknown>,
): [message: string, details: unknown] {
  const body =
    typeof request.body === 'string' ? redact(request.body, config.apiKey) : request.body;
  return [
    `${name} sending ${request.method} ${redact(request.url, config.apiKey)}`,
    { headers: loggableHeaders(request.headers, config.apiKey), body },
  ];
}

function failure(result: Failed): string {
  if ('error' in result) return `${result.error.name}: ${result.error.message}`;
  const id = result.response.headers.get('x-request-id');
  return `status ${result.response.status}, request id ${id ?? 'none'}`;
}

function describe(result: Failed): string {
  return 'error' in result ? result.error.message : `status ${result.response.status}`;
}

async function attemptOnce<T>(
  config: Config,
  exchange: Exchange<T>,
  options: RequestOptions,
): Promise<Attempted<T>> {
  const attempt = openAttempt({
    name: exchange.name,
    timeoutMs: options.timeoutMs ?? config.timeoutMs,
    signal: options.signal,
    secret: config.apiKey,
  });
  let handedOver = false;
  const { debug } = config.log;
  try {
    debug?.(...describeRequest(config, exchange));
    const response = await exchange.fetch(attempt.signal);
    debug?.(`${exchange.name} answered ${response.status}`, {
      headers: loggableHeaders(response.headers, config.apiKey),
    });
    // A Response has a status of 200-599, or 0 from Response.error(): !ok is exactly "not 2xx".
    if (!response.ok) {
      return { failure: { status: response.status }, response, text: await response.text() };
    }
    if (exchange.raw) {
      attempt.end(false);
      return { outcome: { data: undefined as T, response } };
    }
    const data = await exchange.reader.read(response, attempt);
    handedOver = !!exchange.reader.streaming;
    return { outcome: { data, response } };
  } catch (cause) {
    const error = attempt.fail(cause);
    // A timeout too: its message never names a refused connection, so it counts as sent (retried
    // only when repeatable).
    if (error instanceof APIConnectionError) {
      return { failure: { sent: !retryPolicy.notSentErrors.test(error.message) }, error };
    }
    throw error;
  } finally {
    if (!handedOver) attempt.end();
  }
}
