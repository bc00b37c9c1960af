/**
 * FastAPI's 422 body for the problems the generated validators find: one
 * `{ loc, msg, type, input, ctx? }` per problem, Pydantic's error `type` and message built from
 * each issue's `rule` and `params` (ajv-shaped data), never from its English `message`.
 *
 * Where Pydantic appends a reason of its parser (`Input should be a valid UUID, invalid
 * character...`), the reason is left out: the validators know the value is wrong, not why a Rust
 * parser would say so.
 */
import type { Issue, Path } from '../core/check.js';

export interface Detail {
  loc: (string | number)[];
  msg: string;
  type: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

type Described = Pick<Detail, 'type' | 'msg' | 'ctx'>;
type Params = Record<string, unknown>;

/** Python's repr of a JSON primitive, as Pydantic quotes values in its messages. */
const repr = (v: unknown) =>
  typeof v === 'string'
    ? `'${v}'`
    : v === null
      ? 'None'
      : typeof v === 'boolean'
        ? v
          ? 'True'
          : 'False'
        : String(v);

/** `'a', 'b' or 'c'` */
const alternatives = (values: unknown[]) =>
  values.length > 1
    ? `${values.slice(0, -1).map(repr).join(', ')} or ${repr(values.at(-1))}`
    : repr(values[0]);

const valueError = (text: string): Described => ({
  type: 'value_error',
  msg: `Value error, ${text}`,
  ctx: { error: {} }, // FastAPI encodes the ValueError itself as {}
});

/** The type errors: Pydantic says `_parsing` when text did not parse, `_type` otherwise. */
function typeError(type: unknown, input: unknown): Described {
  const text = typeof input === 'string';
  switch (type) {
    case 'string':
      return { type: 'string_type', msg: 'Input should be a valid string' };
    case 'integer':
      if (text) {
        const msg = 'Input should be a valid integer, unable to parse string as an integer';
        return { type: 'int_parsing', msg };
      }
      return typeof input === 'number'
        ? {
            type: 'int_from_float',
            msg: 'Input should be a valid integer, got a number with a fractional part',
          }
        : { type: 'int_type', msg: 'Input should be a valid integer' };
    case 'number':
      return text
        ? {
            type: 'float_parsing',
            msg: 'Input should be a valid number, unable to parse string as a number',
          }
        : { type: 'float_type', msg: 'Input should be a valid number' };
    case 'boolean':
      // Lax mode reads text and whole numbers (0 and 1) as booleans: other ones did not parse.
      return text || Number.isInteger(input)
        ? {
            type: 'bool_parsing',
            msg: 'Input should be a valid boolean, unable to interpret input',
          }
        : { type: 'bool_type', msg: 'Input should be a valid boolean' };
    case 'array':
      return { type: 'list_type', msg: 'Input should be a valid list' };
    case 'null':
      return { type: 'none_required', msg: 'Input should be None' };
    case 'file':
      // A form's part that is not a file is text.
      return valueError("Expected UploadFile, received: <class 'str'>");
    default:
      // A model (every body, most objects); FastAPI validates with from_attributes.
      return {
        type: 'model_attributes_type',
        msg: 'Input should be a valid dictionary or object to extract fields from',
      };
  }
}

const FORMATS: Record<string, Described> = {
  uuid: { type: 'uuid_parsing', msg: 'Input should be a valid UUID' },
  'date-time': {
    type: 'datetime_from_date_parsing',
    msg: 'Input should be a valid datetime or date',
  },
  date: { type: 'date_from_datetime_parsing', msg: 'Input should be a valid date or datetime' },
  time: { type: 'time_parsing', msg: 'Input should be in a valid time format' },
  uri: { type: 'url_parsing', msg: 'Input should be a valid URL' },
  duration: { type: 'time_delta_parsing', msg: 'Input should be a valid timedelta' },
  ipv4: { type: 'ip_v4_address', msg: 'Input is not a valid IPv4 address' },
  ipv6: { type: 'ip_v6_address', msg: 'Input is not a valid IPv6 address' },
  email: valueError('value is not a valid email address'),
};

/** `minimum` and its kin, by ajv's `comparison`. */
const BOUNDS: Record<string, [type: string, words: string, key: string]> = {
  '>=': ['greater_than_equal', 'greater than or equal to', 'ge'],
  '>': ['greater_than', 'greater than', 'gt'],
  '<=': ['less_than_equal', 'less than or equal to', 'le'],
  '<': ['less_than', 'less than', 'lt'],
};

const plural = (n: unknown, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function bound({ comparison, limit }: Params): Described {
  const [type, words, key] = BOUNDS[String(comparison)];
  return { type, msg: `Input should be ${words} ${limit}`, ctx: { [key]: limit } };
}

/** `minItems` and `maxItems`. */
const LENGTHS: Record<string, [type: string, words: string, key: string]> = {
  minItems: ['too_short', 'at least', 'min_length'],
  maxItems: ['too_long', 'at most', 'max_length'],
  minProperties: ['too_short', 'at least', 'min_length'],
  maxProperties: ['too_long', 'at most', 'max_length'],
};

/** An array's length, or a dict's: how many keys have a value, as the check counted them. */
function listLength(rule: string, { limit }: Params, input: unknown): Described {
  const [type, words, key] = LENGTHS[rule];
  const list = Array.isArray(input);
  const field = list ? 'List' : 'Dictionary';
  const actual = list
    ? input.length
    : Object.values(input as object).filter((v) => v !== undefined).length;
  const msg = `${field} should have ${words} ${plural(limit, 'item')} after validation, not ${actual}`;
  return { type, msg, ctx: { field_type: field, [key]: limit, actual_length: actual } };
}

/** Each rule of the validators (JSON Schema keywords, and the prose rules' names). */
const RULES: Record<string, (params: Params, input: unknown) => Described> = {
  required: () => ({ type: 'missing', msg: 'Field required' }),
  dependentRequired: () => ({ type: 'missing', msg: 'Field required' }),
  additionalProperties: () => ({ type: 'extra_forbidden', msg: 'Extra inputs are not permitted' }),
  unevaluatedProperties: () => ({ type: 'extra_forbidden', msg: 'Extra inputs are not permitted' }),
  multipleOf: ({ multipleOf }) => ({
    type: 'multiple_of',
    msg: `Input should be a multiple of ${multipleOf}`,
    ctx: { multiple_of: multipleOf },
  }),
  type: (params, input) => typeError(params.type, input),
  format: (params) => FORMATS[String(params.format)] ?? valueError(`invalid ${params.format}`),
  enum: ({ allowedValues }) => {
    const expected = alternatives(allowedValues as unknown[]);
    return { type: 'enum', msg: `Input should be ${expected}`, ctx: { expected } };
  },
  const: ({ allowedValue }) => {
    const expected = repr(allowedValue);
    return { type: 'literal_error', msg: `Input should be ${expected}`, ctx: { expected } };
  },
  minimum: bound,
  maximum: bound,
  exclusiveMinimum: bound,
  exclusiveMaximum: bound,
  minLength: ({ limit }) => ({
    type: 'string_too_short',
    msg: `String should have at least ${plural(limit, 'character')}`,
    ctx: { min_length: limit },
  }),
  maxLength: ({ limit }) => ({
    type: 'string_too_long',
    msg: `String should have at most ${plural(limit, 'character')}`,
    ctx: { max_length: limit },
  }),
  pattern: ({ pattern }) => ({
    type: 'string_pattern_mismatch',
    msg: `String should match pattern '${pattern}'`,
    ctx: { pattern },
  }),
  minItems: (params, input) => listLength('minItems', params, input),
  maxItems: (params, input) => listLength('maxItems', params, input),
  minProperties: (params, input) => listLength('minProperties', params, input),
  maxProperties: (params, input) => listLength('maxProperties', params, input),
  // Pydantic reports the key's own error (`enum`, `uuid_parsing`...); the issue does not carry it.
  propertyNames: ({ propertyName }) => valueError(`key ${repr(propertyName)} is not allowed`),
  exactlyOneOf: ({ keys, empty }) =>
    valueError(
      empty !== undefined
        ? `${empty} must be a non-empty string`
        : `exactly one of ${(keys as string[]).join(' or ')} must be set`,
    ),
  indexInto: ({ list, length }) =>
    valueError(`must be less than ${String(length)}, the number of ${String(list)} sent`),
};

/** The value at `path`: every step exists, as an issue's path leads to a value (or its parent). */
const at = (root: unknown, path: Path) =>
  path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], root);

