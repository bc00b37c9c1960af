/**
 * What the spec says of each operation, read once into plain data: its call shape, parameters,
 * body, answer, pagination and idempotency key. The operations, validators and mock-server
 * generators all render from this model, so they agree. Every problem that makes an operation
 * impossible to generate is collected, and reported together.
 */
import {
  deref,
  idempotencyKeyOf,
  inputKind,
  operationsOf,
  routeOf,
  schemaRefName,
  successResponses,
  type IdempotencyKey,
  type OperationEntry,
  type Spec,
} from '../lib/spec.js';
import { answerMedia, requestMedia, type BodyKind } from './media.js';
import { inlineKey, operationNames } from './names.js';
import type { Correction } from './corrections.js';
import { declaredStream, type StreamModel } from './streams.js';

export interface BodyModel {
  /** How it is encoded (media.ts). */
  kind: BodyKind;
  /** The media type it is sent as, as the spec writes it. */
  mediaType: string;
  /** The schema as the spec writes it (a $ref stays a $ref); none for bytes, or where not given. */
  schema?: Spec;
  /**
   * The schema whose validator checks the body: a component's name, or an inline one's. None
   * where the spec gives no schema (anything goes) or for bytes (checked as an upload).
   */
  validator?: string;
  required: boolean;
  /** Multipart fields that carry files: one file, or a list of them (`listed`). */
  files: string[];
  /** How many media types the spec offers for it (the SDK sends `mediaType`). */
  among: number;
  /** Of `files`, those that take several files (an array of binary strings). */
  listed?: string[];
  /** The component schema a multipart body refers to (its prose rule applies). */
  component?: string;
}

export interface ResponseModel {
  status: string;
  /**
   * object / json: a JSON body of that shape; empty: none declared; stream: an event stream;
   * text: a string; binary: a Blob.
   */
  kind: 'object' | 'json' | 'empty' | 'stream' | 'text' | 'binary';
  /** The media type it is read as (text and binary answers): the `accept` header. */
  mediaType?: string;
  schema?: Spec;
  validator?: string;
  /** An event stream whose events the spec declares (an `itemSchema`): typed events. */
  stream?: StreamModel;
}

export interface OperationModel {
  /** The operationId as the spec writes it (or, without one, the function's name). */
  id: string;
  /** The function's name: an identifier (names.ts, `operationNames`). */
  name: string;
  /** Its type in schema.ts: `operations["<id>"]`, or `paths["<path>"]["<method>"]` without an id. */
  type: string;
  /** Upper case. */
  method: string;
  path: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  input: 'params' | 'body' | 'none';
  parameters: Spec[];
  /** `{ path?, query?, header? }` as one object schema, validated as `<Id>Params`. */
  params?: { schema: Spec; validator: string };
  body?: BodyModel;
  response: ResponseModel;
  /** The array property of a cursor-paginated list's page. */
  pagination?: { items: string };
  idempotencyKey?: IdempotencyKey;
  /** The corrections of sdk.config.json applied to it. */
  corrections?: Correction[];
}

export interface SpecModel {
  operations: OperationModel[];
  /** Schemas written inline in operations, which get validators under the given names. */
  inline: Record<
    string,
    { schema: Spec; doc: string; pointer: string; multipart?: boolean; component?: string }
  >;
}

/** The name of one of an operation's inline schemas (names.ts, `inlineKey`). */
type InlineNamer = (what: 'Body' | 'Response' | 'Params') => string;

export function readModel(spec: Spec): SpecModel {
  const problems: string[] = [];
  const model: SpecModel = { operations: [], inline: {} };
  const seen = new Set<string>();
  const entries = operationsOf(spec);
  const names = operationNames(
    entries.map((e) => ({ id: e.op.operationId, method: e.method, path: e.path })),
  );
  const schemas: Spec = spec.components?.schemas ?? {};
  const keys = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const id: unknown = entry.op.operationId;
    if (id !== undefined && typeof id !== 'string') {
      problems.push(`${routeOf(entry)}: operationId ${JSON.stringify(id)} is not a string`);
      continue;
    }
    if (id !== undefined && seen.has(id)) {
      problems.push(`${routeOf(entry)}: operationId ${id} is used twice`);
    }
    if (id !== undefined) seen.add(id);
    const inline: InlineNamer = (what) => {
      const key = inlineKey(names[i], what, (k) => Object.hasOwn(schemas, k) || keys.has(k));
      keys.add(key);
      return key;
    };
    const operation = readOperation(spec, entry, { id, name: names[i], inline }, problems);
    if (operation) model.operations.push(operation);
  }
  for (const op of model.operations) addInline(model, op);
  if (problems.length) {
    throw new Error(`the SDK cannot be generated from this spec:\n  ${problems.join('\n  ')}`);
  }
  return model;
}

