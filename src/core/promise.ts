/**
 * What every call returns: a promise of the data that can also give the raw HTTP response.
 * Awaiting it gives the data, as a plain promise would; it is a real Promise.
 */
import type { Exchange, Outcome } from './send.js';

/** What `withResponse()` resolves to. */
export interface WithResponse<T> {
  /** The operation's 2xx body, as the call resolves to it. */
  data: T;
  /** The HTTP response (its body already read into `data`). */
  response: Response;
  /** `x-request-id` of the response, to quote in a support request. */
  requestId: string | undefined;
}

/** What every call returns: a Promise of the data, with `withResponse()` and `asResponse()`. */
export interface APIPromise<T> extends Promise<T> {
  /** The data with the response it came in and its request id. */
  withResponse(): Promise<WithResponse<T>>;
  /**
   * The response itself, its body unread (a non-2xx answer still throws its typed error). Call
   * it right away, before the answer arrives: then the SDK never reads the body, and awaiting
   * the promise itself gives `undefined`. Called later, it gives a copy rebuilt from the data.
   */
  asResponse(): Promise<Response>;
}

/** The data promise of a call, with the two ways to its response. */
export function apiPromise<T>(
  outcome: Promise<Outcome<T>>,
  exchange: Pick<Exchange<T>, 'raw'>,
): APIPromise<T> {
  const data = outcome.then((o) => o.data) as APIPromise<T>;
  // A caller who asks for the response handles the failure there: the data promise must not
  // then report it again as unhandled.
  const handled = () => void data.catch(() => {});
  data.withResponse = () => {
    handled();
    return outcome.then(({ response, ...rest }) => ({
      ...rest,
      response,
      requestId: response.headers.get('x-request-id') ?? undefined,
    }));
  };
  data.asResponse = () => {
    handled();
    exchange.raw = true;
    return outcome.then(({ data, response }) =>
      response.bodyUsed ? new Response(JSON.stringify(data), response) : response,
    );
  };
  return data;
}
