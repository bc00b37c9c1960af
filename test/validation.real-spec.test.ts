/**
 * The validation oracle on the real 1.21.0 spec (openapi.json, with sdk.config.json's
 * corrections): every component schema, request body, 2xx answer, parameter set and multipart
 * body, compiled in memory, must agree with ajv (draft 2020-12 with ajv-formats, `format: time`
 * as its `iso-time`) plus the prose rules as test/support/oracle.ts reads them, on a bounded number of samples and near-misses each. (The
 * seed's body, on thousands: test/unit/validation.oracle.test.ts.) The slow tier: ajv compiles
 * 700 schemas here, 10 to 20 s on a busy machine.
 *
 * The oracle judges a value as it travels: after a JSON round trip, so `undefined` values count
 * as absent (the SDK checks the value before it is serialized and must agree).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Issue } from '@featherhq/sdk';
import {
  ajvJudge,
  compileInMemory,
  wire,
  withFileFields,
  type CompiledSpec,
} from './support/oracle.js';
import { fileFields } from '../scripts/gen/model.js';
import type { InlineSchema } from '../scripts/gen/validators.js';
import { SchemaSamples } from './support/oracle-samples.js';
import { correctedSpec } from './support/specs.js';

describe('the real 1.21.0 spec: every validator agrees with ajv + the prose rules', () => {
  // The vendored spec, with sdk.config.json's corrections, as the SDK is generated from it.
  const real = correctedSpec();
  const realJudge = ajvJudge(real);
  const samples = new SchemaSamples(real);
  let compiled: CompiledSpec;
  const probes = rareProbes(real);
  beforeAll(async () => {
    compiled = await compileInMemory(real, probes);
  }, 60_000);

  /** The schemas of one kind, with the inline entries' own schemas. */
  const targets = (kind: 'component' | 'Body' | 'Response' | 'Params' | 'Probe') =>
    kind === 'component'
      ? Object.keys(real.components.schemas).map((name) => ({
          name,
          schema: { $ref: `#/components/schemas/${name}` },
          accepts: (value: unknown) => realJudge.acceptsComponent(name, value),
        }))
      : Object.entries(compiled.inline)
          .filter(([name, entry]) => name.endsWith(kind) && !entry.multipart)
          .filter(([name]) => kind === 'Probe' || !name.endsWith('Probe'))
          .map(([name, { schema }]) => ({
            name,
            schema,
            accepts: (value: unknown) => realJudge.accepts(schema, value),
          }));

  /**
   * Runs `valid` samples and `nearMisses` of each target (ten times as many for a schema that
   * uses a rare keyword itself, so that each is reached); returns the counts and any mismatch.
   */
  function agree(kind: Parameters<typeof targets>[0], valid: number, nearMisses: number) {
    const counts = { schemas: 0, drawn: 0, drawnValid: 0, edited: 0, editedInvalid: 0 };
    const mismatches: string[] = [];
    const judge = (target: ReturnType<typeof targets>[number], value: unknown) => {
      const issues: Issue[] = [];
      const verdict = compiled.validators[compiled.names.get(target.name)!](value, [], issues);
      const expected = target.accepts(wire(value));
      // A refusal always says why; an acceptance never carries a problem.
      if (verdict !== expected || (issues.length === 0) !== verdict) {
        const shown = JSON.stringify(value).slice(0, 400);
        mismatches.push(`${target.name}: ajv ${expected}, SDK ${verdict} for ${shown}`);
      }
      return expected;
    };
    for (const [seed, target] of targets(kind).entries()) {
      const own = kind === 'component' ? real.components.schemas[target.name] : target.schema;
      const runs = kind !== 'Probe' && usesRareKeyword(own) ? 10 : 1;
      counts.schemas++;
      for (const value of fc.sample(samples.valid(target.schema), {
        numRuns: valid * runs,
        seed,
      })) {
        counts.drawn++;
        if (judge(target, value)) counts.drawnValid++;
      }
      const edits = fc.sample(samples.nearMiss(target.schema), {
        numRuns: nearMisses * runs,
        seed,
      });
      for (const value of edits) {
        counts.edited++;
        if (!judge(target, value)) counts.editedInvalid++;
      }
    }
    return { counts, mismatches };
  }

  it.each([
    ['component schema', 'component', 6, 8],
    ['request body (inline)', 'Body', 10, 10],
    ['2xx answer (inline)', 'Response', 10, 10],
    ['parameter set', 'Params', 10, 14],
    // Each place that uses a rare keyword, alone, so that edits reach that keyword.
    ['schema part with a rare keyword', 'Probe', 40, 160],
  ] as const)(
    'every %s',
    (what, kind, valid, nearMisses) => {
      const { counts, mismatches } = agree(kind, valid, nearMisses);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(counts.schemas).toBeGreaterThan(0);
      // Drawn values are mostly valid and edits mostly break them: agreement means something.
      expect(counts.drawnValid / counts.drawn).toBeGreaterThan(0.6);
      expect(counts.editedInvalid / counts.edited).toBeGreaterThan(0.3);
      console.log(
        `${what}: ${counts.schemas} schemas; ${counts.drawn} drawn (${counts.drawnValid} valid), ` +
          `${counts.edited} near-misses (${counts.editedInvalid} invalid)`,
      );
      // ajv compiles each schema on first use: 10 s for the 700 components alone, more when busy.
    },
    120_000,
  );

  const file = fc.oneof(
    fc.constantFrom<unknown>(
      new Blob(['RIFF']),
      new Uint8Array(4),
      new Int16Array(2),
      new ArrayBuffer(4),
      new DataView(new ArrayBuffer(4)),
      new ReadableStream(),
    ),
    // Not files: a path, a number, nothing.
    fc.constantFrom<unknown>('./call.wav', 3, null, {}, [], undefined),
  );

  it('every multipart body: Blobs, buffers and streams in its file fields, JSON elsewhere', () => {
    const { inline, validators, names } = compiled;
    const multipart = Object.entries(inline).filter(([, entry]) => entry.multipart);
    expect(multipart.length).toBeGreaterThan(0);
    const mismatches: string[] = [];
    for (const [seed, [name, { schema, component }]] of multipart.entries()) {
      const files = fileFields(schema);
      expect(files.length).toBeGreaterThan(0);
      const fields = fc.oneof(samples.valid(schema), samples.nearMiss(schema));
      // A field that takes several files gets a list of them (or, wrongly, one).
      const chosen = files.map((f) =>
        (schema.properties as Record<string, { type?: unknown }>)[f].type === 'array'
          ? fc.oneof(fc.array(file, { maxLength: 3 }), file)
          : file,
      );
      const bodies = fc.tuple(fields, fc.tuple(...chosen)).map(([fields, picked]) => ({
        ...(fields as object),
        ...Object.fromEntries(files.map((f, i) => [f, picked[i]])),
      }));
      for (const body of fc.sample(bodies, { numRuns: 300, seed })) {
        // The non-file fields travel as JSON; the files as they are.
        const travels = { ...(wire(body) as object), ...pick(body, files) };
        const expected = realJudge.accepts(withFileFields(schema, files, component), travels);
        if (validators[names.get(name)!](body, [], []) !== expected) {
          mismatches.push(`${name}: ajv ${expected} for ${Object.keys(body)}`);
        }
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});

const pick = (record: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));

type Json = any;

/** Keywords few schemas use. */
const RARE = [
  ...['propertyNames', 'prefixItems', 'exclusiveMinimum', 'exclusiveMaximum', 'const'],
  ...['pattern', 'minItems', 'maxItems'],
];
const BOUNDS = ['minLength', 'maxLength', 'minimum', 'maximum'];

/**
 * Whether a schema uses a rare keyword in its own tree (not in the schemas it refers to): one of
 * RARE, `format: time` or `date`, or bounds without a type (`{ anyOf: [...], maxLength: 64 }`).
 */
function usesRareKeyword(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(usesRareKeyword);
  if (typeof schema !== 'object' || schema === null) return false;
  const node = schema as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.some((k) => RARE.includes(k))) return true;
  if (node.format === 'time' || node.format === 'date') return true;
  if (node.type === undefined && keys.some((k) => BOUNDS.includes(k))) return true;
  return Object.values(node).some(usesRareKeyword);
}

