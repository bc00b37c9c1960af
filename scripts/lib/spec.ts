/**
 * What every script knows about an OpenAPI document, said once: where the spec lives, how to walk
 * its operations, how `$ref`s resolve, how servers are named, how generated text is formatted, and
 * how a script runs when executed directly.
 */
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SPEC_PATH = join(ROOT, 'openapi.json');
/** The SDK helpers the spec cannot express (waiters), declared beside the spec. */
export const SDK_CONFIG_PATH = join(ROOT, 'sdk.config.json');
export const GENERATED_DIR = 'src/generated';

/** An OpenAPI document as parsed JSON: scripts read it defensively, so its leaves stay loose. */
export type Spec = Record<string, any>;
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** HTTP methods an OpenAPI path item can hold, in the order the spec lists them. */
export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const SCHEMA_REF = /^#\/components\/schemas\/(.+)$/;

/** `#/components/schemas/Agent` -> `Agent`; undefined for anything that is not such a $ref. */
export function schemaRefName(node: unknown): string | undefined {
  const ref = (node as { $ref?: unknown } | null)?.$ref;
  return typeof ref === 'string' ? SCHEMA_REF.exec(ref)?.[1] : undefined;
}

/** A parameter, request body or response may be a $ref into `components`: the object it names. */
export function deref(spec: Spec, node: Spec | undefined): Spec | undefined {
  for (let hops = 0; typeof node?.$ref === 'string' && hops < 10; hops++) {
    const match = /^#\/components\/(\w+)\/(.+)$/.exec(node.$ref);
    if (!match) throw new Error(`unsupported $ref ${node.$ref}`);
    node = spec.components?.[match[1]]?.[match[2]];
  }
  return node;
}

/** A field that OpenAPI does not define on an object with these `fields` (nor an `x-` extension). */
const strayAmong = (fields: string[]) => (key: string) =>
  !fields.includes(key) && !key.startsWith('x-');

/**
 * A field of a Media Type Object that OpenAPI does not define (FastAPI specs carry a
 * `description`): read as documentation, never as a change to a type or a call.
 */
export const isStrayMediaField = strayAmong(['schema', 'example', 'examples', 'encoding']);

/** The same for a Response Object: a schema's keywords filed there (LangGraph's) are ignored. */
export const isStrayResponseField = strayAmong(['description', 'headers', 'content', 'links']);

/** A key as a JSON pointer writes it: `a/b` as `a~1b`. */
export const pointerKey = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The value at a local JSON pointer (`#/components/schemas/A~1B`), or undefined. */
export function atPointer(doc: Spec, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Spec)[key];
  }
  return node;
}

/** A local `$ref` (or mapping target) that names a schema: `#/components/schemas/...`. */
const isSchemaPointer = (target: unknown): target is string =>
  typeof target === 'string' && SCHEMA_REF.test(target);

/** ` (#/components/responses/X has that name)`: where a schema that a $ref misses may be filed. */
function filedElsewhere(spec: Spec, pointer: string): string {
  const name = SCHEMA_REF.exec(pointer)![1];
  const sections = Object.entries<Spec>(spec.components ?? {});
  const found = sections.find(([s, held]) => s !== 'schemas' && held && Object.hasOwn(held, name));
  return found ? ` (#/components/${found[0]}/${name} has that name)` : '';
}

/**
 * What points at no schema, said by where it is, and taken out of `spec` when `remove` says so:
 * discriminator mappings, and `$ref`s that name a schema (their object keeps its other keywords).
 */
