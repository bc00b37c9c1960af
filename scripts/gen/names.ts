/**
 * Every name the generator makes up from the spec's text, made here, so that no two clash and none
 * breaks the code it lands in. Each rule is deterministic: the same spec gives the same names.
 *
 * - **Operation functions** (`operationName`, documented in the README, "Names"): an operationId
 *   that is an identifier is the function's name. Otherwise it is split at every run of characters
 *   that an identifier cannot hold and joined in camelCase (`organizations:list` ->
 *   `organizationsList`, `agents.search` -> `agentsSearch`); a leading digit gets `_` before it;
 *   a reserved word or a name the SDK takes itself gets `_` after it (`delete` -> `delete_`). An
 *   operation without an operationId is named from its method and path (`GET /v1/agents/{id}` ->
 *   `getV1AgentsId`). A name already taken (by an operationId that is that identifier, or by an
 *   earlier operation) gets `_2`, `_3`...
 * - **Validators** (`validatorName`): `validate` and the schema's name, each character that an
 *   identifier cannot hold written as `$<hex>$`: distinct names always give distinct validators.
 *   Inline schemas (bodies, answers, parameters) get keys no component has (`inlineKey`).
 * - **Type aliases** (`typeAliases`): each component schema's name, with `_` for what an identifier
 *   cannot hold; a name that TypeScript's own lib or schema.ts already declares (`Record`,
 *   `Promise`, `paths`) gets `Schema` after it, so it never shadows what openapi-typescript's
 *   output uses; a name taken by an earlier component gets `_2`, `_3`...
 */
import ts from 'typescript';

/** Words an identifier cannot be, in JavaScript or TypeScript declarations. */
export const RESERVED_WORDS = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity'.split(
    ' ',
  ),
);

/**
 * The runtime names the generated operations module may import, by module of src/core/, in the
 * order it imports them (`type X`: a type only). No operation may take one of these names.
 */
export const RUNTIME_IMPORTS: [module: string, names: string[]][] = [
  ['params', ['withParams']],
  ['pagination', ['paginated']],
  ['streaming', ['eventStream', 'events', 'type Stream', 'type StreamEvent']],
  ['uploads', ['multipart', 'type Uploadable']],
  ['polling', ['createAndWait', 'waiter']],
  ['idempotency', ['idempotencyKey']],
  ['cookies', ['withCookies']],
  ['bodies', ['binaryBody', 'jsonBody', 'textBody', 'urlEncoded']],
  ['readers', ['blobAnswer', 'textAnswer']],
  ['check', ['any', 'upload']],
];

/** Names the generated operations module imports or declares, and members of a FeatherClient. */
export const OPERATIONS_MODULE_NAMES = new Set([
  ...RUNTIME_IMPORTS.flatMap(([, names]) => names.map((name) => name.replace(/^type /, ''))),
  ...['operation', 'encoded', 'clientMethods', 'operations', 'paths', 'components', 'v'],
  // Members of a FeatherClient besides its methods, and what every object has.
  ...['client', 'use', 'baseUrl', 'constructor', 'toString', 'toJSON', 'valueOf'],
  ...['hasOwnProperty', '__proto__'],
]);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `a.b:c` -> `aBC`: the pieces between characters an identifier cannot hold, in camelCase. */
function camelCase(text: string): string {
  const pieces = text.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  return pieces.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join('');
}

/** The identifier an operationId (or, without one, `method` and `path`) maps to, before clashes. */
export function operationName(operationId: unknown, method: string, path: string): string {
  const text = typeof operationId === 'string' ? operationId : `${method} ${path}`;
  let name = IDENTIFIER.test(text) ? text : camelCase(text) || 'operation';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (RESERVED_WORDS.has(name) || OPERATIONS_MODULE_NAMES.has(name)) name = `${name}_`;
  return name;
}

