/**
 * `tsx scripts/synthetic-spec.ts [out.json] [--operations N] [--schemas M]`: writes a large, valid
 * OpenAPI 3.1 document shaped like the real Feather API (resources with list/get/create/update/
 * replace/delete and actions; path and query parameters; nested $refs, enums, bounds, nullable
 * fields; inline request bodies) so tests and bench/ can prove the SDK scales with the spec.
 *
 * It starts from the seed (`seedSpec`: openapi.json cut down to `dispatchSimulationRun` and the
 * schemas it uses), so that operation and its schemas are in every synthetic spec unchanged: an
 * app that calls only it must bundle to the same bytes whatever the size of the spec. Output is
 * deterministic: the same arguments give the same document.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operationsOf, SPEC_PATH } from './lib/spec.js';

type Spec = Record<string, any>;

/** The component schemas `node` refers to, and those they refer to, in the spec's order. */
function reachable(spec: Spec, node: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const ref = (value as Spec).$ref;
    const name = typeof ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1] : '';
    if (name && !found.has(name)) {
      found.add(name);
      walk(spec.components?.schemas?.[name]);
    }
    Object.values(value).forEach(walk);
  };
  walk(node);
  return Object.keys(spec.components?.schemas ?? {}).filter((name) => found.has(name));
}

/** `spec` with only the operations named, and only the component schemas they use. */
export function withOnly(spec: Spec, operationIds: string[]): Spec {
  const paths: Spec = {};
  for (const { path, method, op } of operationsOf(spec)) {
    if (operationIds.includes(op.operationId)) (paths[path] ??= {})[method] = op;
  }
  const schemas = Object.fromEntries(
    reachable(spec, paths).map((name) => [name, spec.components.schemas[name]]),
  );
  return structuredClone({ ...spec, paths, components: { ...spec.components, schemas } });
}

/**
 * The seed: the vendored spec's first operation alone, `dispatchSimulationRun` with its schemas,
 * as Feather 1.21.0's first published SDK had it. Small enough to regenerate a project in seconds.
 */
export const seedSpec = (): Spec =>
  withOnly(JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Spec, ['dispatchSimulationRun']);

export interface SyntheticOptions {
  /** Total operations, the base spec's included. Default 500. */
  operations?: number;
  /** Total component schemas, the base spec's included. Default 200. */
  schemas?: number;
  /** The document to extend. Default: the seed (`seedSpec()`). */
  base?: Spec;
}

const NOUNS = [
  'agent',
  'persona',
  'scenario',
  'conversation',
  'memory',
  'procedure',
  'policy',
  'route',
  'knowledge_base',
  'integration',
  'suite',
  'recording',
];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const pascal = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ok = (status: string, schema?: object) => ({
  [status]: schema ? { description: 'OK', ...json(schema) } : { description: 'No content' },
  '404': { description: 'Not found', ...json(ref('ErrorResponse')) },
  '422': { description: 'Validation Error', ...json(ref('HTTPValidationError')) },
});
const idParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
});

/** What one resource's operations are built from. */
interface Resource {
  noun: string;
  Name: string;
  collection: string;
  item: string;
  /** The resource's schema and its create body (or the shared Label once schemas run out). */
  model: object;
  create: object;
}

type Candidate = [path: string, method: string, operation: object];

const countOperations = (spec: Spec) =>
  Object.values<any>(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);

/** Shared building blocks every resource can point to: an enum, a small object, a parameter. */
function addSharedBlocks(spec: Spec): void {
  const schemas = spec.components.schemas;
  schemas.Status ??= { type: 'string', enum: ['active', 'paused', 'archived'] };
  schemas.Label ??= {
    type: 'object',
    required: ['key', 'value'],
    properties: {
      key: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' },
      value: { type: 'string', maxLength: 256 },
    },
    additionalProperties: false,
  };
  spec.components.parameters ??= {};
  spec.components.parameters.Limit ??= {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  };
}

/** Every third resource gets its own enum and settings object: nesting two $refs deep. */
function addOwnSettings(schemas: Record<string, any>, Name: string, i: number): void {
  schemas[`${Name}Kind`] = { type: 'string', enum: ['basic', 'advanced', `custom_${i}`] };
  schemas[`${Name}Settings`] = {
    type: 'object',
    properties: {
      retries: { type: 'integer', minimum: 0, maximum: 10, default: 2 },
      ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      kind: ref(`${Name}Kind`),
      labels: { type: 'array', items: ref('Label'), maxItems: 20 },
    },
  };
}

/** The resource's model and create body, while the schema budget lasts. */
function addModel(schemas: Record<string, any>, Name: string, own: boolean): void {
  // A function, not one object: each schema gets its own, as a spec parsed from JSON would.
  const settings = () => (own ? { settings: ref(`${Name}Settings`) } : {});
  schemas[Name] = {
    type: 'object',
    required: ['id', 'name', 'status', 'created_at'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      status: ref('Status'),
      description: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      ...settings(),
      labels: { type: 'array', items: ref('Label') },
      created_at: { type: 'string', format: 'date-time' },
    },
  };
  schemas[`${Name}Create`] = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      description: { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'null' }] },
      ...settings(),
      labels: { type: 'array', items: ref('Label'), maxItems: 20 },
    },
    additionalProperties: false,
  };
}

