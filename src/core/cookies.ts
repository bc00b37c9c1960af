/**
 * Cookie parameters (`in: cookie`), which openapi-fetch types but does not send: each one as
 * `name=value` in the `cookie` header, serialized as OpenAPI's default cookie style says (`form`;
 * an array as `name=a,b`, an object as `name=k,v`) with openapi-fetch's own serializers, after
 * any cookie the client's headers already carry. Browsers forbid scripts to set `cookie`: there,
 * fetch drops the header, and the browser sends its own cookies for the origin instead.
 * Only operations with cookie parameters import this module.
 */
import { serializeArrayParam, serializeObjectParam, serializePrimitiveParam } from 'openapi-fetch';
import { withParams, type Params } from './params.js';

/** `withParams`, plus the `cookie` group of the parameters in the `cookie` header. */
export function withCookies(
  baseUrl: string,
  path: string,
  params: Params & { cookie?: Record<string, unknown> },
  headers: Record<string, string>,
): { url: string; headers: Record<string, string> } {
  const applied = withParams(baseUrl, path, params, headers);
  const pairs = Object.entries(params.cookie ?? {})
    .map(([name, value]) =>
      Array.isArray(value)
        ? serializeArrayParam(name, value, { style: 'form', explode: false })
        : value !== null && typeof value === 'object'
          ? serializeObjectParam(name, value as Record<string, unknown>, {
              style: 'form',
              explode: false,
            })
          : serializePrimitiveParam(name, value as string),
    )
    .filter(Boolean);
  if (!pairs.length) return applied;
  const existing = Object.entries(applied.headers).find(([key]) => key.toLowerCase() === 'cookie');
  const cookie = [existing?.[1], ...pairs].filter(Boolean).join('; ');
  const rest = Object.fromEntries(
    Object.entries(applied.headers).filter(([key]) => key.toLowerCase() !== 'cookie'),
  );
  return { url: applied.url, headers: { ...rest, cookie } };
}
