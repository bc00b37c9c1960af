/**
 * Compiles the JSON Schemas of an OpenAPI 3.1 document into the source of
 * src/generated/validators.ts: a declarative table of calls to the small combinators of
 * src/core/check.ts, whose verdicts are JSON Schema 2020-12's (ajv's, with ajv-formats, where the
 * standard's suite has no say; `format: time` as its `iso-time`, offset optional), plus the prose
 * rules of src/spec/rules.ts.
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
 * The oracle test (test/validation.real-spec.test.ts) holds our verdicts to ajv's on the real spec,
 * and JSON-Schema-Test-Suite (test/json-schema-suite.test.ts) to the standard's.
 *
 * Generation never stops at the first problem: every schema place it cannot compile (see
 * schema-compiler.ts: unknown keywords and formats are annotations, not problems), and every clash
 * of names, is collected and reported in one error, one per line with its JSON pointer.
 */
import type { ProseRule } from '../../src/core/check.js';
import * as proseRules from '../../src/spec/rules.js';
import { fileFields } from './model.js';
import { validatorName } from './names.js';
import { escapeToken, isSchemaObject, SchemaCompiler } from './schema-compiler.js';
import type { Spec } from '../lib/spec.js';

type Schema = Record<string, unknown>;

export interface CompiledValidators {
  /** Source of `src/generated/validators.ts`, without the header. */
  source: string;
  /** Exported validator name for each component schema and each inline schema. */
  names: Map<string, string>;
  /** What generation passed over and the user should know: each unknown format, once. */
  warnings: string[];
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
    const at = `#/components/schemas/${escapeToken(name)}`;
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

function block(entry: Entry, compiler: SchemaCompiler): string {
  const fn = validatorName(entry.name);
  const files =
    entry.multipart && isSchemaObject(entry.schema) ? fileFields(entry.schema as Spec) : [];
  let body = compiler.compile(entry.schema, entry.at, files);
  if (entry.rule) body = `${compiler.use('allOf')}([${body}, ${entry.rule}Rule])`;
  // Built on first use: importing the module builds nothing, so bundlers drop what an app never calls.
  return `/** ${entry.doc} */\nexport const ${fn}: Check = /* @__PURE__ */ ${compiler.use('lazy')}(() => ${body});`;
}

/** One line per unknown format, with how many places use it and the first of them. */
function formatWarnings(unknown: Map<string, Set<string>>): string[] {
  return [...unknown].map(
    ([format, places]) =>
      `format ${JSON.stringify(format)} is not a format the validators know, so it is not checked (${places.size} place(s), e.g. ${[...places][0]})`,
  );
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
  const compiler = new SchemaCompiler(spec, validatorName);
  const entries = entriesOf(schemas, inline, compiler);
  const blocks = entries.map((entry) => block(entry, compiler));
  blocks.push(...compiler.hoistedSource());
  if (compiler.problems.size) {
    const problems = [...compiler.problems];
    throw new Error(
      `the validator compiler cannot handle ${problems.length} schema place(s):\n  ${problems.join('\n  ')}`,
    );
  }
  const names = new Map(entries.map(({ name }) => [name, validatorName(name)]));
  const types = ['type Check', ...(compiler.declaresSeen ? ['type Seen'] : [])];
  const lines = [
    `import { ${[...types, ...[...compiler.used].sort()].join(', ')} } from '../core/check.js';`,
  ];
  const ruled = new Set(entries.map((e) => e.rule).filter((rule) => rule !== undefined));
  const rules = [...ruled].map((rule) => `${rule} as ${rule}Rule`);
  if (rules.length) lines.push(`import { ${rules.join(', ')} } from '../spec/rules.js';`);
  return {
    source: `${lines.join('\n')}\n\n${blocks.join('\n\n')}\n`,
    names,
    warnings: formatWarnings(compiler.unknownFormats),
  };
}
