/**
 * fast-check generators of `dispatchSimulationRun` bodies, shared by the validation oracle and the
 * Prism contract test. Each field is mostly valid and sometimes broken in a way the schema (or its
 * prose rule) cares about, so about half of the bodies are valid: wrong types, malformed UUIDs,
 * unknown channels, out-of-range or fractional delays, unknown keys in a canned response, both or
 * neither of output / error, an empty error, `null` against absent against `undefined`.
 */
import fc from 'fast-check';

const ABSENT = Symbol('absent');
const sometimes = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>, weight = 10) =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: invalid });

const json = fc.jsonValue({ maxDepth: 2 });
export const wrongType = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string(), { maxKeys: 2 }),
);
const uuid = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
);
const badUuid = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => `urn:uuid:${u}`),
  fc.uuid().map((u) => ` ${u}`),
  fc.uuid().map((u) => `${u}\n`),
  fc.uuid().map((u) => u.slice(0, -1)),
  fc.uuid().map((u) => `${u}0`),
  fc
    .tuple(fc.uuid(), fc.nat(35), fc.constantFrom('g', 'z', '-', ' ', 'é'))
    .map(([u, i, c]) => u.slice(0, i) + c + u.slice(i + 1)),
  wrongType,
);
const id = sometimes(uuid, badUuid, 12);
const channel = sometimes(
  fc.constantFrom('text', 'voice'),
  fc.oneof(fc.constantFrom('Voice', 'TEXT', 'sms', '', ' voice', 'voice '), fc.string(), wrongType),
  6,
);
const delayMs = sometimes(
  fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.constantFrom(0, 60_000, -0, 1.0, 5e3)),
  fc.oneof(
    fc.constantFrom(-1, 60_001, 0.5, 59_999.5, -0.0001, 1e21, Number.MAX_SAFE_INTEGER, '100'),
    fc.integer({ min: 60_001 }),
    fc.integer({ max: -1 }),
    fc.double({ min: 0, max: 60_000, noNaN: true }).filter((n) => !Number.isInteger(n)),
    wrongType,
  ),
  6,
);
const errorText = sometimes(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.oneof(fc.constant(''), wrongType),
  8,
);

/** A record whose fields may be absent, `undefined` (absent on the wire) or present. */
function shape(fields: Record<string, [fc.Arbitrary<unknown>, presence: number]>) {
  const entries = Object.entries(fields).map(([key, [value, presence]]) =>
    fc
      .oneof(
        { weight: presence, arbitrary: value },
        { weight: 1, arbitrary: fc.constant(ABSENT) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
      .map((v) => [key, v] as const),
  );
  return fc.tuple(...entries).map((pairs) => {
    const record: Record<string, unknown> = {};
    for (const [key, value] of pairs) if (value !== ABSENT) record[key] = value;
    return record;
  });
}

const extraKey = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter((k) => !['output', 'error', 'delay_ms', '__proto__'].includes(k));

/** Mostly exactly one of output / error, sometimes both, neither, `null`s and unknown keys. */
const canned = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant('output') },
      { weight: 3, arbitrary: fc.constant('error') },
      fc.constantFrom('both', 'neither'),
    ),
    json,
    errorText,
    shape({ delay_ms: [delayMs, 2] }),
    sometimes(fc.constant({}), fc.dictionary(extraKey, json, { minKeys: 1, maxKeys: 2 }), 12),
    fc.constantFrom('absent', 'null', 'undefined'),
  )
  .map(([which, output, error, delay, extra, unset]) => {
    const response: Record<string, unknown> = { ...delay, ...extra };
    // An unset field is left out, or set to `undefined` (out on the wire), or for `error`, null.
    if (which === 'output' || which === 'both') response.output = output;
    else if (unset === 'undefined') response.output = undefined;
    if (which === 'error' || which === 'both') response.error = error;
    else if (unset !== 'absent') response.error = unset === 'null' ? null : undefined;
    return response;
  });

const toolName = fc.oneof(
  fc.constantFrom('lookup_order', 'refund', ''),
  fc.string({ maxLength: 6 }),
);
const toolOverrides = sometimes(
  fc.oneof(
    fc.constant(null),
    fc.dictionary(toolName, sometimes(canned, wrongType, 20), { minKeys: 1, maxKeys: 3 }),
    fc.dictionary(toolName, sometimes(canned, wrongType, 20), { minKeys: 1, maxKeys: 3 }),
    fc.constant({}),
  ),
  fc.oneof(fc.array(canned, { maxLength: 2 }), fc.string(), fc.integer(), fc.boolean()),
  8,
);

/** A request body: nearly always an object, sometimes not even that. */
export const body = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .tuple(
        shape({
          agent_id: [id, 30],
          persona_id: [id, 30],
          scenario_id: [id, 30],
          agent_revision_id: [sometimes(fc.oneof(uuid, fc.constant(null)), badUuid, 10), 3],
          channel: [channel, 3],
          tool_overrides: [toolOverrides, 4],
        }),
        // Undeclared top-level keys are allowed: the schema has no additionalProperties there.
        sometimes(fc.constant({}), fc.dictionary(extraKey, json, { maxKeys: 2 }), 8),
      )
      .map(([fields, extra]) => ({ ...extra, ...fields })),
  },
  { weight: 1, arbitrary: fc.oneof(wrongType, fc.string(), fc.constant([])) },
);
