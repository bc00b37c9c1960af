/**
 * What every call returns: a promise of the data that can also give the raw HTTP response.
 * Awaiting it gives the data, as a plain promise would; it is a real Promise.
 */

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

/** What a call's promise keeps of its exchange: the response once it arrives, the raw flag. */
interface Carrier {
  raw?: boolean;
  response?: Response;
}

const EXCHANGE = Symbol('exchange');
type Carrying<T> = APIPromise<T> & { [EXCHANGE]: Carrier };

// Shared by every call's promise (no closure per call): `this` is the promise.
function withResponse<T>(this: Carrying<T>): Promise<WithResponse<T>> {
  return reach(this, (data, response) => ({
    data,
    response,
    requestId: response.headers.get('x-request-id') ?? undefined,
  }));
}

function asResponse<T>(this: Carrying<T>): Promise<Response> {
  this[EXCHANGE].raw = true;
  return reach(this, (data, response) =>
    response.bodyUsed ? new Response(JSON.stringify(data), response) : response,
  );
}

/**
 * The call's data and response, made into `R`. A caller who asks for the response handles the
 * failure there: the data promise must not then report it again as unhandled.
 */
function reach<T, R>(promise: Carrying<T>, make: (data: T, response: Response) => R): Promise<R> {
  promise.catch(() => {});
  return promise.then((data) => make(data, promise[EXCHANGE].response!));
}

/** The data promise of a call, given what will carry its response. */
export function apiPromise<T>(data: Promise<T>, exchange: Carrier): APIPromise<T> {
  const promise = data as Carrying<T>;
  promise[EXCHANGE] = exchange;
  promise.withResponse = withResponse;
  promise.asResponse = asResponse;
  return promise;
}
