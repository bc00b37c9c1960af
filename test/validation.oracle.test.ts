/**
 * An independent oracle for request validation: for thousands of generated bodies, valid and
 * broken in every way the schema cares about, the SDK's verdict must equal ajv's on the schema
 * compiled from openapi.json at test time, plus the CannedToolResponse prose rule as written here.
 *
 * The oracle judges the body as it travels: after a JSON round trip, so `undefined` values count
 * as absent (the SDK checks the value before it is serialized and must agree).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatherClient, RequestValidationError, type Issue } from '@featherhq/sdk';
import { validateSimulationRunDispatch } from '../src/generated/validators.js';

const spec = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));

// The whole document is registered so that its `#/components/schemas/...` refs resolve as written;
// its non-schema keys are declared as a vocabulary so ajv's strict mode still checks the schemas.
const ajv = new Ajv2020({ strict: true, allErrors: true });
// A CommonJS default export, seen through NodeNext typings as a namespace.
(formats as unknown as typeof formats.default)(ajv);
ajv.addVocabulary(Object.keys(spec));
ajv.addSchema(spec, 'openapi.json');
const schemaAccepts = ajv.compile({
  $ref: 'openapi.json#/components/schemas/SimulationRunDispatch',
});

/** The prose of CannedToolResponse, read independently of src/core/rules.ts. */
function proseAccepts(body: unknown): boolean {
  const overrides = (body as { tool_overrides?: unknown } | null)?.tool_overrides;
  if (typeof overrides !== 'object' || overrides === null) return true;
  return Object.values(overrides).every((canned) => {
    if (typeof canned !== 'object' || canned === null) return true;
    // On the wire a key is either there or not; `output: null` is there, `error: null` is unset.
    const outputSet = Object.hasOwn(canned, 'output');
    const errorSet = Object.hasOwn(canned, 'error') && canned.error !== null;
    if (errorSet && canned.error === '') return false;
    return outputSet !== errorSet;
  });
}

const wire = (body: unknown): unknown => JSON.parse(JSON.stringify(body));
const oracle = (body: unknown): boolean => {
  const sent = wire(body);
  return schemaAccepts(sent) && proseAccepts(sent);
};
const sdkAccepts = (body: unknown, issues: Issue[] = []) =>
  validateSimulationRunDispatch(body, [], issues);

// ---- Generators: each field is mostly valid, sometimes broken, so about half the bodies pass.

const ABSENT = Symbol('absent');
const sometimes = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>, weight = 10) =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: invalid });

const json = fc.jsonValue({ maxDepth: 2 });
const wrongType = fc.oneof(
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

const body = fc.oneof(
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

describe('the oracle itself', () => {
  it('compiles the spec schema and agrees with hand-picked verdicts', () => {
    const ids = {
      agent_id: fc.sample(fc.uuid(), 1)[0],
      persona_id: '00000000-0000-4000-8000-000000000000',
      scenario_id: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA',
    };
    expect(oracle(ids)).toBe(true);
    expect(oracle({ ...ids, channel: 'sms' })).toBe(false);
    expect(oracle({ ...ids, tool_overrides: { t: { output: null } } })).toBe(true);
    expect(oracle({ ...ids, tool_overrides: { t: { output: 1, error: 'x' } } })).toBe(false);
    expect(oracle({ ...ids, tool_overrides: { t: { error: '' } } })).toBe(false);
    expect(oracle({ ...ids, tool_overrides: { t: { error: null } } })).toBe(false);
    expect(oracle({ ...ids, tool_overrides: { t: { output: 1, delay_ms: 60_001 } } })).toBe(false);
    expect(oracle({ ...ids, tool_overrides: { t: { output: 1, extra: true } } })).toBe(false);
    expect(oracle({ ...ids, agent_id: undefined })).toBe(false);
    // ajv-formats (and the server) take the URN form of a UUID: the SDK must not refuse it.
    expect(oracle({ ...ids, agent_id: `urn:uuid:${ids.persona_id}` })).toBe(true);
  });

  it('generates both verdicts in fair measure', () => {
    const sample = fc.sample(body, { numRuns: 2_000, seed: 42 });
    const valid = sample.filter(oracle).length;
    expect(valid / sample.length).toBeGreaterThan(0.25);
    expect(valid / sample.length).toBeLessThan(0.75);
    // Bodies with canned responses, valid and not, are a good share of both.
    const withCanned = sample.filter(
      (b: any) => b?.tool_overrides && Object.keys(b.tool_overrides).length > 0,
    );
    expect(withCanned.filter(oracle).length).toBeGreaterThan(100);
    expect(withCanned.filter((b) => !oracle(b)).length).toBeGreaterThan(100);
  });
});

describe('validateSimulationRunDispatch agrees with ajv + the prose rule', () => {
  it('on thousands of generated bodies', () => {
    fc.assert(
      fc.property(body, (b) => {
        const issues: Issue[] = [];
        const verdict = sdkAccepts(b, issues);
        expect(verdict).toBe(oracle(b));
        // A rejection always says why, an acceptance never carries a problem.
        expect(issues.length === 0).toBe(verdict);
      }),
      { numRuns: 10_000 },
    );
  });

  it('on bodies one edit away from valid', () => {
    // Shrinking lands here too, but these focus the search on the boundaries.
    const valid = body.filter(oracle);
    const edit = fc.tuple(
      valid,
      fc.constantFrom('agent_id', 'channel', 'tool_overrides'),
      wrongType,
    );
    fc.assert(
      fc.property(edit, ([b, key, value]) => {
        const edited = { ...(b as object), [key]: value };
        expect(sdkAccepts(edited)).toBe(oracle(edited));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('through the client: a rejected body never reaches the network', () => {
  let url = '';
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'run' }));
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  it('throws RequestValidationError exactly when the oracle rejects, sending nothing', async () => {
    const feather = createFeatherClient({ apiKey: 'sk_test_oracle', baseUrl: url });
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = requests;
        const outcome = await feather.dispatchSimulationRun(b as never).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (oracle(b)) {
          expect(outcome).toBeUndefined();
          expect(requests).toBe(before + 1);
        } else {
          expect(outcome).toBeInstanceOf(RequestValidationError);
          const { issues, message } = outcome as RequestValidationError;
          expect(issues.length).toBeGreaterThan(0);
          expect(message.split('\n')).toHaveLength(issues.length + 1);
          expect(requests).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});
