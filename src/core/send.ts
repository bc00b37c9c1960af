/**
 * The retry loop every request goes through, for the operation functions and for
 * `feather.client` alike: one attempt at a time, each under its own timer, retried only where the
 * retry policy (retry.ts) says a repeat cannot do the work twice, within the client's budget.
 * Hooks (hooks.ts) are told of each attempt, retry and the call's end; without any, telling them
 * costs an empty loop.
 */
import { openAttempt, type Attempt } from './attempt.js';
import { APIConnectionError, type FeatherError } from './errors.js';
import { notify, type AttemptInfo, type CallObserver } from './hooks.js';
import type { Config, RequestOptions } from './options.js';
import { parseJson, type JsonShape } from './response.js';
import { failureOf, retryDelay, shouldRetry } from './retry.js';
import { sleep } from '../internal/sleep.js';

/** How the transport reads a 2xx body; `streaming` readers own the attempt and end it. */
export interface ResponseReader<T> {
  /** Sent as the `accept` header. */
  accept?: string;
  /** Whether the answer read outlives `read`: always, or for the answers a test picks. */
  streaming?: boolean | ((response: Response) => boolean);
  read(response: Response, attempt: Attempt): T | Promise<T>;
}

/** One call, as the loop needs it. */
export interface Exchange<T> {
  /** Names the call in errors and logs: `METHOD /path`, as the spec writes the path. */
  name: string;
  url: string;
  /** The method and body (an upload's `duplex` and `redirect` too); each attempt adds the rest. */
  init: RequestInit;
  /** Every attempt's headers, unless a hook changes one attempt's. */
  headers: Record<string, string>;
  /** A repeat cannot do the work twice: an idempotent method, or an idempotency key. */
  repeatable: boolean;
  /** false for a one-shot stream body: never sent twice. */
  replayable: boolean;
  /** How to read a 2xx answer: JSON of this shape, or a reader such as an event stream's. */
  reader: JsonShape | ResponseReader<T>;
  /** Checks the data read from a 2xx (validateResponses): throws to fail the call. */
  check?: (data: T, response: Response) => void;
  /** Async work before the first attempt (encoding an upload). */
  before?: () => Promise<void>;
  /**
   * The final non-2xx answer, its body read: throw the typed error, or return a value. `secret`:
   * the key, to redact from what it makes.
   */
  refuse(response: Response, text: string, secret: string | null): T;
  /** Set by `.asResponse()`: hand over the 2xx response with its body unread. */
  raw?: boolean;
  /** The hooks' observers of this call. */
  observers: CallObserver[];
  /** The last answer; set as each arrives. */
  response?: Response;
}

/** Tells the call's observers it is over. */
export function ended(
  x: Pick<Exchange<unknown>, 'observers' | 'response'>,
  attempts: number,
  error?: unknown,
): void {
  // Stryker disable next-line ConditionalExpression: only for speed (notify on none does nothing)
  if (x.observers.length) notify(x.observers, 'end', { attempts, response: x.response, error });
}

export async function send<T>(config: Config, x: Exchange<T>, options: RequestOptions): Promise<T> {
  let n = 0;
  try {
    if (x.before) await x.before();
    for (;;) {
      const attempt = openAttempt({
        name: x.name,
        timeoutMs: options.timeoutMs ?? config.timeoutMs,
        signal: options.signal,
        secret: config.apiKey,
      });
      let response: Response | undefined;
      let error: FeatherError | undefined;
      let text: string | undefined;
      let data!: T;
      let handedOver = false;
      try {
        response = x.response = attempt.response = await fetchAttempt(config, x, attempt, ++n);
        notify(attempt.observers, 'response', response);
        const { reader } = x;
        // A Response has a status of 200-599, or 0 from Response.error(): !ok is "not 2xx".
        if (!response.ok) text = await response.text();
        else if (x.raw) attempt.end(false);
        else if (typeof reader === 'string') {
          data = parseJson(response, await response.text(), reader) as T;
          x.check?.(data, response);
        } else {
          data = await reader.read(response, attempt);
          const { streaming } = reader;
          handedOver = typeof streaming === 'function' ? streaming(response) : !!streaming;
          // A text answer is checked as JSON is; a stream is the caller's to read.
          if (!handedOver) x.check?.(data, response);
        }
      } catch (cause) {
        error = attempt.fail(cause);
        if (!(error instanceof APIConnectionError)) throw error;
      } finally {
        if (!handedOver) attempt.end();
      }
      if (text === undefined && !error) {
        if (handedOver) attempt.after = (failure) => ended(x, n, failure);
        else ended(x, n);
        return data;
      }
      const delayMs = retryDelayOf(config, x, options, n, response, error);
      if (delayMs === undefined) {
        if (error) throw error;
        data = x.refuse(response!, text!, config.apiKey);
        ended(x, n);
        return data;
      }
      await sleep(delayMs, options.signal);
    }
  } catch (error) {
    ended(x, n, error);
    throw error;
  }
}

/**
 * After failed attempt `n`, the wait before the next, the hooks told; undefined when the policy,
 * the call's retries or the client's budget allow none.
 */
function retryDelayOf(
  config: Config,
  x: Pick<Exchange<unknown>, 'repeatable' | 'replayable' | 'observers'>,
  options: RequestOptions,
  n: number,
  response: Response | undefined,
  error: FeatherError | undefined,
): number | undefined {
  const maxRetries = options.maxRetries ?? config.maxRetries;
  const repeatable = x.repeatable || (options.retryAmbiguous ?? config.retryAmbiguous);
  if (
    !x.replayable ||
    n > maxRetries ||
    !shouldRetry(failureOf(error, response), repeatable) ||
    !config.takeRetry()
  ) {
    return undefined;
  }
  const delayMs = retryDelay(n - 1, response?.headers, config.retryBaseDelayMs);
  notify(x.observers, 'retry', { attempt: n, maxRetries, delayMs, response, error });
  return delayMs;
}

/** Sends attempt `n`: the hooks see it (and may change its headers or wrap its fetch) first. */
function fetchAttempt(
  config: Config,
  x: Pick<Exchange<unknown>, 'observers' | 'init' | 'url' | 'headers' | 'response'>,
  attempt: Attempt,
  n: number,
): Promise<Response> {
  x.response = undefined; // the last answer is this attempt's, if it gets one
  let { headers } = x;
  let send = config.fetch;
  // Only for speed (the info and its headers are made for hooks that read them):
  // Stryker disable next-line ConditionalExpression
  if (x.observers.some((o) => o.attempt)) {
    const info: AttemptInfo = {
      number: n,
      method: x.init.method!,
      url: x.url,
      // A copy for the hooks to change: the client's own headers serve every call.
      headers: { ...headers },
      body: x.init.body,
      fetch: send,
    };
    attempt.observers = notify(x.observers, 'attempt', info);
    ({ headers, fetch: send } = info);
  }
  x.init.headers = headers;
  x.init.signal = attempt.signal; // one attempt at a time: each gets its own signal
  return send(x.url, x.init);
}
