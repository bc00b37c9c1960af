/**
 * The official JSON-Schema-Test-Suite (draft 2020-12), vendored in
 * test/fixtures/json-schema-test-suite/ (its README names the commit), and its two judges run on
 * the same tests in the same process:
 * - ajv: `Ajv2020` with ajv-formats, `time` as its `iso-time` (specAjv in oracle.ts), strict off
 *   so that unknown keywords are annotations as the suite expects;
 * - the SDK: each group's schema compiled by `compileValidators` as a component schema of an
 *   OpenAPI document, all of them loaded as one module (compileInMemory).
 *
 * Scope, as issue 17 draws it: the keyword files and `optional/format/<name>.json` for each
 * format ajv-formats knows, and `unknown.json` (unknown formats are annotations). Out of scope,
 * each with its reason in OUT_OF_SCOPE: remote references, `$id` / `$anchor` / `$dynamicRef`
 * (the SDK compiles OpenAPI documents, whose schemas refer to each other by local JSON pointer),
 * vocabularies, `format.json` (formats as annotations only, while the SDK asserts them), and a
 * `time` without an offset (accepted on purpose: Pydantic writes naive times).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { ROOT } from '../../scripts/lib/spec.js';
import { compileValidators } from '../../scripts/gen/validators.js';
import type { Check, Issue } from '../../src/core/check.js';
import { compileInMemory, specAjv } from './oracle.js';

export const SUITE_DIR = join(ROOT, 'test', 'fixtures', 'json-schema-test-suite');
const DRAFT = join(SUITE_DIR, 'tests', 'draft2020-12');

export interface SuiteTest {
  description: string;
  data: unknown;
  valid: boolean;
}

export interface SuiteGroup {
  /** `contains.json`, `optional/format/uuid.json` */
  file: string;
  description: string;
  schema: unknown;
  tests: SuiteTest[];
}

/** Whole files left out, and why. */
export const OUT_OF_SCOPE: Record<string, string> = {
  'anchor.json': '$anchor',
  'dynamicRef.json': '$dynamicRef',
  'refRemote.json': 'remote references',
  'vocabulary.json': 'vocabularies',
  'format.json': 'formats as annotations only (the SDK asserts them)',
};

/** Keywords that place a schema by identifier rather than by local JSON pointer. */
const IDENTIFIERS = /"\$(id|anchor|dynamicRef|dynamicAnchor|vocabulary)"/;
/** A `$ref` to anything but a local JSON pointer (`#`, `#/$defs/a`): another document. */
const REMOTE_REF = /"\$ref":"(?!#)/;

/** `12:00:00`, `12:00:00.52`: a time without an offset, which the SDK accepts on purpose. */
const NAIVE_TIME = /^\d\d:\d\d:\d\d(\.\d+)?$/;

const inScope = (group: SuiteGroup) => {
  const text = JSON.stringify(group.schema);
  return !IDENTIFIERS.test(text) && !REMOTE_REF.test(text);
};

const testInScope = (file: string, test: SuiteTest) =>
  !(
    file === 'optional/format/time.json' &&
    !test.valid &&
    typeof test.data === 'string' &&
    NAIVE_TIME.test(test.data)
  );

const read = (file: string): SuiteGroup[] =>
  (JSON.parse(readFileSync(join(DRAFT, file), 'utf8')) as Omit<SuiteGroup, 'file'>[]).map(
    (group) => ({ ...group, file }),
  );

/** The files in scope: every keyword file not left out, and the formats ajv-formats knows. */
export function suiteFiles(): string[] {
  const keywords = readdirSync(DRAFT).filter(
    (f) => f.endsWith('.json') && !Object.hasOwn(OUT_OF_SCOPE, f),
  );
  // `unknown.json` too: an unknown format is an annotation (issue 17).
  const formats = readdirSync(join(DRAFT, 'optional', 'format'))
    .filter((f) => f === 'unknown.json' || Object.hasOwn(fullFormats, f.replace(/\.json$/, '')))
    .map((f) => `optional/format/${f}`);
  return [...keywords, ...formats].sort();
}

/** The groups in scope, with their tests in scope. */
export function suiteGroups(): SuiteGroup[] {
  return suiteFiles().flatMap((file) =>
    read(file)
      .filter(inScope)
      .map((group) => ({ ...group, tests: group.tests.filter((t) => testInScope(file, t)) })),
  );
}

/** Keywords whose values are data, not schemas: a `$ref` in them is no reference. */
const DATA = new Set(['enum', 'const', 'default', 'examples']);

/**
 * A group's schema placed at `#/components/schemas/<name>` of an OpenAPI document: its local
 * pointers (`#`, `#/$defs/a`) are relative to itself, so they move with it.
 */
export function asComponent(schema: unknown, name: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => asComponent(s, name));
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#')
        ? `#/components/schemas/${name}${value.slice(1)}`
        : DATA.has(key)
          ? value
          : asComponent(value, name),
    ]),
  );
}

const documentOf = (schemas: Record<string, unknown>) => ({
  openapi: '3.1.0',
  info: { title: 'JSON-Schema-Test-Suite', version: '0' },
  paths: {},
  components: { schemas },
});

