/**
 * Requests per second over real loopback HTTP (node:http server in another process), at
 * concurrency 1 and 32, for every variant. Each measurement runs in a fresh client process: in one
 * shared process, the garbage and finalizers one variant leaves behind are paid by whichever runs
 * next. Rounds interleave the variants so that drift in the machine's load hits them all alike.
 *
 * Run as a script (`node --import tsx bench/loopback.ts VARIANT CONCURRENCY MS URL`), it is that
 * client: it warms up, measures, and prints `{ rps, cpuUs }`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH } from './paths.js';
import { rotate, spread, type Spread } from './stats.js';
import { makeVariants, VARIANT_NAMES, type Call, type VariantName } from './variants.js';

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

/**
 * Keeps `concurrency` calls in flight for `ms`; returns completed calls per second and the
 * client's CPU time per call (µs), which the other jobs of a shared machine barely disturb.
 */
async function throughput(
  call: Call,
  concurrency: number,
  ms: number,
): Promise<{ rps: number; cpuUs: number }> {
  let done = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      await call();
      done++;
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return {
    rps: (done * 1000) / (performance.now() - start),
    cpuUs: (used.user + used.system) / done,
  };
}

export interface LoopbackResult {
  concurrency: number;
  /** Requests per second: median over rounds, and the spread. */
  rps: Record<VariantName, Spread>;
  /** Per-round ratio to raw fetch (measured back to back, so load drift cancels). */
  ratio: Record<VariantName, Spread>;
  /** The client process's CPU time per request (µs), over the rounds. */
  cpuUs: Record<VariantName, Spread>;
}

/** One measurement in a fresh process. */
function measureInChild(
  name: VariantName,
  concurrency: number,
  ms: number,
  url: string,
): Promise<{ rps: number; cpuUs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        name,
        String(concurrency),
        String(ms),
        url,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`${name} client exited with ${code}`)),
    );
  });
}

export async function benchLoopback(
  url: string,
  { rounds = 6, ms = 1000, concurrencies = [1, 32] } = {},
): Promise<LoopbackResult[]> {
  const results: LoopbackResult[] = [];
  for (const concurrency of concurrencies) {
    const empty = () =>
      Object.fromEntries(VARIANT_NAMES.map((n) => [n, [] as number[]])) as Record<
        VariantName,
        number[]
      >;
    const samples = empty();
    const cpu = empty();
    for (let round = 0; round < rounds; round++) {
      for (const name of rotate(VARIANT_NAMES, round)) {
        const { rps, cpuUs } = await measureInChild(name, concurrency, ms, url);
        samples[name].push(rps);
        cpu[name].push(cpuUs);
      }
    }
    const raw = samples['raw fetch'];
    const each = (f: (name: VariantName) => Spread) =>
      Object.fromEntries(VARIANT_NAMES.map((n) => [n, f(n)])) as Record<VariantName, Spread>;
    results.push({
      concurrency,
      rps: each((n) => spread(samples[n])),
      ratio: each((n) => spread(samples[n].map((rps, i) => rps / raw[i]))),
      cpuUs: each((n) => spread(cpu[n])),
    });
  }
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, concurrency, ms, url] = process.argv.slice(2);
  const variants = await makeVariants(fetch, url);
  const call = variants[name as VariantName];
  // Warm up (JIT, connection pool) before anything counts.
  await throughput(call, Number(concurrency), 300);
  process.stdout.write(JSON.stringify(await throughput(call, Number(concurrency), Number(ms))));
}
