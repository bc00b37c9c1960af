/**
 * A new spec from a file or a URL, as JSON or YAML, checked to be OpenAPI 3.x before anything
 * else looks at it. JSON is kept as the bytes Feather published; YAML becomes JSON text.
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import {
  atPointer,
  danglingSchemaRefs,
  isStrayMediaField,
  isStrayResponseField,
  METHODS,
  pointerKey,
  type Spec,
} from '../lib/spec.js';

/** The spec cannot be used, or the tree it gives would not work: nothing was written. */
export class SpecError extends Error {}

async function load(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new SpecError(`could not fetch ${source}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new SpecError(`could not fetch ${source}: HTTP ${response.status}`);
    return response.text();
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    throw new SpecError(`could not read ${source}: ${(error as Error).message}`);
  }
}

/** JSON, else YAML (which would also read JSON, but JSON.parse names the error better). */
function parse(text: string, source: string): { doc: Spec; json: boolean } {
  let doc: unknown;
  let json = true;
  try {
    doc = JSON.parse(text);
  } catch {
    json = false;
    try {
      doc = parseYaml(text);
    } catch (error) {
      throw new SpecError(`${source} is neither JSON nor YAML: ${(error as Error).message}`);
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SpecError(`${source} is not an OpenAPI document (not an object)`);
  }
  return { doc: doc as Spec, json };
}

/**
 * Checks the document, and says what generation passes over. `doc` itself is left as published:
 * the checks run on a copy.
 */
async function check(doc: Spec, source: string): Promise<string[]> {
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new SpecError(
      `${source} is not an OpenAPI 3.x document (openapi: ${JSON.stringify(doc.openapi ?? doc.swagger)})`,
    );
  }
  // The parser dereferences what it validates: give it a copy, keep our $refs. What points at no
  // schema is generation's to pass over, and to say (withoutDanglingRefs): left out of the copy.
  // It stops at the first other $ref that points at nothing: those are listed here, and left out
  // of its copy, so that one message names every problem.
  const copy = structuredClone(doc);
  danglingSchemaRefs(copy, true);
  const warnings = tolerate(copy);
  const dangling = danglingRefs(copy);
  const result = await validate(copy as never, { resolve: { external: false } });
  const problems = dangling.length
    ? [`${dangling.length} $ref(s) point at nothing:\n  ${dangling.join('\n  ')}`]
    : [];
  if (!result.valid) problems.push(compileErrors(result));
  if (problems.length) {
    throw new SpecError(`${source} is not a valid OpenAPI document:\n${problems.join('\n')}`);
  }
  return warnings;
}

const objectsIn = (node: unknown): [string, Spec][] =>
  node && typeof node === 'object'
    ? Object.entries<Spec>(node as Spec).filter(([, v]) => v && typeof v === 'object')
    : [];

/**
 * What a spec gets wrong that changes no type, validator or call: mended in the validator's copy,
 * and each one said. FastAPI's `responses=` and `openapi_extra` readily give a Media Type Object a
 * `description`, or leave a Response Object without one (letta and langgraph publish both).
 */
function tolerate(doc: Spec): string[] {
  const warnings: string[] = [];
  const body = (object: Spec, at: string) => {
    if ('$ref' in object) return;
    for (const [type, media] of objectsIn(object.content)) {
      for (const key of Object.keys(media)) {
        if (!isStrayMediaField(key)) continue;
        warnings.push(
          `${at}/content/${pointerKey(type)}/${key}: not a field of a Media Type Object, ignored`,
        );
        delete media[key];
      }
    }
  };
  const response = (object: Spec, at: string) => {
    body(object, at);
    if ('$ref' in object) return;
    const stray = Object.keys(object).filter(isStrayResponseField);
    if (stray.length) {
      warnings.push(`${at}: ${stray.join(', ')}: not fields of a Response Object, ignored`);
      for (const key of stray) delete object[key];
    }
    if (typeof object.description === 'string') return;
    warnings.push(`${at}: a Response Object without its description, read as empty`);
    object.description = '';
  };
  for (const [path, item] of objectsIn(doc.paths)) {
    for (const [method, op] of objectsIn(item).filter(([key]) => METHODS.includes(key))) {
      const at = `#/paths/${pointerKey(path)}/${method}`;
      const { requestBody } = op;
      if (requestBody && typeof requestBody === 'object') body(requestBody, `${at}/requestBody`);
      for (const [status, r] of objectsIn(op.responses)) response(r, `${at}/responses/${status}`);
    }
  }
  const components = doc.components as Spec | undefined;
  for (const [name, r] of objectsIn(components?.responses)) {
    response(r, `#/components/responses/${pointerKey(name)}`);
  }
  for (const [name, b] of objectsIn(components?.requestBodies)) {
    body(b, `#/components/requestBodies/${pointerKey(name)}`);
  }
  return warnings;
}

/**
 * Every local `$ref` that resolves to nothing, with where it is (each is taken out of `doc`): the
 * parser stops at the first, and a maintainer fixing a spec wants them all at once. A parameter,
 * body or response that is not there cannot be called; a schema can be read as any value, which
 * is generation's to do (withoutDanglingRefs).
 */
function danglingRefs(doc: Spec): string[] {
  const found: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}/${pointerKey(key)}`;
      if (key !== '$ref' || typeof value !== 'string' || !value.startsWith('#/')) walk(value, here);
      else if (atPointer(doc, value) === undefined) {
        found.push(`${here}: ${value}`);
        delete (node as Spec).$ref;
      }
    }
  };
  walk(doc, '#');
  return found;
}

export interface SpecSource {
  doc: Spec;
  /** What the document gets wrong that generation passes over, one line each. */
  warnings: string[];
  /**
   * What openapi.json is to hold: a JSON source's own text, byte for byte as published; a YAML
   * source's document as JSON (2-space indent, a final newline), since YAML's text cannot be kept.
   */
  text: string;
}

/** The document at `source`, parsed and validated, with the text to vendor. */
export async function readSpec(source: string): Promise<SpecSource> {
  const raw = await load(source);
  const { doc, json } = parse(raw, source);
  const warnings = await check(doc, source);
  return { doc, warnings, text: json ? raw : `${JSON.stringify(doc, null, 2)}\n` };
}
