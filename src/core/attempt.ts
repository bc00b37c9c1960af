/**
 * One attempt of a request: its AbortSignal, its timer, and the typed error for whatever ended it.
 * The timer covers the wait for the answer and the reading of its body (a server that stalls
 * mid-body is a timeout too); a stream restarts it per chunk, so it measures idle gaps.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  FeatherError,
  redact,
} from './errors.js';
import { NONE, notify, type AttemptObserver } from './hooks.js';

/** One request attempt, as the transport hands it to a body reader. */
export interface Attempt {
  /** Aborts the fetch: fires on the attempt's timeout and on the caller's AbortSignal. */
  readonly signal: AbortSignal;
  /** Restarts the attempt's timer: call on every chunk, so the timeout measures idle gaps. */
  touch(): void;
  /**
   * Ends the attempt (clears the timer, removes listeners). Idempotent. `reuse: false` when the
   * response body is still to be read by someone else (its signal must never fire for another
   * request).
   */
  end(reuse?: boolean): void;
  /**
   * The SDK's typed error for a failure while sending or reading: timeout, abort, connection.
   * The attempt ends with it: `end()` reports it to the observers.
   */
  fail(cause: unknown): FeatherError;
  /** What hooks observe this attempt; `end()` tells them, with its response or its error. */
  observers: AttemptObserver[];
  /** The answer, once it arrived. */
  response?: Response;
  /**
   * Runs once, when the attempt ends, after its observers, with its error if it failed: a
   * stream's end (or failure) ends its call.
   */
  after?: (error?: FeatherError) => void;
}

const TIMEOUT = Symbol('timeout');

/**
 * Controllers whose request ended with no abort, each with how many requests it served. Creating
 * an AbortSignal is the largest cost of a call after fetch itself (bench/README.md), and a signal
 * that never fired can serve the next request. The caps bound what the pool holds: fetch
 * implementations leave a listener per request on the signal until GC.
 */
const idle: [AbortController, number][] = [];
const POOL_SIZE = 64;
const USES_PER_CONTROLLER = 100;

export interface AttemptSettings {
  /** Names the call in error messages. */
  name: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** Redacted from every error message. */
  secret: string | null;
}

export function openAttempt({ name, timeoutMs, signal, secret }: AttemptSettings): Attempt {
  const [controller, served] = idle.pop() ?? [new AbortController(), 0];
  const uses = served + 1; // this request included
  const onTimeout = () => controller.abort(TIMEOUT);
  let timer = setTimeout(onTimeout, timeoutMs);
  const onAbort = () => controller.abort();
  // No `once`: an AbortSignal fires once, and end() removes the listener.
  signal?.addEventListener('abort', onAbort);
  let ended = false;
  let error: FeatherError | undefined;
  const attempt: Attempt = {
    signal: controller.signal,
    observers: NONE,
    touch() {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, timeoutMs);
    },
    end(reuse = true) {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (
        reuse &&
        !controller.signal.aborted &&
        uses < USES_PER_CONTROLLER &&
        idle.length < POOL_SIZE
      ) {
        idle.push([controller, uses]);
      }
      // Stryker disable next-line ConditionalExpression: only for speed (notify on none does nothing)
      if (attempt.observers.length) {
        notify(attempt.observers, 'end', { response: attempt.response, error });
      }
      attempt.after?.(error);
    },
    fail(cause) {
      if (cause instanceof FeatherError) return (error = cause);
      if (signal?.aborted) {
        return (error = new APIUserAbortError('Request aborted by the caller', { cause }));
      }
      if (controller.signal.reason === TIMEOUT) {
        const message = `${name} timed out after ${timeoutMs} ms`;
        return (error = new APIConnectionTimeoutError(message, { cause }));
      }
      const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
      const detail = `${inner?.code ?? ''} ${inner?.message ?? ''} ${(cause as Error)?.message ?? ''}`;
      const message = redact(`${name} failed: ${detail.trim() || 'connection error'}`, secret);
      return (error = new APIConnectionError(message, { cause }));
    },
  };
  return attempt;
}
