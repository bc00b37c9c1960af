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
import { typeAliases } from './names.js';
import { documentMembers } from './docs.js';

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
  const aliases = aliasesSource(spec, ['ProseRule', 'Refined']);
  return imports + documented(astToString(ast)) + aliases + serversSource(spec);
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
 * `export type Agent = components['schemas']['Agent'];` for each component schema, named as
 * names.ts's `typeAliases` says (never a clash, never a name TypeScript's lib declares).
 */
function aliasesSource(spec: Spec, imported: string[]): string {
  const schemas: Spec = spec.components?.schemas ?? {};
  const lines: string[] = [];
  for (const [name, alias] of typeAliases(Object.keys(schemas), imported)) {
    const description = String(schemas[name]?.description ?? '').split('\n')[0];
    const doc = description.replace(/\*\//g, '*\\/') || `The spec's \`${name}\` schema.`;
    lines.push(`/** ${doc} */`);
    lines.push(`export type ${alias} = components['schemas'][${JSON.stringify(name)}];`);
  }
  return lines.length
    ? `\n\n// Each component schema's type, by its name.\n${lines.join('\n')}\n`
    : '';
}

function serversSource(spec: Spec): string {
  const servers = Object.fromEntries(serverNames(spec));
  return `\n\n/** The spec's \`servers\`, by the first word of each description. */\nexport const servers = ${JSON.stringify(servers)} as const;\n`;
}
