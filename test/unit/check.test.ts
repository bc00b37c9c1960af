/**
 * The validator building blocks of src/core/check.ts (every combinator, with the params of each
 * issue), its formats (held to ajv-formats' own functions) and the prose rules of src/spec/rules.ts.
 * (The keywords JSON Schema 2020-12 adds: check.keywords.test.ts; the compiler:
 * check.compiler.test.ts.)
 */
import fc from 'fast-check';
import { fullFormats, type FormatName } from 'ajv-formats/dist/formats.js';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  allOf,
  any,
  anyOf,
  array,
  boolean,
  constant,
  DATE,
  DATE_TIME,
  DURATION,
  EMAIL,
  exactlyOneOf,
  exclusiveBounds,
  fail,
  format,
  formatIssue,
  INT32,
  INT64,
  integer,
  IPV4,
  IPV6,
  isNull,
  lazy,
  never,
  not,
  nullable,
  number,
  object,
  oneOf,
  oneOfValues,
  prefixItems,
  propertyNames,
  string,
  stringBounds,
  TIME,
  upload,
  URI,
  UUID,
  when,
  type Check,
  type Format,
  type Issue,
  type Refined,
} from '../../src/core/check.js';
import { CannedToolResponse } from '../../src/spec/rules.js';

/** Runs a check from a non-empty root path, so that paths are seen to extend it. */
function run(check: Check, value: unknown): { ok: boolean; issues: [string, string, string][] } {
  const issues: Issue[] = [];
  const ok = check(value, ['at'], issues);
  return { ok, issues: issues.map((i) => [i.path.join('.'), i.rule, i.message]) };
}
const passes = (check: Check, value: unknown) =>
  expect(run(check, value)).toEqual({ ok: true, issues: [] });
/** ajv-formats' own check of a format, whichever form it takes there. */
function ajvFormat(name: FormatName): (value: string | number) => boolean {
  const f = fullFormats[name] as unknown;
  if (f instanceof RegExp) return (value) => f.test(String(value));
  if (typeof f === 'function') return f as (value: string | number) => boolean;
  return (f as { validate: (value: string | number) => boolean }).validate;
}

/** The one issue a check reports, whole. */
const issueOf = (check: Check, value: unknown): Issue => {
  const issues: Issue[] = [];
  expect(check(value, ['at'], issues)).toBe(false);
  expect(issues).toHaveLength(1);
  return issues[0];
};

describe('issues', () => {
  it('formatIssue joins the path, or names the body', () => {
    const issue = { rule: 'type', params: { type: 'string' }, message: 'm' };
    expect(formatIssue({ ...issue, path: ['a', 0, 'b'] })).toBe('a.0.b: m');
    expect(formatIssue({ ...issue, path: [] })).toBe('(body): m');
  });

  it('fail records the issue and says false', () => {
    const issues: Issue[] = [];
    expect(fail(issues, ['x'], 'maximum', { comparison: '<=', limit: 1 }, 'must be <= 1')).toBe(
      false,
    );
    expect(issues).toEqual([
      {
        path: ['x'],
        rule: 'maximum',
        params: { comparison: '<=', limit: 1 },
        message: 'must be <= 1',
      },
    ]);
  });
});

