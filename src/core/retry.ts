/**
 * When a failed attempt is retried, and after how long. The policy is data: a retry must never
 * repeat work the server may already have done (a second simulation run costs money) unless a
 * repeat is harmless: an idempotent method, an idempotency key the server deduplicates by, or the
 * caller's explicit `retryAmbiguous`.
 */

export const retryPolicy = {
  /** The server says it did not act on the request: safe to repeat for any method. */
  retryStatusCodes: [429, 503] as readonly number[],
  /** The server may have acted before failing: repeated only where a repeat is harmless. */
  ambiguousStatusCodes: [408, 500, 502, 504] as readonly number[],
  /** Methods whose repeat has the effect of one request (RFC 9110, section 9.2.2). */
  idempotentMethods: ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'] as readonly string[],
  /** Connection failures before any byte reached the server: a retry cannot duplicate anything. */
  notSentErrors:
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|E(NET|HOST)UNREACH|connection ?refused|dns error|failed to lookup/i,
  /** The longest `Retry-After` honoured; a longer one is cut to this. */
  maxRetryAfterMs: 60_000,
  /** The retry budget's window. */
  budgetWindowMs: 60_000,
};

/** Why an attempt failed, as the policy sees it. */
export type Failure =
  | { status: number }
  /** `sent`: the request may have reached the server (a timeout always may have). */
  | { sent: boolean };

/** Whether the failure may be retried; `repeatable`: a repeat cannot do the work twice. */
export function shouldRetry(failure: Failure, repeatable: boolean): boolean {
  if ('status' in failure) {
    return (
      retryPolicy.retryStatusCodes.includes(failure.status) ||
      (repeatable && retryPolicy.ambiguousStatusCodes.includes(failure.status))
    );
  }
  return repeatable || ('sent' in failure && !failure.sent);
}

/** `Retry-After` in seconds or as an HTTP date, else exponential backoff with jitter. */
export function retryDelay(attempt: number, headers: Headers | undefined, baseMs: number): number {
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isNaN(seconds) ? Date.parse(retryAfter) - Date.now() : seconds * 1000;
    if (ms >= 0) return Math.min(ms, retryPolicy.maxRetryAfterMs);
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
    while (spent.length && spent[0] <= now - retryPolicy.budgetWindowMs) spent.shift();
    if (spent.length >= perWindow) return false;
    spent.push(now);
    return true;
  };
}
