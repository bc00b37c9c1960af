/**
 * Which of the media types an operation offers the SDK speaks, and how: a request body or a 2xx
 * answer may list several (`application/json` and `text/plain`, say); one is chosen, always the
 * same for the same spec, by kind in this order of preference:
 *
 * | kind        | request bodies                      | answers                               |
 * | ----------- | ----------------------------------- | ------------------------------------- |
 * | `stream`    |                                     | `text/event-stream` (a Stream)        |
 * | `json`      | `application/json`, `*\/*+json`     | the same (parsed JSON)                |
 * | `multipart` | `multipart/form-data`               |                                       |
 * | `form`      | `application/x-www-form-urlencoded` |                                       |
 * | `text`      | `text/*`, XML, NDJSON, YAML         | the same (a string)                   |
 * | `binary`    | any other (`application/octet-stream`, `image/png`, `*\/*`): a Blob, bytes or a stream | the same (a Blob) |
 *
 * A media type's parameters (`; charset=utf-8`) do not change its kind.
 */
import type { Spec } from '../lib/spec.js';

export type BodyKind = 'json' | 'multipart' | 'form' | 'text' | 'binary';
export type AnswerKind = 'stream' | 'json' | 'text' | 'binary';
export type MediaKind = BodyKind | AnswerKind;

/** The kind of one media type, as the table above says. */
export function mediaKind(mediaType: string): MediaKind {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  if (type === 'text/event-stream') return 'stream';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'multipart/form-data') return 'multipart';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (
    type.startsWith('text/') ||
    type.endsWith('+xml') ||
    ['application/xml', 'application/x-ndjson', 'application/yaml'].includes(type)
  ) {
    return 'text';
  }
  return 'binary';
}

const BODY_ORDER: BodyKind[] = ['json', 'multipart', 'form', 'text', 'binary'];
const ANSWER_ORDER: AnswerKind[] = ['stream', 'json', 'text', 'binary'];

/** The media type chosen among `content`'s, with its kind; undefined when it offers none. */
function choose<K extends MediaKind>(
  content: Spec | undefined,
  order: K[],
): { mediaType: string; kind: K; media: Spec } | undefined {
  // A kind the direction has no use for (an answer in multipart) is read as bytes.
  const kindOf = (mediaType: string) => {
    const kind = mediaKind(mediaType) as K;
    return order.includes(kind) ? kind : order[order.length - 1];
  };
  const offered = Object.keys(content ?? {}).map((mediaType) => ({
    mediaType,
    kind: kindOf(mediaType),
    media: (content![mediaType] ?? {}) as Spec,
  }));
  for (const kind of order) {
    const found = offered.find((o) => o.kind === kind);
    if (found) return found;
  }
  return undefined;
}

/** The media type a request body is sent as. */
export const requestMedia = (content: Spec | undefined) => choose(content, BODY_ORDER);

/** The media type a 2xx answer is read as. */
export const answerMedia = (content: Spec | undefined) => choose(content, ANSWER_ORDER);
