/**
 * Doc comments for the members of openapi-typescript's `paths`, `operations` and `components`
 * that it leaves bare, so that every generated export is documented (etc/*.api.md shows no
 * `(undocumented)`): an operation by its spec's summary and description, a path by its
 * operations, `components` by what each part holds. A member that has a doc keeps it.
 */
import ts from 'typescript';
import { operationsOf, type Spec } from '../lib/spec.js';

/** What each member of `components` holds. */
const COMPONENTS: Record<string, string> = {
  schemas: "The spec's component schemas, by name: each also has a type alias of its own",
  responses: "The spec's reusable responses",
  parameters: "The spec's reusable parameters",
  requestBodies: "The spec's reusable request bodies",
  headers: "The spec's reusable headers",
  pathItems: "The spec's reusable path items",
};

/** `components`' docs, saying which parts the spec leaves empty. */
const componentDocs = (spec: Spec) =>
  new Map(
    Object.entries(COMPONENTS).map(([key, text]) => [
      key,
      `${text}${Object.keys(spec.components?.[key] ?? {}).length ? '' : ' (none are declared)'}.`,
    ]),
  );

/** A doc comment's text as one JSDoc block (`*\/` in spec text escaped). */
const block = (text: string) =>
  `*\n${text
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => ` * ${line}`.trimEnd())
    .join('\n')}\n `;

/** An operation's doc: its summary, then its description's first paragraph, then its route. */
function operationDoc(op: Spec, method: string, path: string): string {
  const first = String(op.description ?? '')
    .split(/\n\s*\n/)[0]
    .trim();
  const lines = [op.summary, first, `\`${method.toUpperCase()} ${path}\``];
  return lines.filter((line) => typeof line === 'string' && line !== '').join('\n\n');
}

/** The member's name, as written: `'/v1/runs'` or `getRun`. */
const nameOf = (member: ts.TypeElement) =>
  member.name && (ts.isStringLiteral(member.name) || ts.isIdentifier(member.name))
    ? member.name.text
    : undefined;

/** The members of openapi-typescript's top-level interface `name` in `ast`. */
function membersOf(ast: readonly ts.Node[], name: string): readonly ts.TypeElement[] {
  const found = ast.find(
    (node): node is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(node) && node.name.text === name,
  );
  return found?.members ?? [];
}

/** Adds a doc comment to each bare member of `paths`, `operations` and `components`. */
export function documentMembers(ast: readonly ts.Node[], spec: Spec): void {
  const docs = new Map<string, Map<string, string>>([
    ['paths', new Map()],
    ['operations', new Map()],
    ['components', componentDocs(spec)],
  ]);
  for (const { path, method, op } of operationsOf(spec)) {
    const route = `\`${method.toUpperCase()} ${path}\``;
    const ops = docs.get('paths')!;
    ops.set(
      path,
      ops.has(path) ? `${ops.get(path)}, ${route}` : `The operations of the path: ${route}`,
    );
    if (typeof op.operationId === 'string') {
      docs.get('operations')!.set(op.operationId, operationDoc(op, method, path));
    }
  }
  for (const [name, byMember] of docs) {
    for (const member of membersOf(ast, name)) {
      const text = byMember.get(nameOf(member) ?? '');
      if (text === undefined || ts.getSyntheticLeadingComments(member)?.length) continue;
      ts.addSyntheticLeadingComment(
        member,
        ts.SyntaxKind.MultiLineCommentTrivia,
        block(text),
        true,
      );
    }
  }
}
