/**
 * The validator compiler (scripts/gen/validators.ts, scripts/gen/schema-compiler.ts) on small
 * specs of its own, compiled and loaded in memory: what it refuses (every place in one message),
 * what it passes over (unknown keywords; unknown formats, with one warning each), and how it reads
 * what real specs write (local JSON pointers, recursion, OpenAPI 3.0's `nullable` and boolean
 * `exclusiveMinimum`). The keywords themselves are judged by JSON-Schema-Test-Suite
 * (test/json-schema-suite.test.ts) and their blocks by check.keywords.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileValidators } from '../../scripts/gen/validators.js';
import type { Check, Issue } from '../../src/core/check.js';
import { compileInMemory } from '../support/oracle.js';

const specOf = (schemas: Record<string, unknown>) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {},
  components: { schemas },
});
const load = async (schemas: Record<string, unknown>) =>
  (await compileInMemory(specOf(schemas))).validators;
const verdicts = (check: Check, values: unknown[]) => values.map((v) => check(v, [], []));
/** The error compileValidators throws, one line per place (its first line says how many). */
const refusal = (schemas: Record<string, unknown>): string[] => {
  try {
    compileValidators(specOf(schemas));
  } catch (error) {
    return (error as Error).message.split('\n').map((line) => line.trim());
  }
  throw new Error('the spec was not refused');
};

describe('what the compiler refuses: only what it cannot compile, every place in one message', () => {
  it('lists each place with its pointer and the reason', () => {
    const lines = refusal({
      Param: { $ref: '#/components/parameters/Limit' },
      Remote: { $ref: 'https://example.com/schema.json' },
      Anchor: { $ref: '#node' },
      Root: { $ref: '#' },
      Malformed: { $ref: '#/components/schemas/%zz' },
      Dynamic: { $dynamicRef: '#node' },
      Upload: { type: 'file' },
      Code: { type: 'string', pattern: '(' },
      Count: { type: 'array', minItems: -1, uniqueItems: 'yes' },
      Choice: { anyOf: [] },
      CannedToolResponse: { type: 'object', properties: { output: {} } },
    });
    expect(lines[0]).toBe('the validator compiler cannot handle 12 schema place(s):');
    expect(lines.slice(1)).toEqual([
      '#/components/schemas/CannedToolResponse: its prose rule (src/spec/rules.ts) reads error, which it does not declare',
      '#/components/schemas/Param/$ref: $ref "#/components/parameters/Limit" does not point to anything in the spec',
      '#/components/schemas/Remote/$ref: unsupported $ref "https://example.com/schema.json": only local JSON pointers (#/...) are',
      '#/components/schemas/Anchor/$ref: unsupported $ref "#node": JSON pointers are, anchors not',
      '#/components/schemas/Root/$ref: unsupported $ref "#": the document is no schema',
      '#/components/schemas/Malformed/$ref: $ref "#/components/schemas/%zz" does not point to anything in the spec',
      '#/components/schemas/Dynamic/$dynamicRef: $dynamicRef is not supported (local $ref is)',
      '#/components/schemas/Upload/type: unsupported type "file"',
      expect.stringMatching(
        /^#\/components\/schemas\/Code\/pattern: pattern "\(" is not a valid regex/,
      ),
      '#/components/schemas/Count/minItems: minItems must be a number >= 0, not -1',
      '#/components/schemas/Count/uniqueItems: uniqueItems must be a boolean',
      '#/components/schemas/Choice/anyOf: anyOf must be a non-empty array',
    ]);
  });

  it('names a place once, however many schemas reach it', () => {
    const lines = refusal({
      Bad: { type: 'string', pattern: '(' },
      Twice: { allOf: [{ $ref: '#/components/schemas/Bad/pattern' }] },
      Also: { $ref: '#/components/schemas/Bad/pattern' },
      Loose: {
        unevaluatedProperties: false,
        anyOf: [{ properties: { a: { pattern: '(' } } }],
      },
    });
    expect(lines.slice(1).map((line) => line.replace(/regex: .*/, 'regex'))).toEqual([
      '#/components/schemas/Bad/pattern: pattern "(" is not a valid regex',
      '#/components/schemas/Bad/pattern: a schema must be an object or a boolean, not "("',
      '#/components/schemas/Loose/anyOf/0/properties/a/pattern: pattern "(" is not a valid regex',
    ]);
  });
});

