/**
 * Compiles the JSON Schemas of an OpenAPI 3.1 document into the source of
 * src/generated/validators.ts: a declarative table of calls to the small combinators of
 * src/core/check.ts, whose verdicts are ajv's (draft 2020-12 with ajv-formats; `format: time` as
 * its `iso-time`, offset optional), plus the prose rules of src/spec/rules.ts.
 *
 * Why our own compiler rather than ajv's standalone code (which also needs no `eval` at run time):
 * size. The one-call dispatch app must stay near 3,700 B gzip, and the client-style app ships the
 * validators of every operation. A validator of ours is a line of calls to shared combinators;
 * ajv's standalone output is unrolled code per schema, with its schema objects and error texts.
 * Measured once (ajv 8.20 standalone with allErrors and ajv-formats, bundled with esbuild
 * minified for the browser, gzip -9):
 * - `SimulationRunDispatch` alone: ajv 1,523 B gzip (8,132 B raw), ours 1,236 B (2,367 B raw,
 *   prose rule included), so one schema costs about the same;
 * - every schema of the real 1.21.0 spec: ajv 514,649 B gzip for its 704 component schemas,
 *   ours 46,750 B for all 1,192 validators (components, inline bodies, answers, parameters).
 * Each schema an app reaches adds unrolled code with ajv, a line with ours.
 * The oracle test (test/validation.oracle.test.ts) holds our verdicts to ajv's on the real spec.
 *
 * Generation never stops at the first problem: every schema place it cannot handle (an unknown
 * keyword or format, an unsupported `$ref` or type, a clash of names) is collected and reported in
 * one error, one per line with its JSON pointer. Nothing unknown passes silently.
 */
import type { ProseRule } from '../../src/core/check.js';
import * as proseRules from '../../src/spec/rules.js';
import { fileFields } from './model.js';
import type { Spec } from '../lib/spec.js';

type Schema = Record<string, unknown>;

/** Keywords that only document a schema (2020-12 annotations, OpenAPI's additions). */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  'externalDocs',
  'xml',
  // OpenAPI's hint for code generators: oneOf / anyOf are still checked as written.
  'discriminator',
  'contentMediaType',
  'contentEncoding',
  // 2020-12's content vocabulary is annotations only: a JSON string stays a string to validate.
  'contentSchema',
]);
const isAnnotation = (key: string) => ANNOTATIONS.has(key) || key.startsWith('x-');

/** Keywords that apply to values of one JSON type only, by that type. */
const GROUPS = {
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  array: ['items', 'prefixItems', 'minItems', 'maxItems'],
  object: ['properties', 'required', 'additionalProperties', 'propertyNames'],
} as const;
type Group = keyof typeof GROUPS;

const KEYWORDS = new Set<string>([
  ...['$ref', 'type', 'nullable', 'format', 'enum', 'const'],
  ...['anyOf', 'oneOf', 'allOf', 'not'],
  ...Object.values(GROUPS).flat(),
]);

/**
 * The formats we check, by the export of src/core/check.ts that does (its type: the values it
 * applies to), and those ajv-formats accepts anything for (null). Any other format fails generation.
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

export interface CompiledValidators {
  /** Source of `src/generated/validators.ts`, without the header. */
  source: string;
  /** Exported validator name for each component schema and each inline schema. */
  names: Map<string, string>;
}

export function validatorName(schemaName: string): string {
  return `validate${schemaName.replace(/[^A-Za-z0-9_$]/g, '_')}`;
}

/** A schema written inline in an operation rather than under components, with a name we give it. */
export interface InlineSchema {
  schema: Schema;
  /** Where it is, for the validator's doc comment, e.g. "Request body of `updateAgent`". */
  doc: string;
  /** Its JSON pointer in the spec, for error messages; else `doc` names it. */
  pointer?: string;
  /** A multipart/form-data body: its file fields take Blobs, buffers and streams. */
  multipart?: boolean;
  /** The component schema it was written as, whose prose rule (src/spec/rules.ts) it keeps. */
  component?: string;
}