/** How an operation is named: its operationId, its function, its inline schemas. */
interface Naming {
  id: string | undefined;
  name: string;
  inline: InlineNamer;
}

function readOperation(
  spec: Spec,
  entry: OperationEntry,
  { id, name, inline }: Naming,
  problems: string[],
): OperationModel | undefined {
  const at = routeOf(entry);
  const before = problems.length;
  for (const p of entry.parameters) {
    if (!['path', 'query', 'header', 'cookie'].includes(p.in)) {
      problems.push(
        `${at}: parameter ${p.name} is in ${JSON.stringify(p.in)}, which OpenAPI does not define (path, query, header, cookie)`,
      );
    }
  }
  const params = entry.parameters.length
    ? { schema: paramsSchema(entry.parameters), validator: inline('Params') }
    : undefined;
  const body = readBody(spec, entry, inline);
  const response = readResponse(spec, entry, inline);
  if (problems.length > before) return undefined;
  const { op } = entry;
  return {
    id: id ?? name,
    name,
    type:
      id === undefined
        ? `paths[${JSON.stringify(entry.path)}][${JSON.stringify(entry.method)}]`
        : `operations[${JSON.stringify(id)}]`,
    method: entry.method.toUpperCase(),
    path: entry.path,
    summary: op.summary,
    description: op.description,
    deprecated: op.deprecated === true,
    input: inputKind(spec, entry),
    parameters: entry.parameters,
    params,
    body,
    response,
    pagination: paginationOf(spec, entry, response),
    idempotencyKey: checkedKey(spec, entry, problems),
  };
}

function readBody(spec: Spec, entry: OperationEntry, inline: InlineNamer): BodyModel | undefined {
  const requestBody = deref(spec, entry.op.requestBody);
  const chosen = requestMedia(requestBody?.content);
  if (!chosen) return undefined;
  const { kind, mediaType } = chosen;
  const among = Object.keys(requestBody?.content ?? {}).length;
  const body = { kind, mediaType, required: requestBody?.required === true, files: [], among };
  const schema: Spec | undefined = chosen.media.schema;
  if (kind === 'binary' || schema === undefined) return body;
  if (kind === 'multipart') {
    // Validated inline, with its file fields as files: the schema itself, not its $ref.
    const form = deref(spec, schema) ?? {};
    const files = fileFields(form, spec);
    const listed = files.filter((name) => deref(spec, form.properties[name])?.type === 'array');
    const component = schemaRefName(schema);
    return {
      ...body,
      schema: form,
      validator: inline('Body'),
      files,
      ...(listed.length && { listed }),
      ...(component && { component }),
    };
  }
  return { ...body, schema, validator: schemaRefName(schema) ?? inline('Body') };
}

/** A binary string, or a string of a non-JSON media type: a file part. */
const isFile = (field: Spec | undefined) =>
  field?.type === 'string' &&
  (field.format === 'binary' ||
    (typeof field.contentMediaType === 'string' && !/json/i.test(field.contentMediaType)));

/** Multipart fields that carry files: a file, or an array of files (several parts). */
export function fileFields(schema: Spec, spec: Spec = {}): string[] {
  return Object.entries<Spec>(schema.properties ?? {})
    .map(([name, raw]) => [name, deref(spec, raw)] as const)
    .filter(
      ([, field]) => isFile(field) || (field?.type === 'array' && isFile(deref(spec, field.items))),
    )
    .map(([name]) => name);
}

function readResponse(spec: Spec, entry: OperationEntry, inline: InlineNamer): ResponseModel {
  const [success] = successResponses(spec, entry.op);
  if (!success) return { status: '200', kind: 'empty' };
  const [status, response] = success;
  const chosen = answerMedia(response.content);
  if (!chosen) return { status, kind: 'empty' };
  if (chosen.kind === 'stream') {
    const stream = declaredStream(spec, chosen.media);
    return { status, kind: 'stream', ...(stream && { stream }) };
  }
  const { kind, mediaType } = chosen;
  const schema: Spec | undefined = chosen.media.schema;
  if (kind === 'binary') return { status, kind, mediaType };
  if (kind === 'text') {
    const validator = schema && (schemaRefName(schema) ?? inline('Response'));
    return { status, kind, mediaType, schema, validator };
  }
  // JSON without a schema: anything, or nothing.
  if (schema === undefined) return { status, kind: 'empty' };
  const type = deref(spec, schema)?.type;
  const validator = schemaRefName(schema) ?? inline('Response');
  return { status, kind: type === 'object' ? 'object' : 'json', mediaType, schema, validator };
}

