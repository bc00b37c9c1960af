/**
 * `npx tsx bench/unit-tier.ts`: how fast the fast tier (`npm run test:unit`) is, measured as issue
 * 17 asks: its wall time alone, then with a second copy of it running beside it (a shared CI
 * machine is that busy), and each test's duration in those two copies against its own timeout.
 * The tier's promise: under 30 s alone, and no test within 3x of its timeout beside a second copy.
 *
 * Each copy runs with a reporter of this file's (`--reporter`), which writes every test's
 * duration and timeout as JSON to the file `UNIT_TIER_OUT` names.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase } from 'vitest/node';
import { ROOT } from './paths.js';

interface Timed {
  test: string;
  ms: number;
  timeoutMs: number;
}

/** The reporter: every test's duration and timeout, written when the run ends. */
export default class UnitTierReporter implements Reporter {
  private readonly tests: Timed[] = [];

  onTestCaseResult(test: TestCase): void {
    const ms = test.diagnostic()?.duration ?? 0;
    const timeoutMs = test.options.timeout ?? 20_000;
    this.tests.push({ test: `${test.module.relativeModuleId} > ${test.fullName}`, ms, timeoutMs });
  }

  async onTestRunEnd(): Promise<void> {
    await writeFile(process.env.UNIT_TIER_OUT!, JSON.stringify(this.tests));
  }
}

interface TierRun {
  wallS: number;
  ok: boolean;
  tests: Timed[];
}

function runTier(out: string): Promise<TierRun> {
  const started = performance.now();
  const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
  // Extra arguments go to vitest (`--exclude <file>`, to weigh a change before it lands).
  const args = [
    vitest,
    'run',
    'test/unit',
    '--maxWorkers=3',
    '--reporter',
    fileURLToPath(import.meta.url),
    ...process.argv.slice(2),
  ];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, env: { ...process.env, UNIT_TIER_OUT: out }, maxBuffer: 64 * 1024 * 1024 },
      async (error) => {
        const tests = JSON.parse(await readFile(out, 'utf8').catch(() => '[]')) as Timed[];
        resolve({ wallS: (performance.now() - started) / 1000, ok: !error, tests });
      },
    );
  });
}

const worst = (tests: Timed[]) =>
  [...tests].sort((a, b) => b.ms / b.timeoutMs - a.ms / a.timeoutMs);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'feather-unit-tier-'));
  try {
    const before = loadavg()[0];
    const alone = await runTier(join(dir, 'alone.json'));
    const during = loadavg()[0];
    const pair = await Promise.all([runTier(join(dir, 'a.json')), runTier(join(dir, 'b.json'))]);
    const tests = pair.flatMap((run) => run.tests);
    const close = tests.filter((t) => t.ms * 3 > t.timeoutMs);
    console.log(
      `load average (1 min): ${before.toFixed(1)} before, ${during.toFixed(1)} after the first run, ${loadavg()[0].toFixed(1)} at the end`,
    );
    console.log(
      `alone: ${alone.wallS.toFixed(1)} s (${alone.tests.length} tests, ${alone.ok ? 'passed' : 'FAILED'})`,
    );
    console.log(
      `beside a second copy: ${pair.map((r) => `${r.wallS.toFixed(1)} s${r.ok ? '' : ' FAILED'}`).join(' and ')}`,
    );
    console.log(`tests within 3x of their timeout beside a second copy: ${close.length}`);
    console.log('slowest against their timeout, beside a second copy:');
    for (const t of worst(tests).slice(0, 10)) {
      console.log(
        `  ${(t.ms / 1000).toFixed(2)} s of ${(t.timeoutMs / 1000).toFixed(0)} s  ${t.test}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
