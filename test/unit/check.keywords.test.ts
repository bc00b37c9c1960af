/**
 * The blocks of src/core/check.ts for the keywords JSON Schema 2020-12 has beyond the seed's
 * (multipleOf, the property counts, patternProperties, dependent*, uniqueItems, contains, if,
 * enum and const of structures, unevaluated* with the Seen functions), each with the params of its
 * issues; how issue paths are built (only for what fails); and that only own properties count.
 * Their verdicts are also judged by JSON-Schema-Test-Suite (test/json-schema-suite.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  any,
  anyOf,
  array,
  constant,
  constantJson,
  contains,
  dependentRequired,
  dependentSchemas,
  ifThen,
  integer,
  multipleOf,
  never,
  object,
  oneOfJson,
  otherProperties,
  patternProperties,
  prefixItems,
  propertyCount,
  seenAll,
  seenAny,
  seenFirst,
  seenIf,
  seenKeys,
  seenMatching,
  string,
  stringBounds,
  unevaluatedItems,
  uniqueItems,
  type Check,
  type Issue,
  type Path,
} from '../../src/core/check.js';

/** Runs a check from a non-empty root path: `[ok, [path, rule, params]...]`. */
function run(check: Check, value: unknown): [boolean, ...[string, string, unknown][]] {
  const issues: Issue[] = [];
  const ok = check(value, ['at'], issues);
  return [
    ok,
    ...issues.map((i): [string, string, unknown] => [i.path.join('.'), i.rule, i.params]),
  ];
}

describe('issue paths', () => {
  it('are built only for what fails: every member is checked at its parent’s path', () => {
    const seen: Path[] = [];
    const spy: Check = (_v, p) => {
      seen.push(p);
      return true;
    };
    const root: Path = ['body'];
    const body = { list: [1, 2, 3], map: { a: 1 } };
    const check = object({ list: [array(spy)], map: [object({}, spy)] });
    expect(check(body, root, [])).toBe(true);
    expect(seen).toHaveLength(4);
    // The same array, not a copy per member: valid data builds no path.
    for (const p of seen) expect(p).toBe(root);
  });

  it('name each member down from the root when something fails, at any depth', () => {
    const check = object({
      rows: [array(prefixItems([string(), object({ n: [integer(0), true] })]))],
      tags: [object({}, array(string()))],
    });
    const body = {
      rows: [
        ['a', { n: -1 }],
        [1, {}],
      ],
      tags: { x: ['ok', 2] },
    };
    expect(run(check, body)).toEqual([
      false,
      ['at.rows.0.1.n', 'minimum', { comparison: '>=', limit: 0 }],
      ['at.rows.1.0', 'type', { type: 'string' }],
      ['at.rows.1.1.n', 'required', { missingProperty: 'n' }],
      ['at.tags.x.1', 'type', { type: 'string' }],
    ]);
  });
});

describe('own properties only', () => {
  it('Object.prototype’s members are no object’s keys', () => {
    // (Typed as the generator writes fields: `constructor` would read as Object's own member.)
    const fields = Object.fromEntries([
      ['constructor', [any, true]],
      ['toString', [integer()]],
    ]) as Record<string, [Check, true?]>;
    const check = object(fields);
    expect(run(check, {})).toEqual([
      false,
      ['at.constructor', 'required', { missingProperty: 'constructor' }],
    ]);
    expect(run(check, { constructor: 1, toString: 2 })).toEqual([true]);
    const inherited = Object.create({ constructor: 1 }) as object;
    expect(run(check, inherited)[0]).toBe(false);
    expect(run(dependentRequired({ toString: ['a'] }), {})).toEqual([true]);
    expect(run(propertyCount(1), Object.create({ a: 1 }))[0]).toBe(false);
  });
});

describe('blocks of numbers, objects and arrays: values of other types pass', () => {
  it.each([
    ['multipleOf', multipleOf(2)],
    ['propertyCount', propertyCount(1, 1)],
    ['patternProperties', patternProperties([[/./u, never]])],
    ['otherProperties', otherProperties(seenKeys([]), false)],
    ['dependentRequired', dependentRequired({ a: ['b'] })],
    ['dependentSchemas', dependentSchemas({ a: never })],
    ['uniqueItems', uniqueItems],
    ['contains', contains(never)],
    ['unevaluatedItems', unevaluatedItems(seenKeys([]), false)],
  ])('%s', (_name, check) => {
    for (const value of ['a', null, true]) expect(run(check, value)[0]).toBe(true);
  });
});

