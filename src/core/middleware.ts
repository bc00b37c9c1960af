/**
 * openapi-fetch's middleware, run on every attempt (openapi-fetch itself runs it once per call,
 * around its `fetch`, so a retry would slip past it). Only a client with middleware builds a
 * `Request` per attempt; without any, the transport calls `fetch(url, init)` directly.
 */
import type { MergedOptions, Middleware, MiddlewareRequestParams } from 'openapi-fetch';
import type { Config } from './options.js';

export interface MiddlewareContext {
  /** The spec's path of the operation, braces included (`/v1/simulation/runs/{sim_run_id}`). */
  schemaPath: string;
  params: MiddlewareRequestParams;
}

/** One attempt through the middleware: onRequest in order, then fetch, then onResponse and onError in reverse. */
export async function fetchThroughMiddleware(
  config: Config,
  context: MiddlewareContext,
  url: string,
  init: RequestInit,
): Promise<Response> {
  let request = new Request(url, init);
  const common = {
    ...context,
    // Unique per attempt, as openapi-fetch's own id is per call.
    id: crypto.randomUUID(),
    // What the transport has of openapi-fetch's options; the serializers are openapi-fetch's own.
    options: { baseUrl: config.baseUrl, fetch: config.fetch, parseAs: 'json' } as MergedOptions,
  };
  for (const m of config.middleware) {
    const result = await m.onRequest?.({ ...common, request });
    if (result instanceof Response) return result;
    if (result instanceof Request) request = result;
  }
  let response: Response;
  try {
    response = await config.fetch(request);
  } catch (error) {
    response = await recover(config.middleware, { ...common, request }, error);
  }
  for (const m of [...config.middleware].reverse()) {
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
