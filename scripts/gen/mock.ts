/**
 * The source of src/generated/mock.ts: the route table of `@featherhq/sdk/testing`'s mock server,
 * rendered from the spec's model. Per operation: how to match its path, which generated
 * validators check its parameters and body, how its query strings coerce, what it answers (the
 * status and a deterministic sample body), and whether it paginates or streams. Resources that
 * sdk.config.json's waiters declare (dispatched runs) are created from the request and read back.
 */
import { deref, type Json, type Spec } from '../lib/spec.js';
import type { BodyModel, OperationModel, SpecModel } from './model.js';
import { NoSampleError, Sampler } from './samples.js';
import { validatorName } from './names.js';
import { defaultEvents } from './streams.js';
import type { WaiterConfig } from './waiters.js';

const lit = (value: unknown) => JSON.stringify(value);

/** `/v1/runs/{run_id}` -> `/^\/v1\/runs\/([^/]+)$/`: a template's segments, as Starlette matches them. */
export function pathMatcher(path: string): string {
  const source = path
    .split(/\{[^}]+\}/)
    .map((text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('([^/]+)');
  return `/^${source}$/`;
}

/** How a parameter's string is read: its schema's type, `[]` when it repeats (arrays). */
export function paramKind(spec: Spec, schema: Spec | undefined): string {
  const s = deref(spec, schema) ?? {};
  const branches: Spec[] = (s.anyOf ?? s.oneOf ?? []).map((b: Spec) => deref(spec, b) ?? {});
  const array = [s, ...branches].find((b) => [b.type].flat().includes('array'));
  if (array) return `${paramKind(spec, array.items)}[]`;
  const types = [s, ...branches].flatMap((b) => [b.type].flat()).filter(Boolean);
  return types.find((t) => ['integer', 'number', 'boolean'].includes(t)) ?? 'string';
}

function paramsField(spec: Spec, op: OperationModel): string | undefined {
  if (!op.params) return undefined;
  const groups: Record<string, Record<string, string>> = {};
  for (const p of op.parameters) (groups[p.in] ??= {})[p.name] = paramKind(spec, p.schema);
  return `params: { check: v.${validatorName(op.params.validator)}, in: ${lit(groups)} }`;
}

/**
 * How a form part that is not a file reads. In multipart, an object or array is JSON text
 * (OpenAPI's default encoding for them, `application/json`); in a urlencoded form, an array is
 * repeated keys (`form` style, exploded). Anything else reads as a query string would.
 */
function formPartKind(spec: Spec, field: Spec, kind: BodyModel['kind']): string {
  const type = deref(spec, field)?.type;
  const json = type === 'object' || (type === 'array' && kind === 'multipart');
  return json ? 'json' : paramKind(spec, field);
}

function bodyField(spec: Spec, op: OperationModel): string | undefined {
  const { body } = op;
  if (!body) return undefined;
  // Bytes, or a body the spec gives no schema: anything goes.
  const check = body.validator ? `v.${validatorName(body.validator)}` : 'any';
  const fields = [`kind: ${lit(body.kind)}`, `check: ${check}`];
  if (body.required) fields.push('required: true');
  if (body.kind === 'multipart' || body.kind === 'form') {
    // A form's parts are strings: how each that is not a file reads, as query strings do.
    const kinds: Record<string, string> = {};
    for (const [name, field] of Object.entries<Spec>(deref(spec, body.schema)?.properties ?? {})) {
      if (body.listed?.includes(name)) kinds[name] = 'file[]';
      else if (!body.files.includes(name)) kinds[name] = formPartKind(spec, field, body.kind);
    }
    fields.push(`files: ${lit(body.files)}`, `fields: ${lit(kinds)}`);
  }
  return `body: { ${fields.join(', ')} }`;
}

/**
 * How each field of a created resource is filled: from the body's field of the same name (or its
 * default), a fresh UUID, the time of creation, null, or the sample.
 */
function fills(spec: Spec, create: OperationModel): Record<string, Json> {
  const response = deref(spec, create.response.schema) ?? {};
  const body = deref(spec, create.body?.kind === 'json' ? create.body.schema : undefined) ?? {};
  const out: Record<string, Json> = {};
  for (const [key, raw] of Object.entries<Spec>(response.properties ?? {})) {
    const field = deref(spec, raw) ?? {};
    const branches: Spec[] = (field.anyOf ?? field.oneOf ?? [field]).map(
      (b: Spec) => deref(spec, b) ?? {},
    );
    const nullable = branches.some((b) => [b.type].flat().includes('null'));
    const format = branches.find((b) => b.format)?.format;
    const otherwise = nullable
      ? 'null'
      : format === 'uuid'
        ? 'uuid'
        : format === 'date-time'
          ? 'now'
          : 'sample';
    // A default may sit beside a $ref (`{ $ref, default }`) or in the schema it names.
    const input = body.properties?.[key];
    const declared = input && ('default' in input ? input : deref(spec, input));
    out[key] = declared
      ? { body: key, otherwise, ...('default' in declared ? { default: declared.default } : {}) }
      : otherwise;
  }
  return out;
}

/** The `creates` / `reads` fields of the operations a waiter of sdk.config.json names. */
function resourceFields(spec: Spec, model: SpecModel, waiters: WaiterConfig[], extras: Extras) {
  const add = (id: string, field: string) => extras.set(id, [...(extras.get(id) ?? []), field]);
  for (const w of waiters) {
    const create = model.operations.find((op) => op.id === w.create);
    if (!create) continue;
    add(create.id, `creates: { store: ${lit(w.name)}, fields: ${lit(fills(spec, create))} }`);
    if (model.operations.some((op) => op.id === w.get)) {
      const read = { store: w.name, idParam: w.idParam, idField: w.idField };
      add(w.get, `reads: ${lit(read)}`);
    }
  }
}

/**
 * What the corrections of sdk.config.json tell the mock (`mock.items`), and the events each
 * stream whose events the spec declares sends by default.
 */
function correctedFields(
  spec: Spec,
  model: SpecModel,
  extras: Extras,
  warn: (message: string) => void,
) {
  const add = (id: string, field: string) => extras.set(id, [...(extras.get(id) ?? []), field]);
  const sampler = new Sampler(spec);
  for (const op of model.operations) {
    for (const items of (op.corrections ?? []).map((c) => c.mock?.items)) {
      if (items) add(op.id, `items: ${lit(items)}`);
    }
    try {
      const events = defaultEvents(op, (schema, at) => sampler.sample(schema, at));
      if (events) add(op.id, `events: ${lit(events)}`);
    } catch (error) {
      // As for an answer without a sample: generation goes on, and says so.
      if (!(error instanceof NoSampleError)) throw error;
      warn(
        `the mock has no sample event of ${op.id} (${error.message}): it streams \`message\` events unless a handler is given`,
      );
    }
  }
}

/** Per operation, what else its route says: created resources, per-item answers, stream events. */
type Extras = Map<string, string[]>;

function routeSource(
  spec: Spec,
  op: OperationModel,
  unsampled: Map<string, string>,
  extras: string[] = [],
): string {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const { response } = op;
  const fields = [
    `id: ${lit(op.id)}`,
    `method: ${lit(op.method)}`,
    `path: ${lit(op.path)}`,
    `match: ${pathMatcher(op.path)}`,
    names.length ? `pathNames: ${lit(names)}` : undefined,
    paramsField(spec, op),
    bodyField(spec, op),
    `status: ${/^\d+$/.test(response.status) ? response.status : 200}`,
    `response: ${lit(response.kind)}`,
    response.kind === 'text' || response.kind === 'binary'
      ? `mediaType: ${lit(response.mediaType)}`
      : undefined,
    response.validator && !unsampled.has(response.validator)
      ? `sample: samples[${lit(response.validator)}]`
      : undefined,
    response.validator && unsampled.has(response.validator)
      ? `unsampled: ${lit(unsampled.get(response.validator))}`
      : undefined,
    op.pagination ? `pagination: ${lit(op.pagination.items)}` : undefined,
    ...extras,
  ];
  return `{ ${fields.filter(Boolean).join(', ')} }`;
}

/** The waiters of sdk.config.json (waiters.ts checks them against the spec). */
const waitersOf = (config: Spec | undefined): WaiterConfig[] =>
  Array.isArray(config?.waiters) ? config.waiters : [];

/**
 * A sample of each 2xx body, by validator name, and why there is none for those that have none.
 * A missing sample never stops generation: it is warned about, naming the schema and the
 * operations, and the mock answers those operations with an error saying so (answers.ts).
 */
function samplesOf(spec: Spec, model: SpecModel, warn: (message: string) => void) {
  const sampler = new Sampler(spec);
  const samples: Record<string, Json> = {};
  const unsampled = new Map<string, string>();
  for (const op of model.operations) {
    const { validator, schema } = op.response;
    if (!validator || validator in samples || unsampled.has(validator)) continue;
    try {
      samples[validator] = sampler.sample(schema, validator);
    } catch (error) {
      if (!(error instanceof NoSampleError)) throw error;
      unsampled.set(validator, error.message);
    }
  }
  for (const [validator, reason] of unsampled) {
    const ids = model.operations
      .filter((op) => op.response.validator === validator)
      .map((op) => op.id);
    warn(
      `the mock has no sample answer of schema ${validator} (${reason}): it answers ${ids.join(', ')} with 501 unless a handler is given`,
    );
  }
  return { samples, unsampled };
}

export function mockSource(
  spec: Spec,
  model: SpecModel,
  sdkConfig?: Spec,
  warn: (message: string) => void = () => {},
): string {
  const { samples, unsampled } = samplesOf(spec, model, warn);
  const extras: Extras = new Map();
  resourceFields(spec, model, waitersOf(sdkConfig), extras);
  correctedFields(spec, model, extras, warn);
  const routes = model.operations.map((op) => routeSource(spec, op, unsampled, extras.get(op.id)));
  const ids = model.operations.map((op) => lit(op.id)).join(' | ') || 'never';
  const anyUsed = model.operations.some((op) => op.body && !op.body.validator);
  return [
    ...(anyUsed ? [`import { any } from '../core/check.js';`] : []),
    `import type { MockRoute } from '../testing/routes.js';`,
    `import * as v from './validators.js';`,
    '',
    '/** A sample of each 2xx body, by the name of its validator: the mock answers with it. */',
    `const samples: Record<string, unknown> = ${lit(samples)};`,
    '',
    '/** Every operation of the spec, in spec order (the order routes are matched in). */',
    `export const mockRoutes: MockRoute[] = [${routes.join(',\n')}];`,
    '',
    '/** The operationIds that `startMockServer({ handlers })` takes. */',
    `export type MockOperationId = ${ids};`,
    '',
  ].join('\n');
}