describe('numbers', () => {
  it('multipleOf: a whole quotient, up to the rounding of binary fractions', () => {
    expect(run(multipleOf(2), 4)).toEqual([true]);
    expect(run(multipleOf(0.0001), 0.0075)).toEqual([true]);
    expect(run(multipleOf(0.1), 0.3)).toEqual([true]);
    expect(run(multipleOf(0.01), 19.99)).toEqual([true]);
    expect(run(multipleOf(0.0001), 0.00751)).toEqual([
      false,
      ['at', 'multipleOf', { multipleOf: 0.0001 }],
    ]);
    expect(run(multipleOf(2), 4.5)[0]).toBe(false);
    expect(run(multipleOf(2), -3)[0]).toBe(false);
    // A quotient past the floats: no whole number.
    expect(run(multipleOf(0.123456789), 1e308)[0]).toBe(false);
    const issues: Issue[] = [];
    multipleOf(5)(7, [], issues);
    expect(issues[0].message).toBe('must be a multiple of 5');
  });
});

describe('objects', () => {
  it('propertyCount: keys with a value, at least min and at most max', () => {
    expect(run(propertyCount(1, 2), { a: 1 })).toEqual([true]);
    expect(run(propertyCount(1, 2), { a: 1, b: 2 })).toEqual([true]);
    expect(run(propertyCount(1), { a: undefined })).toEqual([
      false,
      ['at', 'minProperties', { limit: 1 }],
    ]);
    expect(run(propertyCount(0, 1), { a: 1, b: 2, c: undefined })).toEqual([
      false,
      ['at', 'maxProperties', { limit: 1 }],
    ]);
    const issues: Issue[] = [];
    propertyCount(2, 3)({}, [], issues);
    propertyCount(0, 0)({ a: 1 }, [], issues);
    expect(issues.map((i) => i.message)).toEqual([
      'must have at least 2 properties',
      'must have at most 0 properties',
    ]);
  });

  it('patternProperties: each matching key passes each pattern it matches', () => {
    const check = patternProperties([
      [/^x-/u, string()],
      [/-id$/u, integer()],
    ]);
    expect(run(check, { 'x-a': 'ok', 'b-id': 1, other: true, 'x-id': undefined })).toEqual([true]);
    expect(run(check, { 'x-a': 1, 'x-b-id': 'text' })).toEqual([
      false,
      ['at.x-a', 'type', { type: 'string' }],
      ['at.x-b-id', 'type', { type: 'integer' }],
    ]);
  });

  it('otherProperties: what `seen` did not evaluate, as additionalProperties or unevaluatedProperties', () => {
    const known = seenKeys(['a'], [/^x-/u]);
    expect(
      run(otherProperties(known, false, 'additionalProperties'), {
        a: 1,
        'x-b': 2,
        c: 3,
        d: undefined,
      }),
    ).toEqual([false, ['at.c', 'additionalProperties', { additionalProperty: 'c' }]]);
    expect(run(otherProperties(known, false), { a: 1, c: 3 })).toEqual([
      false,
      ['at.c', 'unevaluatedProperties', { unevaluatedProperty: 'c' }],
    ]);
    expect(run(otherProperties(known, integer()), { a: 'x', c: 3, e: 'x' })).toEqual([
      false,
      ['at.e', 'type', { type: 'integer' }],
    ]);
    const issues: Issue[] = [];
    otherProperties(seenKeys([]), false)({ z: 1 }, [], issues);
    expect(issues[0].message).toBe('is not an allowed key');
  });

  it('dependentRequired: a present key asks for the keys it lists, each missing one named', () => {
    const check = dependentRequired({ card: ['name', 'zip'], name: [] });
    expect(run(check, { card: 1, name: 'a', zip: 1 })).toEqual([true]);
    expect(run(check, { name: 'a' })).toEqual([true]);
    expect(run(check, { card: 1, zip: undefined })).toEqual([
      false,
      ['at.name', 'dependentRequired', { property: 'card', missingProperty: 'name' }],
      ['at.zip', 'dependentRequired', { property: 'card', missingProperty: 'zip' }],
    ]);
    const issues: Issue[] = [];
    dependentRequired({ a: ['b'] })({ a: 1 }, [], issues);
    expect(issues[0].message).toBe('is required with a');
  });

  it('dependentSchemas: a present key makes the whole object pass its check', () => {
    const check = dependentSchemas({ card: object({ zip: [integer(), true] }), b: never });
    expect(run(check, { card: 1, zip: 1 })).toEqual([true]);
    expect(run(check, { zip: 'x', b: undefined })).toEqual([true]);
    expect(run(check, { card: 1, b: 2 })).toEqual([
      false,
      ['at.zip', 'required', { missingProperty: 'zip' }],
      ['at', 'false schema', {}],
    ]);
  });
});

