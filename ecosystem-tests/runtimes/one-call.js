// A browser app's one call, made in each of the SDK's two styles: what test/browser-bundle.test.ts
// bundles for `--platform=browser`.
import { createFeatherClient } from '@featherhq/sdk';

const client = ({ apiKey, baseUrl }) =>
  createFeatherClient({ apiKey, baseUrl, dangerouslyAllowBrowser: true });

export const dispatch = (config) => client(config).dispatchSimulationRun(config.ids);

/** Through openapi-fetch (`feather.client`), whose setup looks for `process` too. */
export async function dispatchRaw(config) {
  const { data, error } = await client(config).client.POST('/v1/simulation/runs', {
    body: config.ids,
  });
  if (error) throw new Error(JSON.stringify(error));
  return data;
}

/** No key given: the SDK looks for FEATHER_API_KEY where the runtime has an environment. */
export const clientFromEnvironment = (baseUrl) =>
  createFeatherClient({ baseUrl, dangerouslyAllowBrowser: true });
