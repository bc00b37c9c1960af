/**
 * When a failed attempt is retried, and after how long. The policy is data: a retry must never
 * repeat work the server may already have done (a second simulation run costs money) unless a
 * repeat is harmless: an idempotent method, an idempotency key the server deduplicates by, or the
 * caller's explicit `retryAmbiguous`.
 */

/** The server says it did not act on the request: safe to repeat for any method. */
const RETRY_STATUSES: readonly number[] = [429, 503];
/** The server may have acted before failing: repeated only where a repeat is harmless. */
const AMBIGUOUS_STATUSES: readonly number[] = [408, 500, 502, 504];
/** Methods whose repeat has the effect of one request (RFC 9110, section 9.2.2). */
const IDEMPOTENT_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];
/** Connection failures before any byte reached the server: a retry cannot duplicate anything. */
const NOT_SENT =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|E(NET|HOST)UNREACH|connection ?refused|dns error|failed to lookup/i;
/** The longest `Retry-After` honoured; a longer one is cut to this. */
const MAX_RETRY_AFTER_MS = 60_000;
/** The retry budget's window. */
const BUDGET_WINDOW_MS = 60_000;

/**
 * The policy as one table, for reading and for the tests (the functions below use the constants,
 * so that a bundler can shorten their names).
 */
export const retryPolicy = {
  retryStatusCodes: RETRY_STATUSES,
  ambiguousStatusCodes: AMBIGUOUS_STATUSES,
  idempotentMethods: IDEMPOTENT_METHODS,
  notSentErrors: NOT_SENT,
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
  budgetWindowMs: BUDGET_WINDOW_MS,
};

/** A repeat of the request cannot do the work twice: an idempotent method, or a key. */
export const isRepeatable = (method: string, idempotencyKey: unknown): boolean =>
  IDEMPOTENT_METHODS.includes(method) || !!idempotencyKey;

/** Why an attempt failed, as the policy sees it. */
export type Failure =
  | { status: number }
  /** `sent`: the request may have reached the server (a timeout always may have). */
  | { sent: boolean };

/** Whether the failure may be retried; `repeatable`: a repeat cannot do the work twice. */
export function shouldRetry(failure: Failure, repeatable: boolean): boolean {
  if ('status' in failure) {
    return (
      RETRY_STATUSES.includes(failure.status) ||
      (repeatable && AMBIGUOUS_STATUSES.includes(failure.status))
    );
  }
  return repeatable || !failure.sent;
}

/** The failure of an attempt: its error's (a connection error), else its answer's status. */
export const failureOf = (error: Error | undefined, response: Response | undefined): Failure =>
  error ? { sent: !NOT_SENT.test(error.message) } : { status: response!.status };

/** `Retry-After` in seconds or as an HTTP date, else exponential backoff with jitter. */
export function retryDelay(attempt: number, headers: Headers | undefined, baseMs: number): number {
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isNaN(seconds) ? Date.parse(retryAfter) - Date.now() : seconds * 1000;
    if (ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  }
  return Math.min(baseMs * 2 ** attempt, baseMs * 16) * (1 - Math.random() * 0.25);
}

/**
 * Retries a client may spend per sliding window, across all of its calls: a failing server must
 * not turn one app into a retry storm. First attempts are never counted.
 */
export function retryBudget(perWindow: number): () => boolean {
  const spent: number[] = [];
  return () => {
    const now = Date.now();
    while (spent.length && spent[0] <= now - BUDGET_WINDOW_MS) spent.shift();
    if (spent.length >= perWindow) return false;
    spent.push(now);
    return true;
  };
}
