/**
 * JSON Schema 2020-12 as the official JSON-Schema-Test-Suite writes it (vendored in
 * test/fixtures/json-schema-test-suite/, pinned to the commit its README names), in the scope
 * test/support/json-schema-suite.ts draws: the SDK's compiled validators against the suite's
 * verdicts, and ajv (Ajv2020 + ajv-formats, `time` as `iso-time`) on the same tests in the same
 * run. The slow tier: it compiles and loads 300 schemas.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { generate, ROOT, SPEC_PATH } from '../scripts/generate.js';
import {
  KEPT_FROM_AJV_FORMATS,
  judgeWithAjv,
  judgeWithSdk,
  suiteFiles,
  suiteGroups,
  tally,
  testId,
  type JudgedGroup,
} from './support/json-schema-suite.js';

const failures = (judged: JudgedGroup[]) =>
  judged.flatMap(({ group, outcomes }) =>
    outcomes.flatMap((outcome, i) => (outcome === 'pass' ? [] : [testId(group, group.tests[i])])),
  );

let sdk: JudgedGroup[];
let ajv: JudgedGroup[];
beforeAll(async () => {
  const groups = suiteGroups();
  ajv = judgeWithAjv(groups);
  sdk = await judgeWithSdk(groups);
}, 120_000);

describe('JSON-Schema-Test-Suite, draft 2020-12', () => {
  it('is in scope as issue 17 draws it: the keyword files and the formats ajv-formats knows', () => {
    const files = suiteFiles();
    expect(files).toContain('unevaluatedProperties.json');
    expect(files).toContain('optional/format/hostname.json');
    expect(files).toContain('optional/format/unknown.json');
    expect(files).not.toContain('refRemote.json');
    expect(files).not.toContain('format.json');
    expect(files).not.toContain('optional/format/idn-hostname.json');
    expect(sdk.length).toBeGreaterThanOrEqual(310);
  });

  it('the SDK compiles every group and crashes on no test', () => {
    expect(sdk.filter((j) => j.refused !== undefined || j.crashed !== undefined)).toEqual([]);
    expect(sdk.flatMap((j) => j.outcomes).filter((o) => o === 'crash')).toEqual([]);
  });

  it('the SDK disagrees only where it keeps ajv-formats’ reading, on purpose', () => {
    expect(failures(sdk)).toEqual(Object.keys(KEPT_FROM_AJV_FORMATS));
    // ajv disagrees there too: these are its verdicts the SDK keeps.
    expect(failures(ajv)).toEqual(expect.arrayContaining(Object.keys(KEPT_FROM_AJV_FORMATS)));
  });

  it('the SDK gets right every test ajv gets right, and more, file by file', () => {
    const missed = failures(sdk).filter((test) => !failures(ajv).includes(test));
    expect(missed).toEqual([]);
    const ours = tally(sdk);
    const theirs = tally(ajv);
    for (const file of Object.keys(theirs)) {
      expect(ours[file].passed, file).toBeGreaterThanOrEqual(theirs[file].passed);
    }
    expect(ours.total.passed).toBeGreaterThan(theirs.total.passed);
  });
});

describe('an unknown format', () => {
  it('is an annotation: npm run generate (and spec:update, which calls it) warns once, and generates', async () => {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
    const schemas = spec.components.schemas;
    schemas.SimulationRunDispatch.properties.agent_id.format = 'uuid4';
    schemas.SimulationRunDispatch.properties.persona_id.format = 'uuid4';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const files = await generate(JSON.stringify(spec));
      expect(files.get('src/generated/validators.ts')).toContain('agent_id: [string(), true]');
      expect(warn.mock.calls).toEqual([
        [
          'generate: warning: format "uuid4" is not a format the validators know, so it is not checked (2 place(s), e.g. #/components/schemas/SimulationRunDispatch/properties/agent_id/format)',
        ],
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

// (Here, not in test/unit: Stryker's instrumented sources keep every block alive.)
describe('a keyword no schema uses costs no byte', () => {
  it("an app that uses the seed's blocks ships none of the others, nor any other format", async () => {
    const seedBlocks = `
      import { allOf, any, integer, nullable, object, oneOfValues, string, UUID } from './check.ts';
      console.log(object({ a: [nullable(string(UUID))], b: [integer(0, 1)], c: [oneOfValues(['x'])], d: [allOf([any])] }));`;
    const result = await build({
      stdin: { contents: seedBlocks, resolveDir: join(ROOT, 'src', 'core'), loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    expect(code).toContain('UUID_PATTERN');
    const others = [
      ...[
        'multipleOf',
        'propertyCount',
        'patternProperties',
        'otherProperties',
        'dependentRequired',
      ],
      ...['dependentSchemas', 'uniqueItems', 'contains', 'ifThen', 'oneOfJson', 'canonical'],
      ...['unevaluatedItems', 'seenKeys', 'seenIf', 'stringBounds', 'prefixItems'],
      ...['DATE_TIME', 'EMAIL', 'uriPatterns', 'uriTemplatePattern', 'punycode', 'VIRAMA', 'REGEX'],
    ];
    expect(others.filter((name) => code.includes(name))).toEqual([]);
  });
});
