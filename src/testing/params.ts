/**
 * Reading parameters and form parts as FastAPI does: each declared parameter from its place (the
 * path, the query string, a header), text parsed per the spec's type (`5` -> 5, `true` -> true,
 * repeated keys -> an array), undeclared ones ignored. Text that does not parse stays text, so
 * that the validator reports it (`int_parsing` and the like).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { decode, type MockRoute, type ParamKind } from './routes.js';

const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * One text value read as `kind` (`integer`, `number`, `boolean`, `string`), as Pydantic's lax mode
 * does; a form's file stays a file, for the validator to judge.
 */
export function coerce(kind: ParamKind | undefined, value: FormDataEntryValue): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  switch (kind) {
    case 'integer':
      return INTEGER.test(trimmed) ? Number(trimmed) : value;
    case 'number':
      return NUMBER.test(trimmed) ? Number(trimmed) : value;
    case 'boolean': {
      const word = trimmed.toLowerCase();
      return TRUE.has(word) ? true : FALSE.has(word) ? false : value;
    }
    case 'json': // a form part holding an object or an array, as its JSON text
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

/**
 * All values given for a name (one for a scalar, the last one sent): read as `kind`; without one
 * (a form's file part), as they are.
 */
export function readValues(kind: ParamKind | undefined, values: FormDataEntryValue[]): unknown {
  if (kind?.endsWith('[]')) return values.map((value) => coerce(kind.slice(0, -2), value));
  return coerce(kind, values[values.length - 1]);
}

function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  return [headers[name.toLowerCase()] ?? []].flat();
}

/**
 * The values of the cookie `name` in the `cookie` header (`a=1; b=2`), percent-decoded; an
 * array's items are comma-separated (OpenAPI's `form` style, unexploded).
 */
function cookieValues(headers: IncomingHttpHeaders, name: string, kind: ParamKind): string[] {
  const values: string[] = [];
  for (const pair of String(headers.cookie ?? '').split(/;\s*/)) {
    const at = pair.indexOf('=');
    if (at <= 0 || pair.slice(0, at).trim() !== name) continue;
    const value = pair.slice(at + 1).trim();
    values.push(...(kind.endsWith('[]') ? value.split(',') : [value]).map(decode));
  }
  return values;
}

/** `{ path, query, header, cookie }`: one object per place the route declares, with what was sent. */
export function readParams(
  route: MockRoute,
  pathValues: Record<string, string>,
  search: URLSearchParams,
  headers: IncomingHttpHeaders,
): Record<string, Record<string, unknown>> {
  const params: Record<string, Record<string, unknown>> = {};
  for (const [where, kinds] of Object.entries(route.params?.in ?? {})) {
    const group: Record<string, unknown> = (params[where] = {});
    for (const [name, kind] of Object.entries(kinds)) {
      const values =
        where === 'path'
          ? [pathValues[name]] // the route's pattern has a group for each
          : where === 'query'
            ? search.getAll(name)
            : where === 'cookie'
              ? cookieValues(headers, name, kind)
              : headerValues(headers, name);
      if (values.length) group[name] = readValues(kind, values);
    }
  }
  return params;
}