describe('what the compiler passes over', () => {
  it('unknown keywords and vendor extensions: annotations, as JSON Schema and ajv (strict: false) read them', async () => {
    const { validateNote } = await load({
      Note: {
        type: 'object',
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://example.com/note',
        $defs: { unused: { type: 'string' } },
        title: 'Note',
        supported_environment_variables: ['A'],
        min_items: 3,
        optional: true,
        summary: 's',
        openapi_extra: { x: 1 },
        'x-internal': true,
        discriminator: { propertyName: 'k' },
        definitions: { old: {} },
        additionalItems: false,
        properties: {
          id: { type: 'string', readOnly: true, default: 'x', examples: ['a'] },
          blob: { type: 'string', format: 'binary', contentMediaType: 'image/png' },
          encoded: { type: 'string', contentEncoding: 'base64', contentSchema: { type: 'number' } },
          tags: { type: 'array', items: { type: 'string' }, min_items: 9 },
        },
      },
    });
    expect(
      verdicts(validateNote, [{ id: 'a', blob: 'c', encoded: '!', tags: [] }, { id: 1 }, 'x']),
    ).toEqual([true, false, false]);
  });

  it('an unknown format: no check, and one warning per format, naming how many places use it', async () => {
    const spec = specOf({
      Id: { type: 'string', format: 'uuid4' },
      Ids: { type: 'array', items: { type: 'string', format: 'uuid4' } },
      Color: { type: 'string', format: 'color' },
      Path: { format: 'path' },
      Gap: { type: 'string', format: 'time-delta' },
      Address: { type: 'string', format: 'ipvanyaddress' },
      // Compiled twice (for unevaluatedProperties, the branch is judged again): one place still.
      Loose: { unevaluatedProperties: false, anyOf: [{ properties: { a: { format: 'color' } } }] },
    });
    const { warnings } = compileValidators(spec);
    expect(warnings).toEqual([
      'format "uuid4" is not a format the validators know, so it is not checked (2 place(s), e.g. #/components/schemas/Id/format)',
      'format "color" is not a format the validators know, so it is not checked (2 place(s), e.g. #/components/schemas/Color/format)',
      'format "path" is not a format the validators know, so it is not checked (1 place(s), e.g. #/components/schemas/Path/format)',
      'format "time-delta" is not a format the validators know, so it is not checked (1 place(s), e.g. #/components/schemas/Gap/format)',
      'format "ipvanyaddress" is not a format the validators know, so it is not checked (1 place(s), e.g. #/components/schemas/Address/format)',
    ]);
    const v = (await compileInMemory(spec)).validators;
    expect(verdicts(v.validateId, ['not a uuid', 1])).toEqual([true, false]);
    expect(verdicts(v.validateIds, [['x', 'y'], [1]])).toEqual([true, false]);
    expect(verdicts(v.validatePath, ['/a', 1, null])).toEqual([true, true, true]);
    // Known formats warn of nothing.
    expect(compileValidators(specOf({ A: { type: 'string', format: 'uuid' } })).warnings).toEqual(
      [],
    );
  });
});