export function danglingSchemaRefs(spec: Spec, remove: boolean): Dangling {
  const found: Dangling = { mappings: [], refs: [] };
  const walk = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}/${pointerKey(key)}`;
      if (key === '$ref' && isSchemaPointer(value) && atPointer(spec, value) === undefined) {
        found.refs.push(`${here}: ${value}${filedElsewhere(spec, value)}`);
        if (remove) delete (node as Spec).$ref;
      } else if (key === 'mapping' && value && typeof value === 'object') {
        for (const [tag, target] of Object.entries(value)) {
          if (typeof target !== 'string' || !target.startsWith('#/')) continue;
          if (atPointer(spec, target) !== undefined) continue;
          found.mappings.push(`${here}/${tag}: ${target}`);
          if (remove) delete (value as Spec)[tag];
        }
      } else walk(value, here);
    }
  };
  walk(spec, '#');
  return found;
}

/** Where a spec points at schemas it does not hold. */
export interface Dangling {
  /** Discriminator mappings: a hint in 3.1 (the `oneOf` decides), so only the hint is lost. */
  mappings: string[];
  /** Schema `$ref`s: each is read as the schema `{}` (any value), its other keywords kept. */
  refs: string[];
}

/**
 * The spec without what points at no schema (a copy, when there is some), and where each was.
 * openapi-typescript would refuse the whole spec for one of them; a FastAPI app that files a model
 * under the wrong component section (LangGraph's) publishes such a spec.
 */
export function withoutDanglingRefs(spec: Spec): { spec: Spec; dropped: Dangling } {
  const dropped = danglingSchemaRefs(spec, false);
  if (!dropped.mappings.length && !dropped.refs.length) return { spec, dropped };
  const copy = structuredClone(spec);
  danglingSchemaRefs(copy, true);
  return { spec: copy, dropped };
}

export interface OperationEntry {
  path: string;
  /** Lower case, as the spec writes it. */
  method: string;
  op: Spec;
  /** The path item's parameters and the operation's, $refs resolved; the operation's win. */
  parameters: Spec[];
}

/** Every operation of the spec, in spec order. */
export function operationsOf(spec: Spec): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, item] of Object.entries<Spec>(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const byKey = new Map<string, Spec>();
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const param = deref(spec, raw);
        if (param) byKey.set(`${param.in} ${param.name}`, param);
      }
      entries.push({ path, method, op, parameters: [...byKey.values()] });
    }
  }
  return entries;
}

/** `POST /v1/simulation/runs`: how reports and messages name an operation. */
export const routeOf = (entry: { method: string; path: string }) =>
  `${entry.method.toUpperCase()} ${entry.path}`;

/** The 2xx answers of an operation, by status, in spec order. */
export function successResponses(spec: Spec, op: Spec): [status: string, response: Spec][] {
  return Object.entries<Spec>(op.responses ?? {})
    .filter(([status]) => /^2(\d\d|XX)$/.test(status))
    .map(([status, response]) => [status, deref(spec, response) ?? {}]);
}

/**
 * The spec's servers, named by the first word of each description ("Sandbox" -> `sandbox`,
 * "Local dev" -> `local`), or `server0`, `server1`... without one. These names are the client's
 * `environment` option, so the generator and the change report must agree on them.
 */
export function serverNames(spec: Spec): Map<string, string> {
  const names = new Map<string, string>();
  for (const server of spec.servers ?? []) {
    const name = String(server.description ?? `server${names.size}`)
      .split(/\s+/)[0]
      .toLowerCase();
    names.set(name, server.url);
  }
  return names;
}

/** JSON with object keys sorted at every level: equal for any two formattings of one document. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function specHash(spec: Json): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

/** Formats source text as the repo's prettier config says for `filepath` (relative to `root`). */
export async function formatted(source: string, filepath: string, root = ROOT): Promise<string> {
  const config = (await prettier.resolveConfig(join(root, filepath))) ?? {};
  return prettier.format(source, { ...config, filepath });
}

/**
 * Runs `main` when the module is the script node was started with (not when a test imports it).
 * `main` returns the exit code; a thrown error prints its message and exits 1.
 */
export function runAsScript(importMetaUrl: string, main: () => Promise<number | void>): void {
  if (!process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(importMetaUrl)) return;
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

/** The JSON request body's schema, $refs resolved one level (the body object itself). */
export function jsonBodySchema(spec: Spec, op: Spec): Spec | undefined {
  return deref(spec, deref(spec, op.requestBody)?.content?.['application/json']?.schema);
}

/**
 * How callers pass an operation's input, which decides its call shape: `{ params, body }` when it
 * has parameters of any kind, the body alone when it has only a body, nothing otherwise. A bump
 * that moves an operation from one shape to another breaks its callers.
 */
export function inputKind(spec: Spec, entry: OperationEntry): 'params' | 'body' | 'none' {
  if (entry.parameters.length) return 'params';
  return deref(spec, entry.op.requestBody)?.content ? 'body' : 'none';
}

export interface IdempotencyKey {
  in: 'body' | 'header';
  name: string;
}

/**
 * Where an operation takes an idempotency key, if it does: a JSON body field `idempotency_key`,
 * or an `Idempotency-Key` header parameter. With one, the server deduplicates, so the SDK fills
 * it and may retry a POST that the server may already have processed.
 */
export function idempotencyKeyOf(spec: Spec, entry: OperationEntry): IdempotencyKey | undefined {
  const header = entry.parameters.find(
    (p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key',
  );
  if (header) return { in: 'header', name: header.name };
  const body = jsonBodySchema(spec, entry.op);
  if (body?.properties && 'idempotency_key' in body.properties) {
    return { in: 'body', name: 'idempotency_key' };
  }
  return undefined;
}
