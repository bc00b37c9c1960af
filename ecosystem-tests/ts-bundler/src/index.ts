// TypeScript with `moduleResolution: bundler`, built by a bundler (esbuild) as Vite or webpack
// apps are: extensionless relative imports, and the package's `import` condition.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startMockServer } from '@featherhq/sdk/testing';
import { dispatchRun } from './dispatch';

const mock = await startMockServer();
try {
  const body = { agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() };
  const { run, rejected } = await dispatchRun(mock.url, mock.apiKey, body);
  assert.equal(run.scenario_id, body.scenario_id);
  assert.equal(mock.runs[0].id, run.id);
  assert.equal(rejected?.status, 422);
  assert.deepEqual(rejected?.body.detail?.[0].loc, ['body', 'persona_id']);
  console.log(`ok ts-bundler ${run.id}`);
} finally {
  await mock.close();
}
