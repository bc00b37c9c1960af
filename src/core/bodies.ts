/**
 * Request bodies that are neither JSON nor multipart, each an encoder that an operation's spec
 * carries (as `multipart` does), so only apps that call such an operation ship it:
 * - JSON of another media type than `application/json` (`application/merge-patch+json`);
 * - `application/x-www-form-urlencoded`: openapi-fetch's own query serializer (arrays as repeated
 *   keys, as FastAPI's `Form()` lists read them; `null` and `undefined` left out);
 * - `text/*` and other text types: the string, sent as is;
 * - binary types (`application/octet-stream`, `image/png`...): a Blob, bytes, or a stream of bytes,
 *   streamed where fetch can send a stream (a stream body is never retried), else read whole.
 */
import { createQuerySerializer } from 'openapi-fetch';
import { canStreamRequests, type EncodedBody, type Uploadable } from './uploads.js';

/** Encodes a validated body. */
export type BodyEncoder = (body: unknown) => Promise<EncodedBody>;

/** `application/x-www-form-urlencoded`, from an object of the form's fields. */
export function urlEncoded(): BodyEncoder {
  const serialize = createQuerySerializer();
  return async (body) => ({
    body: serialize(body as Record<string, unknown>),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    replayable: true,
  });
}

/** JSON of a media type other than `application/json` (`application/merge-patch+json`...). */
export function jsonBody(type: string): BodyEncoder {
  return async (body) => ({
    body: JSON.stringify(body),
    headers: { 'content-type': type },
    replayable: true,
  });
}

/** A string body of the media type `type` (`text/plain`, `text/csv`...). */
export function textBody(type: string): BodyEncoder {
  return async (body) => ({
    body: body as string,
    headers: { 'content-type': type },
    replayable: true,
  });
}

/**
 * A binary body of the media type `type`; a wildcard one (`image/*`, `*\/*`) takes the Blob's own
 * type, else `application/octet-stream`. The `upload` check has judged the value already.
 */
export function binaryBody(type: string): BodyEncoder {
  return async (body) => {
    const value = body as Uploadable;
    const own = value instanceof Blob ? value.type : '';
    const headers = {
      'content-type': type.includes('*') ? own || 'application/octet-stream' : type,
    };
    if (!(value instanceof ReadableStream)) {
      return { body: value as BodyInit, headers, replayable: true };
    }
    if (canStreamRequests()) return { body: value, headers, duplex: 'half', replayable: false };
    // Firefox, Safari: the stream is read whole, and the body can then be retried like any other.
    return { body: await new Response(value).blob(), headers, replayable: true };
  };
}
