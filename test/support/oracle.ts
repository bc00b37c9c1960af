/**
 * The two judges the validation oracle compares, for any spec:
 * - ajv (draft 2020-12, ajv-formats, `format: time` as its `iso-time`), with the prose rules read
 *   from the schemas' descriptions here, independently of src/spec/rules.ts;
 * - the SDK's validators, compiled in memory from the same spec by `compileValidators` and loaded
 *   as a module (bundled by esbuild into a temp file and imported: no `eval`), so a test can judge
 *   a spec other than the seed without touching src/generated/. The hand-written modules it
 *   imports (src/core/check.ts, src/spec/rules.ts) stay imports: the one instance the tests load.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { build, type Plugin } from 'esbuild';
import { ROOT } from '../../scripts/lib/spec.js';
import { readModel } from '../../scripts/gen/model.js';
import { compileValidators, type InlineSchema } from '../../scripts/gen/validators.js';
import type { Check } from '../../src/core/check.js';

type Json = any;

/**
 * ajv as every judge in the tests reads the spec: draft 2020-12 with ajv-formats, and `time` as
 * ajv-formats' `iso-time` (the offset is optional: Pydantic writes naive times).
 */
export function specAjv(options: ConstructorParameters<typeof Ajv2020>[0]): Ajv2020 {
  const ajv = new Ajv2020(options);
  (formats as unknown as typeof formats.default)(ajv);
  ajv.addFormat('time', fullFormats['iso-time']);
  return ajv;
}

/** How a value travels: `undefined` fields dropped, as JSON.stringify does. */
export const wire = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
};

/**
 * CannedToolResponse's prose, read from its description: "Exactly one of `output` / `error` must
 * be set: an explicit `output: null` is a valid null result, a canned failure carries a non-empty
 * `error`". On the wire a key is there or not; `error: null` is no failure.
 */
export function cannedResponseAccepts(canned: unknown): boolean {
  if (typeof canned !== 'object' || canned === null || Array.isArray(canned)) return true;
  const record = canned as Record<string, unknown>;
  const outputSet = Object.hasOwn(record, 'output');
  const errorSet = Object.hasOwn(record, 'error') && record.error !== null;
  if (errorSet && record.error === '') return false;
  return outputSet !== errorSet;
}

/**
 * Body_bulkIngest's prose, read from the guide (guides/ingest-documents.mdx): a file item
 * "references an uploaded file part by its zero-based index" in `files`.
 */
export function fileIndexesAccepted(body: unknown): boolean {
  const record = (body ?? {}) as { manifest?: unknown; files?: unknown };
  if (!Array.isArray(record.manifest)) return true;
  const files = Array.isArray(record.files) ? record.files.length : 0;
  return record.manifest.every(
    (item: { file_index?: unknown }) =>
      typeof item?.file_index !== 'number' || item.file_index < files,
  );
}

/** The prose rules the oracle knows, by schema name. */
const PROSE: Record<string, (value: unknown) => boolean> = {
  CannedToolResponse: cannedResponseAccepts,
  Body_bulkIngest: fileIndexesAccepted,
};
const PROSE_KEYWORD = 'x-oracle-prose';
const FILE_KEYWORD = 'x-oracle-file';

/** A multipart file field: what the SDK's encoder sends as a file. */
export const isFile = (value: unknown) =>
  value instanceof Blob ||
  value instanceof ArrayBuffer ||
  ArrayBuffer.isView(value) ||
  value instanceof ReadableStream;

