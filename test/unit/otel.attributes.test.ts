/**
 * The attributes `@featherhq/sdk/otel` records (src/otel/attributes.ts), function by function: the
 * conventions' method and server attributes, `url.full` with the key taken out in every form a
 * URL can carry it, and `error.type`. The end-to-end secrets scan is in otel.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError, NotFoundError } from '@featherhq/sdk';
import {
  errorType,
  fullUrl,
  methodAttributes,
  safeMessage,
  scrub,
  serverAttributes,
  statusErrorType,
} from '../../src/otel/attributes.js';
import { redact as redactWith } from '../../src/core/errors.js';

// A key with characters a URL encodes ('+', '='), and one ('/') that splits a path.
const KEY = 'sk_live+SECRET=42';
const redact = (text: string) => redactWith(text, KEY);
const ENCODED = encodeURIComponent(KEY); // sk_live%2BSECRET%3D42

describe('methodAttributes', () => {
  it('a method the conventions know as is; any other as _OTHER, with the original beside it', () => {
    expect(methodAttributes('PATCH')).toEqual({ 'http.request.method': 'PATCH' });
    expect(methodAttributes('PURGE')).toEqual({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PURGE',
    });
  });
});

describe('serverAttributes', () => {
  it('the host, and the port: given, or the scheme’s default', () => {
    expect(serverAttributes('https://api.featherhq.com', redact)).toEqual({
      'server.address': 'api.featherhq.com',
      'server.port': 443,
    });
    expect(serverAttributes('http://127.0.0.1', redact)).toEqual({
      'server.address': '127.0.0.1',
      'server.port': 80,
    });
    expect(serverAttributes('https://api.featherhq.com:8443/v2', redact)['server.port']).toBe(8443);
    expect(serverAttributes('ws://example.com', redact)['server.port']).toBeUndefined();
  });

  it('nothing for a base URL that does not parse; a host that holds the key, redacted', () => {
    expect(serverAttributes('not a url', redact)).toEqual({});
    const host = serverAttributes('https://sk_live.example.com', (t) => redactWith(t, 'sk_live'));
    expect(host['server.address']).toBe('[redacted].example.com');
  });
});

describe('fullUrl', () => {
  it('a URL without the key or user info is returned as it is, its encoding kept', () => {
    const url = 'https://api.featherhq.com:443/v1/a%20b/c+d?q=x+y&r=%2F&flag';
    // As sent: not even the default port is dropped, as the URL parser would.
    expect(fullUrl(url, redact)).toBe(url);
  });

  it('user info becomes REDACTED, as the conventions say', () => {
    expect(fullUrl('https://me:pw@api.featherhq.com/v1/runs', redact)).toBe(
      'https://REDACTED:REDACTED@api.featherhq.com/v1/runs',
    );
    expect(fullUrl('https://me@api.featherhq.com/x', redact)).toBe(
      'https://REDACTED@api.featherhq.com/x',
    );
  });

  it('a path segment or query part that holds the key, encoded or not, becomes REDACTED; the rest is kept', () => {
    const base = 'https://api.featherhq.com';
    expect(fullUrl(`${base}/runs/${ENCODED}/events?a=%20b`, redact)).toBe(
      `${base}/runs/REDACTED/events?a=%20b`,
    );
    expect(fullUrl(`${base}/runs?token=${ENCODED}&limit=5`, redact)).toBe(
      `${base}/runs?token=REDACTED&limit=5`,
    );
    expect(fullUrl(`${base}/runs?${ENCODED}=1&x`, redact)).toBe(`${base}/runs?REDACTED=1&x`);
    expect(fullUrl(`${base}/runs?a=1&${ENCODED}`, redact)).toBe(`${base}/runs?a=1&REDACTED`);
    expect(fullUrl(`${base}/runs?=${ENCODED}&a=1&=${ENCODED}`, redact)).toBe(
      `${base}/runs?=REDACTED&a=1&=REDACTED`,
    );
    // Written raw (a caller's path): URL keeps `+` and `=` in a query as they are.
    expect(fullUrl(`${base}/runs?key=${KEY}`, redact)).toBe(`${base}/runs?key=REDACTED`);
    // Lower-case hex is the same key to a server.
    const lowerHex = ENCODED.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
    expect(fullUrl(`${base}/x?k=${lowerHex}`, redact)).toBe(`${base}/x?k=REDACTED`);
  });

  it('a key the URL parser cannot split off (in its fragment, or in a URL that does not parse) is redacted whole', () => {
    expect(fullUrl(`https://a.example/x#${KEY}`, redact)).toBe('https://a.example/x#[redacted]');
    expect(fullUrl(`/relative/${ENCODED}`, redact)).toBe('/relative/[redacted]');
  });
});

describe('scrub', () => {
  it('takes the key out as is or percent-encoded; other text is left as it is', () => {
    expect(scrub(`failed: ${KEY}`, redact)).toBe('failed: [redacted]');
    expect(scrub(`GET /x?k=${ENCODED} failed`, redact)).toBe('GET /x?k=[redacted] failed');
    expect(scrub('GET /a%20b%ZZ', redact)).toBe('GET /a%20b%ZZ');
    // encodeURIComponent's form is the core's redact's own: the text stays as it was.
    expect(scrub(`GET /x?q=a+b&k=${ENCODED}`, redact)).toBe('GET /x?q=a+b&k=[redacted]');
    // Another encoding of the key (lower-case hex): shown decoded as a server reads it, `+` as a space.
    const lowerHex = ENCODED.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
    expect(scrub(`GET /x?q=a+b&k=${lowerHex}`, redact)).toBe('GET /x?q=a b&k=[redacted]');
  });
});

describe('error.type', () => {
  it('of a status: the class the SDK throws for it, from 400', () => {
    expect([399, 400, 404, 429, 500, 503].map(statusErrorType)).toEqual([
      undefined,
      'BadRequestError',
      'NotFoundError',
      'RateLimitError',
      'InternalServerError',
      'InternalServerError',
    ]);
  });

  it('of an error: its name; _OTHER for what has none', () => {
    expect(errorType(new NotFoundError(404, new Headers(), {}, 'gone'))).toBe('NotFoundError');
    expect(errorType(new TypeError('x'))).toBe('TypeError');
    expect([undefined, null, 'text', {}, { name: '' }, { name: 7 }].map(errorType)).toEqual(
      Array(6).fill('_OTHER'),
    );
  });
});

describe('safeMessage', () => {
  it('the message of a connection error, a timeout or an abort, scrubbed; none of an answer’s error', () => {
    const refused = new APIConnectionError(`could not reach /x?k=${ENCODED}`);
    expect(safeMessage(refused, redact)).toBe('could not reach /x?k=[redacted]');
    expect(safeMessage(new APIConnectionTimeoutError('GET /x timed out'), redact)).toBe(
      'GET /x timed out',
    );
    // An answer's message quotes its body.
    expect(safeMessage(new NotFoundError(404, new Headers(), {}, 'no run r1'), redact)).toBe(
      undefined,
    );
    expect(safeMessage(undefined, redact)).toBeUndefined();
  });
});