describe('formats', () => {
  const accepts = (f: Format, value: string | number) => (f.test as (v: unknown) => boolean)(value);

  it('uuid: any case, the URN form too, nothing around it', () => {
    for (const ok of [
      '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d',
      '0190A7C2-6B1E-4F3A-9C2D-1E2F3A4B5C6D',
      'urn:uuid:0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d',
    ]) {
      expect(accepts(UUID, ok), ok).toBe(true);
    }
    for (const bad of [
      '0190a7c26b1e4f3a9c2d1e2f3a4b5c6d',
      'x0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d',
      '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6dx',
      '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6',
      'urn:uuid:',
      'uuid:0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d',
    ]) {
      expect(accepts(UUID, bad), bad).toBe(false);
    }
  });

  it('date: real calendar days only, 29 February in leap years', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '2023-01-31', '2023-04-30', '0000-01-01']) {
      expect(accepts(DATE, ok), ok).toBe(true);
    }
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '1900-02-29',
      '2100-02-29',
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '2023-01-00',
      '2023-1-01',
      '2023-01-01T00:00:00Z',
    ]) {
      expect(accepts(DATE, bad), bad).toBe(false);
    }
  });

  it('time: hours to 23, the offset optional (iso-time), leap seconds only at 23:59:60 UTC', () => {
    for (const ok of [
      '09:00:00',
      '23:59:59.999',
      '00:00:00Z',
      '12:30:00+05:30',
      '12:30:00-0800',
      '12:30:00+05',
      '23:59:60Z',
      '23:59:60',
      '15:59:60-08:00',
      '00:59:60+01:00',
      '05:29:60+05:30',
    ]) {
      expect(accepts(TIME, ok), ok).toBe(true);
    }
    for (const bad of [
      '24:00:00',
      '25:00:00Z',
      '12:60:00',
      '12:00:60Z',
      '23:59:61Z',
      '23:58:60Z',
      '12:00:00+24:00',
      '12:00:00+05:60',
      '7:00:00',
      '12:00',
      '12:00:00 Z',
    ]) {
      expect(accepts(TIME, bad), bad).toBe(false);
    }
  });

  it('date-time: a real day, a time, an offset; T, t or a space between', () => {
    for (const ok of [
      '2024-02-29T23:59:59Z',
      '2026-01-02t03:04:05z',
      '2026-01-02 03:04:05.123456+02:00',
      '2026-01-02T03:04:05-0230',
      '2016-12-31T23:59:60Z',
    ]) {
      expect(accepts(DATE_TIME, ok), ok).toBe(true);
    }
    for (const bad of [
      '2024-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2026-01-02T25:00:00Z',
      '2026-01-02T03:04:05',
      '2026-01-02',
      'x2026-01-02T03:04:05Z',
      '2026-01-02T03:04:05Zx',
      '2026-01-02T03:04:05Z ',
    ]) {
      expect(accepts(DATE_TIME, bad), bad).toBe(false);
    }
  });

  it("every format decides as ajv-formats' own function does (time as its iso-time)", () => {
    const digits = (n: number) =>
      fc.integer({ min: 0, max: 10 ** n - 1 }).map((d) => String(d).padStart(n, '0'));
    const calendarish = fc
      .tuple(
        digits(4),
        digits(2),
        digits(2),
        fc.constantFrom('T', 't', ' ', 'x'),
        digits(2),
        digits(2),
        digits(2),
      )
      .chain(([y, mo, d, sep, h, mi, s]) =>
        fc
          .tuple(
            fc.constantFrom('', '.5', ''),
            fc.constantFrom('', 'Z', 'z', '+05:30', '-0800', '+05', '+24:00', '-00:60'),
          )
          .map(
            ([frac, zone]) => [`${y}-${mo}-${d}`, `${h}:${mi}:${s}${frac}${zone}`, sep] as const,
          ),
      );
    const pairs: [Format, FormatName, fc.Arbitrary<string>][] = [
      [DATE, 'date', calendarish.map(([d]) => d)],
      [TIME, 'iso-time', calendarish.map(([, t]) => t)],
      [DATE_TIME, 'date-time', calendarish.map(([d, t, sep]) => `${d}${sep}${t}`)],
      [UUID, 'uuid', fc.oneof(fc.uuid(), fc.string())],
      [DURATION, 'duration', fc.stringMatching(/^P[\dYMWDTHS]{0,8}$/)],
      [EMAIL, 'email', fc.oneof(fc.emailAddress(), fc.string())],
      [URI, 'uri', fc.oneof(fc.webUrl(), fc.string(), fc.constant('urn:isbn:1'))],
      [IPV4, 'ipv4', fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.string())],
      [IPV6, 'ipv6', fc.oneof(fc.ipV6(), fc.string())],
    ];
    for (const [ours, name, strings] of pairs) {
      fc.assert(
        fc.property(strings, (s) => accepts(ours, s) === ajvFormat(name)(s)),
        { numRuns: 600 },
      );
    }
    const numbers = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 31 - 1),
    );
    for (const [ours, name] of [
      [INT32, 'int32'],
      [INT64, 'int64'],
    ] as const) {
      fc.assert(fc.property(numbers, (n) => accepts(ours, n) === ajvFormat(name)(n)));
    }
  });

  it('string(format) and format(format) name the format, each with its own message', () => {
    expect(issueOf(string(UUID), 'x')).toEqual({
      path: ['at'],
      rule: 'format',
      params: { format: 'uuid' },
      message: 'must be a UUID',
    });
    expect(run(string(DATE_TIME), 'x').issues).toEqual([
      ['at', 'format', 'must be an ISO date-time'],
    ]);
    expect(run(string(DATE), 'x').issues).toEqual([['at', 'format', DATE.message]]);
    expect(run(string(TIME), 'x').issues).toEqual([['at', 'format', TIME.message]]);
    expect(new Set([UUID, DATE_TIME, DATE, TIME, EMAIL, URI].map((f) => f.message)).size).toBe(6);
    // format() judges only values of its type.
    passes(format(UUID), 3);
    passes(format(INT32), 'x');
    expect(issueOf(format(INT32), 2 ** 31).params).toEqual({ format: 'int32' });
    expect(issueOf(format(DATE), '2024-02-30').params).toEqual({ format: 'date' });
  });
});

