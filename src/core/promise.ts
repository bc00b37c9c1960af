/**
 * What every call returns: a promise of the data that can also give the raw HTTP response.
 * Awaiting it gives the data, as a plain promise would.
 */
import type { Exchange, Outcome } from './send.js';

export interface WithResponse<T> {
  data: T;
  /** The HTTP response (its body already read into `data`). */
  response: Response;
  /** `x-request-id` of the response, to quote in a support request. */
  requestId: string | undefined;
}

export class APIPromise<T> implements Promise<T> {
  readonly [Symbol.toStringTag] = 'APIPromise';

  constructor(
    /** @internal Settles once the call is over: the data (or the raw response) and the response. */
    readonly outcome: Promise<Outcome<T>>,
    /** @internal The call's exchange, while it may still be switched to a raw response. */
    readonly exchange?: Pick<Exchange<T>, 'raw'>,
  ) {}

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.outcome.then((o) => o.data).then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onFinally);
  }

  /** The data with the response it came in and its request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.outcome.then(({ data, response }) => ({
      data,
      response,
      requestId: response.headers.get('x-request-id') ?? undefined,
    }));
  }

  /**
   * The response itself, its body unread (a non-2xx answer still throws its typed error). Call it
   * right away, before the answer arrives: then the SDK never reads the body. Called later, it
   * gives a copy of the response rebuilt from the data already read.
   */
  asResponse(): Promise<Response> {
    if (this.exchange) this.exchange.raw = true;
    return this.outcome.then(({ data, response }) =>
      response.bodyUsed ? new Response(JSON.stringify(data), response) : response,
    );
  }
}
