/**
 * A new spec from a file or a URL, as JSON or YAML, checked to be OpenAPI 3.x before anything
 * else looks at it. JSON is kept as the bytes Feather published; YAML becomes JSON text.
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Spec } from '../lib/spec.js';

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

async function check(doc: Spec, source: string): Promise<void> {
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new SpecError(
      `${source} is not an OpenAPI 3.x document (openapi: ${JSON.stringify(doc.openapi ?? doc.swagger)})`,
    );
  }
  // The parser dereferences what it validates: give it a copy, keep our $refs. It stops at the
  // first $ref that points at nothing: those are listed here, and left out of its copy, so that
  // one message names every problem.
  const copy = structuredClone(doc);
  const dangling = danglingRefs(copy);
  const result = await validate(copy as never, { resolve: { external: false } });
  const problems = dangling.length
    ? [`${dangling.length} $ref(s) point at nothing:\n  ${dangling.join('\n  ')}`]
    : [];
  if (!result.valid) problems.push(compileErrors(result));
  if (problems.length) {
    throw new SpecError(`${source} is not a valid OpenAPI document:\n${problems.join('\n')}`);
  }
}

/** The value at a local JSON pointer (`#/components/schemas/A~1B`), or undefined. */
function resolve(doc: Spec, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Spec)[key];
  }
  return node;
}

/**
 * Every local `$ref` that resolves to nothing, with where it is (each is taken out of `doc`): the
 * parser stops at the first, and a maintainer fixing a spec wants them all at once.
 */
function danglingRefs(doc: Spec): string[] {
  const found: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
        if (resolve(doc, value) === undefined) {
          found.push(`${here}: ${value}`);
          delete (node as Spec).$ref;
        }
      } else if (key === 'mapping' && value && typeof value === 'object') {
        // A discriminator's mapping: schema names, or references that must resolve too.
        for (const [tag, target] of Object.entries(value)) {
          if (typeof target !== 'string' || !target.startsWith('#/')) continue;
          if (resolve(doc, target) !== undefined) continue;
          found.push(`${here}/${tag}: ${target}`);
          delete (value as Spec)[tag];
        }
      } else walk(value, here);
    }
  };
  walk(doc, '#');
  return found;
}

export interface SpecSource {
  doc: Spec;
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
  await check(doc, source);
  return { doc, text: json ? raw : `${JSON.stringify(doc, null, 2)}\n` };
}
