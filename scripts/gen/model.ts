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
import type { Correction } from './corrections.js';
import { declaredStream, type StreamModel } from './streams.js';

export interface BodyModel {
  kind: 'json' | 'multipart';
  /** The schema as the spec writes it (a $ref stays a $ref). */
  schema: Spec;
  /** The schema whose validator checks the body: a component's name, or an inline one's. */
  validator: string;
  required: boolean;
  /** Multipart fields that carry files: one file, or a list of them (`listed`). */
  files: string[];
  /** Of `files`, those that take several files (an array of binary strings). */
  listed?: string[];
  /** The component schema a multipart body refers to (its prose rule applies). */
  component?: string;
}

export interface ResponseModel {
  status: string;
  /** object / json: a JSON body of that shape; empty: none declared; stream: an event stream. */
  kind: 'object' | 'json' | 'empty' | 'stream';
  schema?: Spec;
  validator?: string;
  /** An event stream whose events the spec declares (an `itemSchema`): typed events. */
  stream?: StreamModel;
}

export interface OperationModel {
  id: string;
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

/** `updateAgent` + `Body` -> `UpdateAgentBody`: the name of an inline schema's validator. */
export const inlineName = (id: string, what: 'Body' | 'Response' | 'Params') =>
  `${id[0].toUpperCase()}${id.slice(1)}${what}`;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);

export function readModel(spec: Spec): SpecModel {
  const problems: string[] = [];
  const model: SpecModel = { operations: [], inline: {} };
  const seen = new Set<string>();
  for (const entry of operationsOf(spec)) {
    const id: unknown = entry.op.operationId;
    const at = routeOf(entry);
    if (typeof id !== 'string' || !IDENTIFIER.test(id) || RESERVED.has(id)) {
      problems.push(
        `${at}: operationId ${JSON.stringify(id)} must be a JS identifier, not a reserved word`,
      );
      continue;
    }
    if (seen.has(id)) problems.push(`${at}: operationId ${id} is used twice`);
    seen.add(id);
    const operation = readOperation(spec, entry, id, problems);
    if (operation) model.operations.push(operation);
  }
  for (const op of model.operations) addInline(model, op);
  if (problems.length) {
    throw new Error(`the SDK cannot be generated from this spec:\n  ${problems.join('\n  ')}`);
  }
  return model;
}

function readOperation(
  spec: Spec,
  entry: OperationEntry,
  id: string,
  problems: string[],
): OperationModel | undefined {
  const at = routeOf(entry);
  const before = problems.length;
  for (const p of entry.parameters) {
    if (!['path', 'query', 'header'].includes(p.in)) {
      problems.push(
        `${at}: ${p.in} parameter ${p.name} is not supported (path, query, header are)`,
      );
    }
  }
  const body = readBody(spec, entry, id, problems);
  const response = readResponse(spec, entry, id, problems);
  if (problems.length > before || !response) return undefined;
  const { op } = entry;
  return {
    id,
    method: entry.method.toUpperCase(),
    path: entry.path,
    summary: op.summary,
    description: op.description,
    deprecated: op.deprecated === true,
    input: inputKind(spec, entry),
    parameters: entry.parameters,
    params: entry.parameters.length
      ? { schema: paramsSchema(entry.parameters), validator: inlineName(id, 'Params') }
      : undefined,
    body,
    response,
    pagination: paginationOf(spec, entry, response),
    idempotencyKey: checkedKey(spec, entry, problems),
  };
}

function readBody(
  spec: Spec,
  entry: OperationEntry,
  id: string,
  problems: string[],
): BodyModel | undefined {
  const requestBody = deref(spec, entry.op.requestBody);
  const content = requestBody?.content;
  if (!content) return undefined;
  const required = requestBody.required === true;
  const json = content['application/json']?.schema;
  if (json) {
    const validator = schemaRefName(json) ?? inlineName(id, 'Body');
    return { kind: 'json', schema: json, validator, required, files: [] };
  }
  const form = content['multipart/form-data']?.schema;
  if (form) {
    // Validated inline, with its file fields as files: the schema itself, not its $ref.
    const schema = deref(spec, form) ?? {};
    const files = fileFields(schema, spec);
    const listed = files.filter((name) => deref(spec, schema.properties[name])?.type === 'array');
    const validator = inlineName(id, 'Body');
    const component = schemaRefName(form);
    return {
      kind: 'multipart',
      schema,
      validator,
      required,
      files,
      ...(listed.length && { listed }),
      ...(component && { component }),
    };
  }
  problems.push(
    `${routeOf(entry)}: request body ${Object.keys(content)} is not supported (JSON and multipart are)`,
  );
  return undefined;
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

function readResponse(
  spec: Spec,
  entry: OperationEntry,
  id: string,
  problems: string[],
): ResponseModel | undefined {
  const [success] = successResponses(spec, entry.op);
  if (!success) return { status: '200', kind: 'empty' };
  const [status, response] = success;
  const content = response.content ?? {};
  const events = content['text/event-stream'];
  if (events) {
    const stream = declaredStream(spec, events);
    return { status, kind: 'stream', ...(stream && { stream }) };
  }
  const schema = content['application/json']?.schema;
  if (schema) {
    const type = deref(spec, schema)?.type;
    const validator = schemaRefName(schema) ?? inlineName(id, 'Response');
    return { status, kind: type === 'object' ? 'object' : 'json', schema, validator };
  }
  if (Object.keys(content).length === 0) return { status, kind: 'empty' };
  problems.push(`${routeOf(entry)}: ${status} answer ${Object.keys(content)} is not supported`);
  return undefined;
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
  if (body && (body.kind === 'multipart' || !schemaRefName(body.schema))) {
    const type = body.kind === 'multipart' ? 'multipart/form-data' : 'application/json';
    model.inline[body.validator] = {
      schema: body.schema,
      doc: `Request body of \`${op.id}\``,
      pointer: pointer(...at, 'requestBody', 'content', type, 'schema'),
      multipart: body.kind === 'multipart' || undefined,
      component: body.component,
    };
  }
  if (response.schema && !schemaRefName(response.schema) && response.validator) {
    model.inline[response.validator] = {
      schema: response.schema,
      doc: `2xx answer of \`${op.id}\``,
      pointer: pointer(
        ...at,
        'responses',
        response.status,
        'content',
        'application/json',
        'schema',
      ),
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
