/**
 * `npm run demo`: what a Feather app does, through the SDK, as an app would:
 * 1. dispatch a simulation run, and wait until it is final;
 * 2. stream a conversation turn, token by token;
 * 3. list simulation runs, across pages.
 *
 * With FEATHER_API_KEY set it talks to Feather (FEATHER_BASE_URL, else the sandbox), with the
 * agent, persona and scenario of FEATHER_AGENT_ID, FEATHER_PERSONA_ID and FEATHER_SCENARIO_ID.
 * Without it, it starts the SDK's mock Feather server on loopback and talks to that.
 */
import { randomUUID } from 'node:crypto';
import {
  APIError,
  createFeatherClient,
  RequestValidationError,
  StreamEventError,
} from '@featherhq/sdk';
import { startMockServer } from '@featherhq/sdk/testing';

const live = process.env.FEATHER_API_KEY !== undefined;
// The mock's runs go running, then completed, as they are read (the wait below sees them end),
// and its stream's events come 80 ms apart, so the tokens arrive as a model's would.
const mock = live
  ? undefined
  : await startMockServer({ runStatuses: ['running', 'completed'], eventDelayMs: 80 });
if (mock) console.log(`No FEATHER_API_KEY: using the mock Feather server at ${mock.url}\n`);
const id = (name: string) => process.env[name] ?? randomUUID();
const agent_id = id('FEATHER_AGENT_ID');

try {
  const feather = createFeatherClient(mock ? { apiKey: mock.apiKey, baseUrl: mock.url } : {});

  console.log('1. A simulation run, dispatched once and polled until it is final');
  const run = await feather.dispatchSimulationRunAndWait(
    {
      agent_id,
      persona_id: id('FEATHER_PERSONA_ID'),
      scenario_id: id('FEATHER_SCENARIO_ID'),
      channel: 'text',
      tool_overrides: { lookup_order: { output: { status: 'shipped' }, delay_ms: 250 } },
    },
    { pollIntervalMs: live ? 2_000 : 50 },
  );
  console.log(`   run ${run.id}: ${run.status}\n`);

  console.log('2. A conversation turn, streamed token by token');
  const { session_id } = await feather.startV2TestChat({ agent_id });
  const stream = await feather.runV2ConversationTurnStream({
    params: { path: { conversation_id: session_id } },
    body: { user_message: 'Where is my order #12345?' },
  });
  process.stdout.write('   ');
  for await (const event of stream) {
    if (event.event === 'delta') process.stdout.write(event.data.text);
    if (event.event === 'complete') {
      console.log(`\n   (turn ${event.data.turn_id}, session ${event.data.session_status})\n`);
    }
  }

  console.log('3. Simulation runs, page by page: each page is fetched when the loop reaches it');
  let count = 0;
  for await (const listed of feather.listSimulationRuns({ params: { query: { limit: 2 } } })) {
    console.log(`   ${++count}. ${listed.id} (${listed.channel})`);
    if (count === 10) break; // nothing is fetched after a break
  }

  // Bad input never leaves the machine: every problem is listed, and nothing is sent.
  await feather
    .dispatchSimulationRun({ agent_id: 'not-a-uuid', persona_id: agent_id, scenario_id: agent_id })
    .catch((error: unknown) => {
      if (!(error instanceof RequestValidationError)) throw error;
      console.log(`\nRejected before sending:\n${error.message}`);
    });
} catch (error) {
  if (error instanceof APIError)
    console.error(`Feather answered ${error.status}: ${error.message}`);
  else if (error instanceof StreamEventError) console.error(`The turn failed: ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
} finally {
  await mock?.close();
}