describe('check combinators', () => {
  it('lazy: builds its check at the first call, once, and passes through its verdict and issues', () => {
    let builds = 0;
    const check = lazy(() => {
      builds++;
      return integer(0);
    });
    // What the generated validators rely on: importing a module of hundreds builds none.
    expect(builds).toBe(0);
    passes(check, 1);
    expect(issueOf(check, -1)).toMatchObject({ path: ['at'], rule: 'minimum' });
    expect(builds).toBe(1);
  });

  it('any, never, isNull, boolean, nullable', () => {
    passes(any, undefined);
    expect(issueOf(never, 1)).toEqual({
      path: ['at'],
      rule: 'false schema',
      params: {},
      message: 'is not allowed',
    });
    passes(isNull, null);
    expect(issueOf(isNull, 0)).toEqual({
      path: ['at'],
      rule: 'type',
      params: { type: 'null' },
      message: 'must be null',
    });
    passes(boolean, false);
    expect(issueOf(boolean, 'true')).toEqual({
      path: ['at'],
      rule: 'type',
      params: { type: 'boolean' },
      message: 'must be a boolean',
    });
    passes(nullable(boolean), null);
    expect(run(nullable(boolean), 0).issues).toEqual([['at', 'type', 'must be a boolean']]);
  });

  it('when: a check of one JSON type leaves the other types alone', () => {
    const short = when('string', stringBounds(0, 2));
    passes(short, 'ab');
    passes(short, 12345);
    passes(short, null);
    expect(run(short, 'abc').issues).toEqual([['at', 'maxLength', 'must be at most 2 characters']]);
    const small = when('number', number(undefined, 5));
    passes(small, 'a long string');
    expect(run(small, 6).issues).toEqual([['at', 'maximum', 'must be <= 5']]);
    const list = when('array', array(integer()));
    passes(list, { 0: 'x' });
    expect(run(list, ['x']).issues).toEqual([['at.0', 'type', 'must be an integer']]);
    const record = when('object', object({ a: [integer(), true] }));
    passes(record, [1]);
    passes(record, null);
    expect(run(record, {}).issues).toEqual([['at.a', 'required', 'is required']]);
    // null is a JSON type of its own, not an object.
    const onlyNull = when('null', never);
    passes(onlyNull, {});
    passes(onlyNull, 0);
    expect(run(onlyNull, null).issues).toEqual([['at', 'false schema', 'is not allowed']]);
  });

  it('string: type; stringBounds: lengths in code points, pattern, all problems at once', () => {
    passes(string(), '');
    expect(issueOf(string(), 1)).toEqual({
      path: ['at'],
      rule: 'type',
      params: { type: 'string' },
      message: 'must be a string',
    });
    // The type is string()'s to report: bounds pass anything else.
    passes(stringBounds(5, 6, /^a/u), 42);
    const sized = stringBounds(2, 3);
    passes(sized, 'ab');
    passes(sized, 'abc');
    expect(issueOf(sized, 'a')).toEqual({
      path: ['at'],
      rule: 'minLength',
      params: { limit: 2 },
      message: 'must be at least 2 characters',
    });
    expect(issueOf(sized, 'abcd')).toMatchObject({ rule: 'maxLength', params: { limit: 3 } });
    // 😀 is one code point (two UTF-16 units), as ajv and Pydantic count it.
    passes(sized, '😀😀😀');
    passes(sized, '😀é');
    expect(run(sized, '😀').issues).toEqual([['at', 'minLength', 'must be at least 2 characters']]);
    expect(run(sized, '😀😀😀😀').issues).toEqual([
      ['at', 'maxLength', 'must be at most 3 characters'],
    ]);
    expect(issueOf(stringBounds(0, Infinity, /^a/u), 'b')).toEqual({
      path: ['at'],
      rule: 'pattern',
      params: { pattern: '^a' },
      message: 'must match /^a/',
    });
    passes(stringBounds(0, Infinity, /^a/u), 'ab');
    expect(run(stringBounds(3, 5, /^a/u), 'b').issues).toEqual([
      ['at', 'minLength', 'must be at least 3 characters'],
      ['at', 'pattern', 'must match /^a/'],
    ]);
  });

  it('integer and number: type and each bound, inclusive and exclusive', () => {
    const type = (v: unknown) => run(integer(), v).issues;
    for (const v of [1.5, '1', NaN, Infinity, null]) {
      expect(type(v), String(v)).toEqual([['at', 'type', 'must be an integer']]);
    }
    expect(issueOf(integer(), 1.5).params).toEqual({ type: 'integer' });
    passes(integer(), -3);
    passes(integer(), 2.0);
    passes(number(), 1.5);
    expect(issueOf(number(), Infinity)).toMatchObject({ rule: 'type', params: { type: 'number' } });
    expect(run(number(), '1').issues).toEqual([['at', 'type', 'must be a number']]);
    const range = integer(0, 10);
    passes(range, 0);
    passes(range, 10);
    expect(issueOf(range, -1)).toEqual({
      path: ['at'],
      rule: 'minimum',
      params: { comparison: '>=', limit: 0 },
      message: 'must be >= 0',
    });
    expect(issueOf(range, 11)).toEqual({
      path: ['at'],
      rule: 'maximum',
      params: { comparison: '<=', limit: 10 },
      message: 'must be <= 10',
    });
    const open = exclusiveBounds(0, 10);
    passes(open, 'not a number: number() says so');
    passes(exclusiveBounds(null, null), -1e300);
    passes(exclusiveBounds(null, 10), -1e300);
    passes(exclusiveBounds(0, null), 1e300);
    passes(open, 0.5);
    passes(open, 9.5);
    expect(issueOf(open, 0)).toEqual({
      path: ['at'],
      rule: 'exclusiveMinimum',
      params: { comparison: '>', limit: 0 },
      message: 'must be > 0',
    });
    expect(issueOf(open, 10)).toEqual({
      path: ['at'],
      rule: 'exclusiveMaximum',
      params: { comparison: '<', limit: 10 },
      message: 'must be < 10',
    });
    passes(number(), -1e300);
    passes(integer(0), 1e300);
    passes(integer(undefined, 0), -1e300);
  });

  it('oneOfValues (enum) and constant (const)', () => {
    passes(oneOfValues(['a', 1, null]), 1);
    passes(oneOfValues(['a', 1, null]), null);
    expect(issueOf(oneOfValues(['a', 1]), 'b')).toEqual({
      path: ['at'],
      rule: 'enum',
      params: { allowedValues: ['a', 1] },
      message: 'must be one of "a", 1',
    });
    passes(constant('queued'), 'queued');
    expect(issueOf(constant('queued'), 'Queued')).toEqual({
      path: ['at'],
      rule: 'const',
      params: { allowedValue: 'queued' },
      message: 'must be "queued"',
    });
    expect(run(constant(null), undefined).ok).toBe(false);
  });

  it('array: type, item count, every bad item by index, holes as items', () => {
    const list = array(integer(), 1, 2);
    passes(list, [1]);
    passes(list, [1, 2]);
    expect(issueOf(list, { 0: 1 })).toEqual({
      path: ['at'],
      rule: 'type',
      params: { type: 'array' },
      message: 'must be an array',
    });
    expect(issueOf(list, [])).toEqual({
      path: ['at'],
      rule: 'minItems',
      params: { limit: 1 },
      message: 'must have at least 1 items',
    });
    expect(issueOf(list, [1, 2, 3])).toMatchObject({ rule: 'maxItems', params: { limit: 2 } });
    expect(run(array(integer()), ['x', 1, 'y'])).toEqual({
      ok: false,
      issues: [
        ['at.0', 'type', 'must be an integer'],
        ['at.2', 'type', 'must be an integer'],
      ],
    });
    // Too many items, and a bad one: both said.
    expect(run(list, [1, 2, 'x']).issues).toEqual([
      ['at', 'maxItems', 'must have at most 2 items'],
      ['at.2', 'type', 'must be an integer'],
    ]);
    passes(array(integer()), []);
    expect(run(array(integer()), [1, , 3]).issues).toEqual([
      ['at.1', 'type', 'must be an integer'],
    ]);
  });

  it('prefixItems: one check per position, then the rest', () => {
    const pair = prefixItems([string(), integer()]);
    passes(pair, ['a', 1]);
    passes(pair, ['a', 1, { anything: true }]);
    passes(pair, ['a']);
    passes(pair, 'not an array: array() says so');
    expect(run(pair, [1, 'a']).issues).toEqual([
      ['at.0', 'type', 'must be a string'],
      ['at.1', 'type', 'must be an integer'],
    ]);
    const thenBooleans = prefixItems([string()], boolean);
    passes(thenBooleans, ['a', true, false]);
    expect(run(thenBooleans, ['a', true, 'x']).issues).toEqual([
      ['at.2', 'type', 'must be a boolean'],
    ]);
    expect(run(prefixItems([], never), [1]).issues).toEqual([
      ['at.0', 'false schema', 'is not allowed'],
    ]);
  });

  it('object: required, undefined as absent, and the three kinds of additional keys', () => {
    const fields = { a: [integer(), true], b: [string()] } as Record<string, [Check, true?]>;
    for (const v of [null, [], 'x']) {
      expect(run(object(fields), v).issues).toEqual([['at', 'type', 'must be an object']]);
    }
    passes(object(fields), { a: 1, other: 'anything' });
    passes(object(fields), { a: 1, b: undefined });
    expect(run(object(fields), { a: undefined, b: 2 })).toEqual({
      ok: false,
      issues: [
        ['at.a', 'required', 'is required'],
        ['at.b', 'type', 'must be a string'],
      ],
    });
    expect(issueOf(object(fields), {}).params).toEqual({ missingProperty: 'a' });
    const closed = object(fields, false);
    passes(closed, { a: 1, extra: undefined });
    expect(run(closed, { a: 1, x: 1, y: 2 })).toEqual({
      ok: false,
      issues: [
        ['at.x', 'additionalProperties', 'is not an allowed key'],
        ['at.y', 'additionalProperties', 'is not an allowed key'],
      ],
    });
    expect(issueOf(closed, { a: 1, x: 1 }).params).toEqual({ additionalProperty: 'x' });
    // A name every object inherits is not a declared property.
    expect(run(closed, { a: 1, toString: 1 }).issues).toEqual([
      ['at.toString', 'additionalProperties', 'is not an allowed key'],
    ]);
    const typed = object({}, integer());
    passes(typed, { x: 1 });
    expect(run(typed, { x: 1, y: 'z' })).toEqual({
      ok: false,
      issues: [['at.y', 'type', 'must be an integer']],
    });
    // Declared keys are not judged as additional ones.
    passes(object({ a: [any] }, never), { a: 1 });
  });

  it('propertyNames: each key with a value, judged as a string', () => {
    const channels = propertyNames(oneOfValues(['sms', 'voice']));
    passes(channels, { sms: 1, voice: 2 });
    passes(channels, { fax: undefined });
    passes(channels, 'not an object');
    expect(issueOf(channels, { sms: 1, fax: 2 })).toEqual({
      path: ['at', 'fax'],
      rule: 'propertyNames',
      params: { propertyName: 'fax' },
      message: 'key must be one of "sms", "voice"',
    });
    const ids = propertyNames(when('string', string(UUID)));
    passes(ids, { '0190a7c2-6b1e-4f3a-9c2d-1e2f3a4b5c6d': 1 });
    expect(run(ids, { a: 1, b: 2 }).issues).toEqual([
      ['at.a', 'propertyNames', 'key must be a UUID'],
      ['at.b', 'propertyNames', 'key must be a UUID'],
    ]);
  });

  it('allOf reports every failing check', () => {
    passes(allOf([string(), oneOfValues(['a'])]), 'a');
    expect(run(allOf([integer(0), integer(undefined, -1)]), -0.5).issues).toEqual([
      ['at', 'type', 'must be an integer'],
      ['at', 'type', 'must be an integer'],
    ]);
    expect(run(allOf([integer(0), integer(undefined, -1)]), 3)).toEqual({
      ok: false,
      issues: [['at', 'maximum', 'must be <= -1']],
    });
  });

  it('anyOf and oneOf: the first branch explains a miss; oneOf refuses two matches', () => {
    const either = anyOf([integer(), string()]);
    passes(either, 1);
    passes(either, 'x');
    expect(run(either, true)).toEqual({
      ok: false,
      issues: [
        ['at', 'type', 'must be an integer'],
        ['at', 'anyOf', 'does not match any allowed shape'],
      ],
    });
    // As ajv's: no branch passed, so passingSchemas is null.
    const missed: Issue[] = [];
    either(true, [], missed);
    expect(missed[1]).toEqual({
      path: [],
      rule: 'anyOf',
      params: { passingSchemas: null },
      message: 'does not match any allowed shape',
    });
    passes(anyOf([integer(), number()]), 1);
    const exactly = oneOf([integer(), number()]);
    passes(exactly, 1.5);
    const issues: Issue[] = [];
    expect(exactly(1, [], issues)).toBe(false);
    expect(issues).toEqual([
      {
        path: [],
        rule: 'oneOf',
        params: { passingSchemas: [0, 1] },
        message: 'matches more than one allowed shape',
      },
    ]);
    expect(run(exactly, 'x').issues).toEqual([
      ['at', 'type', 'must be an integer'],
      ['at', 'oneOf', 'does not match any allowed shape'],
    ]);
  });

  it('not: refuses what its check accepts, and reports nothing of the inner check', () => {
    passes(not(string()), 1);
    expect(issueOf(not(string()), 'x')).toEqual({
      path: ['at'],
      rule: 'not',
      params: {},
      message: 'must not match the excluded shape',
    });
  });

  it('upload: Blobs, buffers, typed arrays, views and streams are files; nothing else is', () => {
    for (const file of [
      new Blob(['x']),
      new File(['x'], 'a.wav'),
      new ArrayBuffer(2),
      new Uint8Array(2),
      new Int16Array(2),
      new DataView(new ArrayBuffer(2)),
      new ReadableStream(),
    ]) {
      passes(upload, file);
    }
    for (const notFile of ['./a.wav', 1, null, {}, [1, 2]]) {
      expect(issueOf(upload, notFile)).toEqual({
        path: ['at'],
        rule: 'type',
        params: { type: 'file' },
        message: 'must be a Blob, ArrayBuffer, typed array or ReadableStream',
      });
    }
  });

  it('upload: a runtime without Blob or ReadableStream still takes buffers and refuses the rest', () => {
    const bytes = new Uint8Array(2);
    for (const missing of ['Blob', 'ReadableStream']) {
      vi.stubGlobal(missing, undefined);
      try {
        passes(upload, bytes);
        passes(upload, bytes.buffer);
        // Not a TypeError from `instanceof undefined`: the issue, as anywhere else.
        expect(issueOf(upload, './a.wav')).toMatchObject({
          rule: 'type',
          params: { type: 'file' },
        });
      } finally {
        vi.unstubAllGlobals();
      }
    }
  });
});

