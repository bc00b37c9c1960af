/**
 * The building blocks of the validators that `npm run generate` writes to src/generated/validators.ts,
 * and of the prose rules of src/spec/rules.ts.
 *
 * Each block is a plain function: no code is compiled at run time (Workers forbid `eval`), and a
 * bundler keeps only the blocks that the validators an app reaches use, so a keyword that few
 * schemas use (`propertyNames`, `prefixItems`, `not`...) has a block of its own.
 * A check reports every problem it finds (not just the first), so one error can list them all.
 * Verdicts are ajv's (JSON Schema 2020-12 with ajv-formats); `rule` and `params` are shaped like
 * ajv's `keyword` and `params`, so that callers (the mock server's 422s) build text from data.
 */

/** Where a problem is: property names and array indexes from the root of the checked value. */
export type Path = readonly (string | number)[];

/** One problem a check found: where (`path`), which rule, its parameters (as ajv's errors have) and a message. */
export interface Issue {
  /** Where the problem is, from the root of the checked value: `['tool_overrides', 'x']`. */
  path: Path;
  /** The JSON Schema keyword (or named prose rule) that failed, e.g. `maximum`, `required`. */
  rule: string;
  /** The rule's data, as ajv gives it: `{ comparison: '<=', limit: 60000 }` for `maximum`. */
  params: Record<string, unknown>;
  /** For people: `must be <= 60000`. */
  message: string;
}

/** Checks `value`, appends its problems to `issues`, and says whether it was valid. */
export type Check = (value: unknown, path: Path, issues: Issue[]) => boolean;

export const fail = (
  issues: Issue[],
  path: Path,
  rule: string,
  params: Record<string, unknown>,
  message: string,
): false => {
  issues.push({ path, rule, params, message });
  return false;
};

/** `tool_overrides.lookup_order.delay_ms: must be <= 60000` */
export const formatIssue = (issue: Issue): string =>
  `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`;

/** The JSON type of a value, as `type` and ajv's messages name it (integers are numbers here). */
const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

const typeError = (o: Issue[], p: Path, type: string, article = 'a') =>
  fail(o, p, 'type', { type }, `must be ${article} ${type}`);

const isObject = (v: unknown): v is Record<string, unknown> => jsonType(v) === 'object';

export const any: Check = () => true;

/** The `false` schema: nothing is valid. */
export const never: Check = (_v, p, o) => fail(o, p, 'false schema', {}, 'is not allowed');

export const isNull: Check = (v, p, o) =>
  v === null || fail(o, p, 'type', { type: 'null' }, 'must be null');

export const boolean: Check = (v, p, o) => typeof v === 'boolean' || typeError(o, p, 'boolean');

export const nullable =
  (check: Check): Check =>
  (v, p, o) =>
    v === null || check(v, p, o);

/**
 * Applies `check` only to values of one JSON type (`number`, `array`, `object`): how a schema
 * without `type` reads `minimum` or `properties`, e.g. `{ anyOf: [...], minimum: 0 }`. (String
 * keywords have blocks that let other values be: `format`, `stringBounds`.)
 */
export const when =
  (type: string, check: Check): Check =>
  (v, p, o) =>
    jsonType(v) !== type || check(v, p, o);

/** A named `format`, with its own message; formats of numbers say so in `type`. */
export interface Format {
  /** Its name in the spec: `uuid`, `date-time`... */
  name: string;
  /** What an issue says of a value that is not in it: `must be a UUID`. */
  message: string;
  /** Whether a value of its type (a string, or a number for `type: 'number'`) is in it. */
  test: (value: never) => boolean;
  /** `number` for a format of numbers (`int32`); strings otherwise. */
  type?: 'number';
}

export const string =
  (format?: Format): Check =>
  (v, p, o) =>
    typeof v !== 'string'
      ? typeError(o, p, 'string')
      : !format || (format.test as (s: string) => boolean)(v) || formatError(o, p, format);

const formatError = (o: Issue[], p: Path, format: Format) =>
  fail(o, p, 'format', { format: format.name }, format.message);