const lit = (value: unknown) => JSON.stringify(value);
const isSchemaObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown) => value === null || typeof value !== 'object';

/** The JSON type of a value, as `type` names it (integers are also numbers). */
function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number')
    return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/** `#/components/schemas/A~1B` -> `A/B`, or undefined for any other $ref. */
function componentName(pointer: string): string | undefined {
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(pointer);
  return match?.[1] && decodeURIComponent(match[1]).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** One validator to write: a component schema or an inline one. */
interface Entry {
  name: string;
  schema: unknown;
  at: string;
  doc: string;
  multipart?: boolean;
  inline?: boolean;
  rule?: string;
}

/**
 * Turns schemas into check expressions, one keyword family per method. It records the check.ts
 * exports it uses (`used`) and every place it cannot handle (`problems`) instead of stopping.
 */
class SchemaCompiler {
  readonly used = new Set<string>();
  readonly problems: string[] = [];

  constructor(private readonly schemas: Record<string, unknown>) {}

  use(helper: string): string {
    this.used.add(helper);
    return helper;
  }

  problem(at: string, text: string): void {
    this.problems.push(`${at}: ${text}`);
  }

  /** `files`: the file fields of a multipart body, which this schema is the root of. */
  compile(schema: unknown, at: string, files: readonly string[] = []): string {
    if (schema === true) return this.use('any');
    if (schema === false) return this.use('never');
    if (!isSchemaObject(schema)) {
      this.problem(at, `a schema must be an object or a boolean, not ${lit(schema)}`);
      return this.use('any');
    }
    const unknown = Object.keys(schema).filter((k) => !isAnnotation(k) && !KEYWORDS.has(k));
    if (unknown.length) {
      this.problem(at, `the validator compiler does not support ${unknown.join(', ')}`);
    }
    this.checkFormat(schema.format, at);
    const parts = [
      ...this.ref(schema, at),
      ...this.typeParts(schema, at, files),
      ...this.valueParts(schema, at),
      ...this.applicatorParts(schema, at),
    ];
    if (parts.length === 0) return this.use('any');
    return parts.length === 1 ? parts[0] : `${this.use('allOf')}([${parts.join(', ')}])`;
  }

  private checkFormat(format: unknown, at: string): void {
    if (format !== undefined && !(typeof format === 'string' && Object.hasOwn(FORMATS, format))) {
      this.problem(`${at}/format`, `unknown format ${lit(format)}`);
    }
  }

  /** A plain reference works in any order, even recursive: validators are built on first use. */
  private ref(schema: Schema, at: string): string[] {
    if (schema.$ref === undefined) return [];
    const name = typeof schema.$ref === 'string' ? componentName(schema.$ref) : undefined;
    if (name === undefined || !Object.hasOwn(this.schemas, name)) {
      this.problem(
        `${at}/$ref`,
        `unsupported $ref ${lit(schema.$ref)} (#/components/schemas/<name> is)`,
      );
      return [];
    }
    return [validatorName(name)];
  }

  /** The `type` assertion with its type's keywords; without `type`, each family for its type. */
  private typeParts(schema: Schema, at: string, files: readonly string[]): string[] {
    const declared = schema.type === undefined ? [] : [schema.type].flat();
    const bad = declared.filter((t) => typeof t !== 'string' || !TYPES.has(t));
    if (bad.length)
      this.problem(`${at}/type`, `unsupported type ${bad.map((t) => lit(t)).join(', ')}`);
    const types = declared.filter((t): t is string => typeof t === 'string' && TYPES.has(t));
    if (schema.nullable === true && types.length === 0) {
      this.problem(`${at}/nullable`, 'nullable needs a type');
    }
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
      .some((g) => Object.hasOwn(GROUPS, g) && this.hasGroup(schema, g as Group));
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
  private num(schema: Schema, keyword: string, at: string): number | undefined {
    const value = schema[keyword];
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.problem(`${at}/${keyword}`, `${keyword} must be a number, not ${lit(value)}`);
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
    const checks = parts.filter((part): part is string => part !== undefined);
    return checks.length === 1 ? checks[0] : `${this.use('allOf')}([${checks.join(', ')}])`;
  }

  /** `minLength`, `maxLength`, `pattern`, if any. */
  private stringBounds(schema: Schema, at: string): string | undefined {
    const minLength = this.num(schema, 'minLength', at);
    const maxLength = this.num(schema, 'maxLength', at);
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

  private numberCheck(type: 'integer' | 'number', schema: Schema, at: string): string {
    const bounds = [
      this.num(schema, 'minimum', at) ?? null,
      this.num(schema, 'maximum', at) ?? null,
    ];
    while (bounds.length && bounds[bounds.length - 1] === null) bounds.pop();
    const parts = [`${this.use(type)}(${bounds.map(lit).join(', ')})`];
    const xmin = this.num(schema, 'exclusiveMinimum', at) ?? null;
    const xmax = this.num(schema, 'exclusiveMaximum', at) ?? null;
    if (xmin !== null || xmax !== null) {
      parts.push(`${this.use('exclusiveBounds')}(${lit(xmin)}, ${lit(xmax)})`);
    }
    const format = this.format(schema, 'number');
    if (format) parts.push(`${this.use('format')}(${format})`);
    return parts.length === 1 ? parts[0] : `${this.use('allOf')}([${parts.join(', ')}])`;
  }

  private arrayCheck(schema: Schema, at: string): string {
    const bounds = [
      this.num(schema, 'minItems', at) ?? 0,
      this.num(schema, 'maxItems', at) ?? null,
    ];
    if (bounds[1] === null) bounds.pop();
    if (bounds.length === 1 && bounds[0] === 0) bounds.pop();
    const items =
      schema.items === undefined ? undefined : this.compile(schema.items, `${at}/items`);
    if (schema.prefixItems === undefined) {
      return `${this.use('array')}(${[items ?? this.use('any'), ...bounds.map(lit)].join(', ')})`;
    }
    if (!Array.isArray(schema.prefixItems)) {
      this.problem(`${at}/prefixItems`, 'prefixItems must be an array');
      return `${this.use('array')}(${[this.use('any'), ...bounds.map(lit)].join(', ')})`;
    }
    const prefix = schema.prefixItems.map((s, i) => this.compile(s, `${at}/prefixItems/${i}`));
    const tuple = `${this.use('prefixItems')}([${prefix.join(', ')}]${items ? `, ${items}` : ''})`;
    const list = `${this.use('array')}(${[this.use('any'), ...bounds.map(lit)].join(', ')})`;
    return `${this.use('allOf')}([${list}, ${tuple}])`;
  }

  private objectCheck(schema: Schema, at: string, files: readonly string[]): string {
    const props = isSchemaObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const fields = Object.entries(props).map(([key, sub]) => {
      const check = files.includes(key)
        ? this.fileCheck(sub)
        : this.compile(sub, `${at}/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      return `${fieldKey(key)}: [${check}${required.has(key) ? ', true' : ''}]`;
    });
    for (const key of required) {
      if (!Object.hasOwn(props, key)) fields.push(`${fieldKey(key)}: [${this.use('any')}, true]`);
    }
    const extra = schema.additionalProperties;
    const args = [`{ ${fields.join(', ')} }`];
    if (extra === false) args.push('false');
    else if (extra !== undefined && extra !== true && !isEmpty(extra)) {
      args.push(this.compile(extra, `${at}/additionalProperties`));
    }
    const check = `${this.use('object')}(${args.join(', ')})`;
    if (schema.propertyNames === undefined) return check;
    const names = this.compile(schema.propertyNames, `${at}/propertyNames`);
    return `${this.use('allOf')}([${check}, ${this.use('propertyNames')}(${names})])`;
  }

  /** A multipart file field: one file, or an array of them (several parts), with its bounds. */
  private fileCheck(field: unknown): string {
    if (!isSchemaObject(field) || field.type !== 'array') return this.use('upload');
    const bounds = [field.minItems ?? 0, field.maxItems].filter((b) => b !== undefined);
    const args = [this.use('upload'), ...(bounds.length === 1 && bounds[0] === 0 ? [] : bounds)];
    return `${this.use('array')}(${args.map(String).join(', ')})`;
  }

  /** `enum` and `const`, of JSON primitives. */
  private valueParts(schema: Schema, at: string): string[] {
    const parts: string[] = [];
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum) || !schema.enum.every(isPrimitive)) {
        this.problem(`${at}/enum`, 'enum must be an array of strings, numbers, booleans or null');
      } else parts.push(`${this.use('oneOfValues')}(${lit(schema.enum)})`);
    }
    if ('const' in schema) {
      if (!isPrimitive(schema.const)) {
        this.problem(`${at}/const`, 'const must be a string, number, boolean or null');
      } else parts.push(`${this.use('constant')}(${lit(schema.const)})`);
    }
    return parts;
  }

  /** `anyOf`, `oneOf`, `allOf`, `not`. */
  private applicatorParts(schema: Schema, at: string): string[] {
    const parts: string[] = [];
    for (const kind of ['anyOf', 'oneOf'] as const) {
      if (schema[kind] !== undefined)
        parts.push(this.branches(kind, schema[kind], `${at}/${kind}`));
    }
    if (schema.allOf !== undefined) {
      if (!Array.isArray(schema.allOf)) this.problem(`${at}/allOf`, 'allOf must be an array');
      else parts.push(...schema.allOf.map((s, i) => this.compile(s, `${at}/allOf/${i}`)));
    }
    if (schema.not !== undefined) {
      parts.push(`${this.use('not')}(${this.compile(schema.not, `${at}/not`)})`);
    }
    return parts;
  }

  /** `anyOf: [X, { type: 'null' }]`, Pydantic's Optional, reads as nullable(X). */
  private branches(kind: 'anyOf' | 'oneOf', list: unknown, at: string): string {
    if (!Array.isArray(list) || list.length === 0) {
      this.problem(at, `${kind} must be a non-empty array`);
      return this.use('any');
    }
    const indexed = list.map((schema, i) => ({ schema, i }));
    // In a oneOf, null matching two branches fails: only anyOf may be read as nullable.
    const isNull = (s: unknown) => kind === 'anyOf' && isPlainNull(s);
    const rest = indexed.filter(({ schema }) => !isNull(schema));
    const compiled = rest.map(({ schema, i }) => this.compile(schema, `${at}/${i}`));
    if (compiled.length === 0) return this.use('isNull');
    const inner =
      compiled.length === 1 ? compiled[0] : `${this.use(kind)}([${compiled.join(', ')}])`;
    return rest.length < list.length ? `${this.use('nullable')}(${inner})` : inner;
  }
}

const isEmpty = (schema: unknown) =>
  isSchemaObject(schema) && Object.keys(schema).every((k) => isAnnotation(k));

function isPlainNull(schema: unknown): boolean {
  if (!isSchemaObject(schema) || schema.type !== 'null') return false;
  return Object.keys(schema).every((k) => k === 'type' || isAnnotation(k));
}

/** An object literal key; `__proto__` computed, or it would set the prototype. */
const fieldKey = (key: string) => (key === '__proto__' ? `[${lit(key)}]` : lit(key));

/** The rules of src/spec/rules.ts, by schema name. */
function declaredRules(): Map<string, ProseRule> {
  const rules = new Map<string, ProseRule>();
  for (const [name, rule] of Object.entries(proseRules)) {
    if (typeof rule === 'function' && Array.isArray((rule as ProseRule).keys)) {
      rules.set(name, rule as ProseRule);
    }
  }
  return rules;
}

/** Component schemas, then inline ones; with the rule each component schema has, if any. */
function entriesOf(
  schemas: Record<string, unknown>,
  inline: Record<string, InlineSchema>,
  compiler: SchemaCompiler,
): Entry[] {
  const rules = declaredRules();
  const entries: Entry[] = Object.entries(schemas).map(([name, schema]) => {
    const at = `#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const rule = rules.get(name);
    const props =
      isSchemaObject(schema) && isSchemaObject(schema.properties) ? schema.properties : {};
    const missing = rule?.keys.filter((key) => !Object.hasOwn(props, key)) ?? [];
    if (missing.length) {
      compiler.problem(
        at,
        `its prose rule (src/spec/rules.ts) reads ${missing.join(', ')}, which it does not declare`,
      );
    }
    const doc = rule
      ? `\`${name}\`, plus the rule its description states in prose.`
      : `\`${name}\``;
    return { name, schema, at, doc, rule: rule && name };
  });
  for (const [name, { schema, doc, pointer, multipart, component }] of Object.entries(inline)) {
    const rule = component !== undefined && rules.has(component) ? component : undefined;
    entries.push({ name, schema, at: pointer ?? doc, doc, multipart, inline: true, rule });
  }
  return entries;
}

/** Every validator name is a distinct identifier; an inline name never takes a component's. */
function checkNames(entries: Entry[], schemas: Record<string, unknown>, compiler: SchemaCompiler) {
  const owners = new Map<string, string>();
  for (const { name, at, inline } of entries) {
    const fn = validatorName(name);
    const owner = owners.get(fn);
    if (owner !== undefined || (inline && Object.hasOwn(schemas, name))) {
      compiler.problem(
        at,
        `its validator name ${fn} clashes with that of ${owner ?? `component ${name}`}`,
      );
    }
    owners.set(fn, at);
  }
}

function block(entry: Entry, compiler: SchemaCompiler): string {
  const fn = validatorName(entry.name);
  const files =
    entry.multipart && isSchemaObject(entry.schema) ? fileFields(entry.schema as Spec) : [];
  let body = compiler.compile(entry.schema, entry.at, files);
  if (entry.rule) body = `${compiler.use('allOf')}([${body}, ${entry.rule}Rule])`;
  // Built on first use: importing the module runs nothing, so bundlers drop what an app never calls.
  const cache = `built${fn.slice('validate'.length)}`;
  return `let ${cache}: Check | undefined;\n/** ${entry.doc} */\nexport const ${fn}: Check = (v, p, o) => (${cache} ??= ${body})(v, p, o);`;
}

/**
 * `inline` adds validators for schemas written inline in operations (request bodies, 2xx answers,
 * parameters), keyed by the name we give them; a name must not clash with a component schema's.
 */
export function compileValidators(
  spec: Schema,
  inline: Record<string, InlineSchema> = {},
): CompiledValidators {
  const components = spec.components as Schema | undefined;
  const schemas = (isSchemaObject(components?.schemas) ? components.schemas : {}) as Schema;
  const compiler = new SchemaCompiler(schemas);
  const entries = entriesOf(schemas, inline, compiler);
  checkNames(entries, schemas, compiler);
  const blocks = entries.map((entry) => block(entry, compiler));
  if (compiler.problems.length) {
    const { problems } = compiler;
    throw new Error(
      `the validator compiler cannot handle ${problems.length} schema place(s):\n  ${problems.join('\n  ')}`,
    );
  }
  const names = new Map(entries.map(({ name }) => [name, validatorName(name)]));
  const lines = [
    `import { ${['type Check', ...[...compiler.used].sort()].join(', ')} } from '../core/check.js';`,
  ];
  const ruled = new Set(entries.map((e) => e.rule).filter((rule) => rule !== undefined));
  const rules = [...ruled].map((rule) => `${rule} as ${rule}Rule`);
  if (rules.length) lines.push(`import { ${rules.join(', ')} } from '../spec/rules.js';`);
  return { source: `${lines.join('\n')}\n\n${blocks.join('\n\n')}\n`, names };
}
