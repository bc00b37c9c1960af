/**
 * The building blocks of the validators that `npm run generate` writes to src/generated/validators.ts,
 * and of the prose rules of src/spec/rules.ts. (The formats are in ./formats.ts.)
 *
 * Each block is a plain function: no code is compiled at run time (Workers forbid `eval`), and a
 * bundler keeps only the blocks that the validators an app reaches use, so a keyword that few
 * schemas use (`propertyNames`, `contains`, `unevaluatedProperties`...) has a block of its own.
 * A check reports every problem it finds (not just the first), so one error can list them all.
 * Verdicts are JSON Schema 2020-12's (held to the official test suite, and to ajv with
 * ajv-formats); `rule` and `params` are shaped like ajv's `keyword` and `params`, so that callers
 * (the mock server's 422s) build text from data.
 *
 * Only own properties count: `required: ["constructor"]` is not met by Object.prototype's. A key
 * whose value is `undefined` counts as absent, as it is once serialized to JSON.
 */

import type { Format } from './formats.js';

export * from './formats.js';

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

/**
 * A check (or Seen) built on its first use. The generated validators are hundreds of these: the
 * module's import builds none of them, and the source is smaller to parse than one cache variable
 * per validator (cold start, bench/RESULTS.md). Pure, so a bundler drops each one an app never calls.
 */
export const lazy = <F extends Check | Seen>(build: () => F): F => {
  let built: F | undefined;
  return ((v: unknown, p: Path, o: Issue[]) => (built ??= build())(v, p as never, o as never)) as F;
};

/** Records a problem at a copy of `path` (the checks above put their keys in it: see `member`). */
export const fail = (
  issues: Issue[],
  path: Path,
  rule: string,
  params: Record<string, unknown>,
  message: string,
): false => {
  issues.push({ path: [...path], rule, params, message });
  return false;
};

/**
 * Checks `parent[key]`, a member (an item or a property) of the value at `p`. Its path is built
 * only if it fails: the check runs at `p`, then `key` goes into the paths of the issues it added,
 * just after `p`. So checking valid data builds no path at all.
 */
const member = (check: Check, parent: unknown, key: string | number, p: Path, o: Issue[]) => {
  let i = o.length;
  if (check((parent as Record<string | number, unknown>)[key], p, o)) return true;
  while (i < o.length) (o[i++].path as (string | number)[]).splice(p.length, 0, key);
  return false;
};

/** `tool_overrides.lookup_order.delay_ms: must be <= 60000` */
export const formatIssue = (issue: Issue): string =>
  `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`;

/** `must be an object`, `must be a string`. */
const typeError = (o: Issue[], p: Path, type: string) =>
  fail(o, p, 'type', { type }, `must be ${/^[aio]/.test(type) ? 'an' : 'a'} ${type}`);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An own key with a value. */
const has = (v: Json, key: string) => Object.hasOwn(v, key) && v[key] !== undefined;

/** The keys of an object that have a value. */
const keysOf = (v: Json) => Object.keys(v).filter((key) => v[key] !== undefined);

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

/** The JSON type of a value, as `type` names it (integers are numbers here). */
const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

/**
 * Applies `check` only to values of one JSON type (`number`, `array`, `object`): how a schema
 * without `type` reads `minimum` or `properties`, e.g. `{ anyOf: [...], minimum: 0 }`. (The
 * other keywords have blocks that let values of other types be.)
 */
export const when =
  (type: string, check: Check): Check =>
  (v, p, o) =>
    jsonType(v) !== type || check(v, p, o);

export const string =
  (format?: Format): Check =>
  (v, p, o) =>
    typeof v !== 'string'
      ? typeError(o, p, 'string')
      : !format ||
        (format.test as (s: string) => boolean)(v) ||
        fail(o, p, 'format', { format: format.name }, format.message);

/** `format` where the type is not known to match: applies to strings, or numbers for int32. */
export const format =
  (f: Format): Check =>
  (v, p, o) =>
    typeof v !== (f.type ?? 'string') ||
    (f.test as (x: unknown) => boolean)(v) ||
    fail(o, p, 'format', { format: f.name }, f.message);

/**
 * String length as JSON Schema counts it (ajv's ucs2length): in code points, so 😀 is 1 (and a lone
 * surrogate is 1 too). The pairs are counted without a copy of the string.
 */
const length = (s: string) => s.length - (s.match(/[\ud800-\udbff][\udc00-\udfff]/g)?.length ?? 0);

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