/**
 * Where the SDK disagrees with the suite, on purpose: it keeps ajv-formats' reading, which
 * ajv shares (test/json-schema-suite.test.ts asserts it). By `testId`.
 */
export const KEPT_FROM_AJV_FORMATS: Record<string, string> = {
  'optional/format/date-time.json | validation of date-time strings | a numeric offset without minutes is invalid':
    'an offset of hours only (`+01`), as ajv-formats and ISO 8601 take it',
  'optional/format/duration.json | validation of duration strings | years and days cannot appear without months':
    'ISO 8601 durations (`P1Y2D`), which RFC 3339 narrows',
  'optional/format/duration.json | validation of duration strings | hours and seconds cannot appear without minutes':
    'ISO 8601 durations (`PT1H2S`), which RFC 3339 narrows',
  'optional/format/uuid.json | uuid format | URN prefixed UUID is invalid':
    'the URN form, which ajv-formats and the server (Pydantic) take',
};

/** `file | group | test`: how KEPT_FROM_AJV_FORMATS and the failures name a test. */
export const testId = (group: SuiteGroup, test: SuiteTest): string =>
  `${group.file} | ${group.description} | ${test.description}`;

/** One test's outcome for one judge: agreed with the suite, or not, or crashed (an exception). */
export type Outcome = 'pass' | 'fail' | 'crash';

export interface JudgedGroup {
  group: SuiteGroup;
  /** Why the judge refused to compile the group's schema; its tests then count as failed. */
  refused?: string;
  /** The exception compiling it threw instead (its tests count as crashed). */
  crashed?: string;
  outcomes: Outcome[];
}

/** ajv's verdicts. A schema it cannot compile is a refused group. */
export function judgeWithAjv(groups: SuiteGroup[]): JudgedGroup[] {
  const ajv = specAjv({ strict: false, logger: false });
  return groups.map((group) => {
    let validate: (data: unknown) => boolean;
    try {
      validate = ajv.compile(group.schema as object) as (data: unknown) => boolean;
    } catch (error) {
      return { group, refused: String(error), outcomes: group.tests.map(() => 'fail') };
    }
    return { group, outcomes: group.tests.map((test) => outcome(() => validate(test.data), test)) };
  });
}

function outcome(verdict: () => boolean, test: SuiteTest): Outcome {
  try {
    return verdict() === test.valid ? 'pass' : 'fail';
  } catch {
    return 'crash';
  }
}

/** How compileValidators starts the one error that lists what it cannot compile. */
const REFUSAL = 'the validator compiler cannot handle';

/**
 * The SDK's verdicts: each group compiled alone first (so that a refusal names its group), then
 * every group it compiles loaded as one module. A valid verdict must come with no issue, and an
 * invalid one with at least one: the validators report what they refuse.
 */
export async function judgeWithSdk(groups: SuiteGroup[]): Promise<JudgedGroup[]> {
  const names = groups.map((_, i) => `Group${i}`);
  const failures = groups.map((group, i): Partial<JudgedGroup> | undefined => {
    try {
      compileValidators(documentOf({ [names[i]]: asComponent(group.schema, names[i]) }));
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return message.startsWith(REFUSAL) ? { refused: message } : { crashed: message };
    }
  });
  const schemas = Object.fromEntries(
    groups.flatMap((group, i) =>
      failures[i] === undefined ? [[names[i], asComponent(group.schema, names[i])]] : [],
    ),
  );
  const { validators, names: exported } = await compileInMemory(documentOf(schemas));
  return groups.map((group, i) => {
    const failure = failures[i];
    if (failure !== undefined) {
      const outcomes = group.tests.map((): Outcome => (failure.refused ? 'fail' : 'crash'));
      return { group, ...failure, outcomes };
    }
    const check = validators[exported.get(names[i])!];
    return {
      group,
      outcomes: group.tests.map((test) => outcome(() => verdict(check, test), test)),
    };
  });
}

function verdict(check: Check, test: SuiteTest): boolean {
  const issues: Issue[] = [];
  const valid = check(test.data, [], issues);
  if (valid === issues.length > 0) {
    throw new Error(`verdict ${valid} with ${issues.length} issue(s)`);
  }
  return valid;
}

export interface Tally {
  tests: number;
  passed: number;
  crashed: number;
  refusedGroups: number;
}

/** Counts by file, and `total`. */
export function tally(judged: JudgedGroup[]): Record<string, Tally> {
  const byFile: Record<string, Tally> = {};
  const add = (key: string, j: JudgedGroup) => {
    const t = (byFile[key] ??= { tests: 0, passed: 0, crashed: 0, refusedGroups: 0 });
    t.tests += j.outcomes.length;
    t.passed += j.outcomes.filter((o) => o === 'pass').length;
    t.crashed += j.outcomes.filter((o) => o === 'crash').length;
    t.refusedGroups += j.refused === undefined ? 0 : 1;
  };
  for (const j of judged) {
    add(j.group.file, j);
    add('total', j);
  }
  return byFile;
}
