/**
 * The typed error of each answer: the class by status, the server's own words in the message,
 * and the key redacted from anything a server echoes.
 */
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/core/errors.js';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  errorFromResponse,
  excerpt,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  redact,
  UnprocessableEntityError,
} from '../../src/core/errors.js';
import { PollTimeoutError } from '../../src/core/polling.js';

describe('errors from answers', () => {
  const headers = new Headers({ 'x-request-id': 'req_1' });

  it('picks the class by status', () => {
    for (const [status, Class] of [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, PermissionDeniedError],
      [404, NotFoundError],
      [409, ConflictError],
      [422, UnprocessableEntityError],
      [429, RateLimitError],
      [500, InternalServerError],
      [503, InternalServerError],
      [599, InternalServerError],
    ] as const) {
      const error = errorFromResponse(status, headers, '{}', null);
      expect(error.constructor, String(status)).toBe(Class);
      expect(error).toMatchObject({ status, requestId: 'req_1', name: Class.name });
    }
    for (const status of [302, 402, 418, 499]) {
      expect(errorFromResponse(status, new Headers(), '', null).constructor).toBe(APIError);
    }
    expect(errorFromResponse(400, new Headers(), '', null).requestId).toBeUndefined();
  });

  const message = (body: unknown) =>
    errorFromResponse(400, headers, typeof body === 'string' ? body : JSON.stringify(body), null)
      .message;

  it("says what the server said, in the server's shape", () => {
    expect(message({ error: 'bad', message: 'Bad thing' })).toBe('400 Bad thing');
    // `error` is a code, not a sentence: it does not make a message.
    expect(message({ error: 'bad' })).toBe('400 status code (no body)');
    expect(message({ detail: 'Not here' })).toBe('400 Not here');
    expect(
      message({
        detail: [
          { loc: ['body', 'agent_id'], msg: 'Field required' },
          { loc: ['body', 'tool_overrides', 't', 0], msg: 'Bad' },
        ],
      }),
    ).toBe('400 body.agent_id: Field required; body.tool_overrides.t.0: Bad');
    expect(message({ detail: ['plain', { msg: 'no loc' }, null] })).toBe(
      '400 "plain"; {"msg":"no loc"}; null',
    );
    expect(message({ detail: 5, message: 7 })).toBe('400 status code (no body)');
    expect(message({})).toBe('400 status code (no body)');
    expect(message(null)).toBe('400 status code (no body)');
    expect(message(42)).toBe('400 status code (no body)');
    expect(message('  \n ')).toBe('400 status code (no body)');
    expect(message('')).toBe('400 status code (no body)');
    expect(message(' Upstream down ')).toBe('400  Upstream down ');
  });

  it('excerpts long text and redacts a secret wherever it appears', () => {
    expect(excerpt('a'.repeat(200))).toBe('a'.repeat(200));
    expect(excerpt('a'.repeat(201))).toBe(`${'a'.repeat(200)}… (201 chars)`);
    expect(excerpt('abcdef', 3)).toBe('abc… (6 chars)');
    expect(redact('k1 and k1', 'k1')).toBe('[redacted] and [redacted]');
    expect(redact('k1', null)).toBe('k1');
    expect(redact('k1', '')).toBe('k1');
    expect(message('the key was sk_live_1')).toBe('400 the key was sk_live_1');
    const echoed = errorFromResponse(
      400,
      new Headers({ 'x-echo': 'key=sk_live_1', 'x-request-id': 'r' }),
      JSON.stringify({ message: 'bad key sk_live_1' }),
      'sk_live_1',
    );
    expect(echoed.message).toBe('400 bad key [redacted]');
    expect(echoed.body).toEqual({ message: 'bad key [redacted]' });
    expect(echoed.headers.get('x-echo')).toBe('key=[redacted]');
    expect(echoed.requestId).toBe('r');
    const kept = errorFromResponse(400, new Headers({ 'x-echo': 'sk_live_1' }), '', null);
    expect(kept.headers.get('x-echo')).toBe('sk_live_1');
  });
});

describe('error classes', () => {
  it('each is named after itself and is a FeatherError', () => {
    const classes = Object.entries({ ...errors, PollTimeoutError }).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
    ) as [string, new (...args: any[]) => Error][];
    expect(classes.length).toBeGreaterThanOrEqual(16);
    for (const [name, Class] of classes) {
      const isAPIError = Class === errors.APIError || Class.prototype instanceof errors.APIError;
      const error = isAPIError
        ? new Class(500, new Headers(), '', 'm')
        : Class === errors.RequestValidationError
          ? new Class([], 'op')
          : Class === PollTimeoutError
            ? new Class('m', undefined)
            : new Class('m');
      expect(error.name, name).toBe(name);
      expect(error).toBeInstanceOf(errors.FeatherError);
    }
    expect(new errors.InvalidResponseError(201, new Headers(), '', 'm').issues).toEqual([]);
  });
});
