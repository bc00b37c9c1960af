/**
 * Requests per second over real loopback HTTP (node:http server in another process), at
 * concurrency 1 and 32, for every variant; rounds interleave the variants so that drift in the
 * shared machine's load hits them all alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
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

export async function benchLoopback(
  url: string,
  { rounds = 16, ms = 300, concurrencies = [1, 32] } = {},
): Promise<LoopbackResult[]> {
  const variants = await makeVariants(fetch, url);
  const results: LoopbackResult[] = [];
  for (const concurrency of concurrencies) {
    const empty = () =>
      Object.fromEntries(VARIANT_NAMES.map((n) => [n, [] as number[]])) as Record<
        VariantName,
        number[]
      >;
    const samples = empty();
    const cpu = empty();
    // Warm every variant (JIT, connection pool) before anything counts.
    for (const name of VARIANT_NAMES) await throughput(variants[name], concurrency, 200);
    for (let round = 0; round < rounds; round++) {
      for (const name of rotate(VARIANT_NAMES, round)) {
        const { rps, cpuUs } = await throughput(variants[name], concurrency, ms);
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
