/**
 * What an operation's function needs for its media types (media.ts chose them): the encoder of a
 * body that is not JSON, the reader of an answer that is not JSON, and the type overrides that say
 * what callers pass and get (`Uploadable` for bytes, a string for text, a Blob for bytes back).
 * Each names the runtime helper it uses through `use`, so the generated module imports only those.
 */
import type { BodyModel, OperationModel } from './model.js';
import { validatorName } from './names.js';
import { eventsSpec, eventsType } from './streams.js';

/** Registers a runtime name the generated code uses, and returns it. */
export type Use = (name: string) => string;

const lit = (value: unknown) => JSON.stringify(value);

/** `application/json` itself, which operation() sends without an encoder. */
const isPlainJson = (mediaType: string) =>
  mediaType.split(';')[0].trim().toLowerCase() === 'application/json';

/** The check of the body: its schema's validator, an upload check for bytes, else anything. */
export function bodyCheck(body: BodyModel, use: Use): string {
  if (body.validator) return `v.${validatorName(body.validator)}`;
  return use(body.kind === 'binary' ? 'upload' : 'any');
}

/** The encoder of a body that operation() does not send as JSON itself, if any. */
function encoder(op: OperationModel, use: Use): string | undefined {
  const body = op.body!;
  const type = lit(body.mediaType);
  switch (body.kind) {
    case 'multipart':
      return `${use('multipart')}(${lit(body.files)}, ${lit(op.id)})`;
    case 'form':
      return `${use('urlEncoded')}()`;
    case 'text':
      return `${use('textBody')}(${type})`;
    case 'binary':
      return `${use('binaryBody')}(${type})`;
    default:
      return isPlainJson(body.mediaType) ? undefined : `${use('jsonBody')}(${type})`;
  }
}

/** The `encode` field: the encoder as operation() takes it (`encoded`), each call marked pure. */
export function bodyEncoder(op: OperationModel, use: Use): string | undefined {
  const inner = encoder(op, use);
  return inner && `/* @__PURE__ */ ${use('encoded')}(/* @__PURE__ */ ${inner})`;
}

/** The `response` field: a reader for streams, text and bytes, else the JSON shape. */
export function answerField(op: OperationModel, use: Use): string {
  const { kind, mediaType, stream } = op.response;
  // A stream whose events the spec declares (or a correction does) is typed by event.
  if (stream) return `/* @__PURE__ */ ${use('events')}(${eventsSpec(stream)})`;
  if (kind === 'stream') return use('eventStream');
  if (kind === 'text') return `/* @__PURE__ */ ${use('textAnswer')}(${lit(mediaType)})`;
  if (kind === 'binary') return `/* @__PURE__ */ ${use('blobAnswer')}(${lit(mediaType)})`;
  return lit(kind);
}

/** The `body` and `result` overrides of `operation<Op, Shape>`, where the spec's types differ. */
export function mediaShape(op: OperationModel, use: Use): string[] {
  const parts: string[] = [];
  const { body, response } = op;
  const content = `NonNullable<${op.type}['requestBody']>['content'][${lit(body?.mediaType)}]`;
  if (body?.kind === 'multipart') {
    parts.push(`body: ${multipartType(body, content, use)}`);
  } else if (body?.kind === 'binary') {
    parts.push(`body: ${use('type Uploadable')}`);
  } else if (body && body.among > 1) {
    // The spec's type is the union of every media type's: the SDK sends the chosen one.
    parts.push(`body: ${content}`);
  }
  if (response.kind === 'stream') parts.push(`result: ${streamType(op, use)}`);
  if (response.kind === 'text') parts.push('result: string');
  if (response.kind === 'binary') parts.push('result: Blob');
  const json = response.kind === 'object' || response.kind === 'json';
  if (json && response.mediaType && !isPlainJson(response.mediaType)) {
    // `application/problem+json`, say: the result type reads `application/json` only.
    const status = /^\d+$/.test(response.status) ? response.status : lit(response.status);
    parts.push(`result: ${op.type}['responses'][${status}]['content'][${lit(response.mediaType)}]`);
  }
  return parts;
}

/** A multipart body's type: the spec's, its file fields taking Uploadables (a list: several). */
function multipartType(body: BodyModel, content: string, use: Use): string {
  const { files, listed = [], schema } = body;
  if (!files.length) return content;
  const required: string[] = schema?.required ?? [];
  const fields = files.map(
    (name) =>
      `${lit(name)}${required.includes(name) ? '' : '?'}: ${use('type Uploadable')}${listed.includes(name) ? '[]' : ''}`,
  );
  return `Omit<${content}, ${files.map(lit).join(' | ')}> & { ${fields.join('; ')} }`;
}

/** A stream's type: typed by event where its events are declared. */
function streamType(op: OperationModel, use: Use): string {
  const { stream } = op.response;
  if (!stream) return use('type Stream');
  use('type StreamEvent');
  return `${use('type Stream')}<${eventsType(stream)}>`;
}