/** `#/components/...` refs of an inline schema, made absolute into the registered document. */
function absolute(schema: Json, id: string): Json {
  if (Array.isArray(schema)) return schema.map((s) => absolute(s, id));
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${id}${v}` : absolute(v, id),
    ]),
  );
}

export interface AjvJudge {
  /** ajv's verdict (prose rules included) on a value as it travels, against any schema of the spec. */
  accepts(schema: Json, value: unknown): boolean;
  /** The same for a component schema, by name. */
  acceptsComponent(name: string, value: unknown): boolean;
}

/** ajv over the whole document, so that its `#/components/schemas/...` refs resolve as written. */
export function ajvJudge(spec: Json): AjvJudge {
  const id = 'spec.json';
  const copy = structuredClone(spec);
  for (const name of Object.keys(PROSE)) {
    const schema = copy.components?.schemas?.[name];
    if (schema) schema[PROSE_KEYWORD] = name;
  }
  // Strict, except where it flags what 2020-12 allows: keywords without `type` ({ anyOf, maxLength }).
  const ajv = specAjv({ strict: true, strictTypes: false, strictTuples: false });
  // The document's own keys, and OpenAPI's schema annotations, are not JSON Schema keywords.
  ajv.addVocabulary([...Object.keys(copy), 'discriminator', 'example', 'xml', 'externalDocs']);
  ajv.addKeyword({
    keyword: PROSE_KEYWORD,
    schemaType: 'string',
    validate: (name: string, data: unknown) => PROSE[name](data),
  });
  ajv.addKeyword({ keyword: FILE_KEYWORD, validate: (_: unknown, data: unknown) => isFile(data) });
  ajv.addSchema(copy, id);
  const compiled = new Map<string, (value: unknown) => boolean>();
  const judge = (key: string, make: () => Json) => {
    let validate = compiled.get(key);
    if (!validate) compiled.set(key, (validate = ajv.compile(make()) as (v: unknown) => boolean));
    return validate;
  };
  return {
    accepts: (schema, value) => {
      const key = JSON.stringify(schema);
      return judge(key, () => absolute(schema, id))(value);
    },
    acceptsComponent: (name, value) =>
      judge(`component ${name}`, () => ({
        $ref: `${id}#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      }))(value),
  };
}

/**
 * A multipart body's schema for ajv: its file fields take files (the SDK sends them as parts), an
 * array of them where the field is a list; with the prose rule of the component it was written as.
 */
export function withFileFields(schema: Json, files: readonly string[], component?: string): Json {
  const properties = { ...schema.properties };
  for (const name of files) {
    const field = properties[name];
    properties[name] =
      field?.type === 'array'
        ? { ...field, items: { [FILE_KEYWORD]: true } }
        : { [FILE_KEYWORD]: true };
  }
  const prose = component !== undefined && PROSE[component] ? { [PROSE_KEYWORD]: component } : {};
  return { ...schema, properties, ...prose };
}

export interface CompiledSpec {
  validators: Record<string, Check>;
  /** Schema name (component or inline) -> exported validator name. */
  names: Map<string, string>;
  inline: Record<string, InlineSchema>;
  /** Time to compile the validators source, and to bundle and load it, in ms. */
  timings: { compile: number; load: number };
}

/** The modules generated validators import, by absolute path. */
const SHARED = [join(ROOT, 'src', 'core', 'check.ts'), join(ROOT, 'src', 'spec', 'rules.ts')];

/**
 * Leaves the imports of SHARED out of the bundle, as absolute paths: the loaded validators then
 * use the same module instance as the test that loads them, not a copy of each made per spec.
 * (For Stryker, a mutant of a format's definition is then static, as in every other test.)
 */
const importShared: Plugin = {
  name: 'import-shared',
  setup(build) {
    build.onResolve({ filter: /^\./ }, async ({ path, resolveDir, kind, pluginData }) => {
      if (pluginData === 'shared') return undefined;
      const resolved = await build.resolve(path, { resolveDir, kind, pluginData: 'shared' });
      return SHARED.includes(resolved.path) ? { path: resolved.path, external: true } : resolved;
    });
  },
};

/**
 * The SDK's validators for `spec`, as `npm run generate` would write them, loaded from a temp
 * file: esbuild bundles the source, importing the real src/core/check.ts and src/spec/rules.ts.
 * `probes` adds inline schemas of the test's own (parts of the spec's schemas, judged alone).
 */
export async function compileInMemory(
  spec: Json,
  probes: Record<string, InlineSchema> = {},
): Promise<CompiledSpec> {
  const start = performance.now();
  const inline = { ...readModel(spec).inline, ...probes };
  const { source, names } = compileValidators(spec, inline);
  const compiled = performance.now();
  const result = await build({
    stdin: { contents: source, loader: 'ts', resolveDir: join(ROOT, 'src', 'generated') },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
    plugins: [importShared],
  });
  const dir = await mkdtemp(join(tmpdir(), 'feather-oracle-'));
  const file = join(dir, 'validators.mjs');
  await writeFile(file, result.outputFiles[0].text);
  const validators = (await import(pathToFileURL(file).href)) as Record<string, Check>;
  const timings = { compile: compiled - start, load: performance.now() - compiled };
  return { validators, names, inline, timings };
}
