/**
 * Cold start: a fresh Node process that imports a client and makes one call to the loopback
 * server, then exits; many runs, interleaved, median. Three clocks, all read when the call has
 * returned or the process ended: its CPU time (user + system, Node's boot included), which the
 * other jobs of a shared machine barely disturb; its own `performance.now()` (elapsed since the
 * process began); and the wall time from spawn to exit as the parent sees it.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_KEY, BODY } from './fixtures.js';
import { GENERATED } from './paths.js';
import { spread, type Spread } from './stats.js';

const SCRIPTS = {
  'raw fetch': `
    const res = await fetch(process.argv[2] + '/v1/simulation/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': '${API_KEY}' },
      body: JSON.stringify(BODY),
    });
    await res.json();`,
  'openapi-fetch': `
    import createClient from 'openapi-fetch';
    const client = createClient({ baseUrl: process.argv[2], headers: { 'x-api-key': '${API_KEY}' } });
    const { error } = await client.POST('/v1/simulation/runs', { body: BODY });
    if (error) throw new Error('failed');`,
  'feather client (validate)': `
    import { createFeatherClient } from '@featherhq/sdk';
    const feather = createFeatherClient({ apiKey: '${API_KEY}', baseUrl: process.argv[2] });
    await feather.dispatchSimulationRun(BODY);`,
  'feather core (validate)': `
    import { createFeatherCore, dispatchSimulationRun } from '@featherhq/sdk';
    const core = createFeatherCore({ apiKey: '${API_KEY}', baseUrl: process.argv[2] });
    await dispatchSimulationRun(core, BODY);`,
} as const;
export type ColdVariant = keyof typeof SCRIPTS;

export interface ColdResult {
  /** CPU ms the process used up to the call's answer. */
  cpuMs: Spread;
  /** ms from process start to the call's answer, by the process's own clock. */
  inProcessMs: Spread;
  /** ms from spawn to exit. */
  wallMs: Spread;
}

/**
 * Writes the scripts into a folder whose node_modules is the app's that installed the tarball:
 * `@featherhq/sdk` loads the package's own dist/index.js, and openapi-fetch is the app's.
 */
async function prepare(appDir: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await symlink(join(appDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Its own package: inside the repo's, `@featherhq/sdk` would resolve to the repo itself.
  await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  for (const [i, source] of Object.values(SCRIPTS).entries()) {
    const imports = source.match(/^\s*import .*$/gm) ?? [];
    const rest = source.replace(/^\s*import .*$/gm, '');
    await writeFile(
      join(dir, `cold-${i}.mjs`),
      `${imports.join('\n')}\nconst BODY = ${JSON.stringify(BODY)};\n${rest}\nconst cpu = process.cpuUsage();\nconsole.log(JSON.stringify({ now: performance.now(), cpu: (cpu.user + cpu.system) / 1000 }));\n`,
    );
  }
}

interface Run {
  cpu: number;
  now: number;
  wall: number;
}

function runOnce(script: string, url: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = performance.now() - start;
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
      else resolve({ ...JSON.parse(out), wall });
    });
  });
}

/**
 * `appDir`: an app that installed the SDK's tarball (test/support/tarball.ts); `name` names the
 * scripts' folder in bench/.generated/.
 */
export async function benchCold(
  url: string,
  appDir: string,
  name: string,
  runs = 25,
): Promise<Record<ColdVariant, ColdResult>> {
  const dir = join(GENERATED, `cold-${name}`);
  await prepare(appDir, dir);
  const names = Object.keys(SCRIPTS) as ColdVariant[];
  const samples: Run[][] = names.map(() => []);
  for (let i = 0; i < names.length; i++) await runOnce(join(dir, `cold-${i}.mjs`), url); // disk cache
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < names.length; i++) {
      samples[i].push(await runOnce(join(dir, `cold-${i}.mjs`), url));
    }
  }
  return Object.fromEntries(
    names.map((name, i) => [
      name,
      {
        cpuMs: spread(samples[i].map((r) => r.cpu)),
        inProcessMs: spread(samples[i].map((r) => r.now)),
        wallMs: spread(samples[i].map((r) => r.wall)),
      },
    ]),
  ) as Record<ColdVariant, ColdResult>;
}
