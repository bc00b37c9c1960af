// TypeScript, ESM, `module: nodenext`: the `import` condition and its .d.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  createFeatherClient,
  RequestValidationError,
  UnprocessableEntityError,
  type SimulationRunResponse,
} from '@featherhq/sdk';
import { startMockServer } from '@featherhq/sdk/testing';

const mock = await startMockServer();
try {
  const feather = createFeatherClient({ apiKey: mock.apiKey, baseUrl: mock.url });
  const body = { agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() };

  const run: SimulationRunResponse = await feather.dispatchSimulationRun({
    ...body,
    channel: 'text',
  });
  assert.equal(run.agent_id, body.agent_id);
  assert.equal(run.channel, 'text');
  assert.deepEqual(
    mock.runs.map((r) => r.id),
    [run.id],
  );

  // @ts-expect-error: the types know the channels (a typo does not compile)
  await feather.dispatchSimulationRun({ ...body, channel: 'fax' }).catch(() => undefined);

  await assert.rejects(
    feather.dispatchSimulationRun({ ...body, agent_id: 'not-a-uuid' }),
    (e) => e instanceof RequestValidationError && e.issues[0].path[0] === 'agent_id',
  );
  await assert.rejects(
    feather.dispatchSimulationRun({ ...body, agent_id: 'not-a-uuid' }, { validate: false }),
    (e: unknown) => {
      assert.ok(e instanceof UnprocessableEntityError);
      assert.equal(e.status, 422);
      const loc: (string | number)[] = e.body.detail![0].loc;
      assert.deepEqual(loc, ['body', 'agent_id']);
      return true;
    },
  );
  console.log(`ok ts-esm ${run.id}`);
} finally {
  await mock.close();
}
