/**
 * The mock's 422 details: Pydantic's `type`, `msg` and `ctx` for the issues the validators' own
 * blocks report, built from each issue's `rule` and `params`. The issues here come from real
 * checks; their English `message` is replaced to prove that nothing reads it.
 */
import { describe, expect, it } from 'vitest';
import {
  anyOf,
  array,
  boolean,
  constant,
  DATE,
  dependentRequired,
  DATE_TIME,
  DURATION,
  exactlyOneOf,
  exclusiveBounds,
  format,
  INT32,
  integer,
  IPV4,
  IPV6,
  isNull,
  multipleOf,
  number,
  object,
  oneOf,
  oneOfValues,
  otherProperties,
  propertyCount,
  propertyNames,
  seenKeys,
  string,
  stringBounds,
  TIME,
  UUID,
  type Check,
  type Issue,
} from '../../src/core/check.js';
import { details } from '../../src/testing/pydantic.js';

/** The details of `value` checked by `check`, as a body, messages scrambled. */
function bodyDetails(check: Check, value: unknown) {
  const issues: Issue[] = [];
  check(value, [], issues);
  const scrambled = issues.map((issue) => ({ ...issue, message: 'IGNORED' }));
  return details(scrambled, value, true);
}

const one = (check: Check, value: unknown) => {
  const found = bodyDetails(check, value);
  expect(found).toHaveLength(1);
  return found[0];
};

