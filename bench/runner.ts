/**
 * The processes that time calls: bench/child.ts, bundled with esbuild into bench/.generated/child/
 * beside the peers' generated clients (compiled) and the SDK as it was before middleware support,
 * in a folder whose node_modules is the app's that installed the tarball. So `@featherhq/sdk` is
 * the package as shipped, and every measurement runs in plain `node`: tsx compiles with
 * `keepNames`, which wraps every function the SDK creates per call in a `__name` call and would
 * time that instead.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { CpuResult } from './cpu.js';
import {
  LOOPBACK_MS,
  LOOPBACK_VARIANTS,
  type LoopbackResult,
  type LoopbackVariant,
} from './loopback.js';
import { BEFORE_MIDDLEWARE, type MiddlewareVariant } from './middleware.js';
import type { OtelVariant } from './otel.js';
import { BENCH, GENERATED, ROOT } from './paths.js';
import { PEER_ENTRIES } from './peers.js';
import { rotate, spread, type Spread } from './stats.js';
import type { VariantName } from './variants.js';

const exec = promisify(execFile);

export const CHILD_DIR = join(GENERATED, 'child');
const CHILD = join(CHILD_DIR, 'child.js');

/** The SDK's sources at `commit` (git archive), bundled as `before.js` beside the child. */
async function bundleSdkAt(commit: string): Promise<void> {
  const dir = join(GENERATED, `src-${commit}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await exec('sh', ['-c', `git archive ${commit} src | tar -x -C "${dir}"`], { cwd: ROOT });
  await build({
    entryPoints: { before: join(dir, 'src', 'index.ts') },
    outdir: CHILD_DIR,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    external: ['openapi-fetch'],
    logLevel: 'silent',
  });
}

/**
 * Builds the child in a folder that resolves packages from `appDir` (an app that installed the
 * SDK's tarball, test/support/tarball.ts): its own package.json, so that `@featherhq/sdk` does not
 * resolve to this repository.
 */
export async function buildChild(appDir: string): Promise<void> {
  await rm(CHILD_DIR, { recursive: true, force: true });
  await mkdir(CHILD_DIR, { recursive: true });
  await symlink(join(appDir, 'node_modules'), join(CHILD_DIR, 'node_modules'), 'dir');
  await writeFile(
    join(CHILD_DIR, 'package.json'),
    JSON.stringify({ private: true, type: 'module' }),
  );
  await build({
    entryPoints: { child: join(BENCH, 'child.ts'), ...PEER_ENTRIES },
    outdir: CHILD_DIR,
    bundle: true,
    // The two hey-api entries share its client module, as in the app it generates.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    // The generators peers.ts imports are never run in the child. @opentelemetry/api is the app's
    // (the SDK's otel entry imports it from there): one copy, as in an app.
    external: [
      '@featherhq/sdk',
      'openapi-fetch',
      '@opentelemetry/api',
      '@hey-api/openapi-ts',
      'swagger-typescript-api',
    ],
    logLevel: 'silent',
    // The OpenTelemetry SDK's CommonJS build requires the (external) API: ESM needs a require.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  await bundleSdkAt(BEFORE_MIDDLEWARE);
}

/** Runs `node child.js ...args` (with `nodeArgs` before it) and returns what it printed, parsed. */
export function runChild<T>(args: (string | number)[], nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CHILD, ...args.map(String)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as T)
        : reject(new Error(`bench child ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** CPU per call of every variant (bench/cpu.ts), in one child process. */
export const benchCpu = ({ rounds = 5, time = 400 } = {}) =>
  runChild<Record<VariantName, CpuResult>>(['cpu', rounds, time]);

/** CPU per call with and without middleware (bench/middleware.ts), in one child process. */
export const benchMiddleware = ({ rounds = 5, time = 400 } = {}) =>
  runChild<Record<MiddlewareVariant, CpuResult>>(['middleware', rounds, time]);

/** CPU per call with and without `@featherhq/sdk/otel` (bench/otel.ts), in one child process. */
export const benchOtel = ({ rounds = 5, time = 400 } = {}) =>
  runChild<Record<OtelVariant, CpuResult>>(['otel', rounds, time]);

export interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Starts bench/server.ts in its own Node process. */
export async function startServer(): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(BENCH, 'server.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    url: JSON.parse(line).url,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** Loopback throughput of every variant at each concurrency: a fresh child per measurement. */
export async function benchLoopback(
  url: string,
  { rounds = 4, ms = LOOPBACK_MS, concurrencies = [1, 32] } = {},
): Promise<LoopbackResult[]> {
  const results: LoopbackResult[] = [];
  for (const concurrency of concurrencies) {
    const empty = () =>
      Object.fromEntries(LOOPBACK_VARIANTS.map((n) => [n, [] as number[]])) as Record<
        LoopbackVariant,
        number[]
      >;
    const samples = empty();
    const cpu = empty();
    for (let round = 0; round < rounds; round++) {
      for (const name of rotate(LOOPBACK_VARIANTS, round)) {
        const measured = await runChild<{ rps: number; cpuUs: number }>([
          'loopback',
          name,
          concurrency,
          ms,
          url,
        ]);
        samples[name].push(measured.rps);
        cpu[name].push(measured.cpuUs);
      }
    }
    const raw = samples['raw fetch'];
    const each = (f: (name: LoopbackVariant) => Spread) =>
      Object.fromEntries(LOOPBACK_VARIANTS.map((n) => [n, f(n)])) as Record<
        LoopbackVariant,
        Spread
      >;
    results.push({
      concurrency,
      rps: each((n) => spread(samples[n])),
      ratio: each((n) => spread(samples[n].map((rps, i) => rps / raw[i]))),
      cpuUs: each((n) => spread(cpu[n])),
    });
  }
  return results;
}
