/**
 * CPU per call: every variant on an in-memory `fetch` that returns a ready `Response`, so only
 * the client's own work (and the Response it reads) is timed. The one place fetch is stubbed.
 * Each round runs every variant once with tinybench; the figures are the median and spread of the
 * per-round medians, and each variant's ratio to raw fetch within the same round. Runs in the
 * bench's child process (bench/child.ts), on the installed package.
 */
import { Bench } from 'tinybench';
import { RESPONSE_TEXT } from './fixtures.js';
import { rotate, spread, type Spread } from './stats.js';

export const BASE_URL = 'https://api-sandbox.featherhq.com';

export const inMemoryFetch = (async () =>
  new Response(RESPONSE_TEXT, {
    status: 201,
    headers: { 'content-type': 'application/json' },
  })) as typeof fetch;

export interface CpuResult {
  /** Microseconds per call. */
  us: Spread;
  /** Per-round ratio to raw fetch. */
  ratio: Spread;
}

/**
 * Each round is one tinybench run of every call (order rotated); the result holds each call's
 * per-round medians and its ratio to the first name's within the same round.
 */
export async function benchRounds<N extends string>(
  names: readonly N[],
  calls: Record<N, () => Promise<unknown>>,
  { rounds = 5, time = 400 } = {},
): Promise<Record<N, CpuResult>> {
  const perRound = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<N, number[]>;
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmup: true, warmupTime: 100 });
    for (const name of rotate(names, round)) bench.add(name, calls[name]);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as { state: string; latency?: { p50: number }; error?: unknown };
      if (result.state !== 'completed' || !result.latency) {
        throw new Error(`${task.name} failed: ${String(result.error)}`);
      }
      perRound[task.name as N].push(result.latency.p50 * 1000);
    }
  }
  const base = perRound[names[0]];
  return Object.fromEntries(
    names.map((name) => [
      name,
      { us: spread(perRound[name]), ratio: spread(perRound[name].map((us, i) => us / base[i])) },
    ]),
  ) as Record<N, CpuResult>;
}
