// Plain JavaScript, ESM: run as is by Node; checked by `tsc --checkJs` as an editor would.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { APIError, createFeatherClient, UnprocessableEntityError } from '@featherhq/sdk';
import { startMockServer } from '@featherhq/sdk/testing';

const mock = await startMockServer();
try {
  const feather = createFeatherClient({ apiKey: mock.apiKey, baseUrl: mock.url });
  const body = { agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() };

  /** @type {import('@featherhq/sdk').SimulationRunResponse} */
  const run = await feather.dispatchSimulationRun({ ...body, channel: 'voice' });
  assert.equal(run.channel, 'voice');
  assert.equal(mock.runs[0].id, run.id);

  // @ts-expect-error: even in JavaScript, the editor knows the option names
  createFeatherClient({ apiKey: mock.apiKey, baseUrl: mock.url, retries: 3 });

  await assert.rejects(
    feather.dispatchSimulationRun(
      { ...body, channel: /** @type {any} */ ('fax') },
      { validate: false },
    ),
    (e) => e instanceof UnprocessableEntityError && e instanceof APIError && e.status === 422,
  );
  console.log(`ok js-esm ${run.id}`);
} finally {
  await mock.close();
}