describe('arrays', () => {
  it('uniqueItems: equal as JSON values (key order aside, 1.0 is 1), found in one pass', () => {
    expect(run(uniqueItems, [1, '1', true, null, [1], { a: 1 }, 0, false, [true]])).toEqual([true]);
    expect(run(uniqueItems, [{ a: 1, b: [2] }, 3, { b: [2], a: 1 }])).toEqual([
      false,
      ['at', 'uniqueItems', { i: 0, j: 2 }],
    ]);
    expect(run(uniqueItems, [1, 1.0])[0]).toBe(false);
    expect(run(uniqueItems, [null])).toEqual([true]);
    // An undefined item travels as null.
    expect(run(uniqueItems, [undefined, null])).toEqual([
      false,
      ['at', 'uniqueItems', { i: 0, j: 1 }],
    ]);
    // Keys without a value are not there, as on the wire.
    expect(run(uniqueItems, [{ a: 1 }, { a: 1, b: undefined }])[0]).toBe(false);
    const issues: Issue[] = [];
    uniqueItems(['a', 'b', 'a'], [], issues);
    expect(issues[0].message).toBe('must not have equal items (0 and 2)');
  });

  it('contains: how many items pass, against minContains (1 by default) and maxContains', () => {
    const one = contains(integer());
    expect(run(one, ['a', 1])).toEqual([true]);
    expect(run(one, ['a'])).toEqual([false, ['at', 'contains', { minContains: 1 }]]);
    expect(run(contains(integer(), 0), [])).toEqual([true]);
    expect(run(contains(integer(), 2, 3), [1, 'a', 2])).toEqual([true]);
    expect(run(contains(integer(), 2, 3), [1, 2, 3])).toEqual([true]);
    expect(run(contains(integer(), 2, 3), [1, 2, 3, 4])).toEqual([
      false,
      ['at', 'contains', { maxContains: 3 }],
    ]);
    const issues: Issue[] = [];
    contains(integer(), 2)([1], [], issues);
    contains(integer(), 0, 0)([1], [], issues);
    expect(issues.map((i) => i.message)).toEqual([
      'must have at least 2 matching item(s)',
      'must have at most 0 matching item(s)',
    ]);
  });
});

