/**
 * The building blocks of the validators that `npm run generate` writes to src/generated/validators.ts.
 *
 * Each block is a plain function: no code is compiled at run time (Workers forbid `eval`), and a
 * bundler keeps only the blocks that the generated validators of the operations an app calls use.
 * A check reports every problem it finds (not just the first), so one error can list them all.
 */

/** Where a problem is: property names and array indexes from the root of the checked value. */
export type Path = readonly (string | number)[];

export interface Issue {
  path: Path;
  /** The JSON Schema keyword (or named prose rule) that failed, e.g. `maximum`, `required`. */
  rule: string;
  message: string;
}

/** Checks `value`, appends its problems to `issues`, and says whether it was valid. */
export type Check = (value: unknown, path: Path, issues: Issue[]) => boolean;

export const fail = (issues: Issue[], path: Path, rule: string, message: string): false => {
  issues.push({ path, rule, message });
  return false;
};

/** `tool_overrides.lookup_order.delay_ms: must be <= 60000` */
export const formatIssue = (issue: Issue): string =>
  `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`;

// The URN form too, as JSON Schema's `uuid` format (ajv-formats) and the server (Pydantic) accept it.
export const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const any: Check = () => true;

export const never = (): Check => (_v, p, o) => fail(o, p, 'false', 'is not allowed');

export const isNull: Check = (v, p, o) => v === null || fail(o, p, 'type', 'must be null');

export const boolean: Check = (v, p, o) =>
  typeof v === 'boolean' || fail(o, p, 'type', 'must be a boolean');

export const nullable =
  (check: Check): Check =>
  (v, p, o) =>
    v === null || check(v, p, o);

export const string =
  (format?: RegExp): Check =>
  (v, p, o) =>
    typeof v !== 'string'
      ? fail(o, p, 'type', 'must be a string')
      : !format ||
        format.test(v) ||
        fail(o, p, 'format', format === UUID ? 'must be a UUID' : 'must be an ISO date-time');

/** `minLength`, `maxLength` and `pattern`: apart from `string`, so most apps never ship them. */
export const stringBounds =
  (minLength: number, maxLength: number, pattern?: RegExp): Check =>
  (v, p, o) =>
    typeof v !== 'string' ||
    (v.length < minLength
      ? fail(o, p, 'minLength', `must be at least ${minLength} characters`)
      : v.length > maxLength
        ? fail(o, p, 'maxLength', `must be at most ${maxLength} characters`)
        : !pattern || pattern.test(v) || fail(o, p, 'pattern', `must match ${pattern}`));

const numeric =
  (integer: boolean) =>
  (min: number | null = null, max: number | null = null): Check =>
  (v, p, o) =>
    typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))
      ? fail(o, p, 'type', integer ? 'must be an integer' : 'must be a number')
      : min !== null && v < min
        ? fail(o, p, 'minimum', `must be >= ${min}`)
        : max === null || v <= max || fail(o, p, 'maximum', `must be <= ${max}`);

/** `exclusiveMinimum` / `exclusiveMaximum` (rare): apart from `integer` and `number`. */
export const exclusiveBounds =
  (xmin: number | null, xmax: number | null): Check =>
  (v, p, o) =>
    typeof v !== 'number' ||
    (xmin !== null && v <= xmin
      ? fail(o, p, 'exclusiveMinimum', `must be > ${xmin}`)
      : xmax === null || v < xmax || fail(o, p, 'exclusiveMaximum', `must be < ${xmax}`));

export const integer = /* @__PURE__ */ numeric(true);
export const number = /* @__PURE__ */ numeric(false);

export const oneOfValues =
  (values: readonly unknown[]): Check =>
  (v, p, o) =>
    values.includes(v) ||
    fail(o, p, 'enum', `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);

export const array =
  (item: Check, minItems = 0, maxItems = Infinity): Check =>
  (v, p, o) => {
    if (!Array.isArray(v)) return fail(o, p, 'type', 'must be an array');
    if (v.length < minItems) return fail(o, p, 'minItems', `must have at least ${minItems} items`);
    if (v.length > maxItems) return fail(o, p, 'maxItems', `must have at most ${maxItems} items`);
    let ok = true;
    v.forEach((x, i) => (ok = item(x, [...p, i], o) && ok));
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
    if (!isObject(v)) return fail(o, p, 'type', 'must be an object');
    let ok = true;
    for (const key in fields) {
      const [check, required] = fields[key];
      if (v[key] !== undefined) ok = check(v[key], [...p, key], o) && ok;
      else if (required) ok = fail(o, [...p, key], 'required', 'is required');
    }
    if (additional !== undefined) {
      for (const key in v) {
        if (key in fields || v[key] === undefined) continue;
        ok =
          (additional
            ? additional(v[key], [...p, key], o)
            : fail(o, [...p, key], 'additionalProperties', 'is not an allowed key')) && ok;
      }
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

/** At least one branch (`anyOf`) or exactly one (`oneOf`) must pass. */
const branches =
  (exactlyOne: boolean) =>
  (checks: Check[]): Check =>
  (v, p, o) => {
    const passed = checks.filter((check) => check(v, p, [])).length;
    if (passed === 0) {
      // Report the problems of the first branch: usually the one the caller meant.
      checks[0](v, p, o);
      return fail(o, p, exactlyOne ? 'oneOf' : 'anyOf', 'does not match any allowed shape');
    }
    return (
      !exactlyOne || passed === 1 || fail(o, p, 'oneOf', 'matches more than one allowed shape')
    );
  };

export const anyOf = /* @__PURE__ */ branches(false);
export const oneOf = /* @__PURE__ */ branches(true);
