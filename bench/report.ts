/** bench/RESULTS.md from the figures of one run: the tables the README shows. */
import type { SameApp, Size } from './bundles.js';
import type { ColdResult } from './cold.js';
import type { DriftTestRun, TypecheckCost } from './codegen.js';
import type { CpuResult } from './cpu.js';
import { LOOPBACK_MS, type LoopbackResult } from './loopback.js';
import type { PaginationMemory } from './pagination.js';
import type { Spread } from './stats.js';

export interface Target {
  name: string;
  target: string;
  figure: string;
  met: boolean;
}

export interface SpecSizes {
  label: string;
  operations: number;
  /** Why this spec's package could not be built (as shipped). */
  error?: string;
  /** Measured on a build without declarations, as the full build failed. */
  jsOnly?: boolean;
  tarballBytes?: number;
  core?: Size;
  client?: Size;
  /** The core-style app against the shipped package's (openapi.json). */
  vsSeed?: SameApp;
}

export interface Codegen {
  label: string;
  operations: number;
  error?: string;
  /** `generate()` in the bench's process, median of runs (ms). */
  generateMs?: number;
  /** `npm run generate` in a copy of the project, each run's wall time (ms). */
  npmGenerateMs?: number[];
  driftCheckMs?: number;
  driftTest?: DriftTestRun;
  /** By consumer (`one call`, `a few operations`), and with skipLibCheck off. */
  typecheck: Record<string, TypecheckCost>;
}

