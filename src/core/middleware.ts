/**
 * openapi-fetch's middleware, run on every attempt (openapi-fetch itself runs it once per call,
 * around its `fetch`, so a retry would slip past it), as a hook that wraps each attempt's fetch.
 * Only an attempt with middleware builds a `Request`; without any, the transport calls
 * `fetch(url, init)` directly.
 */
import type { MergedOptions, Middleware, MiddlewareRequestParams } from 'openapi-fetch';
import type { Hook } from './hooks.js';

/**
 * The hook that runs openapi-fetch middleware on every attempt of every call:
 * `createFeatherCore({ hooks: [middleware(tracing, metrics)] })`.
 */
export const middleware = (...list: Middleware[]): Hook => middlewareHook(list);

/** The hook over a list that may still grow (`feather.use()` adds to it). */
export function middlewareHook(list: Middleware[]): Hook {
  return {
    // Without middleware (yet: feather.use() may add some), a call is not watched at all.
    call: ({ path, params, baseUrl }) =>
      list.length
        ? {
            attempt(attempt) {
              const next = attempt.fetch;
              // What the transport has of openapi-fetch's options; the serializers are openapi-fetch's own.
              const options = { baseUrl, fetch: next, parseAs: 'json' } as MergedOptions;
              const context = {
                schemaPath: path,
                params: params as MiddlewareRequestParams,
                options,
              };
              attempt.fetch = (url, init) => fetchThroughMiddleware(list, context, next, url, init);
            },
          }
        : undefined,
  };
}

interface Context {
  /** The spec's path of the operation, braces included (`/v1/simulation/runs/{sim_run_id}`). */
  schemaPath: string;
  params: MiddlewareRequestParams;
  options: MergedOptions;
}

/** One attempt through the middleware: onRequest in order, then fetch, then onResponse and onError in reverse. */
async function fetchThroughMiddleware(
  list: Middleware[],
  context: Context,
  next: typeof fetch,
  url: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  let request = new Request(url, init);
  // Unique per attempt, as openapi-fetch's own id is per call.
  const common = { ...context, id: crypto.randomUUID() };
  for (const m of list) {
    const result = await m.onRequest?.({ ...common, request });
    if (result instanceof Response) return result;
    if (result instanceof Request) request = result;
  }
  let response: Response;
  try {
    response = await next(request);
  } catch (error) {
    response = await recover(list, { ...common, request }, error);
  }
  for (const m of [...list].reverse()) {
    const result = await m.onResponse?.({ ...common, request, response });
    if (result instanceof Response) response = result;
  }
  return response;
}

/** onError, last middleware first: a Response recovers the attempt, an Error replaces the error. */
async function recover(
  middleware: Middleware[],
  params: Omit<Parameters<NonNullable<Middleware['onError']>>[0], 'error'>,
  error: unknown,
): Promise<Response> {
  for (const m of [...middleware].reverse()) {
    const result = await m.onError?.({ ...params, error });
    if (result instanceof Response) return result;
    if (result instanceof Error) error = result;
  }
  throw error;
}
