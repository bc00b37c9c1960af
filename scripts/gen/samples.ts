/**
 * Deterministic sample values of the spec's schemas, for the mock server's answers: its examples
 * where the spec gives them, otherwise synthesized from types, formats, bounds, enums and
 * patterns. The same spec always gives the same samples, so the generated mock does not drift.
 *
 * A sample sets every property it can (so that an app sees each field once), and falls back to
 * the smallest valid value (required properties only, empty arrays, null branches) inside a
 * schema that refers to itself, so recursion ends. Where no value of a part can be found (a
 * pattern no search satisfies, bounds no number fits), the sample goes without it if it can: an
 * optional property left out, another branch of a union, an empty array. Otherwise `sample`
 * throws NoSampleError naming the place.
 */
import { createHash } from 'node:crypto';
import { deref, schemaRefName, type Json, type Spec } from '../lib/spec.js';
import { NoSampleError, patternSample } from './pattern-sample.js';

export { NoSampleError };

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
  /** Component samples (and the failure of those that have none): computed once. */
  private readonly memo = new Map<string, Json | NoSampleError>();

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
    if (schema === undefined) throw new NoSampleError(`${walk.at}: no schema ${name}`);
    const minimal = walk.minimal || walk.stack.includes(name);
    if (!minimal && this.memo.has(name)) {
      const known = this.memo.get(name);
      if (known instanceof NoSampleError) throw known;
      return structuredClone(known as Json);
    }
    let value: Json;
    try {
      value = this.value(schema, { stack: [...walk.stack, name], minimal, at: name });
    } catch (error) {
      if (!minimal && error instanceof NoSampleError) this.memo.set(name, error);
      throw error;
    }
    if (!minimal) this.memo.set(name, value);
    return structuredClone(value);
  }

  private allOf(parts: Spec[], walk: Walk): Json {
    const values = parts.map((part, i) => this.value(part, { ...walk, at: `${walk.at}&${i}` }));
    const objects = values.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    return objects.length === values.length ? Object.assign({}, ...objects) : values.at(-1)!;
  }

  /**
   * The first branch that is not null (the null one inside a recursion) and has a sample, tagged
   * if discriminated.
   */
  private branch(schema: Spec, branches: Spec[], walk: Walk): Json {
    const isNull = (b: Spec) => deref(this.spec, b)?.type === 'null';
    // Stable: in spec order, the null branches last (first inside a recursion).
    const rank = (b: Spec) => Number(isNull(b) !== walk.minimal);
    const order = [...branches].sort((a, b) => rank(a) - rank(b));
    let i = 0;
    for (; i < order.length - 1; i++) {
      const value = unlessNone(() => this.value(order[i], walk));
      if (value !== undefined) return tagged(schema, order[i], value);
    }
    // The last branch's failure, if it fails too, is the one reported.
    return tagged(schema, order[i], this.value(order[i], walk));
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
    const items = () =>
      Array.from({ length: count }, (_, i) =>
        this.value(prefix[i] ?? schema.items, { ...walk, at: `${walk.at}[${i}]` }),
      );
    return min > 0 ? items() : (unlessNone(items) ?? []);
  }

  private object(schema: Spec, walk: Walk): Record<string, Json> {
    const required = new Set<string>(schema.required ?? []);
    const properties: Record<string, Spec> = schema.properties ?? {};
    const out: Record<string, Json> = {};
    for (const [key, property] of Object.entries(properties)) {
      if (walk.minimal && !required.has(key)) continue;
      const at = { ...walk, at: `${walk.at}.${key}` };
      if (required.has(key)) out[key] = this.value(property, at);
      else {
        const value = unlessNone(() => this.value(property, at));
        if (value !== undefined) out[key] = value;
      }
    }
    const extra =
      typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
    for (const key of required) {
      if (!(key in out)) out[key] = this.value(extra, { ...walk, at: `${walk.at}.${key}` });
    }
    return out;
  }
}

/** The value of a discriminated union's branch, with its tag set. */
function tagged(schema: Spec, chosen: Spec, value: Json): Json {
  const tag = schema.discriminator?.propertyName;
  const mapping = Object.entries<string>(schema.discriminator?.mapping ?? {});
  const key = mapping.find(([, ref]) => ref === chosen.$ref)?.[0];
  if (tag && key && value && typeof value === 'object' && !Array.isArray(value)) value[tag] = key;
  return value;
}

