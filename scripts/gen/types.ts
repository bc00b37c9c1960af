/**
 * The TypeScript types of the spec: openapi-typescript's `paths`, `components` and `operations`,
 * each component schema's type narrowed by its prose rule (src/spec/rules.ts), one alias per
 * component schema, and the spec's servers by environment name.
 */
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import * as proseRules from '../../src/spec/rules.js';
import { serverNames, type Spec } from '../lib/spec.js';

/** Names schema.ts declares itself, or imports: no alias may take one. */
const RULES = '$rules';
const TAKEN = new Set([
  'paths',
  'webhooks',
  'components',
  '$defs',
  'operations',
  'servers',
  'Refined',
  RULES,
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
  const ast = await openapiTS(spec as never, {
    // Fields with a default (channel, delay_ms) stay optional in what callers send.
    defaultNonNullable: false,
    alphabetize: false,
    postTransform: (type, { path }) => {
      const rule = path === undefined ? undefined : refined.get(path);
      return rule === undefined ? undefined : refinedType(type, rule);
    },
  });
  const imports = refined.size
    ? `import type { Refined } from '../core/check.js';\nimport type * as ${RULES} from '../spec/rules.js';\n\n`
    : '';
  return imports + astToString(ast) + aliasesSource(spec) + serversSource(spec);
}

/** `Refined<{ ...the schema's type }, typeof $rules.Name>` */
function refinedType(type: ts.TypeNode, rule: string): ts.TypeNode {
  const { factory } = ts;
  const query = factory.createTypeQueryNode(
    factory.createQualifiedName(factory.createIdentifier(RULES), rule),
  );
  return factory.createTypeReferenceNode('Refined', [type, query]);
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
    lines.push(`export type ${alias} = components['schemas'][${JSON.stringify(name)}];`);
  }
  if (problems.length) {
    throw new Error(`the schema types cannot be named:\n  ${problems.join('\n  ')}`);
  }
  return lines.length
    ? `\n\n/** Each component schema's type, by its name. */\n${lines.join('\n')}\n`
    : '';
}

function serversSource(spec: Spec): string {
  const servers = Object.fromEntries(serverNames(spec));
  return `\n\n/** The spec's \`servers\`, by the first word of each description. */\nexport const servers = ${JSON.stringify(servers)} as const;\n`;
}
