/**
 * Hooks: observers of every call, attempt and retry, for both client styles and feather.client.
 * Logging (logging.ts), middleware (middleware.ts) and `@featherhq/sdk/otel` are hooks; the
 * transport only calls them, so an app that passes none ships none of their code.
 *
 * Parent and child are carried by the observers themselves, never by AsyncLocalStorage: `call`
 * returns the call's observer, whose `attempt` returns the attempt's; a group (a paginated
 * iteration, a waiter's polls) returns the hook its calls report to. See CONTRIBUTING.md, Hooks.
 */
import type { FeatherError } from './errors.js';

/** Observes calls; pass it in `hooks`, or add it to a client with `addHook`. */
export interface Hook {
  /**
   * A call begins: synchronously in the caller's frame, before validation, so a tracer's active
   * context is the caller's. Return the call's observer, or nothing to skip this call.
   */
  call?(call: CallInfo): CallObserver | void;
  /**
   * A group of calls begins: the pages of a paginated iteration, the polls of a waiter. The calls
   * in it report to the hook this returns (nothing: to this hook, as any other call).
   */
  group?(group: GroupInfo): GroupObserver | void;
}

/** What a hook knows of a call. Never the API key: `redact` takes it out of any text. */
export interface CallInfo {
  /** How errors and logs name the call: `POST /v1/simulation/runs`. */
  readonly name: string;
  /** The spec's operationId; undefined for a feather.client request to a path the spec lacks. */
  readonly operationId: string | undefined;
  /** The HTTP method: `POST`. */
  readonly method: string;
  /** The spec's path, braces included: `/v1/simulation/runs/{sim_run_id}`. */
  readonly path: string;
  /** The call's parameters as given (`{ path, query, header }`), `{}` without any. */
  readonly params: object;
  /** The client's base URL. */
  readonly baseUrl: string;
  /** The spec marks the operation deprecated. */
  readonly deprecated: boolean | undefined;
  /** The text with every occurrence of the API key replaced by `[redacted]`. */
  redact(text: string): string;
}

/** One call's observer. */
export interface CallObserver {
  /**
   * An attempt is about to be sent. Change `headers` or wrap `fetch` here to change this attempt
   * only; return the attempt's observer.
   */
  attempt?(attempt: AttemptInfo): AttemptObserver | void;
  /** A failed attempt will be retried after `delayMs`. */
  retry?(retry: RetryInfo): void;
  /**
   * The call is over: its data was read (a stream: the stream ended, was cut or abandoned), or it
   * failed (`error`: what the call throws; a validation error has `attempts: 0`).
   */
  end?(end: CallEnd): void;
}

/** One attempt, before it is sent. */
export interface AttemptInfo {
  /** 1 for the first attempt, 2 for the first retry... */
  readonly number: number;
  /** The HTTP method: `POST`. */
  readonly method: string;
  /** The URL with its path and query parameters: `https://api.featherhq.com/v1/runs/r1?x=1`. */
  readonly url: string;
  /** This attempt's headers, the key among them: add or change one (`traceparent`) here. */
  headers: Record<string, string>;
  /** The body as sent: a JSON string, FormData, a stream, bytes; undefined without one. */
  readonly body: BodyInit | null | undefined;
  /** What this attempt sends with, called `(url, init)`: wrap it to see or change the exchange. */
  fetch: typeof fetch;
}

/** One attempt's observer. */
export interface AttemptObserver {
  /** The answer's status and headers arrived; its body is not read yet. */
  response?(response: Response): void;
  /** A stream handed its caller one event (its reader reports each): to count them. */
  event?(event: unknown): void;
  /**
   * The attempt is over: its body read, or a stream's end. `error`: the SDK's typed error for
   * what ended it (a timeout, an abort, a reset, a body that is not JSON).
   */
  end?(end: AttemptEnd): void;
}

/** How an attempt ended. */
export interface AttemptEnd {
  /** Its answer, of any status; absent when it got none. */
  response?: Response;
  /** The SDK's typed error that ended it, if any. */
  error?: FeatherError;
}

/** A retry about to be waited for. */
export interface RetryInfo {
  /** The attempt that failed: 1 for the first. */
  readonly attempt: number;
  /** The call's `maxRetries`. */
  readonly maxRetries: number;
  /** The wait before the next attempt, in milliseconds. */
  readonly delayMs: number;
  /** The answer that is retried (429, 503...), or */
  readonly response?: Response;
  /** the error that ended the attempt (a timeout, a refused connection). */
  readonly error?: FeatherError;
}

/** How a call ended. */
export interface CallEnd {
  /** Attempts sent: 0 when validation refused the call. */
  readonly attempts: number;
  /** The last answer, of any status. */
  readonly response?: Response;
  /** What the call throws; absent on success (feather.client returns a non-2xx, not throws). */
  readonly error?: unknown;
}

/** A group of calls: what `group()` is given. */
export interface GroupInfo {
  /** `pages` (a paginated iteration), `polls` (a waiter). */
  readonly kind: string;
  /**
   * What it repeats, or waits for: `GET /things` (the pages of that list), `until status is
   * completed | failed` (a waiter's polls). Its calls name their operation.
   */
  readonly name: string;
}

/** The hook a group's calls report to, told when the group ends. */
export interface GroupObserver extends Hook {
  /** The group is over: the iteration ended or was abandoned, the wait returned or threw. */
  end?(error?: unknown): void;
}

/** No observers: shared, never written to. */
export const NONE: never[] = [];

/** Calls `method` on each observer with `arg`, and lists what they returned (NONE for none). */
export function notify<O, R>(observers: readonly O[], method: keyof O, arg: unknown): R[] {
  let out: R[] = NONE;
  for (const o of observers) {
    const r = (o[method] as ((a: unknown) => R | void) | undefined)?.(arg);
    if (r) (out === NONE ? (out = []) : out).push(r);
  }
  return out;
}
