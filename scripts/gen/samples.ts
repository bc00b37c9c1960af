/**
 * Deterministic sample values of the spec's schemas, for the mock server's answers: its examples
 * where the spec gives them, otherwise synthesized from types, formats, bounds, enums and
 * patterns. The same spec always gives the same samples, so the generated mock does not drift.
 *
 * A sample sets every property it can (so that an app sees each field once), and falls back to
 * the smallest valid value (required properties only, empty arrays, null branches) inside a
 * schema that refers to itself, so recursion ends.
 */
import { createHash } from 'node:crypto';
import { deref, schemaRefName, type Json, type Spec } from '../lib/spec.js';
import { patternSample } from './pattern-sample.js';

interface Walk {
  /** Component schemas being expanded: re-entering one switches to the smallest sample. */
  stack: string[];
  minimal: boolean;
  /** Where the walk is, e.g. `AgentResponse.tools[0].id`: seeds UUIDs, names failures. */
  at: string;
}

/** Deterministic UUID (version 4 layout) of a location, so that samples stay stable. */
export function uuidOf(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const FORMATS: Record<string, (at: string) => string> = {
  uuid: uuidOf,
  'date-time': () => '2025-01-15T09:30:00Z',
  date: () => '2025-01-15',
  time: () => '09:30:00Z',
  email: () => 'user@example.com',
  uri: () => 'https://example.com/',
  url: () => 'https://example.com/',
  hostname: () => 'example.com',
  ipv4: () => '192.0.2.1',
  ipv6: () => '2001:db8::1',
};

/** Sample values of one spec's schemas; samples of component schemas are computed once. */
export class Sampler {
  private readonly memo = new Map<string, Json>();

  constructor(private readonly spec: Spec) {}

  /** A sample of `schema`; `at` names it in errors and seeds its UUIDs. */
  sample(schema: Spec | boolean | undefined, at: string): Json {
    return this.value(schema, { stack: [], minimal: false, at });
  }

  private value(schema: Spec | boolean | undefined, walk: Walk): Json {
    if (schema === undefined || schema === true || schema === false) return {};
    const name = schemaRefName(schema);
    if (name) return this.component(name, walk);
    if (schema.$ref) return this.value(deref(this.spec, schema), walk);
    const example = exampleOf(schema);
    if (example !== undefined) return example;
    if ('const' in schema) return schema.const as Json;
    if (Array.isArray(schema.enum)) return schema.enum[0] as Json;
    if (schema.allOf) return this.allOf(schema.allOf, walk);
    const branches: Spec[] | undefined = schema.anyOf ?? schema.oneOf;
    if (branches) return this.branch(schema, branches, walk);
    return this.typed(schema, typeOf(schema), walk);
  }

  private component(name: string, walk: Walk): Json {
    const schema = this.spec.components?.schemas?.[name];
    if (schema === undefined) throw new Error(`${walk.at}: no schema ${name}`);
    const minimal = walk.minimal || walk.stack.includes(name);
    if (!minimal && this.memo.has(name)) return structuredClone(this.memo.get(name)!);
    const value = this.value(schema, { stack: [...walk.stack, name], minimal, at: name });
    if (!minimal) this.memo.set(name, value);
    return structuredClone(value);
  }

  private allOf(parts: Spec[], walk: Walk): Json {
    const values = parts.map((part, i) => this.value(part, { ...walk, at: `${walk.at}&${i}` }));
    const objects = values.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    return objects.length === values.length ? Object.assign({}, ...objects) : values.at(-1)!;
  }

  /** The first branch that is not null (the null one inside a recursion), tagged if discriminated. */
  private branch(schema: Spec, branches: Spec[], walk: Walk): Json {
    const isNull = (b: Spec) => deref(this.spec, b)?.type === 'null';
    const chosen = walk.minimal
      ? (branches.find(isNull) ?? branches[0])
      : (branches.find((b) => !isNull(b)) ?? branches[0]);
    const value = this.value(chosen, walk);
    const tag = schema.discriminator?.propertyName;
    const mapping = Object.entries<string>(schema.discriminator?.mapping ?? {});
    const key = mapping.find(([, ref]) => ref === chosen.$ref)?.[0];
    if (tag && key && value && typeof value === 'object' && !Array.isArray(value)) value[tag] = key;
    return value;
  }

  private typed(schema: Spec, type: string | undefined, walk: Walk): Json {
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return typeof schema.default === 'boolean' ? schema.default : false;
      case 'integer':
      case 'number':
        return numberSample(schema, type === 'integer', walk.at);
      case 'string':
        return stringSample(schema, walk.at);
      case 'array':
        return this.array(schema, walk);
      case 'object':
        return this.object(schema, walk);
      default:
        return {}; // any JSON value
    }
  }

  private array(schema: Spec, walk: Walk): Json[] {
    const prefix: Spec[] = schema.prefixItems ?? [];
    const min = Math.max(schema.minItems ?? 0, prefix.length);
    const count = Math.min(walk.minimal ? min : Math.max(min, 1), schema.maxItems ?? Infinity);
    return Array.from({ length: count }, (_, i) =>
      this.value(prefix[i] ?? schema.items, { ...walk, at: `${walk.at}[${i}]` }),
    );
  }

  private object(schema: Spec, walk: Walk): Record<string, Json> {
    const required = new Set<string>(schema.required ?? []);
    const properties: Record<string, Spec> = schema.properties ?? {};
    const out: Record<string, Json> = {};
    for (const [key, property] of Object.entries(properties)) {
      if (walk.minimal && !required.has(key)) continue;
      out[key] = this.value(property, { ...walk, at: `${walk.at}.${key}` });
    }
    const extra =
      typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
    for (const key of required) {
      if (!(key in out)) out[key] = this.value(extra, { ...walk, at: `${walk.at}.${key}` });
    }
    return out;
  }
}