describe('prose rules', () => {
  it('CannedToolResponse: exactly one of output (null counts) and a non-empty error', () => {
    passes(CannedToolResponse, { output: null });
    passes(CannedToolResponse, { output: 0, error: null });
    passes(CannedToolResponse, { output: undefined, error: 'boom' });
    passes(CannedToolResponse, 'not an object: the type check says so');
    passes(CannedToolResponse, null);
    expect(run(CannedToolResponse, { output: 1, error: 'x' })).toEqual({
      ok: false,
      issues: [['at', 'exactlyOneOf', 'must set only one of output and error']],
    });
    for (const neither of [{}, { error: null }, { output: undefined, error: undefined }]) {
      expect(run(CannedToolResponse, neither).issues).toEqual([
        ['at', 'exactlyOneOf', 'must set exactly one of output and error'],
      ]);
    }
    expect(run(CannedToolResponse, { error: '' })).toEqual({
      ok: false,
      issues: [['at.error', 'exactlyOneOf', 'must be a non-empty string']],
    });
  });

  it('its issues carry the rule and its keys as data, for the mock server', () => {
    expect(issueOf(CannedToolResponse, { output: 1, error: 'x' })).toEqual({
      path: ['at'],
      rule: 'exactlyOneOf',
      params: { keys: ['output', 'error'], set: ['output', 'error'] },
      message: 'must set only one of output and error',
    });
    expect(issueOf(CannedToolResponse, { delay_ms: 1 }).params).toEqual({
      keys: ['output', 'error'],
      set: [],
    });
    expect(issueOf(CannedToolResponse, { output: 1, error: '' }).params).toEqual({
      keys: ['output', 'error'],
      set: ['output', 'error'],
      empty: 'error',
    });
    // The generator and the types read the same data.
    expect(CannedToolResponse.rule).toBe('exactlyOneOf');
    expect(CannedToolResponse.keys).toEqual(['output', 'error']);
    expect(CannedToolResponse.data).toEqual({ output: 'present', error: 'nonEmpty' });
  });

  it('exactlyOneOf takes any number of keys', () => {
    const data = { email: 'nonEmpty', phone: 'nonEmpty', user_id: 'present' } as const;
    const contact = exactlyOneOf(data);
    // Its data, for the generator (which finds a rule by its keys, each declared by the schema).
    expect({ ...contact }).toEqual({
      rule: 'exactlyOneOf',
      keys: ['email', 'phone', 'user_id'],
      data,
    });
    passes(contact, { phone: '+1' });
    passes(contact, { email: null, user_id: null });
    expect(run(contact, { email: 'a@b.c', phone: '+1' }).issues).toEqual([
      ['at', 'exactlyOneOf', 'must set only one of email, phone and user_id'],
    ]);
  });

  it('Refined: the type of a schema allows exactly what its rule allows', () => {
    type Canned = Refined<
      { output?: unknown; error?: string | null; delay_ms?: number },
      typeof CannedToolResponse
    >;
    const ok: Canned[] = [{ output: null }, { output: 1 }, { error: 'x', delay_ms: 5 }];
    // The check takes an explicit `error: null`; the type leaves it out (see UnsetAs).
    // @ts-expect-error an unset key is left out
    const explicitNull: Canned = { output: 1, error: null };
    // @ts-expect-error output and error together
    const both: Canned = { output: 1, error: 'x' };
    // @ts-expect-error neither of them
    const neither: Canned = { delay_ms: 1 };
    // @ts-expect-error an unknown key
    const extra: Canned = { output: 1, status: 200 };
    void [ok, explicitNull, both, neither, extra];
    expectTypeOf<Extract<Canned, { error: string }>['delay_ms']>().toEqualTypeOf<
      number | undefined
    >();
  });
});
