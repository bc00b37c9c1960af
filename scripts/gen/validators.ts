/**
 * Compiles the JSON Schemas of an OpenAPI document into validator source code.
 *
 * The output is a declarative table of calls to the small combinators in `src/core/check.ts`, so
 * nothing is compiled at run time (Cloudflare Workers forbid `eval` and `new Function`) and a
 * bundler keeps only the validators an app actually reaches.
 *
 * Unknown keywords make generation fail loudly: a spec bump that starts using, say, `pattern` must
 * not silently produce a validator that ignores it.
 */

type Schema = Record<string, unknown>;

/** Keywords that only document a schema; they never change what is valid. */
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
]);

/** Rules the spec states only in prose, keyed by schema name; implemented in src/core/rules.ts. */
export const PROSE_RULES: Record<string, string> = {
  CannedToolResponse: 'cannedToolResponseRule',
};

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
}

/**
 * `inline` adds validators for schemas written inline in operations (request bodies, 2xx answers),
 * keyed by the name we give them; a name must not clash with a component schema's.
 */
export function compileValidators(
  spec: Schema,
  inline: Record<string, InlineSchema> = {},
): CompiledValidators {
  const schemas = ((spec.components as Schema | undefined)?.schemas ?? {}) as Record<
    string,
    Schema
  >;
  const used = new Set<string>();
  const names = new Map<string, string>();
  const rules = new Set<string>();

  const lit = (value: unknown) => JSON.stringify(value);

  function ref(pointer: string, at: string): string {
    const match = /^#\/components\/schemas\/(.+)$/.exec(pointer);
    if (!match || !(match[1] in schemas)) throw new Error(`${at}: unsupported $ref ${pointer}`);
    // A plain reference is safe in any order, even recursive: validators are built on first use,
    // after every one of them is defined.
    return validatorName(match[1]);
  }

  function compile(schema: Schema | boolean, at: string): string {
    if (schema === true || (typeof schema === 'object' && Object.keys(schema).length === 0)) {
      return use('any');
    }
    if (schema === false) return `${use('never')}()`;
    const keys = Object.keys(schema).filter((k) => !ANNOTATIONS.has(k));
    const known = new Set([
      '$ref',
      'type',
      'format',
      'enum',
      'const',
      'anyOf',
      'oneOf',
      'allOf',
      'properties',
      'required',
      'additionalProperties',
      'items',
      'minimum',
      'maximum',
      'exclusiveMinimum',
      'exclusiveMaximum',
      'minLength',
      'maxLength',
      'minItems',
      'maxItems',
      'pattern',
      'nullable',
    ]);
    const unknown = keys.filter((k) => !known.has(k));
    if (unknown.length) {
      throw new Error(`${at}: the validator compiler does not support ${unknown.join(', ')}`);
    }

    if (typeof schema.$ref === 'string') {
      const siblings = keys.filter((k) => k !== '$ref');
      if (siblings.length)
        throw new Error(`${at}: $ref with ${siblings.join(', ')} is not supported`);
      return ref(schema.$ref, at);
    }

    const parts: string[] = [];
    const type = schema.type as string | string[] | undefined;
    const types = type === undefined ? [] : Array.isArray(type) ? type : [type];
    const nullable = schema.nullable === true || types.includes('null') ? true : false;
    const nonNull = types.filter((t) => t !== 'null');
    // An enum of strings already says "a string": one clear message instead of two.
    const enumImpliesType =
      Array.isArray(schema.enum) &&
      nonNull.length === 1 &&
      (schema.enum as unknown[]).every((v) => v === null || jsonType(v) === nonNull[0]);
    if (enumImpliesType) {
      // the enum check below covers the type
    } else if (nonNull.length > 1) {
      parts.push(
        `${use('anyOf')}([${nonNull.map((t) => compile({ ...schema, type: t, nullable: false }, at)).join(', ')}])`,
      );
    } else if (nonNull.length === 1) {
      parts.push(compileType(nonNull[0], schema, at));
    } else if (types.includes('null')) {
      parts.push(use('isNull'));
    }

    if (Array.isArray(schema.enum)) parts.push(`${use('oneOfValues')}(${lit(schema.enum)})`);
    if ('const' in schema) parts.push(`${use('oneOfValues')}([${lit(schema.const)}])`);
    for (const kw of ['anyOf', 'oneOf'] as const) {
      const branches = schema[kw] as Schema[] | undefined;
      if (!branches) continue;
      const isNull = (b: Schema) => b.type === 'null' && Object.keys(b).length === 1;
      const rest = branches.filter((b) => !isNull(b));
      const inner =
        rest.length === 1
          ? compile(rest[0], `${at}/${kw}`)
          : `${use(kw === 'oneOf' ? 'oneOf' : 'anyOf')}([${rest.map((b, i) => compile(b, `${at}/${kw}/${i}`)).join(', ')}])`;
      parts.push(rest.length < branches.length ? `${use('nullable')}(${inner})` : inner);
    }
    if (Array.isArray(schema.allOf)) {
      parts.push(...(schema.allOf as Schema[]).map((b, i) => compile(b, `${at}/allOf/${i}`)));
    }
    if (parts.length === 0) parts.push(use('any'));
    const all = parts.length === 1 ? parts[0] : `${use('allOf')}([${parts.join(', ')}])`;
    return nullable && !types.every((t) => t === 'null') ? `${use('nullable')}(${all})` : all;
  }

  function compileType(type: string, schema: Schema, at: string): string {
    switch (type) {
      case 'string': {
        const format = schema.format as string | undefined;
        let regex = '';
        if (format === 'uuid') regex = use('UUID');
        else if (format === 'date-time') regex = use('DATE_TIME');
        else if (format !== undefined && !['email', 'uri', 'binary', 'password'].includes(format)) {
          // Other formats are annotations in JSON Schema 2020-12; we only assert the ones we know.
          throw new Error(`${at}: unsupported string format "${format}"`);
        }
        const base = `${use('string')}(${regex})`;
        const { minLength, maxLength, pattern } = schema as Record<string, any>;
        if (minLength === undefined && maxLength === undefined && pattern === undefined)
          return base;
        const bounds = [lit(minLength ?? 0), maxLength === undefined ? 'Infinity' : lit(maxLength)];
        if (pattern !== undefined) bounds.push(regexp(pattern));
        return `${use('allOf')}([${base}, ${use('stringBounds')}(${bounds.join(', ')})])`;
      }
      case 'integer':
      case 'number': {
        const bounds = [schema.minimum ?? null, schema.maximum ?? null];
        while (bounds.length && bounds[bounds.length - 1] === null) bounds.pop();
        const base = `${use(type)}(${bounds.map(lit).join(', ')})`;
        const { exclusiveMinimum: xmin = null, exclusiveMaximum: xmax = null } = schema as any;
        if (xmin === null && xmax === null) return base;
        return `${use('allOf')}([${base}, ${use('exclusiveBounds')}(${lit(xmin)}, ${lit(xmax)})])`;
      }
      case 'boolean':
        return use('boolean');
      case 'array': {
        const items =
          schema.items === undefined ? use('any') : compile(schema.items as Schema, `${at}/items`);
        const bounds = [schema.minItems ?? 0, schema.maxItems ?? null];
        if (bounds[1] === null) bounds.pop();
        if (bounds.length === 1 && bounds[0] === 0) bounds.pop();
        return `${use('array')}(${[items, ...bounds.map(lit)].join(', ')})`;
      }
      case 'object': {
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        const required = new Set((schema.required ?? []) as string[]);
        const fields = Object.entries(props).map(
          ([key, sub]) =>
            `${lit(key)}: [${compile(sub, `${at}/properties/${key}`)}${required.has(key) ? ', true' : ''}]`,
        );
        for (const key of required) {
          if (!(key in props)) fields.push(`${lit(key)}: [${use('any')}, true]`);
        }
        const extra = schema.additionalProperties;
        const additional =
          extra === undefined || extra === true
            ? 'undefined'
            : extra === false
              ? 'false'
              : compile(extra as Schema, `${at}/additionalProperties`);
        const args = [`{ ${fields.join(', ')} }`, additional];
        if (args[1] === 'undefined') args.pop();
        return `${use('object')}(${args.join(', ')})`;
      }
      default:
        throw new Error(`${at}: unsupported type "${type}"`);
    }
  }

  function jsonType(value: unknown): string {
    if (Array.isArray(value)) return 'array';
    if (Number.isInteger(value)) return 'integer';
    return typeof value;
  }

  function use(helper: string): string {
    used.add(helper);
    return helper;
  }

  function regexp(pattern: string): string {
    // The `u` flag matches JSON Schema's ECMA-262 semantics for patterns.
    return `/${pattern.replace(/\//g, '\\/')}/u`;
  }

  const blocks: string[] = [];
  const entries: [string, Schema, string | undefined][] = [
    ...Object.entries(schemas).map(([n, sc]): [string, Schema, undefined] => [n, sc, undefined]),
    ...Object.entries(inline).map(([n, i]): [string, Schema, string] => [n, i.schema, i.doc]),
  ];
  for (const [name, schema, inlineDoc] of entries) {
    const fn = validatorName(name);
    if (inlineDoc && (name in schemas || [...names.values()].includes(fn))) {
      throw new Error(`${inlineDoc}: its validator name ${fn} clashes with a component schema's`);
    }
    names.set(name, fn);
    let body = compile(schema, inlineDoc ?? `#/components/schemas/${name}`);
    const rule = inlineDoc ? undefined : PROSE_RULES[name];
    if (rule) {
      rules.add(rule);
      body = `${use('allOf')}([${body}, ${rule}])`;
    }
    const doc = inlineDoc
      ? `/** ${inlineDoc} */`
      : rule
        ? `/** \`${name}\`, plus the rule its description states in prose. */`
        : `/** \`${name}\` */`;
    // Built on first use: importing the module runs nothing, so bundlers drop what an app never calls.
    const cache = `built${fn.slice('validate'.length)}`;
    blocks.push(
      `let ${cache}: Check | undefined;\n${doc}\nexport const ${fn}: Check = (v, p, o) => (${cache} ??= ${body})(v, p, o);`,
    );
  }

  const imports = [...used].sort();
  const lines = [`import { ${['type Check', ...imports].join(', ')} } from '../core/check.js';`];
  if (rules.size) lines.push(`import { ${[...rules].sort().join(', ')} } from '../core/rules.js';`);
  return { source: `${lines.join('\n')}\n\n${blocks.join('\n\n')}\n`, names };
}
