/**
 * Waiting for a long-running resource (a simulation run) to reach a final status: poll its
 * read operation with backoff, within an overall deadline. The generator writes one waiter per
 * entry of sdk.config.json whose operations the spec has; only apps that wait ship this module.
 */
import { group, type FeatherCore } from './core.js';
import { FeatherError, RateLimitError } from './errors.js';
import type { RequestOptions } from './options.js';
import type { APIPromise } from './promise.js';
import { retryDelay } from './retry.js';
import { sleep } from '../internal/sleep.js';

export interface WaitOptions extends RequestOptions {
  /**
   * The first wait between two polls, in milliseconds; each wait doubles, up to maxPollIntervalMs.
   * @default 1000
   */
  pollIntervalMs?: number;
  /** @default 10000 */
  maxPollIntervalMs?: number;
  /**
   * The overall deadline, in milliseconds: past it, PollTimeoutError.
   * @default 600000
   */
  maxWaitMs?: number;
}

export const WAIT_DEFAULTS = {
  pollIntervalMs: 1_000,
  maxPollIntervalMs: 10_000,
  maxWaitMs: 600_000,
};

/** The wait passed `maxWaitMs` before the resource reached a final status. */
export class PollTimeoutError<T = unknown> extends FeatherError {
  /** The class's name, as stack traces and logs show it: `PollTimeoutError`. */
  override name = 'PollTimeoutError';
  constructor(
    message: string,
    /** The last state seen, or undefined if no poll answered. */
    readonly last: T | undefined,
  ) {
    super(message);
  }
}

type Get<T> = (core: FeatherCore, id: string, options: RequestOptions) => APIPromise<T>;

/**
 * A function that polls `get` until the resource's `field` is one of `final`, and returns it. The
 * polls of one wait are one group for the hooks (a tracer's parent span).
 */
export function waiter<T>(get: Get<T>, field: string, final: readonly unknown[]) {
  const info = { kind: 'polls', name: `until ${field} is ${final.join(' | ')}` };
  return async (core: FeatherCore, id: string, options: WaitOptions = {}): Promise<T> => {
    const [scoped, end] = group(core, info);
    try {
      const result = await pollUntilFinal(scoped, id, options);
      end();
      return result;
    } catch (error) {
      end(error);
      throw error;
    }
  };

  async function pollUntilFinal(core: FeatherCore, id: string, options: WaitOptions) {
    const { pollIntervalMs, maxPollIntervalMs, maxWaitMs, ...request } = {
      ...WAIT_DEFAULTS,
      ...options,
    };
    const deadline = Date.now() + maxWaitMs;
    let last: T | undefined;
    // A poll, then the next as a call rather than a loop's turn: each waits on the network.
    const poll = async (interval: number): Promise<T> => {
      let wait = interval;
      try {
        last = await get(core, id, request);
        if (final.includes((last as Record<string, unknown>)[field])) return last;
      } catch (error) {
        // Rate limited past the call's own retries: wait as the server asks, and poll again.
        if (!(error instanceof RateLimitError)) throw error;
        wait = Math.max(interval, retryDelay(0, error.headers, interval));
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new PollTimeoutError(
          `${id} did not reach a final ${field} within ${maxWaitMs} ms`,
          last,
        );
      }
      // No abort check after it: the sleep rejects on an abort, and so does the next poll's request.
      await sleep(Math.min(wait, left), options.signal, 'the wait between polls');
      return poll(Math.min(interval * 2, maxPollIntervalMs));
    };
    return poll(pollIntervalMs);
  }
}

/** Creates once (never repeated by the wait), then waits for the created resource's `idField`. */
export function createAndWait<B, T>(
  create: (core: FeatherCore, body: B, options: RequestOptions) => PromiseLike<object>,
  wait: (core: FeatherCore, id: string, options: WaitOptions) => Promise<T>,
  idField: string,
) {
  return async (core: FeatherCore, body: B, options: WaitOptions = {}): Promise<T> => {
    const { pollIntervalMs, maxPollIntervalMs, maxWaitMs, ...request } = options;
    const created = (await create(core, body, request)) as Record<string, unknown>;
    return wait(core, String(created[idField]), options);
  };
}
