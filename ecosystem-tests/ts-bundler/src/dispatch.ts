// The tree-shakeable style: a core client and the standalone operation function.
import {
  createFeatherCore,
  dispatchSimulationRun,
  UnprocessableEntityError,
  type SimulationRunDispatch,
} from '@featherhq/sdk';

export async function dispatchRun(baseUrl: string, apiKey: string, body: SimulationRunDispatch) {
  const core = createFeatherCore({ apiKey, baseUrl });
  const run = await dispatchSimulationRun(core, body);
  // @ts-expect-error: the result is typed, not `any`
  run.no_such_field;
  let rejected: UnprocessableEntityError | undefined;
  try {
    await dispatchSimulationRun(core, { ...body, persona_id: 'nope' }, { validate: false });
  } catch (error) {
    if (!(error instanceof UnprocessableEntityError)) throw error;
    rejected = error;
  }
  return { run, rejected };
}