/**
 * One object schema for all of an operation's parameters, grouped as openapi-fetch's `params`.
 * A required array in the query needs at least one item: a query string cannot carry an empty
 * list (FastAPI reads no key as a missing field), so `[]` is refused before sending.
 */
function paramsSchema(parameters: Spec[]): Spec {
  const groups: Record<string, { properties: Spec; required: string[] }> = {};
  for (const p of parameters) {
    const group = (groups[p.in] ??= { properties: {}, required: [] });
    let schema: Spec = p.schema ?? {};
    if (p.in === 'query' && p.required && schema.type === 'array' && !(schema.minItems >= 1)) {
      schema = { ...schema, minItems: 1 };
    }
    group.properties[p.name] = schema;
    if (p.required) group.required.push(p.name);
  }
  const properties: Spec = {};
  const required: string[] = [];
  for (const [where, group] of Object.entries(groups)) {
    properties[where] = { type: 'object', additionalProperties: false, ...group };
    if (group.required.length) required.push(where);
  }
  return { type: 'object', additionalProperties: false, properties, required };
}

/** A cursor-paginated list: a `cursor` query parameter, and a page with `next_cursor` and one array. */
function paginationOf(
  spec: Spec,
  entry: OperationEntry,
  response: ResponseModel,
): { items: string } | undefined {
  if (!entry.parameters.some((p) => p.in === 'query' && p.name === 'cursor')) return undefined;
  const page = deref(spec, response.schema);
  if (!page?.properties?.next_cursor) return undefined;
  const arrays = Object.entries<Spec>(page.properties)
    .filter(([, field]) => deref(spec, field)?.type === 'array')
    .map(([name]) => name);
  return arrays.length === 1 ? { items: arrays[0] } : undefined;
}

/** The idempotency key, if the SDK's fresh UUIDs fit its schema (else generation fails). */
function checkedKey(spec: Spec, entry: OperationEntry, problems: string[]) {
  const key = idempotencyKeyOf(spec, entry);
  if (!key) return undefined;
  const schema =
    key.in === 'header'
      ? entry.parameters.find((p) => p.in === 'header' && p.name === key.name)?.schema
      : deref(spec, deref(spec, entry.op.requestBody)?.content?.['application/json']?.schema)
          ?.properties?.[key.name];
  const strings = [schema, ...(schema?.anyOf ?? []), ...(schema?.oneOf ?? [])]
    .map((s) => deref(spec, s))
    .filter((s): s is Spec => s?.type === 'string');
  const uuid = crypto.randomUUID();
  const fits = strings.some(
    (s) =>
      (s.maxLength ?? Infinity) >= uuid.length &&
      (s.minLength ?? 0) <= uuid.length &&
      (s.pattern === undefined || new RegExp(s.pattern, 'u').test(uuid)),
  );
  if (!fits) {
    problems.push(
      `${routeOf(entry)}: its idempotency key ${key.name} does not take a UUID, which the SDK fills it with`,
    );
    return undefined;
  }
  return key;
}

/** A JSON pointer into the spec, from its segments (`~` and `/` escaped as RFC 6901 says). */
const pointer = (...segments: string[]) =>
  `#/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** Registers the operation's inline schemas (bodies, answers, parameters) for validators. */
function addInline(model: SpecModel, op: OperationModel): void {
  const { body, response, params } = op;
  const at = ['paths', op.path, op.method.toLowerCase()];
  if (
    body?.schema &&
    body.validator &&
    (body.kind === 'multipart' || !schemaRefName(body.schema))
  ) {
    model.inline[body.validator] = {
      schema: body.schema,
      doc: `Request body of \`${op.id}\``,
      pointer: pointer(...at, 'requestBody', 'content', body.mediaType, 'schema'),
      multipart: body.kind === 'multipart' || undefined,
      component: body.component,
    };
  }
  const { schema, validator, mediaType = 'application/json' } = response;
  if (schema && !schemaRefName(schema) && validator) {
    model.inline[validator] = {
      schema,
      doc: `2xx answer of \`${op.id}\``,
      pointer: pointer(...at, 'responses', response.status, 'content', mediaType, 'schema'),
    };
  }
  if (params) {
    model.inline[params.validator] = {
      schema: params.schema,
      doc: `Parameters of \`${op.id}\``,
      pointer: pointer(...at, 'parameters'),
    };
  }
}
