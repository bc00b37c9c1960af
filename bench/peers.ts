/**
 * The peers' clients, generated from the same openapi.json at bench time into bench/.generated/
 * (gitignored), so the comparison always uses the versions pinned in package.json.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GENERATED, ROOT } from './paths.js';

export const PEERS_DIR = join(GENERATED, 'peers');
export const HEY_DIR = join(PEERS_DIR, 'hey');
export const STA_FILE = join(PEERS_DIR, 'sta', 'api.ts');

/** Generates both peers; returns how long each generator took (ms). */
export async function generatePeers(): Promise<{ heyApi: number; swaggerTypescriptApi: number }> {
  await rm(PEERS_DIR, { recursive: true, force: true });
  const input = join(ROOT, 'openapi.json');
  const { createClient } = await import('@hey-api/openapi-ts');
  const { generateApi } = await import('swagger-typescript-api');
  const t0 = performance.now();
  await createClient({
    input,
    output: { path: HEY_DIR, postProcess: [] },
    plugins: ['@hey-api/client-fetch', '@hey-api/sdk', '@hey-api/typescript'],
    logs: { level: 'silent' },
  } as any);
  const t1 = performance.now();
  await generateApi({
    input,
    output: join(PEERS_DIR, 'sta'),
    fileName: 'api.ts',
    httpClientType: 'fetch',
    silent: true,
  } as any);
  return { heyApi: t1 - t0, swaggerTypescriptApi: performance.now() - t1 };
}

/** The peers' generated clients, untyped: they do not exist until the bench has run once. */
export interface Peers {
  hey: { sdk: any; client: any };
  sta: any;
}

/** The peers' entry files, which bench/runner.ts compiles into the child's bundle folder. */
export const PEER_ENTRIES = {
  'hey-sdk': join(HEY_DIR, 'sdk.gen.ts'),
  'hey-client': join(HEY_DIR, 'client', 'index.ts'),
  sta: STA_FILE,
};

/** The compiled peers, from the folder the child's bundle runs in. */
export async function peerModules(dir: string): Promise<Peers> {
  const load = (name: keyof typeof PEER_ENTRIES) =>
    import(pathToFileURL(join(dir, `${name}.js`)).href);
  return {
    hey: { sdk: await load('hey-sdk'), client: await load('hey-client') },
    sta: await load('sta'),
  };
}