/** A number JSON can carry (finite), of the type, within `minimum` and `maximum`. */
const numeric =
  (type: 'integer' | 'number') =>
  (min = -Infinity, max = Infinity): Check =>
  (v, p, o) =>
    !Number.isFinite(v) || (type === 'integer' && !Number.isInteger(v))
      ? typeError(o, p, type)
      : (v as number) < min
        ? bound(o, p, 'minimum', '>=', min)
        : (v as number) <= max || bound(o, p, 'maximum', '<=', max);

/** `exclusiveMinimum` / `exclusiveMaximum` (rare): apart from `integer` and `number`. */
export const exclusiveBounds =
  (xmin: number | null, xmax: number | null): Check =>
  (v, p, o) =>
    typeof v !== 'number' ||
    (xmin !== null && v <= xmin
      ? bound(o, p, 'exclusiveMinimum', '>', xmin)
      : xmax === null || v < xmax || bound(o, p, 'exclusiveMaximum', '<', xmax));

export const integer = /* @__PURE__ */ numeric('integer');
export const number = /* @__PURE__ */ numeric('number');

/**
 * `multipleOf`: the quotient is a whole number, up to the rounding of binary fractions
 * (0.0075 is a multiple of 0.0001, though 0.0075 / 0.0001 is 74.99999999999999 in floats).
 */
export const multipleOf =
  (n: number): Check =>
  (v, p, o) =>
    typeof v !== 'number' ||
    Math.abs(v / n - Math.round(v / n)) < 1e-9 ||
    fail(o, p, 'multipleOf', { multipleOf: n }, `must be a multiple of ${n}`);

/** `enum` of JSON primitives (objects and arrays: `oneOfJson`). */
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

/** `const` of a JSON primitive (objects and arrays: `constantJson`). */
export const constant =
  (value: unknown): Check =>
  (v, p, o) =>
    v === value || fail(o, p, 'const', { allowedValue: value }, `must be ${JSON.stringify(value)}`);

/**
 * A JSON value as text that equal values share: object keys sorted, `undefined` members left
 * out and an `undefined` item as `null` (as on the wire), `1.0` as `1`. How `enum`, `const` and `uniqueItems` compare structures.
 */