/** `format` where the type is not known to match: applies to strings, or numbers for int32. */
export const format =
  (f: Format): Check =>
  (v, p, o) =>
    typeof v !== (f.type ?? 'string') ||
    (f.test as (x: unknown) => boolean)(v) ||
    formatError(o, p, f);

/** String length as JSON Schema counts it (ajv's ucs2length): in code points, so 😀 is 1. */
const length = (s: string) => [...s].length;

/** `minLength`, `maxLength` and `pattern`: apart from `string`, so most apps never ship them. */
export const stringBounds =
  (minLength: number, maxLength: number, pattern?: RegExp): Check =>
  (v, p, o) => {
    if (typeof v !== 'string') return true;
    let ok = true;
    const n = length(v);
    if (n < minLength) {
      ok = fail(
        o,
        p,
        'minLength',
        { limit: minLength },
        `must be at least ${minLength} characters`,
      );
    } else if (n > maxLength) {
      ok = fail(o, p, 'maxLength', { limit: maxLength }, `must be at most ${maxLength} characters`);
    }
    if (pattern && !pattern.test(v)) {
      ok = fail(o, p, 'pattern', { pattern: pattern.source }, `must match /${pattern.source}/`);
    }
    return ok;
  };

const bound = (o: Issue[], p: Path, rule: string, comparison: string, limit: number) =>
  fail(o, p, rule, { comparison, limit }, `must be ${comparison} ${limit}`);

/** A number JSON can carry: finite. (Number.isFinite is false for every other type too.) */
const isFiniteNumber = (v: unknown): v is number => Number.isFinite(v);

const numeric =
  (integer: boolean) =>
  (min: number | null = null, max: number | null = null): Check =>
  (v, p, o) =>
    !isFiniteNumber(v) || (integer && !Number.isInteger(v))
      ? typeError(o, p, integer ? 'integer' : 'number', integer ? 'an' : 'a')
      : min !== null && v < min
        ? bound(o, p, 'minimum', '>=', min)
        : max === null || v <= max || bound(o, p, 'maximum', '<=', max);

/** `exclusiveMinimum` / `exclusiveMaximum` (rare): apart from `integer` and `number`. */
export const exclusiveBounds =
  (xmin: number | null, xmax: number | null): Check =>
  (v, p, o) =>
    typeof v !== 'number' ||
    (xmin !== null && v <= xmin
      ? bound(o, p, 'exclusiveMinimum', '>', xmin)
      : xmax === null || v < xmax || bound(o, p, 'exclusiveMaximum', '<', xmax));

export const integer = /* @__PURE__ */ numeric(true);
export const number = /* @__PURE__ */ numeric(false);

/** `enum` of JSON primitives (the generator refuses objects and arrays here). */
export const oneOfValues =
  (values: readonly unknown[]): Check =>
  (v, p, o) =>
    values.includes(v) ||
    fail(
      o,
      p,
      'enum',
      { allowedValues: values },
      `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`,
    );

/** `const` of a JSON primitive. */
export const constant =
  (value: unknown): Check =>
  (v, p, o) =>
    v === value || fail(o, p, 'const', { allowedValue: value }, `must be ${JSON.stringify(value)}`);

/** `items` (for every item), `minItems`, `maxItems`. */
export const array =
  (item: Check, minItems = 0, maxItems = Infinity): Check =>
  (v, p, o) => {
    if (!Array.isArray(v)) return typeError(o, p, 'array', 'an');
    let ok = true;
    if (v.length < minItems) {
      ok = fail(o, p, 'minItems', { limit: minItems }, `must have at least ${minItems} items`);
    } else if (v.length > maxItems) {
      ok = fail(o, p, 'maxItems', { limit: maxItems }, `must have at most ${maxItems} items`);
    }
    // Every index, holes too (JSON sends them as null): an `undefined` item is refused, not skipped.
    for (let i = 0; i < v.length; i++) ok = item(v[i], [...p, i], o) && ok;
    return ok;
  };

/** `prefixItems`: the first items each have their own check; `rest` (`items`) checks the others. */
export const prefixItems =
  (checks: Check[], rest: Check = any): Check =>
  (v, p, o) => {
    if (!Array.isArray(v)) return true;
    let ok = true;
    for (let i = 0; i < v.length; i++) ok = (checks[i] ?? rest)(v[i], [...p, i], o) && ok;
    return ok;
  };