describe('how the compiler reads what specs write', () => {
  it('applies bounds of a schema without a type to values of their type', async () => {
    const { validateReason, validateIds } = await load({
      Reason: {
        anyOf: [
          { anyOf: [{ enum: ['timeout'] }, { type: 'string' }], maxLength: 8 },
          { type: 'null' },
        ],
      },
      Ids: {
        type: 'object',
        propertyNames: { format: 'uuid' },
        additionalProperties: { minimum: 0 },
      },
    });
    expect(verdicts(validateReason, ['timeout', '😀'.repeat(8), 'x'.repeat(9), null, 3])).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
    const id = '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d';
    expect(
      verdicts(validateIds, [{ [id]: 1 }, { [id]: -1 }, { [id]: 'text' }, { nope: 1 }]),
    ).toEqual([true, false, true, false]);
  });

  it('reads type lists, null in them, const, not, prefixItems with items, and $ref siblings', async () => {
    const v = await load({
      Letter: { type: ['string', 'null'], enum: ['a', 'b'] },
      NumberOrText: { type: ['integer', 'string'], minimum: 1, maxLength: 2 },
      Queued: { type: 'string', const: 'queued' },
      NotEmpty: { type: 'string', not: { const: '' } },
      Row: {
        type: 'array',
        prefixItems: [{ type: 'string' }, { type: 'integer' }],
        items: { type: 'boolean' },
      },
      Short: { $ref: '#/components/schemas/Letter', maxLength: 0 },
    });
    // An enum applies to null too: a nullable type does not let null past the enum.
    expect(verdicts(v.validateLetter, ['a', 'c', null, 1])).toEqual([true, false, false, false]);
    expect(verdicts(v.validateNumberOrText, [1, 0, 'ab', 'abc', true])).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(verdicts(v.validateQueued, ['queued', 'done'])).toEqual([true, false]);
    expect(verdicts(v.validateNotEmpty, ['x', ''])).toEqual([true, false]);
    expect(verdicts(v.validateRow, [['a', 1], ['a', 1, true], ['a', 1, 2], [1]])).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(verdicts(v.validateShort, ['', 'a'])).toEqual([false, false]);
  });

  it('follows any local JSON pointer, recursive ones too, each target compiled once', async () => {
    const spec = specOf({
      Tree: {
        type: 'object',
        properties: {
          value: { $ref: '#/components/schemas/Tree/$defs/leaf' },
          children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
          parent: { $ref: '#/components/schemas/Tree/properties/value' },
        },
        $defs: { leaf: { type: 'integer', minimum: 0 } },
      },
      'Odd/Name': { $ref: '#/components/schemas/Tree/$defs/leaf' },
      Escaped: { $ref: '#/components/schemas/Odd~1Name' },
    });
    const { source } = compileValidators(spec);
    // One hoisted check for the leaf, built on first use like the validators.
    expect(source.match(/integer\(0\)/g)).toHaveLength(1);
    expect(source).toMatch(/const ref0: Check = \/\* @__PURE__ \*\/ lazy\(\(\) => integer\(0\)\)/);
    const v = (await compileInMemory(spec)).validators;
    const tree = { value: 1, children: [{ value: 2, children: [{ value: -1 }] }], parent: 3 };
    const issues: Issue[] = [];
    expect(v.validateTree(tree, [], issues)).toBe(false);
    expect(issues.map((i) => [i.path, i.rule])).toEqual([
      [['children', 0, 'children', 0, 'value'], 'minimum'],
    ]);
    expect(verdicts(v.validateEscaped, [1, -1])).toEqual([true, false]);
  });

  it("reads OpenAPI 3.0's nullable (beside a type or not) and boolean exclusive bounds", async () => {
    const v = await load({
      Name: { type: 'string', nullable: true },
      Ref: { nullable: true, allOf: [{ $ref: '#/components/schemas/Positive' }] },
      Positive: { type: 'number', minimum: 0, exclusiveMinimum: true },
      Small: { type: 'integer', maximum: 10, exclusiveMaximum: false },
    });
    expect(verdicts(v.validateName, ['a', null, 1])).toEqual([true, true, false]);
    expect(verdicts(v.validateRef, [1, null, 0, 'a'])).toEqual([true, true, false, false]);
    expect(verdicts(v.validatePositive, [0.1, 0, -1])).toEqual([true, false, false]);
    expect(verdicts(v.validateSmall, [10, 11])).toEqual([true, false]);
  });

  it('counts a required key that properties does not declare as an additional one', async () => {
    const v = await load({
      Closed: { type: 'object', required: ['a'], additionalProperties: false },
      Typed: { type: 'object', required: ['a'], additionalProperties: { type: 'integer' } },
      Patterned: {
        type: 'object',
        required: ['a'],
        patternProperties: { '^a$': { type: 'string' } },
        additionalProperties: false,
      },
    });
    expect(verdicts(v.validateClosed, [{}, { a: 1 }])).toEqual([false, false]);
    expect(verdicts(v.validateTyped, [{ a: 1 }, { a: 'x' }, {}])).toEqual([true, false, false]);
    expect(verdicts(v.validatePatterned, [{ a: 'x' }, { a: 1 }, { a: 'x', b: 1 }])).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('counts only own properties: Object.prototype has none of an object`s keys', async () => {
    // Parsed, as a spec is: `__proto__` in an object literal would set the prototype instead.
    const Proto = JSON.parse(
      '{"type": "object", "required": ["constructor", "toString", "__proto__"], "properties": {"constructor": {"type": "integer"}, "__proto__": {"type": "integer"}}}',
    );
    const v = await load({ Proto });
    const own = JSON.parse('{"constructor": 1, "toString": 2, "__proto__": 3}');
    expect(verdicts(v.validateProto, [{}, own, { ...own, constructor: 'x' }])).toEqual([
      false,
      true,
      false,
    ]);
    const issues: Issue[] = [];
    v.validateProto({}, [], issues);
    expect(issues.map((i) => i.path)).toEqual([['constructor'], ['__proto__'], ['toString']]);
  });

  it('wraps a schema that has a prose rule, and skips a rule whose schema the spec lacks', async () => {
    const { validateCannedToolResponse } = await load({
      CannedToolResponse: {
        type: 'object',
        additionalProperties: false,
        properties: { output: {}, error: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
      },
    });
    expect(
      verdicts(validateCannedToolResponse, [{ output: 1 }, { output: 1, error: 'x' }, {}]),
    ).toEqual([true, false, false]);
    const { validateOther } = await load({ Other: { type: 'string' } });
    expect(validateOther('x', [], [])).toBe(true);
  });

  it('imports only the blocks a spec uses: a keyword no schema has costs no import', () => {
    const { source } = compileValidators(specOf({ A: { type: 'object', properties: {} } }));
    expect(source).toMatch(
      /^import \{ type Check, lazy, object \} from '\.\.\/core\/check\.js';$/m,
    );
    const { source: rich } = compileValidators(
      specOf({ B: { prefixItems: [{}], unevaluatedItems: false, contains: { const: 1 } } }),
    );
    expect(rich).toMatch(
      /^import \{\s*type Check,\s*allOf,\s*any,\s*array,\s*constant,\s*contains,\s*lazy,\s*prefixItems,\s*seenAny,\s*seenFirst,\s*seenMatching,\s*unevaluatedItems,\s*when,?\s*\} from/m,
    );
  });
});
