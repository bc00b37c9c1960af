// Plain JavaScript, CommonJS: `require` gets the .cjs build; `tsc --checkJs` gets the .d.cts.
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const { createFeatherClient, UnprocessableEntityError } = require('@featherhq/sdk');
const { startMockServer } = require('@featherhq/sdk/testing');

async function main() {
  assert.match(require.resolve('@featherhq/sdk'), /dist[\\/]index\.cjs$/);
  const mock = await startMockServer();
  try {
    const feather = createFeatherClient({ apiKey: mock.apiKey, baseUrl: mock.url });
    const body = { agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() };

    const run = await feather.dispatchSimulationRun(body);
    /** @type {string} */
    const id = run.id;
    assert.equal(mock.runs[0].id, id);

    const tooLong = { lookup_order: { output: null, delay_ms: 90_000 } };
    await assert.rejects(
      feather.dispatchSimulationRun({ ...body, tool_overrides: tooLong }, { validate: false }),
      (e) =>
        e instanceof UnprocessableEntityError &&
        e.status === 422 &&
        JSON.stringify(e.body.detail?.[0].loc) ===
          '["body","tool_overrides","lookup_order","delay_ms"]',
    );
    console.log(`ok js-cjs ${id}`);
  } finally {
    await mock.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
