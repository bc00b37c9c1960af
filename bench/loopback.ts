/**
 * Requests per second over real loopback HTTP (node:http server in another process, bench/server.ts),
 * at concurrency 1 and 32. Each measurement runs in a fresh client process (bench/child.ts): in one
 * shared process, the garbage and finalizers one variant leaves behind are paid by whichever runs
 * next. Rounds interleave the variants so that drift in the machine's load hits them all alike
 * (bench/runner.ts). Beside the clients, raw fetch with what the SDK gives each attempt: an
 * AbortSignal (a fresh one, or one of a pool, as attempt.ts keeps them) and a timer, which is what
 * Node's fetch makes each request cost more.
 */
import { BODY, PATH, API_KEY } from './fixtures.js';
import type { Spread } from './stats.js';
import { VARIANT_NAMES, type Call } from './variants.js';

export const SIGNAL_VARIANTS = [
  'raw fetch + a fresh AbortSignal per request',
  "raw fetch + a pooled AbortSignal and a timer, as the SDK's attempt",
] as const;
export const LOOPBACK_VARIANTS = [...VARIANT_NAMES, ...SIGNAL_VARIANTS] as const;
export type LoopbackVariant = (typeof LOOPBACK_VARIANTS)[number];

/**
 * How long each loopback measurement runs. 3 s, not 1 s: in 1 s runs the per-round ratio to raw
 * fetch swung from 0.75x to 1.07x, as each fresh process was still warming its JIT.
 */
export const LOOPBACK_MS = 3000;

export interface LoopbackResult {
  concurrency: number;
  /** Requests per second: median over rounds, and the spread. */
  rps: Record<LoopbackVariant, Spread>;
  /** Per-round ratio to raw fetch (measured back to back, so load drift cancels). */
  ratio: Record<LoopbackVariant, Spread>;
  /** The client process's CPU time per request (µs), over the rounds. */
  cpuUs: Record<LoopbackVariant, Spread>;
}

/** Raw fetch with the signal (and timer) an attempt of the SDK would give it. */
export function signalVariants(url: string): Record<(typeof SIGNAL_VARIANTS)[number], Call> {
  const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
  const post = async (signal: AbortSignal) => {
    const res = await fetch(url + PATH, {
      method: 'POST',
      headers,
      body: JSON.stringify(BODY),
      signal,
    });
    return res.json();
  };
  // As src/core/attempt.ts: controllers that never fired serve again, 100 requests each.
  const idle: [AbortController, number][] = [];
  return {
    [SIGNAL_VARIANTS[0]]: () => post(new AbortController().signal),
    [SIGNAL_VARIANTS[1]]: async () => {
      const [controller, uses] = idle.pop() ?? [new AbortController(), 0];
      const timer = setTimeout(() => controller.abort(), 60_000);
      try {
        return await post(controller.signal);
      } finally {
        clearTimeout(timer);
        if (uses < 99 && idle.length < 64) idle.push([controller, uses + 1]);
      }
    },
  };
}

/**
 * Keeps `concurrency` calls in flight for `ms`; returns completed calls per second and the
 * client's CPU time per call (µs), which the other jobs of a shared machine barely disturb.
 */
export async function throughput(
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