describe("Pydantic's errors from rule and params", () => {
  it('string lengths and patterns', () => {
    const bounded = stringBounds(2, 3, /^[a-z]+$/);
    expect(one(bounded, 'abcd')).toEqual({
      type: 'string_too_long',
      loc: ['body'],
      msg: 'String should have at most 3 characters',
      input: 'abcd',
      ctx: { max_length: 3 },
    });
    expect(one(stringBounds(1, 9), '')).toMatchObject({
      type: 'string_too_short',
      msg: 'String should have at least 1 character',
      ctx: { min_length: 1 },
    });
    expect(one(bounded, 'AB')).toMatchObject({
      type: 'string_pattern_mismatch',
      msg: "String should match pattern '^[a-z]+$'",
      ctx: { pattern: '^[a-z]+$' },
    });
  });

  it('bounds, by comparison', () => {
    expect(one(exclusiveBounds(0, null), 0)).toMatchObject({
      type: 'greater_than',
      msg: 'Input should be greater than 0',
      ctx: { gt: 0 },
    });
    expect(one(exclusiveBounds(null, 1), 1)).toMatchObject({
      type: 'less_than',
      msg: 'Input should be less than 1',
      ctx: { lt: 1 },
    });
    expect(one(number(undefined, 0.5), 0.75)).toMatchObject({
      type: 'less_than_equal',
      ctx: { le: 0.5 },
    });
  });

  it("values quoted as Python's repr: text, numbers, True, False, None; alternatives joined", () => {
    expect(one(oneOfValues([1, 2, 3]), 4)).toEqual({
      type: 'enum',
      loc: ['body'],
      msg: 'Input should be 1, 2 or 3',
      input: 4,
      ctx: { expected: '1, 2 or 3' },
    });
    expect(one(oneOfValues(['only']), 'other')).toEqual({
      type: 'enum',
      loc: ['body'],
      msg: "Input should be 'only'",
      input: 'other',
      ctx: { expected: "'only'" },
    });
    const literal = (value: unknown, input: unknown) => {
      const { msg, ctx } = one(constant(value), input);
      return [msg, ctx];
    };
    expect(literal(true, false)).toEqual(['Input should be True', { expected: 'True' }]);
    expect(literal(false, true)).toEqual(['Input should be False', { expected: 'False' }]);
    expect(literal(null, 0)).toEqual(['Input should be None', { expected: 'None' }]);
    expect(literal(2.5, 0)).toEqual(['Input should be 2.5', { expected: '2.5' }]);
  });

  it('formats', () => {
    expect(one(string(DATE_TIME), '2025-01-15')).toMatchObject({
      type: 'datetime_from_date_parsing',
      msg: 'Input should be a valid datetime or date',
    });
    expect(one(string(DATE), 'soon')).toMatchObject({
      type: 'date_from_datetime_parsing',
      msg: 'Input should be a valid date or datetime',
    });
    expect(one(string(TIME), '25:00')).toMatchObject({
      type: 'time_parsing',
      msg: 'Input should be in a valid time format',
    });
    // Pydantic's timedelta, IPv4Address and IPv6Address (whose JSON Schema formats these are).
    expect(one(string(DURATION), '5 minutes')).toEqual({
      type: 'time_delta_parsing',
      loc: ['body'],
      msg: 'Input should be a valid timedelta',
      input: '5 minutes',
    });
    expect(one(string(IPV4), '300.1.1.1')).toMatchObject({
      type: 'ip_v4_address',
      msg: 'Input is not a valid IPv4 address',
    });
    expect(one(string(IPV6), '::g')).toMatchObject({
      type: 'ip_v6_address',
      msg: 'Input is not a valid IPv6 address',
    });
    // A format Pydantic has no type for: a value error that names it.
    expect(one(format(INT32), 2 ** 31)).toEqual({
      type: 'value_error',
      loc: ['body'],
      msg: 'Value error, invalid int32',
      input: 2 ** 31,
      ctx: { error: {} },
    });
  });

  it('types: _type for a value of another type, _parsing for text that does not parse', () => {
    expect(one(integer(), true)).toMatchObject({
      type: 'int_type',
      msg: 'Input should be a valid integer',
    });
    expect(one(number(), '1x')).toMatchObject({
      type: 'float_parsing',
      msg: 'Input should be a valid number, unable to parse string as a number',
    });
    expect(one(number(), null)).toMatchObject({
      type: 'float_type',
      msg: 'Input should be a valid number',
    });
    expect(one(array(integer()), {})).toMatchObject({
      type: 'list_type',
      msg: 'Input should be a valid list',
    });
    expect(one(isNull, 1)).toMatchObject({ type: 'none_required', msg: 'Input should be None' });
  });

  it('booleans: text and whole numbers other than 0 and 1 did not parse; other values are not booleans', () => {
    const parsing = {
      type: 'bool_parsing',
      msg: 'Input should be a valid boolean, unable to interpret input',
    };
    const notBoolean = { type: 'bool_type', msg: 'Input should be a valid boolean' };
    expect(one(boolean, 'maybe')).toMatchObject(parsing);
    expect(one(boolean, 2)).toEqual({ ...parsing, loc: ['body'], input: 2 });
    expect(one(boolean, 0.5)).toEqual({ ...notBoolean, loc: ['body'], input: 0.5 });
    expect(one(boolean, null)).toEqual({ ...notBoolean, loc: ['body'], input: null });
    expect(one(boolean, {})).toMatchObject(notBoolean);
  });

  it('const, list lengths, and a missing field nested in an object', () => {
    expect(one(constant('full'), 'display')).toEqual({
      type: 'literal_error',
      loc: ['body'],
      msg: "Input should be 'full'",
      input: 'display',
      ctx: { expected: "'full'" },
    });
    expect(one(array(integer(), 2), [1])).toMatchObject({
      type: 'too_short',
      msg: 'List should have at least 2 items after validation, not 1',
      ctx: { field_type: 'List', min_length: 2, actual_length: 1 },
    });
    expect(one(array(integer(), 0, 1), [1, 2])).toEqual({
      type: 'too_long',
      loc: ['body'],
      msg: 'List should have at most 1 item after validation, not 2',
      input: [1, 2],
      ctx: { field_type: 'List', max_length: 1, actual_length: 2 },
    });
    const nested = object({ a: [object({ b: [integer(), true] }), true] });
    expect(one(nested, { a: { c: 1 } })).toEqual({
      type: 'missing',
      loc: ['body', 'a', 'b'],
      msg: 'Field required',
      input: { c: 1 },
    });
  });

  it('the keywords beyond the seed: multipleOf, property counts, dependentRequired, unevaluated keys', () => {
    expect(one(multipleOf(5), 7)).toEqual({
      type: 'multiple_of',
      loc: ['body'],
      msg: 'Input should be a multiple of 5',
      input: 7,
      ctx: { multiple_of: 5 },
    });
    expect(one(propertyCount(2), { a: 1, b: undefined })).toEqual({
      type: 'too_short',
      loc: ['body'],
      msg: 'Dictionary should have at least 2 items after validation, not 1',
      input: { a: 1, b: undefined },
      ctx: { field_type: 'Dictionary', min_length: 2, actual_length: 1 },
    });
    expect(one(propertyCount(0, 1), { a: 1, b: 2 })).toMatchObject({
      type: 'too_long',
      msg: 'Dictionary should have at most 1 item after validation, not 2',
      ctx: { field_type: 'Dictionary', max_length: 1, actual_length: 2 },
    });
    expect(one(dependentRequired({ card: ['zip'] }), { card: 1 })).toEqual({
      type: 'missing',
      loc: ['body', 'zip'],
      msg: 'Field required',
      input: { card: 1 },
    });
    expect(one(otherProperties(seenKeys(['a']), false), { a: 1, b: 2 })).toEqual({
      type: 'extra_forbidden',
      loc: ['body', 'b'],
      msg: 'Extra inputs are not permitted',
      input: 2,
    });
  });

  it("a union lists its first branch's problems, not its own summary", () => {
    const found = bodyDetails(anyOf([integer(1), string()]), 0);
    expect(found.map((d) => d.type)).toEqual(['greater_than_equal']);
    // A union with nothing listed below it keeps its own line.
    const issues: Issue[] = [
      { path: ['x'], rule: 'oneOf', params: { passingSchemas: [0, 1] }, message: 'two match' },
    ];
    expect(details(issues, { x: 1 }, true)).toEqual([
      {
        type: 'value_error',
        loc: ['body', 'x'],
        msg: 'Value error, two match',
        input: 1,
        ctx: { error: {} },
      },
    ]);
  });

  it("a union's summary goes only where a problem of a branch is listed at or below it", () => {
    const check = object({ x: [oneOf([integer(), string()])], y: [integer()] });
    const places = (value: unknown) => bodyDetails(check, value).map((d) => [d.loc, d.type]);
    // No branch matched: the first branch's problem stands for the union.
    expect(places({ x: [], y: 1 })).toEqual([[['body', 'x'], 'int_type']]);
    // Both matched: nothing below x, so its own line stays, beside y's problem.
    const both = object({ x: [oneOf([integer(), number()])], y: [integer()] });
    expect(bodyDetails(both, { x: 1, y: 'a' }).map((d) => [d.loc, d.type])).toEqual([
      [['body', 'x'], 'value_error'],
      [['body', 'y'], 'int_parsing'],
    ]);
  });

  it('a key that its rule refuses is placed at [key], with the key as input', () => {
    const channels = propertyNames(oneOfValues(['sms', 'voice']));
    expect(bodyDetails(object({ config: [channels] }), { config: { fax: { on: true } } })).toEqual([
      {
        type: 'value_error',
        loc: ['body', 'config', 'fax', '[key]'],
        msg: "Value error, key 'fax' is not allowed",
        input: 'fax',
        ctx: { error: {} },
      },
    ]);
    expect(one(propertyNames(string(UUID)), { x: 1 })).toMatchObject({
      loc: ['body', 'x', '[key]'],
      input: 'x',
    });
  });

  it('the prose rule exactlyOneOf, from its keys', () => {
    const rule = exactlyOneOf({ output: 'present', error: 'nonEmpty' });
    expect(one(rule, {})).toMatchObject({
      type: 'value_error',
      msg: 'Value error, exactly one of output or error must be set',
    });
    expect(one(rule, { error: '' })).toMatchObject({
      loc: ['body', 'error'],
      msg: 'Value error, error must be a non-empty string',
    });
  });

  it('parameters: loc from the issue, a missing one has input null', () => {
    const params = object({ query: [object({ limit: [integer(), true] }, false), true] }, false);
    const issues: Issue[] = [];
    params({ query: { extra: 'x' } }, [], issues);
    expect(details(issues, { query: { extra: 'x' } }, false)).toEqual([
      { type: 'missing', loc: ['query', 'limit'], msg: 'Field required', input: null },
      {
        type: 'extra_forbidden',
        loc: ['query', 'extra'],
        msg: 'Extra inputs are not permitted',
        input: 'x',
      },
    ]);
  });
});
