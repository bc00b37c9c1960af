/**
 * Every error the SDK throws is a `FeatherError`. An answer from the server with a non-2xx status
 * is an `APIError` subclass chosen by status; no answer at all is an `APIConnectionError`.
 */
import { formatIssue, type Issue } from './check.js';

/** FastAPI's 422 body: one item per problem, `loc` naming where (`['body', 'agent_id']`). */
export interface ValidationErrorBody {
  /** One item per problem: where (`loc`), Pydantic's message (`msg`) and error `type`. */
  detail?: { loc: (string | number)[]; msg: string; type: string; input?: unknown; ctx?: object }[];
}

/** Every error the SDK throws is one: catch it to catch them all. */
export class FeatherError extends Error {
  /** The class's name, as stack traces and logs show it: `FeatherError`. */
  override name = 'FeatherError';
}

/** The request's parameters or body broke a rule of the spec; nothing was sent. */
export class RequestValidationError extends FeatherError {
  /** The class's name, as stack traces and logs show it: `RequestValidationError`. */
  override name = 'RequestValidationError';
  constructor(
    /** Every problem found, each with its path, e.g. `tool_overrides.lookup_order.delay_ms`. */
    readonly issues: Issue[],
    /** The operation, as errors and logs name it: `POST /v1/simulation/runs`. */
    operation: string,
  ) {
    super(
      `Invalid request for ${operation}, not sent:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
  }
}

/** The server answered with a non-2xx status: `status`, `headers`, `body` and `requestId`. */
export class APIError<TBody = unknown> extends FeatherError {
  /** The class's name, as stack traces and logs show it: `APIError`. */
  override name = 'APIError';
  /** `x-request-id` of the response, for support requests. */
  readonly requestId: string | undefined;
  constructor(
    /** The HTTP status, 400 to 599 (or a 2xx for InvalidResponseError). */
    readonly status: number,
    /** The response's headers, with any echo of the key redacted. */
    readonly headers: Headers,
    /** The parsed JSON body, or the raw text when it is not JSON. */
    readonly body: TBody,
    message: string,
  ) {
    super(message);
    this.requestId = headers.get('x-request-id') || undefined;
  }
}

/** 400: the server could not read the request. */
export class BadRequestError extends APIError {
  /** The class's name, as stack traces and logs show it: `BadRequestError`. */
  override name = 'BadRequestError';
}
/** 401: no key, or a key the server does not know. */
export class AuthenticationError extends APIError {
  /** The class's name, as stack traces and logs show it: `AuthenticationError`. */
  override name = 'AuthenticationError';
}
/** 403: the key may not do this. */
export class PermissionDeniedError extends APIError {
  /** The class's name, as stack traces and logs show it: `PermissionDeniedError`. */
  override name = 'PermissionDeniedError';
}
/** 404: no such resource. */
export class NotFoundError extends APIError {
  /** The class's name, as stack traces and logs show it: `NotFoundError`. */
  override name = 'NotFoundError';
}
/** 409: the request conflicts with the resource's state. */
export class ConflictError extends APIError {
  /** The class's name, as stack traces and logs show it: `ConflictError`. */
  override name = 'ConflictError';
}
/** 422: the server refused the input; `body.detail` lists each problem (FastAPI's shape). */
export class UnprocessableEntityError extends APIError<ValidationErrorBody> {
  /** The class's name, as stack traces and logs show it: `UnprocessableEntityError`. */
  override name = 'UnprocessableEntityError';
}
/** 429 after the retries: too many requests (`Retry-After` was honoured while retrying). */
export class RateLimitError extends APIError {
  /** The class's name, as stack traces and logs show it: `RateLimitError`. */
  override name = 'RateLimitError';
}
/** 500 or above: the server failed. */
export class InternalServerError extends APIError {
  /** The class's name, as stack traces and logs show it: `InternalServerError`. */
  override name = 'InternalServerError';
}
/** A 2xx answer whose body is not what the spec promises (not JSON, not an object, or invalid). */
export class InvalidResponseError extends APIError {
  /** The class's name, as stack traces and logs show it: `InvalidResponseError`. */
  override name = 'InvalidResponseError';
  constructor(
    status: number,
    headers: Headers,
    body: unknown,
    message: string,
    /** With `validateResponses`, the schema problems found. */
    readonly issues: Issue[] = [],
  ) {
    super(status, headers, body, message);
  }
}

/** No answer: the connection failed, was reset, or the body could not be read. */
export class APIConnectionError extends FeatherError {
  /** The class's name, as stack traces and logs show it: `APIConnectionError`. */
  override name = 'APIConnectionError';
}
/** `timeoutMs` passed before the answer (or the next chunk of a stream) arrived. */
export class APIConnectionTimeoutError extends APIConnectionError {
  /** The class's name, as stack traces and logs show it: `APIConnectionTimeoutError`. */
  override name = 'APIConnectionTimeoutError';
}
/** The caller's `AbortSignal` ended the call. */
export class APIUserAbortError extends FeatherError {
  /** The class's name, as stack traces and logs show it: `APIUserAbortError`. */
  override name = 'APIUserAbortError';
}

type APIErrorClass = new (status: number, headers: Headers, body: any, message: string) => APIError;

const BY_STATUS: Record<number, APIErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** What the server said, in its own words: `ErrorResponse.message`, or each 422 item as `loc: msg`. */
function serverMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? excerpt(body) : undefined;
  // A number or a boolean destructures to undefined fields, as an object without them does.
  if (body === null) return undefined;
  const { message, detail } = body as Record<string, unknown>;
  if (typeof message === 'string') return message;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => (Array.isArray(d?.loc) ? `${d.loc.join('.')}: ${d.msg}` : JSON.stringify(d)))
      .join('; ');
  }
  return typeof detail === 'string' ? detail : undefined;
}

export const excerpt = (text: string, max = 200): string =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

/**
 * The API key must never reach an error: servers (and proxies) sometimes echo what they got, as
 * is, percent-encoded (in a URL) or escaped in JSON text (which parsing would turn back into it).
 */
export const redact = (text: string, secret: string | null): string => {
  if (!secret) return text;
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  for (const form of new Set(forms)) text = text.split(form).join('[redacted]');
  return text;
};

/**
 * The typed error for a non-2xx answer. The body is parsed JSON, or the raw text when it is not
 * JSON (an HTML page from a proxy, an empty body). A key the server echoed is redacted first.
 */
export function errorFromResponse(
  status: number,
  headers: Headers,
  text: string,
  secret: string | null,
): APIError {
  let body: unknown = (text = redact(text, secret));
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  // A copy even with no secret to take out: one path, and the error never shares the response's.
  const clean = new Headers();
  headers.forEach((value, name) => clean.append(name, redact(value, secret)));
  const Class: APIErrorClass =
    BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(
    status,
    clean,
    body,
    `${status} ${serverMessage(body) ?? 'status code (no body)'}`,
  );
}