export interface Results {
  meta: {
    date: string;
    node: string;
    platform: string;
    cpu: string;
    memoryGb: number;
    loadAverage: number[];
    durationS: number;
  };
  targets: Target[];
  bundles: Record<string, Size>;
  /** Minified bytes per source module of the core-style app, bundled from src/. */
  coreModules: Record<string, number>;
  specs: SpecSizes[];
  cpu: Record<string, CpuResult>;
  middleware: Record<string, CpuResult>;
  /** bench/otel.ts: the one-call dispatch with and without @featherhq/sdk/otel. */
  otel: Record<string, CpuResult>;
  loopback: LoopbackResult[];
  /** Per spec: the seed's package and the real spec's (491 operations). */
  cold: { label: string; operations: number; results: Record<string, ColdResult> }[];
  pagination: Record<string, PaginationMemory>;
  /** bench/sse.ts and bench/upload-memory.ts: their figures and their own table. */
  sse: { result: unknown; markdown: string };
  upload: { result: unknown; markdown: string };
  /** bench/validation-scale.ts. */
  validationScale: { result: unknown; markdown: string };
  codegen: Codegen[];
  /** bench/bump.ts: a bump of the real spec, split by step, and its table. */
  bump: { result: unknown; markdown: string };
  peersGenerateMs: { heyApi: number; swaggerTypescriptApi: number };
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const range = (s: Spread, digits = 0) => `${n(s.min, digits)}–${n(s.max, digits)}`;
const signed = (value: number) => `${value >= 0 ? '+' : ''}${n(value)}`;
const opt = (value: number | undefined, digits = 0) =>
  value === undefined ? 'n/a' : n(value, digits);

/** A failed command's message names tmp paths and repeats itself: its first error lines. */
function errorSummary(message: string): string {
  const lines = message.split('\n').filter((l) => !/ failed: Command failed: /.test(l));
  const errors = lines.filter((l) => /error|not support|cannot/i.test(l));
  return (errors.length ? errors : lines).slice(0, 3).join(' ').slice(0, 600);
}

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function cpuTable(results: Record<string, CpuResult>, base: string): string {
  return table(
    ['Variant', 'µs per call', 'Range over rounds', `x ${base}`, 'Ratio range'],
    Object.entries(results).map(([name, c]) => [
      name,
      n(c.us.median, 1),
      range(c.us, 1),
      n(c.ratio.median, 2),
      range(c.ratio, 2),
    ]),
  );
}

function specsSection(r: Results): string[] {
  const rows = r.specs.map((s) =>
    !s.core
      ? [s.label, n(s.operations), 'failed', '', '', '', '', '', '']
      : [
          s.jsOnly ? `${s.label}, JS only †` : s.label,
          n(s.operations),
          opt(s.tarballBytes),
          opt(s.core?.raw),
          opt(s.core?.gzip),
          s.vsSeed ? signed(s.vsSeed.gzipDelta) : '—',
          s.vsSeed ? (s.vsSeed.sameCode ? 'same code' : 'differs') : '—',
          s.vsSeed ? s.vsSeed.extraNames.length || 'none' : '—',
          opt(s.client?.gzip),
        ],
  );
  const leaks = r.specs
    .filter((s) => s.vsSeed?.extraNames.length)
    .map((s) => {
      const names = s.vsSeed!.extraNames;
      const more = names.length > 24 ? `, and ${names.length - 24} more (results.json)` : '';
      return `- ${s.label}: ${names.slice(0, 24).join(', ')}${more}`;
    });
  const errors = r.specs
    .filter((s) => s.error)
    .map(
      (s) =>
        `- ${s.label}${s.jsOnly ? ' († measured on `tsup --no-dts`, which is not what ships)' : ''}: ${errorSummary(s.error!)}`,
    );
  return [
    `## The same app whatever the spec (from each spec's tarball)`,
    `Each spec is generated in a copy of the project (\`tsx scripts/generate.ts\`), built with tsup, packed and installed; the one-call apps are then bundled from that install. "Extra declarations" counts the top-level functions and constants the core-style app holds that the one built from openapi.json (what ships) does not: what failed to tree-shake.`,
    table(
      [
        'Spec',
        'Operations',
        'Tarball B',
        'Core app minified B',
        'Core app gzip B',
        'gzip vs what ships',
        'Code vs what ships',
        'Extra declarations',
        'Client app gzip B',
      ],
      rows,
    ),
    ...(leaks.length ? [`Kept although never called:\n\n${leaks.join('\n')}`] : []),
    ...(errors.length ? [`The build failed:\n\n${errors.join('\n')}`] : []),
  ];
}

function loopbackSection(r: Results): string[] {
  const rawLoop = (c: LoopbackResult) => c.rps['raw fetch'].median;
  return [
    `## Loopback throughput (node:http server in another process)`,
    `Requests per second, median of ${r.loopback[0].rps['raw fetch'].samples.length} rounds, each variant in a fresh client process for ${LOOPBACK_MS / 1000} s after a warm-up (order rotated); "x raw" is the median of each round's ratio to raw fetch, with its range. "CPU µs/req" is the client process's CPU time per request: steadier than req/s when other jobs share the machine, though heavy load inflates it too.`,
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
  ];
}

function coldSection(r: Results): string[] {
  const runs = Object.values(r.cold[0].results)[0].wallMs.samples.length;
  return [
    `## Cold start (fresh process: import, create a client, one loopback call, exit)`,
    `The SDK as installed from each spec's tarball (dist/index.js), openapi-fetch from the same install. Median of ${runs} runs each, interleaved. "CPU" is the process's user + system time when the call has returned, Node's boot included; "elapsed" is its own clock at that point; "wall" is spawn to exit as the parent sees it; "vs openapi-fetch" is the difference of the wall medians.`,
    table(
      [
        'Spec',
        'Variant',
        'CPU ms',
        'Range',
        'Elapsed ms',
        'Range',
        'Wall ms',
        'Range',
        'Wall vs openapi-fetch',
      ],
      r.cold.flatMap(({ label, operations, results }) =>
        Object.entries(results).map(([name, c]) => [
          `${label} (${n(operations)})`,
          name,
          n(c.cpuMs.median, 1),
          range(c.cpuMs, 1),
          n(c.inProcessMs.median, 1),
          range(c.inProcessMs, 1),
          n(c.wallMs.median, 1),
          range(c.wallMs, 1),
          `${signed(c.wallMs.median - results['openapi-fetch'].wallMs.median)} ms`,
        ]),
      ),
    ),
  ];
}

function paginationSection(r: Results): string[] {
  const first = Object.values(r.pagination)[0];
  return [
    `## Memory while iterating ${n(first.items)} paginated items`,
    `\`for await\` over a list operation built with the runtime's building blocks, against a loopback server (its own process) serving ${first.pages} pages of ${first.items / first.pages} run-shaped items (~130 KB of JSON a page). Each mode runs in a fresh client process (\`--expose-gc\`); the baseline is taken after the first page and a GC. The control keeps every item; "raw fetch loop" fetches and parses the same pages with plain \`fetch\`.`,
    table(
      [
        'Mode',
        'Time ms',
        'Baseline RSS MiB',
        'Peak RSS growth MiB',
        'Heap kept at the end MiB',
        'Heap growth, page 100 to 500 MiB',
      ],
      Object.entries(r.pagination).map(([mode, m]) => [
        mode,
        n(m.ms),
        n(m.baselineRssMiB, 1),
        n(m.peakRssGrowthMiB, 1),
        n(m.retainedHeapMiB, 2),
        n(m.lateHeapGrowthMiB, 2),
      ]),
    ),
  ];
}

function codegenSection(r: Results): string[] {
  const rows = r.codegen.map((c) => {
    const one = c.typecheck['one call'];
    const few = c.typecheck['a few operations'];
    const noSkip = c.typecheck['a few operations, skipLibCheck off'];
    return [
      c.label,
      n(c.operations),
      opt(c.generateMs),
      c.npmGenerateMs ? c.npmGenerateMs.map((ms) => n(ms)).join(', ') : 'n/a',
      opt(c.driftCheckMs),
      c.driftTest
        ? `${n(c.driftTest.ms)} (${c.driftTest.passed} passed, ${c.driftTest.failed} failed)`
        : 'n/a',
      one ? `${n(one.instantiations)} / ${n(one.checkTimeS, 2)} s` : 'n/a',
      few ? `${n(few.instantiations)} / ${n(few.checkTimeS, 2)} s` : 'n/a',
      noSkip ? `${n(noSkip.instantiations)} / ${n(noSkip.checkTimeS, 2)} s` : 'n/a',
    ];
  });
  const slow = r.codegen
    .filter((c) => c.driftTest)
    .map((c) => `${c.label}: "${c.driftTest!.slowest.name}", ${n(c.driftTest!.slowest.ms)} ms`);
  const errors = r.codegen
    .filter((c) => c.error)
    .map((c) => `- ${c.label}: ${errorSummary(c.error!)}`);
  return [
    `## Generation, drift check and consumer type-check`,
    `\`generate()\`: in the bench's process, median of 3 (1 for the real spec). \`npm run generate\`: in a copy of the project whose openapi.json is that spec, each run's wall time (npm and tsx start-up included). Drift check: what test/drift.test.ts does, in memory. Drift test: \`vitest run test/drift.test.ts\` on the repo, whose openapi.json is the real spec. Type-check: \`tsc --extendedDiagnostics\` on a consumer app against the declarations the tarball installs (skipLibCheck on unless said), as "instantiations / check time". "One call" makes the seed's call in both styles; "a few operations" dispatches, reads, waits for and lists runs in both styles (real spec only).`,
    table(
      [
        'Spec',
        'Operations',
        'generate() ms',
        '`npm run generate` ms',
        'Drift check ms',
        'Drift test ms',
        'tsc, one call',
        'tsc, a few operations',
        'tsc, a few operations, skipLibCheck off',
      ],
      rows,
    ),
    ...(slow.length ? [`Slowest drift test: ${slow.join('; ')}.`] : []),
    ...r.codegen
      .filter((c) => c.driftTest?.failedNames.length)
      .map(
        (c) =>
          `Drift tests that failed, ${c.label}:\n\n${c.driftTest!.failedNames.map((name) => `- ${name}`).join('\n')}`,
      ),
    ...(errors.length ? [errors.join('\n')] : []),
    `Peers' generators on openapi.json: hey-api ${n(r.peersGenerateMs.heyApi)} ms, swagger-typescript-api ${n(r.peersGenerateMs.swaggerTypescriptApi)} ms.`,
  ];
}

export function renderMarkdown(r: Results): string {
  const { meta } = r;
  return `${[
    `# Benchmark results`,
    `Written by \`npm run bench\` (bench/run.ts); do not edit. ${meta.date.slice(0, 10)}, Node ${meta.node}, ${meta.platform}, ${meta.cpu}, ${meta.memoryGb} GB, a machine shared with other jobs (load average ${meta.loadAverage.map((l) => l.toFixed(1)).join(', ')} at the end). The run took ${meta.durationS} s. One call: \`POST /v1/simulation/runs\` with the same body for every variant.`,
    `## Targets`,
    table(
      ['Target', 'Goal', 'Measured', 'Met'],
      r.targets.map((t) => [t.name, t.target, t.figure, t.met ? 'yes' : '**no**']),
    ),
    `## One-call browser app (esbuild, minified, platform browser)`,
    `Feather rows are bundled from the package installed from its tarball, except rows marked "src/", which bundle the sources to attribute bytes.`,
    table(
      ['Variant', 'Minified B', 'gzip -9 B', 'brotli B'],
      Object.entries(r.bundles).map(([name, s]) => [name, n(s.raw), n(s.gzip), n(s.brotli)]),
    ),
    `### Where the core-style app's bytes come from (src/, minified bytes per module)`,
    `Bundled from the sources with esbuild's metafile, to attribute bytes (gzip does not split by module). Total ${n(Object.values(r.coreModules).reduce((a, b) => a + b, 0))} B minified.`,
    table(
      ['Module', 'Minified B'],
      Object.entries(r.coreModules).map(([file, bytes]) => [file, n(bytes)]),
    ),
    ...specsSection(r),
    `## CPU per call (in-memory fetch returning a ready Response)`,
    `Median of ${r.cpu['raw fetch'].us.samples.length} rounds (each a tinybench run of every variant, order rotated); ratio to raw fetch within each round.`,
    cpuTable(r.cpu, 'raw fetch'),
    `## Middleware support with none registered (CPU per call, in-memory fetch)`,
    `The one-call dispatch with no middleware (the transport calls \`fetch(url, init)\`), and with one middleware whose \`onRequest\` and \`onResponse\` do nothing (a \`Request\` is built per attempt). Same method as above, in its own rounds.`,
    cpuTable(r.middleware, 'raw fetch'),
    `## @featherhq/sdk/otel (CPU per call, in-memory fetch; bench/otel.ts)`,
    `The one-call dispatch not instrumented; with a hook that observes every call and attempt and does nothing; with \`instrument\` and OpenTelemetry's API alone (no SDK registered); and with the real SDK (sdk-trace-base sampling every span into a processor that keeps none, sdk-metrics aggregating, the W3C propagator injecting \`traceparent\`). Same method as above, in its own rounds.`,
    cpuTable(r.otel, 'raw fetch'),
    ...loopbackSection(r),
    ...coldSection(r),
    ...paginationSection(r),
    `## Event streams: parse rate (bench/sse.ts)`,
    r.sse.markdown,
    `## Memory while uploading a 512 MiB file (bench/upload-memory.ts)`,
    r.upload.markdown,
    `## Validating a large body (bench/validation-scale.ts)`,
    r.validationScale.markdown,
    ...codegenSection(r),
    `## A bump of the real spec (bench/bump.ts)`,
    r.bump.markdown,
  ].join('\n\n')}\n`;
}
