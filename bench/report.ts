/** bench/RESULTS.md from the figures of one run: the tables the README shows. */
import type { Size } from './bundles.js';
import type { ColdResult } from './cold.js';
import type { TypecheckCost } from './codegen.js';
import type { CpuResult } from './cpu.js';
import type { LoopbackResult } from './loopback.js';
import type { Spread } from './stats.js';

export interface Target {
  name: string;
  target: string;
  figure: string;
  met: boolean;
}

interface Codegen {
  operations: number;
  generateMs: number;
  driftCheckMs: number;
  driftTestMs: number | null;
  typecheck: TypecheckCost;
}

export interface Results {
  meta: {
    date: string;
    node: string;
    platform: string;
    cpu: string;
    memoryGb: number;
    durationS: number;
  };
  targets: Target[];
  bundles: Record<string, Size>;
  cpu: Record<string, CpuResult>;
  loopback: LoopbackResult[];
  cold: Record<string, ColdResult>;
  codegen: { openapi: Codegen; synthetic: Codegen };
  peersGenerateMs: { heyApi: number; swaggerTypescriptApi: number };
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const range = (s: Spread, digits = 0) => `${n(s.min, digits)}–${n(s.max, digits)}`;

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(r: Results): string {
  const { meta } = r;
  const rawLoop = (c: LoopbackResult) => c.rps['raw fetch'].median;
  return `${[
    `# Benchmark results`,
    `Written by \`npm run bench\` (bench/run.ts); do not edit. ${meta.date.slice(0, 10)}, Node ${meta.node}, ${meta.platform}, ${meta.cpu}, ${meta.memoryGb} GB, a machine shared with other jobs. The run took ${meta.durationS} s. One call: \`POST /v1/simulation/runs\` with the same body for every variant.`,
    `## Targets`,
    table(
      ['Target', 'Goal', 'Measured', 'Met'],
      r.targets.map((t) => [t.name, t.target, t.figure, t.met ? 'yes' : '**no**']),
    ),
    `## One-call browser app (esbuild, minified, platform browser)`,
    table(
      ['Variant', 'Minified B', 'gzip -9 B', 'brotli B'],
      Object.entries(r.bundles).map(([name, s]) => [name, n(s.raw), n(s.gzip), n(s.brotli)]),
    ),
    `## CPU per call (in-memory fetch returning a ready Response)`,
    `Median of ${r.cpu['raw fetch'].us.samples.length} rounds (each a tinybench run of every variant, order rotated); ratio to raw fetch within each round.`,
    table(
      ['Variant', 'µs per call', 'Range over rounds', 'x raw fetch', 'Ratio range'],
      Object.entries(r.cpu).map(([name, c]) => [
        name,
        n(c.us.median, 1),
        range(c.us, 1),
        n(c.ratio.median, 2),
        range(c.ratio, 2),
      ]),
    ),
    `## Loopback throughput (node:http server in another process)`,
    `Requests per second, median of ${r.loopback[0].rps['raw fetch'].samples.length} rounds, each variant in a fresh client process for 1 s after a warm-up (order rotated); "x raw" is the median of each round's ratio to raw fetch, with its range. "CPU µs/req" is the client process's CPU time per request: steadier than req/s when other jobs share the machine, though heavy load inflates it too.`,
    table(
      [
        'Variant',
        ...r.loopback.flatMap((c) => [
          `c=${c.concurrency} req/s`,
          `c=${c.concurrency} x raw`,
          `c=${c.concurrency} CPU µs/req`,
        ]),
      ],
      Object.keys(r.loopback[0].rps).map((key) => {
        const name = key as keyof LoopbackResult['rps'];
        return [
          name,
          ...r.loopback.flatMap((c) => [
            n(c.rps[name].median),
            `${n(c.ratio[name].median, 2)} (${range(c.ratio[name], 2)})`,
            n(c.cpuUs[name].median),
          ]),
        ];
      }),
    ),
    `Raw fetch: ${r.loopback.map((c) => `${n(rawLoop(c))} req/s at c=${c.concurrency}`).join(', ')}.`,
    `## Cold start (fresh process: import, one loopback call, exit)`,
    `Median of ${Object.values(r.cold)[0].inProcessMs.samples.length} runs each, interleaved. "CPU" is the process's user + system time when the call has returned, Node's boot included; "elapsed" is its own clock at that point; "wall" is spawn to exit as the parent sees it.`,
    table(
      ['Variant', 'CPU ms', 'Range', 'Elapsed ms', 'Range', 'Wall ms', 'Range'],
      Object.entries(r.cold).map(([name, c]) => [
        name,
        n(c.cpuMs.median, 1),
        range(c.cpuMs, 1),
        n(c.inProcessMs.median, 1),
        range(c.inProcessMs, 1),
        n(c.wallMs.median, 1),
        range(c.wallMs, 1),
      ]),
    ),
    `## Generation, drift check and consumer type-check`,
    `Type-check: \`tsc --extendedDiagnostics\` on a consumer file that makes the one call in both styles, against the SDK's emitted declarations. Drift check: what test/drift.test.ts does (generate in memory, compare), without vitest's start-up.`,
    table(
      [
        'Spec',
        'generate() ms',
        'Drift check ms',
        '`vitest run test/drift.test.ts` ms',
        'Instantiations',
        'Types',
        'Check time s',
        'tsc total s',
      ],
      [r.codegen.openapi, r.codegen.synthetic].map((c, i) => [
        i === 0 ? 'openapi.json (1 operation)' : `synthetic (${c.operations} operations)`,
        n(c.generateMs),
        n(c.driftCheckMs),
        c.driftTestMs === null ? 'n/a' : n(c.driftTestMs),
        n(c.typecheck.instantiations),
        n(c.typecheck.types),
        n(c.typecheck.checkTimeS, 2),
        n(c.typecheck.totalTimeS, 2),
      ]),
    ),
    `Peers' generators on openapi.json: hey-api ${n(r.peersGenerateMs.heyApi)} ms, swagger-typescript-api ${n(r.peersGenerateMs.swaggerTypescriptApi)} ms.`,
  ].join('\n\n')}\n`;
}
