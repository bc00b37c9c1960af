/**
 * Turns a JSON Schema (2020-12, as OpenAPI 3.1 writes it, with 3.0's `nullable` and boolean
 * `exclusiveMinimum` read too) into the source of one check: an expression of calls to the
 * combinators of src/core/check.ts. scripts/gen/validators.ts writes one per schema.
 *
 * - Unknown keywords (vendor extensions, other drafts' words, typos) are annotations, passed over
 *   as JSON Schema and ajv (`strict: false`) do. An unknown `format` is an annotation too; each is
 *   named once in `warnings`.
 * - What cannot be compiled (`$dynamicRef`, a `$ref` to another document or to an anchor, a
 *   keyword whose value is not what the standard says) is a problem; `problems` lists every place,
 *   and compileValidators refuses the spec with all of them in one message.
 * - A `$ref` to a component schema calls its validator; any other local JSON pointer
 *   (`#/components/schemas/A/$defs/b`) gets a check of its own, hoisted and built on first use,
 *   so references may be recursive.
 * - `unevaluatedProperties` / `unevaluatedItems` need what the schema's other keywords evaluated
 *   for each value (annotations): `seen` compiles that into a `Seen` expression.
 */
import type { Spec } from '../lib/spec.js';

type Schema = Record<string, unknown>;

/** Keywords that apply to values of one JSON type only, by that type. */
const GROUPS = {
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  array: ['items', 'prefixItems', 'minItems', 'maxItems'],
  object: ['properties', 'required', 'additionalProperties'],
} as const;
type Group = keyof typeof GROUPS;

/** Keywords of one type that have a block of their own, which lets values of other types be. */
const EXTRAS: Record<Group, string[]> = {
  string: [],
  number: ['multipleOf'],
  array: ['uniqueItems', 'contains', 'unevaluatedItems'],
  object: [
    'propertyNames',
    'patternProperties',
    'minProperties',
    'maxProperties',
    'dependentRequired',
    'dependentSchemas',
    'unevaluatedProperties',
  ],
};

/** Every keyword that asserts something: a schema with none of them accepts anything. */
const ASSERTIONS = new Set<string>([
  ...['$ref', 'type', 'nullable', 'format', 'enum', 'const', 'minContains', 'maxContains'],
  ...['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else'],
  ...Object.values(GROUPS).flat(),
  ...Object.values(EXTRAS).flat(),
]);

/** Standard keywords the compiler cannot honour: refusing beats validating something else. */
const UNSUPPORTED: Record<string, string> = {
  $dynamicRef: '$dynamicRef is not supported (local $ref is)',
};

/**
 * The formats we check, by the export of src/core/formats.ts that does (its type: the values it
 * applies to), and those ajv-formats accepts anything for (null). Any other format is an
 * annotation, with a warning.
 */
const FORMATS: Record<string, { id: string; type: 'string' | 'number' } | null> = {
  uuid: { id: 'UUID', type: 'string' },
  'date-time': { id: 'DATE_TIME', type: 'string' },
  date: { id: 'DATE', type: 'string' },
  time: { id: 'TIME', type: 'string' },
  duration: { id: 'DURATION', type: 'string' },
  email: { id: 'EMAIL', type: 'string' },
  uri: { id: 'URI', type: 'string' },
  ipv4: { id: 'IPV4', type: 'string' },
  ipv6: { id: 'IPV6', type: 'string' },
  'iso-time': { id: 'ISO_TIME', type: 'string' },
  'iso-date-time': { id: 'ISO_DATE_TIME', type: 'string' },
  hostname: { id: 'HOSTNAME', type: 'string' },
  'uri-reference': { id: 'URI_REFERENCE', type: 'string' },
  'uri-template': { id: 'URI_TEMPLATE', type: 'string' },
  url: { id: 'URL', type: 'string' },
  'json-pointer': { id: 'JSON_POINTER', type: 'string' },
  'json-pointer-uri-fragment': { id: 'JSON_POINTER_URI_FRAGMENT', type: 'string' },
  'relative-json-pointer': { id: 'RELATIVE_JSON_POINTER', type: 'string' },
  regex: { id: 'REGEX', type: 'string' },
  byte: { id: 'BYTE', type: 'string' },
  int32: { id: 'INT32', type: 'number' },
  int64: { id: 'INT64', type: 'number' },
  binary: null,
  password: null,
  float: null,
  double: null,
};

const formatOf = (schema: Schema) =>
  typeof schema.format === 'string' && Object.hasOwn(FORMATS, schema.format)
    ? FORMATS[schema.format]
    : undefined;

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);

