/**
 * The attributes of the stable HTTP client semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/), built from what a hook is given,
 * with the API key taken out of every value: a hook is given `redact`, never the key.
 */
import type { Attributes } from '@opentelemetry/api';
import { errorFromResponse } from '../core/errors.js';

/** The methods the conventions know; any other is `_OTHER`, with the original beside it. */
const METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];

/** What the conventions' duration histogram advises, in seconds. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Errors whose message says what failed without quoting a body or an input: kept as the status. */
const CONNECTION_ERRORS = /^(APIConnectionError|APIConnectionTimeoutError|APIUserAbortError)$/;

export type Redact = (text: string) => string;

/** `http.request.method`, and `http.request.method_original` for a method the conventions lack. */
export function methodAttributes(method: string): Attributes {
  return METHODS.includes(method)
    ? { 'http.request.method': method }
    : { 'http.request.method': '_OTHER', 'http.request.method_original': method };
}

/** `server.address` and `server.port` of the client's base URL (every attempt's host). */
export function serverAttributes(baseUrl: string, redact: Redact): Attributes {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return {};
  }
  const { protocol, hostname, port } = parsed;
  const defaultPort = protocol === 'https:' ? 443 : protocol === 'http:' ? 80 : undefined;
  return {
    'server.address': scrub(hostname, redact),
    'server.port': port ? Number(port) : defaultPort,
  };
}

/** Decoded as a server reads a query or path part; the text itself when it is not valid. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

/** The text holds the key, as is or percent-encoded. */
const holdsKey = (text: string, redact: Redact) =>
  redact(text) !== text || redact(decoded(text)) !== decoded(text);

/**
 * The text with the key taken out, also where it is percent-encoded (a URL quoted in a message,
 * a path the caller wrote): then the text is shown decoded.
 */
export function scrub(text: string, redact: Redact): string {
  const once = redact(text);
  const plain = decoded(once);
  return redact(plain) !== plain ? redact(plain) : once;
}

/**
 * `url.full`: the URL with credentials taken out: user info as `REDACTED` (as the conventions
 * say), and any path segment or query name or value that holds the key, percent-encoded or not,
 * as `REDACTED`. Most URLs hold neither, and are returned as they are.
 */
export function fullUrl(url: string, redact: Redact): string {
  if (!holdsKey(url, redact) && !/^[^/]*\/\/[^/]*@/.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return scrub(url, redact);
  }
  const clean = (part: string) => (holdsKey(part, redact) ? 'REDACTED' : part);
  if (parsed.username) parsed.username = 'REDACTED';
  if (parsed.password) parsed.password = 'REDACTED';
  parsed.pathname = parsed.pathname.split('/').map(clean).join('/');
  if (parsed.search) {
    // The first pair keeps the search's `?`, which the setter takes off again.
    parsed.search = parsed.search
      .split('&')
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at < 0) return clean(pair);
        return `${clean(pair.slice(0, at))}=${clean(pair.slice(at + 1))}`;
      })
      .join('&');
  }
  return scrub(parsed.href, redact);
}

/** `error.type` of an answer with a status of 400 or more: the class the SDK throws for it. */
export function statusErrorType(status: number): string | undefined {
  return status >= 400 ? errorFromResponse(status, new Headers(), '', null).name : undefined;
}

/** `error.type` of what a call threw or an attempt failed with: the typed error's class. */
export function errorType(error: unknown): string {
  const name = (error as Error | undefined)?.name;
  return typeof name === 'string' && name ? name : '_OTHER';
}

/**
 * A span status description for an error, only where its message quotes neither a response body
 * nor the caller's input (a connection error, a timeout, an abort); undefined otherwise.
 */
export function safeMessage(error: unknown, redact: Redact): string | undefined {
  const { name, message } = (error ?? {}) as Partial<Error>;
  return CONNECTION_ERRORS.test(String(name)) ? scrub(String(message), redact) : undefined;
}