/** The i-th resource: its schemas added to the spec while the budget allows. */
function addResource(spec: Spec, i: number, targetSchemas: number): Resource {
  const schemas: Record<string, any> = spec.components.schemas;
  const noun = `${NOUNS[i % NOUNS.length]}${Math.floor(i / NOUNS.length) || ''}`;
  const Name = pascal(noun);
  const collection = `/v1/${noun}s`;
  const own = Object.keys(schemas).length + 4 <= targetSchemas && i % 3 === 0;
  if (own) addOwnSettings(schemas, Name, i);
  if (Object.keys(schemas).length + 2 <= targetSchemas) addModel(schemas, Name, own);
  return {
    noun,
    Name,
    collection,
    item: `${collection}/{${noun}_id}`,
    model: schemas[Name] ? ref(Name) : ref('Label'),
    create: schemas[`${Name}Create`] ? ref(`${Name}Create`) : ref('Label'),
  };
}

const operationOf = (r: Resource, id: string, summary: string, extra: object) => ({
  operationId: id,
  summary,
  tags: [r.noun],
  security: [{ APIKeyHeader: [] }],
  ...extra,
});

/** list and create, on the collection path. */
function collectionOperations(r: Resource): Candidate[] {
  const listOf = {
    type: 'object',
    required: ['data'],
    properties: {
      data: { type: 'array', items: r.model },
      next_cursor: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    },
  };
  const list = operationOf(r, `list${r.Name}s`, `List ${r.noun}s`, {
    parameters: [
      // Shared through components.parameters, as large specs often do.
      { $ref: '#/components/parameters/Limit' },
      { name: 'cursor', in: 'query', schema: { type: 'string' } },
      { name: 'status', in: 'query', schema: ref('Status') },
    ],
    responses: ok('200', listOf),
  });
  const create = operationOf(r, `create${r.Name}`, `Create a ${r.noun}`, {
    requestBody: { required: true, ...json(r.create) },
    responses: ok('201', r.model),
  });
  return [
    [r.collection, 'get', list],
    [r.collection, 'post', create],
  ];
}

/** get, update (an inline body) and replace, on the item path. */
function itemOperations(r: Resource): Candidate[] {
  const id = () => idParam(`${r.noun}_id`);
  const get = operationOf(r, `get${r.Name}`, `Get a ${r.noun}`, {
    parameters: [id()],
    responses: ok('200', r.model),
  });
  const update = operationOf(r, `update${r.Name}`, `Update a ${r.noun}`, {
    parameters: [id()],
    // Inline on purpose: the generator names such validators after the operation.
    requestBody: {
      required: true,
      ...json({
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          status: ref('Status'),
          labels: { type: 'array', items: ref('Label'), maxItems: 20 },
        },
        additionalProperties: false,
      }),
    },
    responses: ok('200', r.model),
  });
  const replace = operationOf(r, `replace${r.Name}`, `Replace a ${r.noun}`, {
    parameters: [
      id(),
      { name: 'if_version', in: 'query', schema: { type: 'integer', minimum: 0 } },
    ],
    requestBody: { required: true, ...json(r.create) },
    responses: ok('200', r.model),
  });
  return [
    [r.item, 'get', get],
    [r.item, 'patch', update],
    [r.item, 'put', replace],
  ];
}

/** delete, and an action with an optional inline body. */
function endOperations(r: Resource): Candidate[] {
  const remove = operationOf(r, `delete${r.Name}`, `Delete a ${r.noun}`, {
    parameters: [idParam(`${r.noun}_id`)],
    responses: ok('204'),
  });
  const archive = operationOf(r, `archive${r.Name}`, `Archive a ${r.noun}`, {
    parameters: [idParam(`${r.noun}_id`)],
    requestBody: {
      required: false,
      ...json({
        type: 'object',
        properties: {
          reason: { type: 'string', enum: ['duplicate', 'obsolete', 'other'] },
          note: { type: 'string', maxLength: 500 },
        },
      }),
    },
    responses: ok('200', r.model),
  });
  return [
    [r.item, 'delete', remove],
    [`${r.item}/archive`, 'post', archive],
  ];
}

export function syntheticSpec(options: SyntheticOptions = {}): Spec {
  const base: Spec = options.base ?? seedSpec();
  const spec: Spec = structuredClone(base);
  spec.info = { ...spec.info, title: `${spec.info?.title ?? 'API'} (synthetic)` };
  spec.paths ??= {};
  spec.components ??= {};
  spec.components.schemas ??= {};
  const schemas: Record<string, any> = spec.components.schemas;
  const targetOps = options.operations ?? 500;
  const targetSchemas = options.schemas ?? 200;
  addSharedBlocks(spec);
  for (let i = 0; countOperations(spec) < targetOps; i++) {
    const resource = addResource(spec, i, targetSchemas);
    const candidates = [
      ...collectionOperations(resource),
      ...itemOperations(resource),
      ...endOperations(resource),
    ];
    for (const [path, method, operation] of candidates) {
      if (countOperations(spec) >= targetOps) break;
      spec.paths[path] ??= {};
      spec.paths[path][method] = operation;
    }
  }
  // Top up with standalone enums until the schema count is reached.
  for (let k = 0; Object.keys(schemas).length < targetSchemas; k++) {
    schemas[`Code${k}`] = { type: 'string', enum: [`a${k}`, `b${k}`, `c${k}`] };
  }
  return spec;
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args.splice(at, 2)[1]) : undefined;
  };
  const spec = syntheticSpec({ operations: flag('operations'), schemas: flag('schemas') });
  const out = args[0] ? resolve(args[0]) : undefined;
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (out) {
    writeFileSync(out, text);
    const ops = Object.values<any>(spec.paths).reduce((n, i) => n + Object.keys(i).length, 0);
    console.log(
      `wrote ${out}: ${ops} operations, ${Object.keys(spec.components.schemas).length} schemas`,
    );
  } else process.stdout.write(text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