/**
 * `fields` maps each declared property to its check and whether it is required. `additional` is
 * the check for undeclared keys: `undefined` allows any, `false` forbids them.
 * A key whose value is `undefined` counts as absent, as it is once serialized to JSON.
 */
export const object =
  (fields: Record<string, [Check, true?]>, additional?: Check | false): Check =>
  (v, p, o) => {
    if (!isObject(v)) return typeError(o, p, 'object', 'an');
    let ok = true;
    for (const key in fields) {
      const [check, required] = fields[key];
      if (v[key] !== undefined) ok = check(v[key], [...p, key], o) && ok;
      else if (required) {
        ok = fail(o, [...p, key], 'required', { missingProperty: key }, 'is required');
      }
    }
    if (additional === undefined) return ok;
    for (const key in v) {
      // Own keys only: `toString` is not a declared property of every object.
      if (Object.hasOwn(fields, key) || v[key] === undefined) continue;
      ok =
        (additional
          ? additional(v[key], [...p, key], o)
          : fail(
              o,
              [...p, key],
              'additionalProperties',
              { additionalProperty: key },
              'is not an allowed key',
            )) && ok;
    }
    return ok;
  };

/** `propertyNames`: every key of an object (with a value) passes `check`, as a string. */
export const propertyNames =
  (check: Check): Check =>
  (v, p, o) => {
    if (!isObject(v)) return true;
    let ok = true;
    for (const key in v) {
      const inner: Issue[] = [];
      if (v[key] === undefined || check(key, p, inner)) continue;
      ok = fail(o, [...p, key], 'propertyNames', { propertyName: key }, `key ${inner[0].message}`);
    }
    return ok;
  };

/** Every check must pass; all of their problems are reported. */
export const allOf =
  (checks: Check[]): Check =>
  (v, p, o) => {
    let ok = true;
    for (const check of checks) ok = check(v, p, o) && ok;
    return ok;
  };

/** Whether `check` passes `v`, its problems unreported (a branch of anyOf/oneOf, the check of not). */
const passes = (check: Check, v: unknown, p: Path): boolean =>
  // Stryker disable next-line ArrayDeclaration: a scratch list nothing reads, so its content is moot
  check(v, p, []);

/** At least one branch (`anyOf`) or exactly one (`oneOf`) must pass. */
const branches =
  (exactlyOne: boolean) =>
  (checks: Check[]): Check =>
  (v, p, o) => {
    const passing = checks.flatMap((check, i) => (passes(check, v, p) ? [i] : []));
    const rule = exactlyOne ? 'oneOf' : 'anyOf';
    if (passing.length === 0) {
      // Report the problems of the first branch: usually the one the caller meant.
      checks[0](v, p, o);
      return fail(o, p, rule, { passingSchemas: null }, 'does not match any allowed shape');
    }
    return (
      !exactlyOne ||
      passing.length === 1 ||
      fail(o, p, rule, { passingSchemas: passing }, 'matches more than one allowed shape')
    );
  };

export const anyOf = /* @__PURE__ */ branches(false);
export const oneOf = /* @__PURE__ */ branches(true);

/** `not`: the value must fail `check`. */
export const not =
  (check: Check): Check =>
  (v, p, o) =>
    !passes(check, v, p) || fail(o, p, 'not', {}, 'must not match the excluded shape');

/**
 * A file field of a multipart body (`format: binary`, or a non-JSON `contentMediaType`): what the
 * multipart encoder sends as a file. Blob and ReadableStream are looked up only where the runtime
 * has them (web APIs, not JavaScript's); ArrayBuffer is in every runtime.
 */
export const upload: Check = (v, p, o) =>
  (typeof Blob !== 'undefined' && v instanceof Blob) ||
  v instanceof ArrayBuffer ||
  ArrayBuffer.isView(v) ||
  (typeof ReadableStream !== 'undefined' && v instanceof ReadableStream) ||
  fail(
    o,
    p,
    'type',
    { type: 'file' },
    'must be a Blob, ArrayBuffer, typed array or ReadableStream',
  );

