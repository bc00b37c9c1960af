/**
 * Path, query and header parameters onto the request, with openapi-fetch's own serializers:
 * arrays as repeated keys (`?id=a&id=b`, as FastAPI reads them), `null` and `undefined` left
 * out. Only operations that take parameters import this module.
 */
import {
  createFinalURL,
  createQuerySerializer,
  defaultPathSerializer,
  mergeHeaders,
} from 'openapi-fetch';

export interface Params {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

const querySerializer = /* @__PURE__ */ createQuerySerializer();

/** The request's URL and headers once the parameters are applied. */
export function withParams(
  baseUrl: string,
  path: string,
  params: Params,
  headers: Record<string, string>,
): { url: string; headers: Record<string, string> } {
  const url = createFinalURL(path, {
    baseUrl,
    params,
    querySerializer,
    pathSerializer: defaultPathSerializer,
  });
  if (!params.header) return { url, headers };
  const merged: Record<string, string> = {};
  mergeHeaders(headers, params.header as never).forEach((value, name) => (merged[name] = value));
  return { url, headers: merged };
}
