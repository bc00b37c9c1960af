/** Bad input is refused before any network I/O, with every problem named by path and rule. */
import { randomUUID } from 'node:crypto';
import { createFeatherClient, RequestValidationError } from '@featherhq/sdk';
import { describe, expect, it } from 'vitest';
import { useSeedMock } from '../support/mock-servers.js';

const server = useSeedMock();

const ids = () => ({ agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() });
const feather = (options: { validate?: boolean } = {}) =>
  createFeatherClient({ apiKey: server().apiKey, baseUrl: server().url, ...options });

/** The lines of the RequestValidationError a body gets, after checking nothing was sent. */
async function problems(body: unknown): Promise<string[]> {
  const error = await feather()
    .dispatchSimulationRun(body as never)
    .then(
      () => expect.fail('expected a RequestValidationError'),
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(RequestValidationError);
  expect(server().requests).toHaveLength(0);
  const { message, issues } = error as RequestValidationError;
  const lines = message
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
  expect(lines).toHaveLength(issues.length);
  return lines;
}

describe('request validation', () => {
  it.each<[string, unknown, string[]]>([
    [
      'a missing id',
      { agent_id: randomUUID(), scenario_id: randomUUID() },
      ['persona_id: is required'],
    ],
    ['a malformed uuid', { ...ids(), agent_id: 'agent-1' }, ['agent_id: must be a UUID']],
    ['a non-string id', { ...ids(), scenario_id: 42 }, ['scenario_id: must be a string']],
    [
      'an unknown channel',
      { ...ids(), channel: 'video' },
      ['channel: must be one of "text", "voice"'],
    ],
    [
      'a bad revision id',
      { ...ids(), agent_revision_id: 'r1' },
      ['agent_revision_id: must be a UUID'],
    ],
    [
      'tool_overrides as an array',
      { ...ids(), tool_overrides: [] },
      ['tool_overrides: must be an object'],
    ],
    [
      'delay_ms over the maximum',
      { ...ids(), tool_overrides: { lookup_order: { output: 1, delay_ms: 60001 } } },
      ['tool_overrides.lookup_order.delay_ms: must be <= 60000'],
    ],
    [
      'a negative delay_ms',
      { ...ids(), tool_overrides: { t: { output: 1, delay_ms: -1 } } },
      ['tool_overrides.t.delay_ms: must be >= 0'],
    ],
    [
      'a fractional delay_ms',
      { ...ids(), tool_overrides: { t: { output: 1, delay_ms: 1.5 } } },
      ['tool_overrides.t.delay_ms: must be an integer'],
    ],
    [
      'an unknown key in a canned response',
      { ...ids(), tool_overrides: { t: { output: 1, status: 200 } } },
      ['tool_overrides.t.status: is not an allowed key'],
    ],
    [
      'both output and error',
      { ...ids(), tool_overrides: { t: { output: 1, error: 'x' } } },
      ['tool_overrides.t: must set only one of output and error'],
    ],
    [
      'neither output nor error',
      { ...ids(), tool_overrides: { t: { delay_ms: 5 } } },
      ['tool_overrides.t: must set exactly one of output and error'],
    ],
    [
      'error: null without output',
      { ...ids(), tool_overrides: { t: { error: null } } },
      ['tool_overrides.t: must set exactly one of output and error'],
    ],
    [
      'an empty error',
      { ...ids(), tool_overrides: { t: { error: '' } } },
      ['tool_overrides.t.error: must be a non-empty string'],
    ],
    ['a body that is not an object', 'hello', ['(body): must be an object']],
  ])('refuses %s', async (_name, body, expected) => {
    expect(await problems(body)).toEqual(expected);
  });

  it('lists every problem at once', async () => {
    expect(
      await problems({
        agent_id: 'x',
        scenario_id: randomUUID(),
        channel: 'fax',
        tool_overrides: { a: { output: 1, delay_ms: 70000 }, b: { error: 3 } },
      }),
    ).toEqual([
      'agent_id: must be a UUID',
      'persona_id: is required',
      'channel: must be one of "text", "voice"',
      'tool_overrides.a.delay_ms: must be <= 60000',
      'tool_overrides.b.error: must be a string',
    ]);
  });

  it('exposes each issue with its path and rule', async () => {
    const error = await feather()
      .dispatchSimulationRun({ ...ids(), tool_overrides: { t: { output: 1, delay_ms: 60001 } } })
      .catch((e: RequestValidationError) => e);
    expect((error as RequestValidationError).issues).toEqual([
      {
        path: ['tool_overrides', 't', 'delay_ms'],
        rule: 'maximum',
        params: { comparison: '<=', limit: 60000 },
        message: 'must be <= 60000',
      },
    ]);
  });

  it('accepts what the spec allows: explicit output: null, error with a null output absent, nulls', async () => {
    const body = {
      ...ids(),
      agent_revision_id: null,
      channel: 'voice' as const,
      tool_overrides: {
        a: { output: null },
        b: { error: 'boom', delay_ms: 60000 },
        // Valid at run time; the type asks to leave an unset key out (see Refined).
        c: { output: 0, error: null as never, delay_ms: 0 },
      },
    };
    await expect(feather().dispatchSimulationRun(body)).resolves.toHaveProperty(
      'status',
      'pending',
    );
    expect(server().requests).toHaveLength(1);
  });

  it('can be turned off per client: the server then answers 422', async () => {
    await expect(
      feather({ validate: false }).dispatchSimulationRun({ ...ids(), agent_id: 'x' }),
    ).rejects.toMatchObject({ status: 422 });
    expect(server().requests).toHaveLength(1);
  });

  it('can be turned off per request', async () => {
    await expect(
      feather().dispatchSimulationRun({ ...ids(), agent_id: 'x' }, { validate: false }),
    ).rejects.toMatchObject({ status: 422 });
    expect(server().requests).toHaveLength(1);
  });

  it('the mock server and the SDK agree on the 422 items (same rules, FastAPI shape)', async () => {
    const body = {
      ...ids(),
      agent_id: 'x',
      tool_overrides: { t: { output: 1, delay_ms: 99999, extra: 1 } },
    };
    const error = (await feather({ validate: false })
      .dispatchSimulationRun(body as never)
      .catch((e: unknown) => e)) as { body: unknown };
    expect(error.body).toEqual({
      detail: [
        {
          loc: ['body', 'agent_id'],
          msg: 'Input should be a valid UUID',
          type: 'uuid_parsing',
          input: 'x',
        },
        {
          loc: ['body', 'tool_overrides', 't', 'delay_ms'],
          msg: 'Input should be less than or equal to 60000',
          type: 'less_than_equal',
          input: 99999,
          ctx: { le: 60000 },
        },
        {
          loc: ['body', 'tool_overrides', 't', 'extra'],
          msg: 'Extra inputs are not permitted',
          type: 'extra_forbidden',
          input: 1,
        },
      ],
    });
  });
});