/** The schemas directly inside a schema, with their pointers. */
function subschemas(schema: Json, at: string): [unknown, string][] {
  const out: [unknown, string][] = [];
  for (const [key, value] of Object.entries<Json>(schema)) {
    if (['properties', 'patternProperties'].includes(key)) {
      for (const [name, sub] of Object.entries(value)) out.push([sub, `${at}/${key}/${name}`]);
    } else if (['anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(key)) {
      (value as unknown[]).forEach((sub, i) => out.push([sub, `${at}/${key}/${i}`]));
    } else if (['items', 'additionalProperties', 'not', 'propertyNames'].includes(key)) {
      out.push([value, `${at}/${key}`]);
    }
  }
  return out;
}

/**
 * The distinct parts of the component schemas and parameters that use a rare keyword themselves
 * (not only in their parts), as inline schemas named `P<n>Probe`, to be judged alone.
 */
function rareProbes(spec: Json): Record<string, InlineSchema> {
  const found = new Map<string, InlineSchema>();
  const visit = (node: unknown, at: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const parts = subschemas(node, at);
    const own = Object.fromEntries(
      Object.entries(node).filter(([k]) => !['properties', 'items', 'anyOf', 'oneOf'].includes(k)),
    );
    const key = JSON.stringify(node);
    if (usesRareKeyword(own) && !found.has(key)) {
      found.set(key, { schema: node as Record<string, unknown>, doc: at, pointer: at });
    }
    for (const [sub, where] of parts) visit(sub, where);
  };
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    visit(schema, `#/components/schemas/${name}`);
  }
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const at = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
      op.parameters?.forEach((p: Json, i: number) =>
        visit(p.schema, `${at}/parameters/${i}/schema`),
      );
    }
  }
  return Object.fromEntries([...found.values()].map((probe, i) => [`P${i}Probe`, probe]));
}