const canonical = (value: unknown): string =>
  // In a list, as an item travels: `undefined` is `null` there.
  JSON.stringify([value], (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );

/** `enum` with objects or arrays among its values: equal as JSON values. */
export const oneOfJson = (values: readonly unknown[]): Check => {
  const texts = values.map(canonical);
  const refuse = oneOfValues(values);
  return (v, p, o) => texts.includes(canonical(v)) || refuse(v, p, o);
};

/** `const` of an object or an array: equal as a JSON value. */
export const constantJson = (value: unknown): Check => {
  const text = canonical(value);
  const refuse = constant(value);
  return (v, p, o) => canonical(v) === text || refuse(v, p, o);
};

/** `items` (for every item), `minItems`, `maxItems`. */
export const array =
  (item: Check, minItems = 0, maxItems = Infinity): Check =>
  (v, p, o) => {
    if (!Array.isArray(v)) return typeError(o, p, 'array');
    let ok = true;
    if (v.length < minItems) {
      ok = fail(o, p, 'minItems', { limit: minItems }, `must have at least ${minItems} items`);
    } else if (v.length > maxItems) {
      ok = fail(o, p, 'maxItems', { limit: maxItems }, `must have at most ${maxItems} items`);
    }
    // Every index, holes too (JSON sends them as null): an `undefined` item is refused, not skipped.
    for (let i = 0; i < v.length; i++) ok = member(item, v, i, p, o) && ok;
    return ok;
  };

/** `prefixItems`: the first items each have their own check; `rest` (`items`) checks the others. */
export const prefixItems =
  (checks: Check[], rest: Check = any): Check =>
  (v, p, o) => {
    if (!Array.isArray(v)) return true;
    let ok = true;
    for (let i = 0; i < v.length; i++) ok = member(checks[i] ?? rest, v, i, p, o) && ok;
    return ok;
  };

/** `uniqueItems: true`: no two items are equal as JSON values (found in one pass, not by pairs). */
export const uniqueItems: Check = (v, p, o) => {
  if (!Array.isArray(v)) return true;
  const seen = new Map<string, number>();
  for (let j = 0; j < v.length; j++) {
    const text = canonical(v[j]);
    const i = seen.get(text);
    if (i !== undefined) {
      return fail(o, p, 'uniqueItems', { i, j }, `must not have equal items (${i} and ${j})`);
    }
    seen.set(text, j);
  }
  return true;
};

/** `contains`, `minContains` (1 unless given), `maxContains`: how many items pass `check`. */
export const contains =
  (check: Check, min = 1, max = Infinity): Check =>
  (v, p, o) => {
    if (!Array.isArray(v)) return true;
    const n = v.filter((item) => passes(check, item, p)).length;
    return n < min
      ? fail(o, p, 'contains', { minContains: min }, `must have at least ${min} matching item(s)`)
      : n <= max ||
          fail(o, p, 'contains', { maxContains: max }, `must have at most ${max} matching item(s)`);
  };

/**
 * `fields` maps each declared property to its check and whether it is required. `additional` is
 * the check for undeclared keys: `undefined` allows any, `false` forbids them.
 */
export const object =
  (fields: Record<string, [Check, true?]>, additional?: Check | false): Check =>
  (v, p, o) => {
    if (!isObject(v)) return typeError(o, p, 'object');
    let ok = true;
    for (const key in fields) {
      const [check, required] = fields[key];
      if (Object.hasOwn(v, key) && v[key] !== undefined) ok = member(check, v, key, p, o) && ok;
      else if (required) {
        ok = fail(o, [...p, key], 'required', { missingProperty: key }, 'is required');
      }
    }
    if (additional === undefined) return ok;
    for (const key in v) {
      if (!Object.hasOwn(fields, key) && v[key] !== undefined) {
        ok =
          (additional
            ? member(additional, v, key, p, o)
            : fail(
                o,
                [...p, key],
                'additionalProperties',
                { additionalProperty: key },
                'is not an allowed key',
              )) && ok;
      }
    }
    return ok;
  };

/**
 * `patternProperties`: each key matching a pattern passes its check. (The `additionalProperties`
 * beside it are the keys no pattern matches and `properties` does not declare: `otherProperties`.)
 */
export const patternProperties =
  (patterns: [RegExp, Check][]): Check =>
  (v, p, o) => {
    if (!isObject(v)) return true;
    let ok = true;
    for (const key of keysOf(v)) {
      for (const [pattern, check] of patterns) {
        if (pattern.test(key)) ok = member(check, v, key, p, o) && ok;
      }
    }
    return ok;
  };

/** `minProperties`, `maxProperties`: how many keys have a value. */
export const propertyCount =
  (min: number, max = Infinity): Check =>
  (v, p, o) => {
    if (!isObject(v)) return true;
    const n = keysOf(v).length;
    return n < min
      ? fail(o, p, 'minProperties', { limit: min }, `must have at least ${min} properties`)
      : n <= max ||
          fail(o, p, 'maxProperties', { limit: max }, `must have at most ${max} properties`);
  };

/** `dependentRequired`: when a key is present, the keys it lists must be too. */
export const dependentRequired =
  (dependencies: Record<string, string[]>): Check =>
  (v, p, o) => {
    if (!isObject(v)) return true;
    let ok = true;
    for (const key in dependencies) {
      if (!has(v, key)) continue;
      for (const missing of dependencies[key].filter((needed) => !has(v, needed))) {
        const params = { property: key, missingProperty: missing };
        ok = fail(o, [...p, missing], 'dependentRequired', params, `is required with ${key}`);
      }
    }
    return ok;
  };

/** `dependentSchemas`: when a key is present, the whole object must pass its check. */
export const dependentSchemas =
  (dependencies: Record<string, Check>): Check =>
  (v, p, o) => {
    if (!isObject(v)) return true;
    let ok = true;
    for (const key in dependencies) if (has(v, key)) ok = dependencies[key](v, p, o) && ok;
    return ok;
  };

/** `propertyNames`: every key of an object (with a value) passes `check`, as a string. */
export const propertyNames =
  (check: Check): Check =>
  (v, p, o) => {
    if (!isObject(v)) return true;
    let ok = true;
    for (const key of keysOf(v)) {
      const inner: Issue[] = [];
      if (check(key, p, inner)) continue;
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

/** At least one branch must pass (the first that does ends the search). */
export const anyOf =
  (checks: Check[]): Check =>
  (v, p, o) =>
    checks.some((check) => passes(check, v, p)) || noBranch(checks, 'anyOf', v, p, o);

/** None passed: the problems of the first branch (usually the one the caller meant), then why. */
const noBranch = (checks: Check[], rule: string, v: unknown, p: Path, o: Issue[]) => {
  checks[0](v, p, o);
  return fail(o, p, rule, { passingSchemas: null }, 'does not match any allowed shape');
};

/** Exactly one branch must pass. */
export const oneOf =
  (checks: Check[]): Check =>
  (v, p, o) => {
    const passing = checks.flatMap((check, i) => (passes(check, v, p) ? [i] : []));
    if (passing.length === 0) return noBranch(checks, 'oneOf', v, p, o);
    return (
      passing.length === 1 ||
      fail(o, p, 'oneOf', { passingSchemas: passing }, 'matches more than one allowed shape')
    );
  };

/** `not`: the value must fail `check`. */
export const not =
  (check: Check): Check =>
  (v, p, o) =>
    !passes(check, v, p) || fail(o, p, 'not', {}, 'must not match the excluded shape');

/** `if` / `then` / `else`: `then` applies when the value passes `condition`, `otherwise` if not. */
export const ifThen =
  (condition: Check, then: Check = any, otherwise: Check = any): Check =>
  (v, p, o) =>
    (passes(condition, v, p) ? then : otherwise)(v, p, o);

/**
 * Which members of a value (keys of an object, indexes of an array) the keywords of a schema
 * evaluated, as `unevaluatedProperties` and `unevaluatedItems` need to know: a function of the
 * value (branches that pass count, those that fail do not) that says it of each member.
 */
export type Seen = (value: unknown) => (key: string | number) => boolean;

/** `properties` and `patternProperties`: the keys they name or match. */
export const seenKeys = (names: string[], patterns: RegExp[] = []): Seen => {
  const seen = (key: string | number) =>
    names.includes(key as string) || patterns.some((pattern) => pattern.test(key as string));
  return () => seen;
};

/** `additionalProperties`, `items`, a nested `unevaluated*`: every member. */
export const seenAll: Seen = () => () => true;

/** `prefixItems`: the first `n` items. */
export const seenFirst =
  (n: number): Seen =>
  () =>
  (index) =>
    (index as number) < n;

/** The path of a value judged silently (what a Seen asks): no issue of it is kept. */
const NOWHERE: Path = [];

/** `contains`: the items that pass `check`. */
export const seenMatching =
  (check: Check): Seen =>
  (v) =>
  (index) =>
    passes(check, (v as unknown[])[index as number], NOWHERE);

const seenNone = () => false;

/** A subschema that counts only when the value passes `condition`, or else `otherwise`. */
export const seenIf =
  (condition: Check, then: Seen, otherwise?: Seen): Seen =>
  (v) =>
    passes(condition, v, NOWHERE) ? then(v) : otherwise ? otherwise(v) : seenNone;

/** What any of `list` evaluated. */
export const seenAny =
  (list: Seen[]): Seen =>
  (v) => {
    const each = list.map((seen) => seen(v));
    return (key) => each.some((seen) => seen(key));
  };

/**
 * Each key (with a value) that `seen` did not evaluate passes `check`, or is refused if `false`:
 * `unevaluatedProperties`, and `additionalProperties` beside `patternProperties` (`rule`).
 */
export const otherProperties =
  (
    seen: Seen,
    check: Check | false,
    rule: 'unevaluatedProperties' | 'additionalProperties' = 'unevaluatedProperties',
  ): Check =>
  (v, p, o) => {
    if (!isObject(v)) return true;
    const evaluated = seen(v);
    const param = rule === 'additionalProperties' ? 'additionalProperty' : 'unevaluatedProperty';
    let ok = true;
    for (const key of keysOf(v)) {
      if (evaluated(key)) continue;
      ok =
        (check
          ? member(check, v, key, p, o)
          : fail(o, [...p, key], rule, { [param]: key }, 'is not an allowed key')) && ok;
    }
    return ok;
  };

/** `unevaluatedItems`: each item that `seen` did not evaluate passes `check`. */
export const unevaluatedItems =
  (seen: Seen, check: Check | false): Check =>
  (v, p, o) => {
    if (!Array.isArray(v)) return true;
    const evaluated = seen(v);
    let ok = true;
    for (let i = 0; i < v.length; i++) {
      if (evaluated(i)) continue;
      ok =
        (check
          ? member(check, v, i, p, o)
          : fail(
              o,
              [...p, i],
              'unevaluatedItems',
              { unevaluatedItem: i },
              'is not an allowed item',
            )) && ok;
    }
    return ok;
  };

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
    return empty === undefined
      ? set.length === 1 ||
          fail(
            o,
            p,
            'exactlyOneOf',
            { keys, set },
            `must set ${set.length ? 'only' : 'exactly'} one of ${list(keys)}`,
          )
      : fail(o, [...p, empty], 'exactlyOneOf', { keys, set, empty }, 'must be a non-empty string');
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
