/** What the compiler accepts and rejects. Checked by vitest's typecheck (tsc), never run. */
import {
  createFeatherClient,
  createFeatherCore,
  dispatchSimulationRun,
  type APIError,
  type CannedToolResponse,
  type FeatherClient,
  type HTTPValidationError,
  type ScenarioChannel,
  type SimulationRunDispatch,
  type SimulationRunResponse,
  type UnprocessableEntityError,
  type ValidationError,
} from '@featherhq/sdk';
import { describe, expectTypeOf, it } from 'vitest';

declare const feather: FeatherClient;
const ids = { agent_id: 'a', persona_id: 'p', scenario_id: 's' };

describe('request body', () => {
  it('needs only the three ids: channel and delay_ms have defaults', () => {
    void feather.dispatchSimulationRun(ids);
    void feather.dispatchSimulationRun({ ...ids, tool_overrides: { t: { output: 1 } } });
    expectTypeOf<{
      agent_id: string;
      persona_id: string;
      scenario_id: string;
    }>().toMatchTypeOf<SimulationRunDispatch>();
  });

  it('rejects a missing persona_id', () => {
    // @ts-expect-error persona_id is required
    void feather.dispatchSimulationRun({ agent_id: 'a', scenario_id: 's' });
  });

  it('rejects a channel outside the enum', () => {
    // @ts-expect-error 'video' is not a ScenarioChannel
    void feather.dispatchSimulationRun({ ...ids, channel: 'video' });
    expectTypeOf<ScenarioChannel>().toEqualTypeOf<'text' | 'voice'>();
  });

  it('rejects a string delay_ms', () => {
    const t = { output: 1, delay_ms: '5' };
    // @ts-expect-error delay_ms is a number
    void feather.dispatchSimulationRun({ ...ids, tool_overrides: { t } });
  });

  it('rejects an unknown top-level key', () => {
    // @ts-expect-error priority is not in SimulationRunDispatch
    void feather.dispatchSimulationRun({ ...ids, priority: 1 });
  });

  it('rejects an unknown key in a canned response', () => {
    const t: CannedToolResponse = {
      output: 1,
      // @ts-expect-error status is not in CannedToolResponse
      status: 200,
    };
    void t;
  });

  it('allows null for the nullable fields', () => {
    void feather.dispatchSimulationRun({ ...ids, agent_revision_id: null, tool_overrides: null });
  });
});

describe('CannedToolResponse: exactly one of output and error', () => {
  it('accepts output alone (null included) or error alone', () => {
    const ok: CannedToolResponse[] = [
      { output: { a: 1 } },
      { output: null },
      { error: 'boom', delay_ms: 5 },
    ];
    void ok;
  });

  it('rejects both', () => {
    // @ts-expect-error output and error together
    const both: CannedToolResponse = { output: 1, error: 'x' };
    void both;
  });

  it('rejects neither', () => {
    // @ts-expect-error one of output and error is needed
    const neither: CannedToolResponse = { delay_ms: 1 };
    void neither;
  });
});

describe('results and errors', () => {
  it('resolves to the 201 body, with every required field present', () => {
    expectTypeOf(
      feather.dispatchSimulationRun(ids),
    ).resolves.toEqualTypeOf<SimulationRunResponse>();
    expectTypeOf<SimulationRunResponse['id']>().toEqualTypeOf<string>();
    expectTypeOf<SimulationRunResponse['channel']>().toEqualTypeOf<'text' | 'voice'>();
    expectTypeOf<SimulationRunResponse['started_at']>().toEqualTypeOf<string | null>();
    expectTypeOf<SimulationRunResponse['inputs_snapshot']>().toEqualTypeOf<{
      [key: string]: unknown;
    }>();
    expectTypeOf<SimulationRunResponse['recording_id']>().toEqualTypeOf<
      string | null | undefined
    >();
  });

  it('the standalone function has the same types', () => {
    const core = createFeatherCore({ apiKey: 'k' });
    expectTypeOf(dispatchSimulationRun(core, ids)).resolves.toEqualTypeOf<SimulationRunResponse>();
    // @ts-expect-error persona_id is required here too
    void dispatchSimulationRun(core, { agent_id: 'a', scenario_id: 's' });
  });

  it('types the 422 body and the raw client', async () => {
    // The error's body is FastAPI's shape, declared in core (which never imports the spec):
    // the spec's HTTPValidationError fits it.
    expectTypeOf<HTTPValidationError>().toMatchTypeOf<UnprocessableEntityError['body']>();
    expectTypeOf<
      NonNullable<HTTPValidationError['detail']>[number]
    >().toEqualTypeOf<ValidationError>();
    expectTypeOf<APIError['status']>().toEqualTypeOf<number>();
    const { data, error } = await createFeatherClient().client.POST('/v1/simulation/runs', {
      body: ids,
    });
    expectTypeOf(data).toEqualTypeOf<SimulationRunResponse | undefined>();
    expectTypeOf(error).not.toBeAny();
  });

  it('has no any in the client surface', () => {
    expectTypeOf(feather.dispatchSimulationRun).parameters.not.toBeAny();
    expectTypeOf(feather.dispatchSimulationRun).returns.not.toBeAny();
    expectTypeOf(feather.baseUrl).toEqualTypeOf<string>();
  });
});
