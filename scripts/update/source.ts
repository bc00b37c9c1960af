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
  // The parser dereferences what it validates: give it a copy, keep our $refs.
  const result = await validate(structuredClone(doc) as never, { resolve: { external: false } });
  if (!result.valid) {
    throw new SpecError(`${source} is not a valid OpenAPI document:\n${compileErrors(result)}`);
  }
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
