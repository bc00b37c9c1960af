/**
 * What every runtime of the matrix runs: a user's first calls. It reports facts (as JSON-safe
 * values, so they cross process and realm boundaries); test/runtimes/harness.ts asserts them.
 * Plain ES2022 and web APIs only: this file runs unchanged in Node, Deno, Bun, workerd, Vercel's
 * edge-runtime and Chromium.
 *
 * @param {typeof import('@featherhq/sdk')} sdk the package as the runtime loaded it
 * @param {{ baseUrl: string, apiKey: string, ids: { agent_id: string, persona_id: string, scenario_id: string }, browser?: boolean }} config
 */
export async function scenario(sdk, { baseUrl, apiKey, ids, browser = false }) {
  const { createFeatherClient } = sdk;
  const describe = (error) => ({
    name: error?.name,
    message: String(error?.message),
    status: error?.status,
    body: error?.body,
    requestId: error?.requestId,
    isUnprocessableEntityError: error instanceof sdk.UnprocessableEntityError,
    isAPIError: error instanceof sdk.APIError,
    isFeatherError: error instanceof sdk.FeatherError,
    isError: error instanceof Error,
  });
  const attempt = async (fn) => {
    try {
      return { ok: true, value: await fn() };
    } catch (error) {
      return { ok: false, error: describe(error) };
    }
  };

  const feather = createFeatherClient({
    apiKey,
    baseUrl,
    maxRetries: 0,
    dangerouslyAllowBrowser: browser,
  });
  const run = await feather.dispatchSimulationRun({
    ...ids,
    channel: 'text',
    tool_overrides: { lookup_order: { output: { status: 'shipped' }, delay_ms: 250 } },
  });

  // Sent anyway (validate: false), so the server's 422 comes back as the SDK's error class.
  const unprocessable = await attempt(() =>
    feather.dispatchSimulationRun({ ...ids, agent_id: 'not-a-uuid' }, { validate: false }),
  );

  // The key from the environment: FEATHER_API_KEY where the runtime has one, else a clear error.
  const fromEnv = await attempt(async () => {
    const client = createFeatherClient({
      baseUrl,
      maxRetries: 0,
      dangerouslyAllowBrowser: browser,
    });
    return (await client.dispatchSimulationRun(ids)).id;
  });

  // A key in a browser page needs the explicit opt-in; elsewhere the guard must stay quiet.
  const withoutOptIn = await attempt(() => {
    createFeatherClient({ apiKey, baseUrl });
    return 'created';
  });

  return { run, unprocessable, fromEnv, withoutOptIn };
}