describe('applicators and values', () => {
  it('ifThen: `then` when the value passes the condition, `else` when not, the condition unreported', () => {
    const check = ifThen(integer(), integer(0), string());
    expect(run(check, 1)).toEqual([true]);
    expect(run(check, -1)).toEqual([false, ['at', 'minimum', { comparison: '>=', limit: 0 }]]);
    expect(run(check, 'a')).toEqual([true]);
    expect(run(check, true)).toEqual([false, ['at', 'type', { type: 'string' }]]);
    expect(run(ifThen(integer(), integer(0)), 'anything')).toEqual([true]);
    expect(run(ifThen(integer(), any, never), 'x')).toEqual([false, ['at', 'false schema', {}]]);
  });

  it('anyOf stops at the first branch that passes', () => {
    const second = vi.fn<Check>(() => true);
    expect(anyOf([any, second])(1, [], [])).toBe(true);
    expect(second).not.toHaveBeenCalled();
  });

  it('oneOfJson and constantJson: objects and arrays equal as JSON values, issues as enum and const', () => {
    const values = [{ a: 1, b: [1, { c: 2 }] }, [false], null, 'x'];
    const check = oneOfJson(values);
    for (const ok of [{ b: [1, { c: 2 }], a: 1 }, [false], null, 'x'])
      expect(run(check, ok)).toEqual([true]);
    expect(run(check, [0])).toEqual([false, ['at', 'enum', { allowedValues: values }]]);
    expect(run(check, { a: 1, b: [1, { c: 2 }], d: 3 })[0]).toBe(false);
    expect(run(check, { a: 1.0, b: [1, { c: 2, d: undefined }] })[0]).toBe(true);
    const same = constantJson({ a: [1, 2] });
    expect(run(same, { a: [1, 2] })).toEqual([true]);
    expect(run(same, { a: [2, 1] })).toEqual([
      false,
      ['at', 'const', { allowedValue: { a: [1, 2] } }],
    ]);
    expect(run(constant(0), false)[0]).toBe(false);
  });

  it('stringBounds counts code points: a pair is one, a lone surrogate is one too', () => {
    expect(run(stringBounds(0, 1), '😀')).toEqual([true]);
    expect(run(stringBounds(2, 2), '\ud83d\ud83d')).toEqual([true]);
    expect(run(stringBounds(1, 1), '\ud85a')).toEqual([true]);
    expect(run(stringBounds(2, 2), 'a\ude00')).toEqual([true]);
    expect(run(stringBounds(0, 1), 'a😀')[0]).toBe(false);
  });
});

describe('unevaluated members and what a schema evaluated (Seen)', () => {
  const keys = (seen: ReturnType<typeof seenKeys>, value: unknown, members: (string | number)[]) =>
    members.filter(seen(value));

  it('seenKeys, seenAll, seenFirst, seenMatching', () => {
    expect(keys(seenKeys(['a'], [/^x/u]), {}, ['a', 'b', 'xy'])).toEqual(['a', 'xy']);
    expect(keys(seenKeys([]), {}, ['a'])).toEqual([]);
    expect(keys(seenAll, {}, ['a', 0])).toEqual(['a', 0]);
    expect(keys(seenFirst(2), [], [0, 1, 2])).toEqual([0, 1]);
    expect(keys(seenMatching(integer()), ['a', 1, 2.5, 3], [0, 1, 2, 3])).toEqual([1, 3]);
  });

  it('seenIf counts a branch only when the value passes it; seenAny joins', () => {
    const branch = seenIf(
      object({ kind: [constant('a'), true] }),
      seenKeys(['a']),
      seenKeys(['b']),
    );
    expect(keys(branch, { kind: 'a' }, ['a', 'b'])).toEqual(['a']);
    expect(keys(branch, { kind: 'z' }, ['a', 'b'])).toEqual(['b']);
    expect(keys(seenIf(never, seenAll), {}, ['a'])).toEqual([]);
    expect(keys(seenAny([seenKeys(['a']), seenKeys(['b'])]), {}, ['a', 'b', 'c'])).toEqual([
      'a',
      'b',
    ]);
  });

  it('unevaluatedItems: each item `seen` did not evaluate passes the check, or is refused', () => {
    expect(run(unevaluatedItems(seenFirst(1), false), ['a'])).toEqual([true]);
    expect(run(unevaluatedItems(seenFirst(1), false), ['a', 'b', 'c'])).toEqual([
      false,
      ['at.1', 'unevaluatedItems', { unevaluatedItem: 1 }],
      ['at.2', 'unevaluatedItems', { unevaluatedItem: 2 }],
    ]);
    expect(run(unevaluatedItems(seenMatching(string()), integer()), ['a', 1, true])).toEqual([
      false,
      ['at.2', 'type', { type: 'integer' }],
    ]);
    const issues: Issue[] = [];
    unevaluatedItems(seenKeys([]), false)([1], [], issues);
    expect(issues[0].message).toBe('is not an allowed item');
  });
});