/** A schema's type: the first that is not null, else what its keywords imply. */
function typeOf(schema: Spec): string | undefined {
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t && t !== 'null') ?? types.find(Boolean);
  if (type) return type;
  if (schema.properties || schema.additionalProperties !== undefined) return 'object';
  if (schema.items || schema.prefixItems) return 'array';
  return undefined;
}

function exampleOf(schema: Spec): Json | undefined {
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  return schema.example as Json | undefined;
}

/** The first of: the default, 1, 0, the bounds and their midpoint, that the bounds allow. */
function numberSample(schema: Spec, integer: boolean, at: string): number {
  const { minimum: min, maximum: max, exclusiveMinimum: xmin, exclusiveMaximum: xmax } = schema;
  const fits = (n: unknown): n is number =>
    typeof n === 'number' &&
    (!integer || Number.isInteger(n)) &&
    !(min !== undefined && n < min) &&
    !(max !== undefined && n > max) &&
    !(typeof xmin === 'number' && n <= xmin) &&
    !(typeof xmax === 'number' && n >= xmax) &&
    (schema.multipleOf === undefined || Number.isInteger(n / schema.multipleOf));
  const low = min ?? (typeof xmin === 'number' ? xmin : undefined);
  const high = max ?? (typeof xmax === 'number' ? xmax : undefined);
  const middle = low !== undefined && high !== undefined ? (low + high) / 2 : undefined;
  const candidates = [schema.default, 1, 0, min, max, middle, middle && Math.floor(middle)];
  const found = candidates.find(fits);
  if (found === undefined)
    throw new Error(`${at}: no sample number fits ${JSON.stringify(schema)}`);
  return found;
}

/** Its format's, its pattern's, or the field's name, fitted to the length bounds. */
function stringSample(schema: Spec, at: string): string {
  const min: number = schema.minLength ?? 0;
  const max: number = schema.maxLength ?? Infinity;
  if (typeof schema.default === 'string' && schema.default.length >= min) {
    if (schema.default.length <= max && !schema.pattern && !schema.format) return schema.default;
  }
  if (schema.pattern) return patternSample(schema.pattern, min, max, at);
  const format = FORMATS[schema.format];
  if (format) return format(at);
  const word = /\.?([A-Za-z_]\w*)(?:\[\d+\])*$/.exec(at)?.[1] ?? 'text';
  return word.padEnd(min, 'x').slice(0, max);
}
