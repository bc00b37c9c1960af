/**
 * 2xx answers that are not JSON, read as openapi-fetch's `parseAs` reads them: a text type
 * (`text/plain`, `text/html`, `text/csv`...) as a string, a binary one (`application/octet-stream`,
 * `image/png`...) as a Blob. Each reader reads the body within its attempt, so the timeout covers
 * the download; `.asResponse()` hands over the Response unread instead, to stream it.
 * Only operations that answer so import this module.
 */
import type { ResponseReader } from './send.js';

/** A text answer of the media type `accept`, as a string. */
export function textAnswer(accept: string): ResponseReader<string> {
  return { accept, read: (response) => response.text() };
}

/** A binary answer of the media type `accept`, as a Blob. */
export function blobAnswer(accept: string): ResponseReader<Blob> {
  return { accept, read: (response) => response.blob() };
}
