/**
 * An independent oracle for validation: the SDK's verdict must equal ajv's (draft 2020-12 with
 * ajv-formats, `format: time` as its `iso-time`) plus the prose rules as test/support/oracle.ts
 * reads them from the schemas' descriptions, on:
 * thousands of generated `dispatchSimulationRun` bodies, valid and broken in every way the seed's
 * schema cares about, through the validator and through the client. (The real 1.21.0 spec, every
 * validator of it: test/validation.real-spec.test.ts, in the slow tier.)
 *
 * The oracle judges a value as it travels: after a JSON round trip, so `undefined` values count
 * as absent (the SDK checks the value before it is serialized and must agree).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { body, wrongType } from '../arbitraries.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatherClient, RequestValidationError, type Issue } from '@featherhq/sdk';
import { validateSimulationRunDispatch } from '../../src/generated/validators.js';
import { ajvJudge, wire } from '../support/oracle.js';
import { correctedSpec } from '../support/specs.js';

const spec = correctedSpec();
const judge = ajvJudge(spec);

const oracle = (body: unknown): boolean =>
  judge.acceptsComponent('SimulationRunDispatch', wire(body));
const sdkAccepts = (body: unknown, issues: Issue[] = []) =>
  validateSimulationRunDispatch(body, [], issues);

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
