/**
 * The TypeScript types of the spec: openapi-typescript's `paths`, `components` and `operations`,
 * each component schema's type narrowed by its prose rule (src/spec/rules.ts), one alias per
 * component schema, and the spec's servers by environment name.
 */
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import * as proseRules from '../../src/spec/rules.js';
import type { ProseRule } from '../../src/core/check.js';
import { serverNames, type Spec } from '../lib/spec.js';
import { documentMembers } from './docs.js';

/** Names schema.ts declares itself, or imports: no alias may take one. */
const TAKEN = new Set([
  'paths',
  'webhooks',
  'components',
  '$defs',
  'operations',
  'servers',
  'Refined',
  'ProseRule',
]);
/** Type names TypeScript keeps for itself. */
const RESERVED_TYPES = new Set(
  'any unknown never object string number boolean bigint symbol undefined null void'.split(' '),
);

export async function typesSource(spec: Spec): Promise<string> {
  const refined = new Map(
    Object.keys(proseRules)
      .filter((name) => Object.hasOwn(spec.components?.schemas ?? {}, name))
      .map((name) => [`#/components/schemas/${name}`, name]),
  );
  // A copy: openapi-typescript rewrites parts of the document it is given (a `const` it inlines).
  const ast = await openapiTS(structuredClone(spec) as never, {
    // Fields with a default (channel, delay_ms) stay optional in what callers send.
    defaultNonNullable: false,
    alphabetize: false,
    postTransform: (type, { path }) => {
      const rule = path === undefined ? undefined : refined.get(path);
      return rule === undefined ? undefined : refinedType(type, rule);
    },
  });
  documentMembers(ast, spec);
  const imports = refined.size
    ? `import type { ProseRule, Refined } from '../core/check.js';\n\n`
    : '';
  return imports + documented(astToString(ast)) + aliasesSource(spec) + serversSource(spec);
}

/** `Refined<{ ...the schema's type }, ProseRule<'exactlyOneOf', { ...its data }>>` */
/** What each of openapi-typescript's top-level declarations is, for its doc comment. */
const DOCS: Record<string, string> = {
  paths: 'Every path of the spec, by its template, with its operations by method.',
  webhooks: "The spec's webhooks (none are declared).",
  components: "The spec's reusable schemas, parameters and responses.",
  $defs: "The spec's `$defs` (none are declared).",
  operations: 'Every operation, by operationId: its parameters, request body and responses.',
};

/** openapi-typescript's output with a doc comment on each of its top-level declarations. */
function documented(source: string): string {
  return source.replace(/^export (interface|type) (\$?\w+)/gm, (line, _kind, name: string) =>
    DOCS[name] ? `/** ${DOCS[name]} */\n${line}` : line,
  );
}

function refinedType(type: ts.TypeNode, rule: string): ts.TypeNode {
  const { factory } = ts;
  // The rule's own name and data, written as a type: the declaration in src/spec/rules.ts stays
  // the one source, and the published types need nothing from it.
  const { rule: name, data } = (proseRules as Record<string, ProseRule>)[rule];
  const members = Object.entries(data as Record<string, string>).map(([key, value]) =>
    factory.createPropertySignature(
      [factory.createModifier(ts.SyntaxKind.ReadonlyKeyword)],
      factory.createStringLiteral(key),
      undefined,
      factory.createLiteralTypeNode(factory.createStringLiteral(value)),
    ),
  );
  const ruleType = factory.createTypeReferenceNode('ProseRule', [
    factory.createLiteralTypeNode(factory.createStringLiteral(name)),
    factory.createTypeLiteralNode(members),
  ]);
  return factory.createTypeReferenceNode('Refined', [type, ruleType]);
}

/**
 * `export type Agent = components['schemas']['Agent'];` for each component schema, its name made
 * an identifier. Names that clash (with each other, or with schema.ts's own) fail generation.
 */
function aliasesSource(spec: Spec): string {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  const lines: string[] = [];
  for (const name of Object.keys(spec.components?.schemas ?? {})) {
    const alias = name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(?=[0-9])/, '_');
    const taken = TAKEN.has(alias) || RESERVED_TYPES.has(alias);
    const clash = owners.get(alias) ?? (taken ? 'schema.ts' : undefined);
    if (clash !== undefined) {
      problems.push(
        `#/components/schemas/${name}: its type alias ${alias} clashes with ${clash}'s`,
      );
      continue;
    }
    owners.set(alias, name);
    const description = String(spec.components.schemas[name]?.description ?? '').split('\n')[0];
    const doc = description.replace(/\*\//g, '*\\/') || `The spec's \`${name}\` schema.`;
    lines.push(`/** ${doc} */`);
    lines.push(`export type ${alias} = components['schemas'][${JSON.stringify(name)}];`);
  }
  if (problems.length) {
    throw new Error(`the schema types cannot be named:\n  ${problems.join('\n  ')}`);
  }
  return lines.length
    ? `\n\n// Each component schema's type, by its name.\n${lines.join('\n')}\n`
    : '';
}

function serversSource(spec: Spec): string {
  const servers = Object.fromEntries(serverNames(spec));
  return `\n\n/** The spec's \`servers\`, by the first word of each description. */\nexport const servers = ${JSON.stringify(servers)} as const;\n`;
}
