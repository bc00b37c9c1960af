/**
 * `npm run demo`: dispatch one simulation run through the SDK, exactly as an app would.
 *
 * With FEATHER_API_KEY set it talks to Feather (FEATHER_BASE_URL, else the sandbox). Without it, it
 * starts the SDK's mock server on loopback and talks to that.
 */
import { randomUUID } from 'node:crypto';
import { APIError, createFeatherClient, RequestValidationError } from '@featherhq/sdk';
import { startMockServer } from '@featherhq/sdk/testing';

const mock = process.env.FEATHER_API_KEY ? undefined : await startMockServer();
if (mock) console.log(`No FEATHER_API_KEY: using the mock Feather server at ${mock.url}\n`);

try {
  const feather = createFeatherClient(mock ? { apiKey: mock.apiKey, baseUrl: mock.url } : {});

  const run = await feather.dispatchSimulationRun({
    agent_id: process.env.FEATHER_AGENT_ID ?? randomUUID(),
    persona_id: process.env.FEATHER_PERSONA_ID ?? randomUUID(),
    scenario_id: process.env.FEATHER_SCENARIO_ID ?? randomUUID(),
    channel: 'text',
    tool_overrides: { lookup_order: { output: { status: 'shipped' }, delay_ms: 250 } },
  });
  console.log(`Dispatched simulation run ${run.id}: status ${run.status}, channel ${run.channel}`);
  console.log(JSON.stringify(run, null, 2));

  // Bad input never leaves the machine: every problem is listed, and nothing is sent.
  try {
    await feather.dispatchSimulationRun({
      agent_id: 'not-a-uuid',
      persona_id: randomUUID(),
      scenario_id: randomUUID(),
      tool_overrides: { lookup_order: { error: '', delay_ms: 90_000 } },
    });
  } catch (error) {
    if (error instanceof RequestValidationError)
      console.log(`\nRejected before sending:\n${error.message}`);
    else throw error;
  }
} catch (error) {
  if (error instanceof APIError)
    console.error(`Feather answered ${error.status}: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
} finally {
  await mock?.close();
}
