/**
 * What every variant sends and receives, so each benchmark compares the same call.
 */
import { randomUUID } from 'node:crypto';

export const API_KEY = 'bench-key-0123456789';
export const PATH = '/v1/simulation/runs';

export const BODY = {
  agent_id: '3f1c2a8e-5b7d-4c9a-8e2f-1a2b3c4d5e6f',
  persona_id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  scenario_id: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e',
  channel: 'text' as const,
};

export const RESPONSE = {
  id: randomUUID(),
  session_id: randomUUID(),
  organization_id: randomUUID(),
  ...BODY,
  agent_revision_id: null,
  tool_overrides: null,
  status: 'queued',
  started_at: null,
  finished_at: null,
  error_text: null,
  inputs_snapshot: {},
  created_at: '2026-01-01T00:00:00Z',
};
export const RESPONSE_TEXT = JSON.stringify(RESPONSE);

/** The value, if it is a run (every variant must really have dispatched one); else a throw. */
export function expectRun(value: unknown): unknown {
  if (typeof (value as { id?: unknown } | null)?.id !== 'string') {
    throw new Error(`not a run: ${JSON.stringify(value)}`);
  }
  return value;
}

/** The baseline every ratio is taken against: the one call as bare `fetch` makes it. */
export function rawDispatch(fetchImpl: typeof fetch, baseUrl: string): () => Promise<unknown> {
  const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
  return async () => {
    const res = await fetchImpl(baseUrl + PATH, {
      method: 'POST',
      headers,
      body: JSON.stringify(BODY),
    });
    return expectRun(await res.json());
  };
}