// Formats, as ajv-formats' full mode has them (node_modules/ajv-formats/dist/formats.js), except
// that `time` takes a time without an offset too (its `iso-time`): Pydantic writes naive times.

// The URN form too, as ajv-formats (and the server, Pydantic) accept it.
const UUID_PATTERN = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
export const UUID: Format = {
  name: 'uuid',
  message: 'must be a UUID',
  test: (s: string) => UUID_PATTERN.test(s),
};

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar day, 29 February only in leap years. */
const isDate = (s: string): boolean => {
  const m = /^(\d\d\d\d)-(\d\d)-(\d\d)$/.exec(s);
  if (!m) return false;
  const [, year, month, day] = m.map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  // Month 00 has 0 days in DAYS, and months past 12 none (undefined): no day is in range.
  return day >= 1 && day <= (month === 2 && leap ? 29 : DAYS[month]);
};

/** hh:mm:ss[.frac][offset]; second 60 only as 23:59:60 UTC (a leap second), as ajv-formats has it. */
const isTime = (s: string, zoned: boolean): boolean => {
  const m = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i.exec(s);
  if (!m) return false;
  const [hour, minute, second] = [+m[1], +m[2], +m[3]];
  const [tzHour, tzMinute] = [+(m[6] || 0), +(m[7] || 0)];
  if (tzHour > 23 || tzMinute > 59 || (zoned && !m[4])) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  // A leap second falls at 23:59 UTC (hour -1: of the day before): the local time minus the
  // offset, plus it west of UTC. Only a minute of -1 borrows an hour; any other below 0 fails.
  const west = m[5] === '-';
  const utcMinute = west ? minute + tzMinute : minute - tzMinute;
  const utcHour = (west ? hour + tzHour : hour - tzHour) - (utcMinute === -1 ? 1 : 0);
  return (
    (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61
  );
};

export const DATE: Format = {
  name: 'date',
  message: 'must be an ISO date (YYYY-MM-DD)',
  test: isDate,
};

export const TIME: Format = {
  name: 'time',
  message: 'must be an ISO time (hh:mm:ss)',
  test: (s: string) => isTime(s, false),
};

/** A date and a time with its offset, apart by `T` or a space, as ajv-formats reads RFC 3339. */
export const DATE_TIME: Format = {
  name: 'date-time',
  message: 'must be an ISO date-time',
  test: (s: string) => {
    const parts = s.split(/t|\s/i);
    return parts.length === 2 && isDate(parts[0]) && isTime(parts[1], true);
  },
};

const DURATION_PATTERN = /^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$/;
export const DURATION: Format = {
  name: 'duration',
  message: 'must be an ISO duration',
  test: (s: string) => DURATION_PATTERN.test(s),
};

const EMAIL_PATTERN =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
export const EMAIL: Format = {
  name: 'email',
  message: 'must be an email address',
  test: (s: string) => EMAIL_PATTERN.test(s),
};

const URI_PATTERN =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;
/** An absolute URI. (ajv-formats also asks for a `/` or `:`, which the scheme's `:` always is.) */
export const URI: Format = {
  name: 'uri',
  message: 'must be an absolute URI',
  test: (s: string) => URI_PATTERN.test(s),
};

const IPV4_PATTERN =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
export const IPV4: Format = {
  name: 'ipv4',
  message: 'must be an IPv4 address',
  test: (s: string) => IPV4_PATTERN.test(s),
};

const IPV6_PATTERN =
  /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i;
export const IPV6: Format = {
  name: 'ipv6',
  message: 'must be an IPv6 address',
  test: (s: string) => IPV6_PATTERN.test(s),
};

export const INT32: Format = {
  name: 'int32',
  message: 'must be a 32-bit integer',
  type: 'number',
  test: (n: number) => Number.isInteger(n) && n <= 2 ** 31 - 1 && n >= -(2 ** 31),
};

export const INT64: Format = {
  name: 'int64',
  message: 'must be an integer',
  type: 'number',
  test: (n: number) => Number.isInteger(n),
};

/** How a key of an `exactlyOneOf` rule counts as set. */
export type Presence =
  /** Set when present with any value but `undefined`: an explicit `null` is a value. */
  | 'present'
  /** Set when neither `null` nor `undefined`, and then must not be `''`. */
  | 'nonEmpty';

/**
 * A rule the spec states only in prose: a check that carries its data, which the generator (the
 * keys a schema must declare) and the types (`Refined`) read, and its issues' `params` repeat.
 */
export interface ProseRule<Name extends string = string, Data = unknown> extends Check {
  /** Its name, as its issues' `rule` says it: `exactlyOneOf`. */
  readonly rule: Name;
  /** The properties it reads: a schema it applies to must declare each. */
  readonly keys: readonly string[];
  /** What it was declared with, as src/spec/rules.ts writes it. */
  readonly data: Data;
}

/** `a, b and c` */
const list = (keys: readonly string[]) => keys.join(', ').replace(/, (?!.*, )/, ' and ');

/**
 * Exactly one of the keys of an object is set, each as its `Presence` says. Its issues have the
 * rule `exactlyOneOf` and params `{ keys, set }` (and `empty`, the key set to `''`).
 */
export const exactlyOneOf = <const S extends Record<string, Presence>>(
  spec: S,
): ProseRule<'exactlyOneOf', S> => {
  const keys = Object.keys(spec);
  const check: Check = (v, p, o) => {
    if (!isObject(v)) return true; // the type check says so
    const set = keys.filter((k) => (spec[k] === 'present' ? v[k] !== undefined : v[k] != null));
    const empty = set.find((k) => spec[k] === 'nonEmpty' && v[k] === '');
    if (empty !== undefined) {
      const params = { keys, set, empty };
      return fail(o, [...p, empty], 'exactlyOneOf', params, 'must be a non-empty string');
    }
    const message = `must set ${set.length ? 'only' : 'exactly'} one of ${list(keys)}`;
    return set.length === 1 || fail(o, p, 'exactlyOneOf', { keys, set }, message);
  };
  return Object.assign(check, { rule: 'exactlyOneOf' as const, keys, data: spec });
};

/**
 * Each object of the array `items` whose key `index` is set refers, by that zero-based number, to
 * an element of the array `list` (absent: none). Its issues sit at that key of the item, with the
 * rule `indexInto` and params `{ list, length }`.
 */
export const indexInto = <const S extends { items: string; index: string; list: string }>(
  spec: S,
): ProseRule<'indexInto', S> => {
  const { items, index, list } = spec;
  const check: Check = (v, p, o) => {
    if (!isObject(v) || !Array.isArray(v[items])) return true; // the type check says so
    const length = Array.isArray(v[list]) ? v[list].length : 0;
    const message = length
      ? `must be less than ${length}, the number of ${list}`
      : `refers to ${list}, but none are sent`;
    let valid = true;
    v[items].forEach((item: unknown, i) => {
      const at = isObject(item) ? item[index] : undefined;
      if (typeof at === 'number' && at >= length) {
        valid = fail(o, [...p, items, i, index], 'indexInto', { list, length }, message);
      }
    });
    return valid;
  };
  return Object.assign(check, { rule: 'indexInto' as const, keys: [items, list], data: spec });
};

type Field<T, K> = K extends keyof T ? T[K] : unknown;
type SetAs<V, P> = P extends 'nonEmpty' ? NonNullable<V> : Exclude<V, undefined>;
/**
 * An unset key is left out. (The check also takes `null` for a `nonEmpty` key, but the type does
 * not: openapi-fetch's `Writable` turns a key typed only `null` into `never`, so such a body
 * could not be passed to `feather.client`.)
 */
type UnsetAs<P> = P extends unknown ? undefined : never;

/**
 * A schema's type `T` narrowed by its prose rule `R` (`typeof` a rule of src/spec/rules.ts): for
 * `exactlyOneOf`, a union with one member per key, that key set and the others unset, so
 * `{ output: 1, error: 'x' }` is not a CannedToolResponse.
 */
export type Refined<T, R> =
  R extends ProseRule<'exactlyOneOf', infer S>
    ? {
        [K in keyof S]: Omit<T, keyof S> & { -readonly [P in K]: SetAs<Field<T, P>, S[P]> } & {
          -readonly [P in Exclude<keyof S, K>]?: UnsetAs<S[P]>;
        };
      }[keyof S]
    : T;
