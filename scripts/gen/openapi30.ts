/**
 * OpenAPI 3.0's schema dialect, read as 3.1 says it, before any generator sees the spec: real 3.1
 * documents still carry 3.0's `nullable` (FastAPI apps that post-process their schema, Airflow's
 * `{ $ref, nullable: true }`), and 3.0 documents say everything that way. Without this, the types
 * (openapi-typescript ignores `nullable` beside a `$ref`), the validators and the mock would each
 * read it their own way.
 *
 * - `nullable: true` beside `type` adds `"null"` to the type (and `null` to an `enum`);
 * - beside a `$ref` or a combinator without `type`, the assertions move into
 *   `anyOf: [<them>, { type: "null" }]`, the annotations (description, deprecated...) stay outside;
 * - `nullable: false` is dropped;
 * - boolean `exclusiveMinimum` / `exclusiveMaximum` (3.0) become the numbers 3.1 expects.
 *
 * Only schema positions are rewritten: property names, examples, defaults and enum values are data
 * and are left alone. The spec on disk is never changed: this is a reading of it.
 */
import type { Spec } from '../lib/spec.js';

/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  // OpenAPI's maps whose values hold schemas somewhere inside.
  'schemas',
  'parameters',
  'responses',
  'requestBodies',
  'headers',
  'content',
  'paths',
  'callbacks',
  'pathItems',
  'webhooks',
]);
/** Keywords whose value is data, never a schema. */
const DATA = new Set(['example', 'examples', 'default', 'const', 'enum', 'x-examples']);
/** Annotations that stay on the outer schema when its assertions move into an `anyOf`. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'example',
  'examples',
  'externalDocs',
  '$comment',
]);

/** A copy of `spec` with every schema said as 3.1 says it; the same object when nothing changes. */
export function as31(spec: Spec): Spec {
  if (!JSON.stringify(spec).match(/"(nullable|exclusiveM(in|ax)imum)":\s*(true|false)/))
    return spec;
  const copy = structuredClone(spec);
  visit(copy, false);
  return copy;
}

function visit(node: unknown, isMap: boolean): void {
  if (Array.isArray(node)) return node.forEach((item) => visit(item, false));
  if (!node || typeof node !== 'object') return;
  const record = node as Spec;
  if (isMap) {
    for (const value of Object.values(record)) visit(value, false);
    return;
  }
  rewrite(record);
  for (const [key, value] of Object.entries(record)) {
    if (DATA.has(key) || key.startsWith('x-')) continue;
    visit(value, SCHEMA_MAPS.has(key));
  }
}

function rewrite(schema: Spec): void {
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ]) {
    if (schema[flag] === true && typeof schema[bound] === 'number') {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else if (typeof schema[flag] === 'boolean') delete schema[flag];
  }
  if (typeof schema.nullable !== 'boolean') return;
  const nullable = schema.nullable;
  delete schema.nullable;
  if (!nullable) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  if (schema.type !== undefined) {
    const types = [schema.type].flat();
    if (!types.includes('null')) schema.type = [...types, 'null'];
    return;
  }
  const inner: Spec = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    inner[key] = value;
    delete schema[key];
  }
  // With no assertion at all, the schema already allows null.
  if (Object.keys(inner).length) schema.anyOf = [inner, { type: 'null' }];
}