/** `make()`'s value, or undefined where it finds none (NoSampleError). */
function unlessNone<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch (error) {
    if (error instanceof NoSampleError) return undefined;
    throw error;
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

/**
 * The spec's example, where it fits what the schema says of a plain value (type, enum, bounds,
 * pattern): real specs carry examples that their own schemas refuse, and a sample must pass.
 */
function exampleOf(schema: Spec): Json | undefined {
  const examples: unknown[] = Array.isArray(schema.examples) ? schema.examples : [];
  const example = (examples.length ? examples[0] : schema.example) as Json | undefined;
  if (example === undefined) return undefined;
  const types = [schema.type ?? []].flat();
  const kind = example === null ? 'null' : Array.isArray(example) ? 'array' : typeof example;
  const typed =
    types.length === 0 ||
    types.includes(kind) ||
    (kind === 'number' && types.includes('integer') && Number.isInteger(example));
  if (!typed) return undefined;
  if (Array.isArray(schema.enum) && !schema.enum.includes(example)) return undefined;
  if (typeof example === 'string' && !stringFits(schema, example)) return undefined;
  if (typeof example === 'number' && !numberFits(schema, example, false)) return undefined;
  return example;
}

/** Whether `n` is within the schema's bounds (and an integer, if `integer`). */
function numberFits(schema: Spec, n: unknown, integer: boolean): n is number {
  const { minimum: min, maximum: max, exclusiveMinimum: xmin, exclusiveMaximum: xmax } = schema;
  return (
    typeof n === 'number' &&
    (!integer || Number.isInteger(n)) &&
    !(min !== undefined && n < min) &&
    !(max !== undefined && n > max) &&
    !(typeof xmin === 'number' && n <= xmin) &&
    !(typeof xmax === 'number' && n >= xmax) &&
    (schema.multipleOf === undefined || Number.isInteger(n / schema.multipleOf))
  );
}

/** The first of: the default, 1, 0, the bounds and their midpoint, that the bounds allow. */
function numberSample(schema: Spec, integer: boolean, at: string): number {
  const { minimum: min, maximum: max, exclusiveMinimum: xmin, multipleOf: step } = schema;
  const low = min ?? (typeof xmin === 'number' ? xmin : undefined);
  const high =
    max ?? (typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined);
  const middle = low !== undefined && high !== undefined ? (low + high) / 2 : undefined;
  const candidates = [schema.default, 1, 0, min, max, middle, middle && Math.floor(middle)];
  // The first multiple of `multipleOf` past the lower bound.
  if (typeof step === 'number' && step > 0) {
    const first = Math.ceil((low ?? 0) / step) * step;
    candidates.push(first, first + step);
  }
  const found = candidates.find((n) => numberFits(schema, n, integer));
  if (found === undefined)
    throw new NoSampleError(`${at}: no sample number fits ${JSON.stringify(schema)}`);
  return found;
}

/** Whether `text` is within the schema's length bounds (code points) and matches its pattern. */
function stringFits(schema: Spec, text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const length = [...text].length;
  const pattern = typeof schema.pattern === 'string' && new RegExp(schema.pattern, 'u');
  return (
    length >= (schema.minLength ?? 0) &&
    length <= (schema.maxLength ?? Infinity) &&
    (!pattern || pattern.test(text))
  );
}

/** Its default, its format's, its pattern's, or the field's name, fitted to the length bounds. */
function stringSample(schema: Spec, at: string): string {
  const min: number = schema.minLength ?? 0;
  const max: number = schema.maxLength ?? Infinity;
  if (stringFits(schema, schema.default) && !schema.format) return schema.default;
  const format = FORMATS[schema.format]?.(at);
  if (format !== undefined && stringFits(schema, format)) return format;
  if (schema.pattern) return patternSample(schema.pattern, min, max, at);
  if (format !== undefined) return format;
  const word = /\.?([A-Za-z_]\w*)(?:\[\d+\])*$/.exec(at)?.[1] ?? 'text';
  return word.padEnd(min, 'x').slice(0, max);
}