/** Where Pydantic places the problem and what it names as its input: a bad key is the key. */
function placed(issue: Issue, root: unknown, inBody: boolean) {
  const { path, rule, params } = issue;
  const loc = inBody ? ['body', ...path] : [...path];
  if (rule === 'propertyNames') return { loc: [...loc, '[key]'], input: params.propertyName };
  if (rule !== 'required' && rule !== 'dependentRequired') return { loc, input: at(root, path) };
  // A missing body field's input is the object that lacks it; a missing parameter's is null.
  return { loc, input: inBody ? at(root, path.slice(0, -1)) : null };
}

/**
 * The details of `issues` found in the body (`inBody`), or in the parameters (the
 * `{ path, query, header }` object, whose issues' paths start with the place).
 */
export function details(issues: Issue[], root: unknown, inBody: boolean): Detail[] {
  return withoutUnionSummaries(issues).map((issue) => {
    const { loc, input } = placed(issue, root, inBody);
    const describe = RULES[issue.rule] ?? (() => valueError(issue.message));
    const { type, msg, ctx } = describe(issue.params, input);
    // FastAPI's key order.
    return { type, loc, msg, input: input ?? null, ...(ctx && { ctx }) };
  });
}

/**
 * `anyOf` / `oneOf` issues that only sum up the problems of a branch already listed at or below
 * their path: Pydantic lists the branch's problems alone.
 */
function withoutUnionSummaries(issues: Issue[]): Issue[] {
  const under = (inner: Path, outer: Path) => outer.every((key, i) => inner[i] === key);
  return issues.filter(
    (issue) =>
      !(issue.rule === 'anyOf' || issue.rule === 'oneOf') ||
      !issues.some((other) => other !== issue && under(other.path, issue.path)),
  );
}
