// TypeScript compiled to CommonJS (`module: nodenext` in a "type": "commonjs" package): the
// `require` condition, its .cjs and its .d.cts.
import assert = require('node:assert/strict');
import crypto = require('node:crypto');
import sdk = require('@featherhq/sdk');
import testing = require('@featherhq/sdk/testing');

async function main(): Promise<void> {
  assert.match(require.resolve('@featherhq/sdk'), /dist[\\/]index\.cjs$/);
  const mock = await testing.startMockServer();
  try {
    const feather = sdk.createFeatherClient({ apiKey: mock.apiKey, baseUrl: mock.url });
    const body = {
      agent_id: crypto.randomUUID(),
      persona_id: crypto.randomUUID(),
      scenario_id: crypto.randomUUID(),
    };

    const run: sdk.SimulationRunResponse = await feather.dispatchSimulationRun(body);
    assert.equal(run.persona_id, body.persona_id);
    assert.equal(run.status, 'pending');
    assert.equal(mock.runs[0].id, run.id);

    // @ts-expect-error: a required field missing does not compile
    await feather.dispatchSimulationRun({ agent_id: body.agent_id }).catch(() => undefined);

    await assert.rejects(
      feather.dispatchSimulationRun({ ...body, scenario_id: 'nope' }, { validate: false }),
      (e: unknown) =>
        e instanceof sdk.UnprocessableEntityError &&
        e instanceof sdk.APIError &&
        e.status === 422 &&
        e.body.detail?.[0].loc[1] === 'scenario_id',
    );
    console.log(`ok ts-cjs ${run.id}`);
  } finally {
    await mock.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