/**
 * The function name of each operation, in order: `operationName`, then `_2`, `_3`... where an
 * operationId that is that very identifier, or an earlier operation, took it.
 */
export function operationNames(ops: { id: unknown; method: string; path: string }[]): string[] {
  const wanted = ops.map((op) => operationName(op.id, op.method, op.path));
  // Exact identifiers first: renaming `agentsSearch` because of an earlier `agents.search` would
  // change a name callers already use.
  const exact = ops.map((op, i) => op.id === wanted[i]);
  const taken = new Set<string>();
  const names: string[] = new Array(ops.length);
  for (const first of [true, false]) {
    for (let i = 0; i < ops.length; i++) {
      if (exact[i] !== first) continue;
      names[i] = distinct(wanted[i], (name) => taken.has(name));
      taken.add(names[i]);
    }
  }
  return names;
}

/** `name`, or `name_2`, `name_3`... whichever is not `taken` first. */
function distinct(name: string, taken: (name: string) => boolean): string {
  if (!taken(name)) return name;
  let n = 2;
  while (taken(`${name}_${n}`)) n++;
  return `${name}_${n}`;
}

/** `validate<name>`, every character outside `[A-Za-z0-9_]` written `$<hex>$` (injective). */
export function validatorName(schemaName: string): string {
  const escaped = schemaName.replace(
    /[^A-Za-z0-9_]/gu,
    (c) => `$${c.codePointAt(0)!.toString(16)}$`,
  );
  return `validate${escaped}`;
}

/**
 * The key of an operation's inline schema (`updateAgent` + `Body` -> `UpdateAgentBody`), made
 * distinct from every component schema's name and every key given before (`_2`, `_3`...).
 */
export function inlineKey(
  name: string,
  what: 'Body' | 'Response' | 'Params',
  taken: (key: string) => boolean,
): string {
  return distinct(`${name[0].toUpperCase()}${name.slice(1)}${what}`, taken);
}

/** Names schema.ts declares itself, and TypeScript's keyword types: no alias may take one. */
const SCHEMA_MODULE_NAMES = [
  ...['paths', 'webhooks', 'components', '$defs', 'operations', 'servers'],
  ...'any unknown never object string number boolean bigint symbol undefined null void'.split(' '),
];

let libTypes: Set<string> | undefined;

/**
 * Every type name TypeScript's own lib declares globally (ES2022: `Record`, `Partial`, `Promise`,
 * `Array`, `Error`...), asked of the compiler itself, once per process.
 */
function libTypeNames(): Set<string> {
  if (libTypes) return libTypes;
  const file = '/feather-names/empty.ts';
  const host = ts.createCompilerHost({});
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) =>
    name === file ? ts.createSourceFile(file, 'export {};', language) : read(name, language);
  const options = { lib: ['lib.es2022.d.ts'], types: [], noEmit: true };
  const program = ts.createProgram([file], options, host);
  const scope = program
    .getTypeChecker()
    .getSymbolsInScope(program.getSourceFile(file)!, ts.SymbolFlags.Type);
  libTypes = new Set(scope.map((symbol) => symbol.name));
  return libTypes;
}

/**
 * The alias of each component schema in schema.ts, by name, in spec order. `reserved` adds names
 * schema.ts imports (the prose-rule types).
 */
export function typeAliases(names: string[], reserved: string[] = []): Map<string, string> {
  const kept = new Set([...SCHEMA_MODULE_NAMES, ...reserved]);
  const isKept = (alias: string) =>
    kept.has(alias) || RESERVED_WORDS.has(alias) || libTypeNames().has(alias);
  const taken = new Set<string>();
  const aliases = new Map<string, string>();
  for (const name of names) {
    let alias = name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(?=[0-9])/, '_');
    if (isKept(alias)) alias = `${alias}Schema`;
    alias = distinct(alias, (a) => taken.has(a) || isKept(a));
    taken.add(alias);
    aliases.set(name, alias);
  }
  return aliases;
}