export const lit = (value: unknown): string => JSON.stringify(value);
export const isSchemaObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown) => value === null || typeof value !== 'object';

/** A schema that asserts nothing: `{}`, or only annotations and unknown keywords. */
export const isEmpty = (schema: unknown): boolean =>
  schema === true ||
  (isSchemaObject(schema) && !Object.keys(schema).some((k) => ASSERTIONS.has(k)));

/** The JSON type of a value, as `type` names it (integers are also numbers). */
function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number')
    return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/** A JSON pointer's token: `a~1b` -> `a/b`. */
export const escapeToken = (token: string): string =>
  token.replace(/~/g, '~0').replace(/\//g, '~1');

/** A token of a JSON pointer in a URI fragment: `a~1b%20c` -> `a/b c`; undefined if malformed. */
function pointerToken(token: string): string | undefined {
  try {
    return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
  } catch {
    return undefined;
  }
}

/** `#/components/schemas/A~1B` -> `A/B`, or undefined for any other $ref. */
function componentName(pointer: string): string | undefined {
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(pointer);
  return match ? pointerToken(match[1]) : undefined;
}

/** An object literal key; `__proto__` computed, or it would set the prototype. */
const fieldKey = (key: string) => (key === '__proto__' ? `[${lit(key)}]` : lit(key));

/** Members of an object or an array that a Seen is about. */
type Kind = 'properties' | 'items';
/** What `seen` returns when a schema evaluates every member. */
const ALL = 'seenAll';

/** A check (or Seen) hoisted to the module's top level, built on first use. */
interface Hoisted {
  name: string;
  type: 'Check' | 'Seen';
  body: string;
}

/**
 * Compiles schemas into check expressions, one keyword family per method. It records the
 * check.ts exports it uses (`used`), every place it cannot handle (`problems`) instead of
 * stopping, and the unknown formats it passed over (`unknownFormats`).
 */
export class SchemaCompiler {
  readonly used = new Set<string>();
  readonly problems = new Set<string>();
  /** Unknown format -> the places that use it. */
  readonly unknownFormats = new Map<string, Set<string>>();
  private readonly hoisted = new Map<string, Hoisted>();

  /** `validatorOf(name)`: the validator of a component schema. */
  constructor(
    private readonly spec: Spec,
    private readonly validatorOf: (component: string) => string,
  ) {}

  use(helper: string): string {
    this.used.add(helper);
    return helper;
  }

  problem(at: string, text: string): void {
    this.problems.add(`${at}: ${text}`);
  }

  /** Whether the hoisted declarations name the `Seen` type (which the module must then import). */
  get declaresSeen(): boolean {
    return [...this.hoisted.values()].some(({ type }) => type === 'Seen');
  }

  /** The hoisted checks and Seens, as declarations, in the order they were first needed. */
  hoistedSource(): string[] {
    return [...this.hoisted.values()].map(
      ({ name, type, body }) =>
        `const ${name}: ${type} = /* @__PURE__ */ ${this.use('lazy')}(() => ${body});`,
    );
  }

  /** `files`: the file fields of a multipart body, which this schema is the root of. */
  compile(schema: unknown, at: string, files: readonly string[] = []): string {
    if (schema === true) return this.use('any');
    if (schema === false) return this.use('never');
    if (!isSchemaObject(schema)) {
      this.problem(at, `a schema must be an object or a boolean, not ${lit(schema)}`);
      return this.use('any');
    }
    for (const keyword of Object.keys(schema).filter((k) => Object.hasOwn(UNSUPPORTED, k))) {
      this.problem(`${at}/${keyword}`, UNSUPPORTED[keyword]);
    }
    this.noteFormat(schema.format, at);
    const parts = [
      ...this.ref(schema, at),
      ...this.typeParts(schema, at, files),
      ...this.valueParts(schema, at),
      ...this.applicatorParts(schema, at),
      ...this.extraParts(schema, at),
    ];
    const check = this.all(parts);
    // OpenAPI 3.0's `nullable` beside no `type` (`{ nullable: true, allOf: [...] }`): null too,
    // as openapi-typescript types it.
    const looseNull = schema.nullable === true && schema.type === undefined;
    return looseNull ? `${this.use('nullable')}(${check})` : check;
  }

  /** One check of all `parts`. */
  private all(parts: string[]): string {
    if (parts.length === 0) return this.use('any');
    return parts.length === 1 ? parts[0] : `${this.use('allOf')}([${parts.join(', ')}])`;
  }

  private noteFormat(format: unknown, at: string): void {
    if (format === undefined) return;
    if (typeof format !== 'string') {
      this.problem(`${at}/format`, `format must be a string, not ${lit(format)}`);
    } else if (!Object.hasOwn(FORMATS, format)) {
      const places = this.unknownFormats.get(format) ?? new Set();
      this.unknownFormats.set(format, places.add(`${at}/format`));
    }
  }

  /** The schema a `$ref` points to, by its pointer in the spec; undefined (reported) if none. */
  private target(ref: unknown, at: string): { pointer: string; schema: unknown } | undefined {
    if (typeof ref !== 'string' || !ref.startsWith('#')) {
      this.problem(at, `unsupported $ref ${lit(ref)}: only local JSON pointers (#/...) are`);
      return undefined;
    }
    if (!ref.startsWith('#/')) {
      const why = ref === '#' ? 'the document is no schema' : 'JSON pointers are, anchors not';
      this.problem(at, `unsupported $ref ${lit(ref)}: ${why}`);
      return undefined;
    }
    let value: unknown = this.spec;
    for (const key of ref.slice(2).split('/').map(pointerToken)) {
      if (
        typeof value !== 'object' ||
        value === null ||
        key === undefined ||
        !Object.hasOwn(value, key)
      ) {
        this.problem(at, `$ref ${lit(ref)} does not point to anything in the spec`);
        return undefined;
      }
      value = (value as Schema)[key];
    }
    return { pointer: ref, schema: value };
  }

  /** A reference: a component's validator, or a hoisted check. Works in any order, recursion too. */
  private ref(schema: Schema, at: string): string[] {
    if (schema.$ref === undefined) return [];
    const target = this.target(schema.$ref, `${at}/$ref`);
    if (!target) return [];
    const component = componentName(target.pointer);
    if (component !== undefined) return [this.validatorOf(component)];
    return [
      this.hoist(`check ${target.pointer}`, 'Check', () =>
        this.compile(target.schema, target.pointer),
      ),
    ];
  }

  private hoist(key: string, type: Hoisted['type'], body: () => string): string {
    const known = this.hoisted.get(key);
    if (known) return known.name;
    const entry: Hoisted = {
      name: `${type === 'Check' ? 'ref' : 'refSeen'}${this.hoisted.size}`,
      type,
      body: '',
    };
    // Registered before its body compiles, so that a recursive reference finds it.
    this.hoisted.set(key, entry);
    entry.body = body();
    return entry.name;
  }

  /** The `type` assertion with its type's keywords; without `type`, each family for its type. */
  private typeParts(schema: Schema, at: string, files: readonly string[]): string[] {
    const declared = schema.type === undefined ? [] : [schema.type].flat();
    const bad = declared.filter((t) => typeof t !== 'string' || !TYPES.has(t));
    if (bad.length) {
      this.problem(`${at}/type`, `unsupported type ${bad.map((t) => lit(t)).join(', ')}`);
    }
    const types = declared.filter((t): t is string => typeof t === 'string' && TYPES.has(t));
    if (types.length === 0) {
      return (Object.keys(GROUPS) as Group[])
        .filter((group) => this.hasGroup(schema, group))
        .map((group) =>
          group === 'string'
            ? this.typelessString(schema, at)
            : `${this.use('when')}(${lit(group)}, ${this.typed(group, schema, at, files)})`,
        );
    }
    if (this.impliedByValues(schema, types)) return [];
    const nullable = schema.nullable === true || types.includes('null');
    const others = types.filter((t) => t !== 'null');
    if (others.length === 0) return [this.use('isNull')];
    const checks = others.map((t) => this.typed(t, schema, at, files));
    const check = checks.length === 1 ? checks[0] : `${this.use('anyOf')}([${checks.join(', ')}])`;
    return [nullable ? `${this.use('nullable')}(${check})` : check];
  }

  /** Whether the schema has a keyword of `group`'s type (a format of numbers counts for numbers). */
  private hasGroup(schema: Schema, group: Group): boolean {
    const format = formatOf(schema);
    const formatType = format?.type === group;
    return formatType || GROUPS[group].some((keyword) => schema[keyword] !== undefined);
  }

  /**
   * An `enum` or `const` whose every value has a declared type already says which type is
   * allowed, when no other keyword of that type applies: one clear message instead of two.
   */
  private impliedByValues(schema: Schema, types: string[]): boolean {
    const values = Array.isArray(schema.enum)
      ? schema.enum
      : 'const' in schema
        ? [schema.const]
        : [];
    if (values.length === 0 || schema.format !== undefined) return false;
    const groupOf = (t: string) => (t === 'integer' ? 'number' : t);
    const withKeywords = types
      .map(groupOf)
      .some(
        (g) =>
          Object.hasOwn(GROUPS, g) &&
          (this.hasGroup(schema, g as Group) ||
            EXTRAS[g as Group].some((keyword) => schema[keyword] !== undefined)),
      );
    const allowed = (v: unknown) =>
      jsonTypes(v).some((t) => types.includes(t)) || (schema.nullable === true && v === null);
    return !withKeywords && values.every(allowed);
  }

  /** A check of one type with that type's keywords. */
  private typed(type: string, schema: Schema, at: string, files: readonly string[]): string {
    switch (type) {
      case 'string':
        return this.stringCheck(schema, at);
      case 'integer':
      case 'number':
        return this.numberCheck(type, schema, at);
      case 'boolean':
        return this.use('boolean');
      case 'null':
        return this.use('isNull');
      case 'array':
        return this.arrayCheck(schema, at);
      default:
        return this.objectCheck(schema, at, files);
    }
  }

  /** A keyword's value that must be a number, or undefined when absent (or wrong: reported). */
  private num(schema: Schema, keyword: string, at: string, min = -Infinity): number | undefined {
    const value = schema[keyword];
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
    const what = min === -Infinity ? 'a number' : `a number >= ${min}`;
    this.problem(`${at}/${keyword}`, `${keyword} must be ${what}, not ${lit(value)}`);
    return undefined;
  }

  private format(schema: Schema, type: 'string' | 'number'): string | undefined {
    const format = formatOf(schema);
    return format?.type === type ? this.use(format.id) : undefined;
  }

  private stringCheck(schema: Schema, at: string): string {
    const format = this.format(schema, 'string');
    const base = `${this.use('string')}(${format ?? ''})`;
    const bounds = this.stringBounds(schema, at);
    return bounds ? `${this.use('allOf')}([${base}, ${bounds}])` : base;
  }

  /** Without `type`: `format` and the bounds judge strings, and let other values be. */
  private typelessString(schema: Schema, at: string): string {
    const format = this.format(schema, 'string');
    const parts = [format && `${this.use('format')}(${format})`, this.stringBounds(schema, at)];
    return this.all(parts.filter((part): part is string => part !== undefined));
  }

  /** `minLength`, `maxLength`, `pattern`, if any. */
  private stringBounds(schema: Schema, at: string): string | undefined {
    const minLength = this.num(schema, 'minLength', at, 0);
    const maxLength = this.num(schema, 'maxLength', at, 0);
    const pattern = this.pattern(schema.pattern, `${at}/pattern`);
    if (minLength === undefined && maxLength === undefined && pattern === undefined) return;
    const args = [lit(minLength ?? 0), maxLength === undefined ? 'Infinity' : lit(maxLength)];
    if (pattern !== undefined) args.push(pattern);
    return `${this.use('stringBounds')}(${args.join(', ')})`;
  }

  /** A regex literal with ajv's flags (`u`: ECMA-262 as JSON Schema says), checked here. */
  private pattern(pattern: unknown, at: string): string | undefined {
    if (pattern === undefined) return undefined;
    try {
      if (typeof pattern !== 'string') throw new Error('it is not a string');
      return `/${new RegExp(pattern, 'u').source}/u`;
    } catch (error) {
      this.problem(at, `pattern ${lit(pattern)} is not a valid regex: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** `minimum`, `maximum`, their exclusive kin (3.0's booleans too), a format of numbers. */
  private numberCheck(type: 'integer' | 'number', schema: Schema, at: string): string {
    // OpenAPI 3.0: `exclusiveMinimum: true` makes `minimum` exclusive.
    const exclusive = (key: 'Minimum' | 'Maximum') => {
      const flag = schema[`exclusive${key}`];
      const bound = this.num(schema, key.toLowerCase(), at);
      if (typeof flag === 'boolean') return flag ? [undefined, bound] : [bound, undefined];
      return [bound, this.num(schema, `exclusive${key}`, at)];
    };
    const [min, xmin] = exclusive('Minimum');
    const [max, xmax] = exclusive('Maximum');
    const bounds = [min, max];
    while (bounds.length && bounds[bounds.length - 1] === undefined) bounds.pop();
    const parts = [
      `${this.use(type)}(${bounds.map((b) => (b === undefined ? 'undefined' : lit(b))).join(', ')})`,
    ];
    if (xmin !== undefined || xmax !== undefined) {
      parts.push(`${this.use('exclusiveBounds')}(${lit(xmin ?? null)}, ${lit(xmax ?? null)})`);
    }
    const format = this.format(schema, 'number');
    if (format) parts.push(`${this.use('format')}(${format})`);
    return this.all(parts);
  }

  /** `items` and `prefixItems`, `minItems`, `maxItems` (the others: `extraParts`). */
  private arrayCheck(schema: Schema, at: string): string {
    const bounds = [
      this.num(schema, 'minItems', at, 0) ?? 0,
      this.num(schema, 'maxItems', at, 0) ?? null,
    ];
    if (bounds[1] === null) bounds.pop();
    if (bounds.length === 1 && bounds[0] === 0) bounds.pop();
    const items =
      schema.items === undefined ? undefined : this.compile(schema.items, `${at}/items`);
    const list = (item: string) => `${this.use('array')}(${[item, ...bounds.map(lit)].join(', ')})`;
    if (schema.prefixItems === undefined) return list(items ?? this.use('any'));
    if (!Array.isArray(schema.prefixItems)) {
      this.problem(`${at}/prefixItems`, 'prefixItems must be an array');
      return list(this.use('any'));
    }
    const prefix = schema.prefixItems.map((s, i) => this.compile(s, `${at}/prefixItems/${i}`));
    const tuple = `${this.use('prefixItems')}([${prefix.join(', ')}]${items ? `, ${items}` : ''})`;
    return `${this.use('allOf')}([${list(this.use('any'))}, ${tuple}])`;
  }

  /** `properties`, `required`, `additionalProperties` (the other object keywords: `extraParts`). */
  private objectCheck(schema: Schema, at: string, files: readonly string[]): string {
    const props = this.objectOf(schema, 'properties', at);
    const required = this.strings(schema, 'required', at);
    const patterned = schema.patternProperties !== undefined;
    const additional = patterned ? undefined : this.additional(schema, at);
    const fields = Object.entries(props).map(([key, sub]) => {
      const check = files.includes(key)
        ? this.fileCheck(sub)
        : this.compile(sub, `${at}/properties/${escapeToken(key)}`);
      return `${fieldKey(key)}: [${check}${required.includes(key) ? ', true' : ''}]`;
    });
    // A required key that `properties` does not declare is still an additional one.
    const undeclared = () =>
      additional === undefined
        ? this.use('any')
        : additional === 'false'
          ? this.use('never')
          : additional;
    for (const key of new Set(required)) {
      if (!Object.hasOwn(props, key)) fields.push(`${fieldKey(key)}: [${undeclared()}, true]`);
    }
    const args = [`{ ${fields.join(', ')} }`];
    if (additional !== undefined) args.push(additional);
    return `${this.use('object')}(${args.join(', ')})`;
  }

  /** A multipart file field: one file, or an array of them (several parts), with its bounds. */
  private fileCheck(field: unknown): string {
    if (!isSchemaObject(field) || field.type !== 'array') return this.use('upload');
    const bounds = [field.minItems ?? 0, field.maxItems].filter((b) => b !== undefined);
    const args = [this.use('upload'), ...(bounds.length === 1 && bounds[0] === 0 ? [] : bounds)];
    return `${this.use('array')}(${args.map(String).join(', ')})`;
  }

  /** `additionalProperties`: `false`, a check, or undefined when it allows anything. */
  private additional(schema: Schema, at: string): string | undefined {
    const extra = schema.additionalProperties;
    if (extra === undefined || isEmpty(extra)) return undefined;
    return extra === false ? 'false' : this.compile(extra, `${at}/additionalProperties`);
  }

  /** A keyword whose value must be an object (of schemas, or of lists): {} when absent or wrong. */
  private objectOf(schema: Schema, keyword: string, at: string): Schema {
    const value = schema[keyword];
    if (value === undefined) return {};
    if (isSchemaObject(value)) return value;
    this.problem(`${at}/${keyword}`, `${keyword} must be an object`);
    return {};
  }

  /** A keyword whose value must be a list of strings (`required`). */
  private strings(schema: Schema, keyword: string, at: string): string[] {
    const value = schema[keyword];
    if (value === undefined) return [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    this.problem(`${at}/${keyword}`, `${keyword} must be an array of strings`);
    return [];
  }

  /** A keyword whose value must be a list of schemas (`allOf`...): [] when absent or wrong. */
  private schemaList(schema: Schema, keyword: string, at: string): unknown[] {
    const value = schema[keyword];
    if (value === undefined) return [];
    if (Array.isArray(value) && value.length > 0) return value;
    this.problem(`${at}/${keyword}`, `${keyword} must be a non-empty array`);
    return [];
  }

  /** `enum` and `const`: primitives compared as they are, objects and arrays as JSON values. */
  private valueParts(schema: Schema, at: string): string[] {
    const parts: string[] = [];
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum)) this.problem(`${at}/enum`, 'enum must be an array');
      else {
        const block = schema.enum.every(isPrimitive) ? 'oneOfValues' : 'oneOfJson';
        parts.push(`${this.use(block)}(${lit(schema.enum)})`);
      }
    }
    if ('const' in schema) {
      const block = isPrimitive(schema.const) ? 'constant' : 'constantJson';
      parts.push(`${this.use(block)}(${lit(schema.const)})`);
    }
    return parts;
  }

  /** `anyOf`, `oneOf`, `allOf`, `not`, `if` / `then` / `else`. */
  private applicatorParts(schema: Schema, at: string): string[] {
    const parts: string[] = [];
    for (const kind of ['anyOf', 'oneOf'] as const) {
      const list = this.schemaList(schema, kind, at);
      if (list.length) parts.push(this.branches(kind, list, `${at}/${kind}`));
    }
    const all = this.schemaList(schema, 'allOf', at);
    parts.push(...all.map((s, i) => this.compile(s, `${at}/allOf/${i}`)));
    if (schema.not !== undefined) {
      parts.push(`${this.use('not')}(${this.compile(schema.not, `${at}/not`)})`);
    }
    // `if` alone asserts nothing (its annotations still count: `seen`).
    if (schema.if !== undefined && (schema.then !== undefined || schema.else !== undefined)) {
      const branch = (key: 'then' | 'else') =>
        schema[key] === undefined ? this.use('any') : this.compile(schema[key], `${at}/${key}`);
      const args = [this.compile(schema.if, `${at}/if`), branch('then')];
      if (schema.else !== undefined) args.push(branch('else'));
      parts.push(`${this.use('ifThen')}(${args.join(', ')})`);
    }
    return parts;
  }

  /** `anyOf: [X, { type: 'null' }]`, Pydantic's Optional, reads as nullable(X). */
  private branches(kind: 'anyOf' | 'oneOf', list: unknown[], at: string): string {
    const indexed = list.map((schema, i) => ({ schema, i }));
    // In a oneOf, null matching two branches fails: only anyOf may be read as nullable.
    const rest = indexed.filter(({ schema }) => kind !== 'anyOf' || !isPlainNull(schema));
    const compiled = rest.map(({ schema, i }) => this.compile(schema, `${at}/${i}`));
    if (compiled.length === 0) return this.use('isNull');
    const inner =
      compiled.length === 1 ? compiled[0] : `${this.use(kind)}([${compiled.join(', ')}])`;
    return rest.length < list.length ? `${this.use('nullable')}(${inner})` : inner;
  }

  /** The keywords with a block of their own, which let values of other types be. */
  private extraParts(schema: Schema, at: string): string[] {
    const parts: string[] = [];
    const multiple = this.num(schema, 'multipleOf', at, Number.MIN_VALUE);
    if (multiple !== undefined) parts.push(`${this.use('multipleOf')}(${lit(multiple)})`);
    if (schema.uniqueItems !== undefined && typeof schema.uniqueItems !== 'boolean') {
      this.problem(`${at}/uniqueItems`, 'uniqueItems must be a boolean');
    } else if (schema.uniqueItems) parts.push(this.use('uniqueItems'));
    if (schema.contains !== undefined) parts.push(this.contains(schema, at));
    parts.push(...this.objectExtras(schema, at), ...this.unevaluated(schema, at));
    return parts;
  }

  /** `contains`, `minContains` (1 by default), `maxContains`. */
  private contains(schema: Schema, at: string): string {
    const check = this.compile(schema.contains, `${at}/contains`);
    const min = this.num(schema, 'minContains', at, 0);
    const max = this.num(schema, 'maxContains', at, 0);
    const args = [check];
    if (min !== undefined || max !== undefined) args.push(lit(min ?? 1));
    if (max !== undefined) args.push(lit(max));
    return `${this.use('contains')}(${args.join(', ')})`;
  }

  /** `patternProperties` (and `additionalProperties` beside it), `propertyNames`, counts, `dependent*`. */
  private objectExtras(schema: Schema, at: string): string[] {
    const parts: string[] = [];
    if (schema.patternProperties !== undefined) parts.push(...this.patternProperties(schema, at));
    if (schema.propertyNames !== undefined) {
      const names = this.compile(schema.propertyNames, `${at}/propertyNames`);
      parts.push(`${this.use('propertyNames')}(${names})`);
    }
    const min = this.num(schema, 'minProperties', at, 0);
    const max = this.num(schema, 'maxProperties', at, 0);
    if (min !== undefined || max !== undefined) {
      const args = [lit(min ?? 0), ...(max === undefined ? [] : [lit(max)])];
      parts.push(`${this.use('propertyCount')}(${args.join(', ')})`);
    }
    const required = this.objectOf(schema, 'dependentRequired', at);
    const lists = Object.entries(required).map(([key, list]) => {
      const names = this.strings({ [key]: list }, key, `${at}/dependentRequired`);
      return `${fieldKey(key)}: ${lit(names)}`;
    });
    if (lists.length) parts.push(`${this.use('dependentRequired')}({ ${lists.join(', ')} })`);
    const dependent = Object.entries(this.objectOf(schema, 'dependentSchemas', at)).map(
      ([key, sub]) =>
        `${fieldKey(key)}: ${this.compile(sub, `${at}/dependentSchemas/${escapeToken(key)}`)}`,
    );
    if (dependent.length)
      parts.push(`${this.use('dependentSchemas')}({ ${dependent.join(', ')} })`);
    return parts;
  }

  /** Each pattern's regex literal (undefined when invalid: reported) and its check. */
  private patterns(schema: Schema, at: string): { regex?: string; check: string }[] {
    return Object.entries(this.objectOf(schema, 'patternProperties', at)).map(([source, sub]) => {
      const where = `${at}/patternProperties/${escapeToken(source)}`;
      return { regex: this.pattern(source, where), check: this.compile(sub, where) };
    });
  }

  private patternProperties(schema: Schema, at: string): string[] {
    const patterns = this.patterns(schema, at).filter((p) => p.regex !== undefined);
    const pairs = patterns.map(({ regex, check }) => `[${regex}, ${check}]`);
    const parts = pairs.length ? [`${this.use('patternProperties')}([${pairs.join(', ')}])`] : [];
    const additional = this.additional(schema, at);
    if (additional !== undefined) {
      const names = Object.keys(this.objectOf(schema, 'properties', at));
      const seen = `${this.use('seenKeys')}(${lit(names)}, [${patterns.map((p) => p.regex).join(', ')}])`;
      parts.push(`${this.use('otherProperties')}(${seen}, ${additional}, 'additionalProperties')`);
    }
    return parts;
  }

  /** `unevaluatedProperties` and `unevaluatedItems`: what the other keywords did not evaluate. */
  private unevaluated(schema: Schema, at: string): string[] {
    const parts: string[] = [];
    const kinds = [
      ['unevaluatedProperties', 'properties', 'otherProperties'],
      ['unevaluatedItems', 'items', 'unevaluatedItems'],
    ] as const;
    for (const [keyword, kind, block] of kinds) {
      const value = schema[keyword];
      if (value === undefined || isEmpty(value)) continue;
      const seen = this.seen(schema, kind, at, false);
      if (seen === ALL) continue;
      const check = value === false ? 'false' : this.compile(value, `${at}/${keyword}`);
      parts.push(`${this.use(block)}(${this.emitSeen(seen)}, ${check})`);
    }
    return parts;
  }

  /**
   * What a schema's keywords evaluate of a value (`kind`: its properties or its items), as a
   * Seen expression; `ALL` when every member, undefined when none. In-place subschemas count:
   * `allOf` always, `anyOf` / `oneOf` branches and `if` when they pass, `dependentSchemas` when
   * their key is present, `$ref` targets; `not` never. `self`: count the schema's own
   * `unevaluated*` (a nested one evaluates every member).
   */
  private seen(schema: unknown, kind: Kind, at: string, self = true): string | undefined {
    if (!isSchemaObject(schema)) return undefined;
    const own =
      kind === 'properties'
        ? this.seenProperties(schema, at, self)
        : this.seenItems(schema, at, self);
    if (own === ALL) return ALL;
    const parts = own === undefined ? [] : [own];
    if (schema.$ref !== undefined) {
      const target = this.target(schema.$ref, `${at}/$ref`);
      if (target) {
        parts.push(
          this.hoist(
            `${kind} ${target.pointer}`,
            'Seen',
            () => this.seen(target.schema, kind, target.pointer) ?? `${this.use('seenKeys')}([])`,
          ),
        );
      }
    }
    for (const [i, sub] of this.schemaList(schema, 'allOf', at).entries()) {
      const seen = this.seen(sub, kind, `${at}/allOf/${i}`);
      if (seen === ALL) return ALL;
      if (seen !== undefined) parts.push(seen);
    }
    parts.push(...this.seenConditional(schema, kind, at));
    if (parts.length <= 1) return parts[0];
    return `${this.use('seenAny')}([${parts.join(', ')}])`;
  }

  /** The members the branches that pass evaluate: `anyOf`, `oneOf`, `if`, `dependentSchemas`. */
  private seenConditional(schema: Schema, kind: Kind, at: string): string[] {
    const parts: string[] = [];
    const when = (condition: string, then: string | undefined, otherwise?: string) =>
      `${this.use('seenIf')}(${condition}, ${this.emitSeen(then)}${otherwise ? `, ${this.emitSeen(otherwise)}` : ''})`;
    for (const key of ['anyOf', 'oneOf']) {
      for (const [i, sub] of this.schemaList(schema, key, at).entries()) {
        const seen = this.seen(sub, kind, `${at}/${key}/${i}`);
        if (seen !== undefined) parts.push(when(this.compile(sub, `${at}/${key}/${i}`), seen));
      }
    }
    if (schema.if !== undefined) {
      const [ifSeen, thenSeen, elseSeen] = (['if', 'then', 'else'] as const).map((key) =>
        this.seen(schema[key], kind, `${at}/${key}`),
      );
      const passed = [ifSeen, thenSeen].filter((s): s is string => s !== undefined);
      if (passed.length || elseSeen !== undefined) {
        const then =
          passed.length <= 1
            ? passed[0]
            : `${this.use('seenAny')}([${passed.map((s) => this.emitSeen(s)).join(', ')}])`;
        parts.push(when(this.compile(schema.if, `${at}/if`), then, elseSeen));
      }
    }
    if (kind === 'properties') {
      for (const [key, sub] of Object.entries(this.objectOf(schema, 'dependentSchemas', at))) {
        const seen = this.seen(sub, kind, `${at}/dependentSchemas/${escapeToken(key)}`);
        const present = `${this.use('object')}({ ${fieldKey(key)}: [${this.use('any')}, true] })`;
        if (seen !== undefined) parts.push(when(present, seen));
      }
    }
    return parts;
  }

  /** A Seen expression as written: `ALL` imported, none as a Seen of no member. */
  private emitSeen(seen: string | undefined): string {
    return seen === undefined ? `${this.use('seenKeys')}([])` : seen === ALL ? this.use(ALL) : seen;
  }

  /** `properties` and `patternProperties` evaluate the keys they name; `additionalProperties` all. */
  private seenProperties(schema: Schema, at: string, self: boolean): string | undefined {
    if (schema.additionalProperties !== undefined) return ALL;
    if (self && schema.unevaluatedProperties !== undefined) return ALL;
    const names = Object.keys(this.objectOf(schema, 'properties', at));
    const patterns = this.patterns(schema, at).flatMap((p) => (p.regex ? [p.regex] : []));
    if (names.length === 0 && patterns.length === 0) return undefined;
    const args = [lit(names), ...(patterns.length ? [`[${patterns.join(', ')}]`] : [])];
    return `${this.use('seenKeys')}(${args.join(', ')})`;
  }

  /** `prefixItems` evaluates its first items, `contains` those that match, `items` all. */
  private seenItems(schema: Schema, at: string, self: boolean): string | undefined {
    if (schema.items !== undefined) return ALL;
    if (self && schema.unevaluatedItems !== undefined) return ALL;
    const parts: string[] = [];
    if (Array.isArray(schema.prefixItems)) {
      parts.push(`${this.use('seenFirst')}(${schema.prefixItems.length})`);
    }
    if (schema.contains !== undefined) {
      const check = this.compile(schema.contains, `${at}/contains`);
      parts.push(`${this.use('seenMatching')}(${check})`);
    }
    if (parts.length <= 1) return parts[0];
    return `${this.use('seenAny')}([${parts.join(', ')}])`;
  }
}

function isPlainNull(schema: unknown): boolean {
  if (!isSchemaObject(schema) || schema.type !== 'null') return false;
  return Object.keys(schema).every((k) => k === 'type' || !ASSERTIONS.has(k));
}
