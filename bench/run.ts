/**
 * `npm run bench`: builds and measures every variant side by side in one run, then writes
 * bench/results.json and bench/RESULTS.md (the tables the README shows). A few minutes on 2 cores.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { withoutRequestValidators } from './attribution.js';
import {
  apps,
  bundle,
  BUDGETS,
  bytesByModule,
  compareApps,
  PACKAGE,
  SAME_SPEC_TOLERANCE,
  SDK,
  TARGETS,
  type Size,
} from './bundles.js';
import { benchBump, bumpTable } from './bump.js';
import { benchCold } from './cold.js';
import {
  timeDriftCheck,
  timeDriftTest,
  timeGenerate,
  timeNpmGenerate,
  typecheckCost,
  type Consumer,
} from './codegen.js';
import { measuredSpecs, type MeasuredSpec } from './packages.js';
import { benchPaginationMemory } from './pagination.js';
import { BENCH, ROOT } from './paths.js';
import { generatePeers, HEY_DIR, STA_FILE } from './peers.js';
import {
  benchCpu,
  benchLoopback,
  benchMiddleware,
  benchOtel,
  buildChild,
  startServer,
} from './runner.js';
import { runSseBench, sseTable } from './sse.js';
import { benchValidationScale } from './validation-scale.js';
import {
  runUploadMemoryBench,
  uploadMemoryTable,
  type UploadMemory,
  type UploadMode,
} from './upload-memory.js';
import {
  renderMarkdown,
  type Codegen,
  type Results,
  type SpecSizes,
  type Target,
} from './report.js';

/** Written as prettier would, so `prettier --check .` (part of npm test) passes on them. */
async function write(file: string, text: string): Promise<void> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(text, { ...config, filepath: file }));
}

/** `npm run bench -- --quick`: fewer rounds, to try the bench out; not for committed figures. */
const QUICK = process.argv.includes('--quick');

const log = (line: string) =>
  console.log(`[bench ${(performance.now() / 1000).toFixed(0)}s] ${line}`);

const sizeOf = async (source: string, resolveDir?: string): Promise<Size> => {
  const { code: _code, ...size } = await bundle(source, { resolveDir });
  return size;
};

/** Peers from the repo's node_modules; Feather from the installed tarball (what ships), or src/. */
async function measureBundles(seedApp: string): Promise<Record<string, Size>> {
  const unvalidated = join((await withoutRequestValidators()).root, 'src', 'index.ts');
  const sources: [string, string, string?][] = [
    ['raw fetch', apps['raw fetch']()],
    ['openapi-fetch', apps['openapi-fetch']()],
    ['hey-api', apps['hey-api'](HEY_DIR)],
    ['swagger-typescript-api', apps['swagger-typescript-api'](STA_FILE)],
    ['feather core (validate)', apps.core(PACKAGE), seedApp],
    ['feather core (no validate)', apps.core(PACKAGE, false), seedApp],
    ['feather client (validate)', apps.client(PACKAGE), seedApp],
    ['feather client (no validate)', apps.client(PACKAGE, false), seedApp],
    ['feather core + @featherhq/sdk/otel (validate)', apps.otel(PACKAGE), seedApp],
    ['feather core (validate), src/', apps.core(SDK)],
    ['feather core (no validate, request validators removed), src/', apps.core(unvalidated, false)],
  ];
  const bundles: Record<string, Size> = {};
  for (const [name, source, dir] of sources) bundles[name] = await sizeOf(source, dir);
  return bundles;
}

async function specSizes(spec: MeasuredSpec, seedApp: string): Promise<SpecSizes> {
  const { label, operations, error, tarballBytes, jsOnly } = spec;
  if (!spec.sdk) return { label, operations, error };
  const app = spec.sdk.appDir;
  return {
    label,
    operations,
    error,
    jsOnly,
    tarballBytes,
    core: await sizeOf(apps.core(PACKAGE), app),
    client: await sizeOf(apps.client(PACKAGE), app),
    vsSeed: app === seedApp ? undefined : await compareApps(apps.core(PACKAGE), seedApp, app),
  };
}

/** Generation, drift and type-check cost of one spec; a step that fails is recorded, not thrown. */
async function codegenOf(
  spec: MeasuredSpec,
  steps: {
    generateRuns: number;
    npmGenerate?: boolean;
    driftTest?: string;
    fewOps?: boolean;
    /** Off when the package has no declarations to check against. */
    typecheck?: boolean;
  },
): Promise<Codegen> {
  const result: Codegen = { label: spec.label, operations: spec.operations, typecheck: {} };
  if (!spec.sdk) return { ...result, error: 'the package could not be built (see above)' };
  if (spec.jsOnly) steps = { ...steps, typecheck: false };
  const { projectDir, appDir } = spec.sdk;
  const name = spec.label.replace(/\W+/g, '-');
  const errors: string[] = [];
  const step = async <T>(what: string, measure: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await measure();
    } catch (error) {
      errors.push(`${what}: ${error instanceof Error ? error.message.slice(0, 1000) : error}`);
      return undefined;
    }
  };
  result.generateMs = await step('generate()', () =>
    timeGenerate(spec.specText, steps.generateRuns),
  );
  result.driftCheckMs = await step('drift check', () => timeDriftCheck(spec.specText, projectDir));
  if (steps.npmGenerate)
    result.npmGenerateMs = await step('npm run generate', () => timeNpmGenerate(projectDir));
  if (steps.driftTest)
    result.driftTest = await step('drift test', () => timeDriftTest(steps.driftTest));
  const consumers: [string, Consumer, boolean][] = [];
  if (steps.typecheck !== false) consumers.push(['one call', 'one call', true]);
  else errors.push('tsc: the declarations failed to build');
  if (steps.fewOps && steps.typecheck !== false)
    consumers.push(
      ['a few operations', 'a few operations', true],
      ['a few operations, skipLibCheck off', 'a few operations', false],
    );
  for (const [label, consumer, skipLibCheck] of consumers) {
    const cost = await step(`tsc, ${label}`, () =>
      typecheckCost(appDir, name, consumer, { skipLibCheck }),
    );
    if (cost) result.typecheck[label] = cost;
  }
  if (errors.length) result.error = errors.join('; ');
  return result;
}

function sizeTargets(bundles: Record<string, Size>, specs: SpecSizes[]): Target[] {
  const core = bundles['feather core (validate)'];
  const client = bundles['feather client (validate)'];
  return [
    {
      name: 'Bundle from the tarball, createFeatherCore + one operation, validation on (gzip)',
      target: `<= ${TARGETS.core} B`,
      figure: `${core.gzip} B`,
      met: core.gzip <= TARGETS.core,
    },
    {
      name: 'The same, CI budget (test/size.test.ts)',
      target: `<= ${BUDGETS.core} B`,
      figure: `${core.gzip} B`,
      met: core.gzip <= BUDGETS.core,
    },
    {
      name: 'Bundle from the tarball, createFeatherClient style, validation on (gzip, CI budget)',
      target: `<= ${BUDGETS.client} B`,
      figure: `${client.gzip} B`,
      met: client.gzip <= BUDGETS.client,
    },
    {
      name: 'Bundle from the tarball, the core app instrumented (otel entry + @opentelemetry/api, gzip, CI budget)',
      target: `<= ${BUDGETS.otel} B`,
      figure: `${bundles['feather core + @featherhq/sdk/otel (validate)'].gzip} B (+${bundles['feather core + @featherhq/sdk/otel (validate)'].gzip - core.gzip})`,
      met: bundles['feather core + @featherhq/sdk/otel (validate)'].gzip <= BUDGETS.otel,
    },
    ...specs
      .filter((s) => s.vsSeed || !s.core)
      .map((s) => ({
        name: `Core app from the ${s.label} spec's tarball (${s.operations} operations) vs what ships`,
        target: `same declarations, gzip within ${SAME_SPEC_TOLERANCE} B`,
        figure: s.vsSeed
          ? `${s.vsSeed.sameCode ? 'same code' : 'code differs'}; ${s.vsSeed.extraNames.length} extra declarations; gzip ${s.core!.gzip} B (${s.vsSeed.gzipDelta >= 0 ? '+' : ''}${s.vsSeed.gzipDelta})${s.jsOnly ? '; JS-only build, its declarations fail' : ''}`
          : 'could not be built',
        met:
          !!s.vsSeed &&
          !s.jsOnly &&
          !s.vsSeed.extraNames.length &&
          !s.vsSeed.missingNames.length &&
          Math.abs(s.vsSeed.gzipDelta) <= SAME_SPEC_TOLERANCE,
      })),
  ];
}

/** Issue 11: a 512 MiB upload from disk grows the client's RSS by less than 64 MiB. */
function uploadTargets(result: unknown): Target[] {
  const { modes, fileMiB } = result as {
    modes: Record<UploadMode, UploadMemory[]>;
    fileMiB: number;
  };
  return Object.entries(modes)
    .filter(([mode]) => mode.startsWith('SDK'))
    .map(([mode, runs]) => {
      const worst = Math.max(...runs.map((run) => run.peakRssGrowthMiB));
      return {
        name: `RSS growth uploading a ${fileMiB} MiB file, ${mode} (worst of ${runs.length})`,
        target: '< 64 MiB',
        figure: `${worst.toFixed(1)} MiB`,
        met: worst < 64,
      };
    });
}

/** Loopback: each client style against raw fetch, at each concurrency. */
function loopbackTargets(loopback: Results['loopback']): Target[] {
  return loopback.flatMap((result) =>
    (['feather core (validate)', 'feather client (validate)'] as const).map((name) => ({
      name: `Loopback req/s at c=${result.concurrency}, ${name}`,
      target: `>= ${TARGETS.loopback}x raw fetch`,
      figure: `${result.ratio[name].median.toFixed(2)}x (CPU per request ${(result.cpuUs['raw fetch'].median / result.cpuUs[name].median).toFixed(2)}x)`,
      met: result.ratio[name].median >= TARGETS.loopback,
    })),
  );
}

/** Cold start with each spec: either style against bare openapi-fetch, median wall time. */
function coldTargets(cold: Results['cold']): Target[] {
  return cold.flatMap(({ label, operations, results }) => {
    const base = results['openapi-fetch'];
    return (['feather client (validate)', 'feather core (validate)'] as const).map((name) => {
      const wall = results[name].wallMs.median - base.wallMs.median;
      const cpu = results[name].cpuMs.median - base.cpuMs.median;
      return {
        name: `Cold start (import, client, one call), ${name}, ${label} (${operations} operations) vs bare openapi-fetch`,
        target: `<= +${TARGETS.coldWallMs} ms wall (median)`,
        figure: `${ms(wall)} wall (${ms(cpu)} CPU)`,
        met: wall <= TARGETS.coldWallMs,
      };
    });
  });
}

const ms = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} ms`;

function runtimeTargets(r: Omit<Results, 'targets' | 'meta'>): Target[] {
  const { cpu, middleware, loopback, cold, pagination, bundles } = r;
  const validationUs =
    cpu['feather core (validate)'].us.median - cpu['feather core (no validate)'].us.median;
  const validationBytes =
    bundles['feather core (validate), src/'].gzip -
    bundles['feather core (no validate, request validators removed), src/'].gzip;
  const core = cpu['feather core (validate)'].ratio.median;
  const client = cpu['feather client (validate)'].ratio.median;
  const bare = middleware['feather core, no middleware'].ratio.median;
  const noop = middleware['feather core, one no-op middleware'].ratio.median;
  const plain = r.otel['feather core, not instrumented'].us.median;
  const traced = r.otel['feather core, instrumented, real SDK'].us.median - plain;
  const apiOnly = r.otel['feather core, instrumented, API only (no SDK)'].us.median - plain;
  const paged = pagination.iterate;
  const control = pagination['keep every item (control)'];
  return [
    {
      name: 'What validation adds to the core one-call app (gzip, src/)',
      target: '<= 1024 B',
      figure: `${validationBytes} B`,
      met: validationBytes <= 1024,
    },
    {
      name: 'What validation adds per call (CPU, core validate - no validate)',
      target: '<= 2 µs',
      figure: `${validationUs.toFixed(2)} µs`,
      met: validationUs <= 2,
    },
    {
      name: 'CPU per call, feather core (validate), middleware, logging and helpers unused',
      target: `<= ${TARGETS.cpu.toFixed(2)}x raw fetch`,
      figure: `${core.toFixed(2)}x`,
      met: core <= TARGETS.cpu,
    },
    {
      name: 'CPU per call, feather client (validate) vs the core style',
      target: `within ${TARGETS.clientVsCore}x of the core's ratio`,
      figure: `${client.toFixed(2)}x (${client >= core ? '+' : ''}${(client - core).toFixed(2)})`,
      met: client - core <= TARGETS.clientVsCore,
    },
    {
      name: 'CPU per call with middleware support and none registered',
      target: `<= ${TARGETS.cpu.toFixed(2)}x raw fetch (no Request built)`,
      figure: `${bare.toFixed(2)}x (one no-op middleware: ${noop.toFixed(2)}x)`,
      met: bare <= TARGETS.cpu,
    },
    {
      name: 'What @featherhq/sdk/otel adds per call (CPU; 2 spans, 1 histogram point, traceparent)',
      target: '<= +25 µs with the real SDK',
      figure: `+${traced.toFixed(1)} µs (API only, no SDK: +${apiOnly.toFixed(1)} µs)`,
      met: traced <= 25,
    },
    ...loopbackTargets(loopback),
    ...coldTargets(cold),
    ...uploadTargets(r.upload.result),
    {
      name: `Heap kept after iterating ${paged.items.toLocaleString('en-US')} paginated items`,
      target: '<= 2 MiB (flat: pages not kept)',
      figure: `${paged.retainedHeapMiB.toFixed(2)} MiB (keeping every item: ${control.retainedHeapMiB.toFixed(1)} MiB)`,
      met: paged.retainedHeapMiB <= 2,
    },
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  log('generating the peers, and the packages of the seed, the real and a synthetic spec');
  const peersGenerateMs = await generatePeers();
  const { seed, real, synthetic } = await measuredSpecs();
  for (const spec of [seed, real, synthetic])
    log(
      `${spec.label}: ${spec.error ? `FAILED ${spec.error.slice(0, 300)}` : 'installed'} in ${(spec.packMs / 1000).toFixed(0)} s`,
    );
  // What ships: the package of openapi.json itself.
  const seedApp = real.sdk!.appDir;

  log('bundling the one-call apps');
  const bundles = await measureBundles(seedApp);
  const coreModules = await bytesByModule(apps.core(SDK));
  const specs: SpecSizes[] = [];
  for (const spec of [seed, real, synthetic]) specs.push(await specSizes(spec, seedApp));

  log('CPU per call (in-memory fetch), with and without middleware');
  await buildChild(seedApp);
  const rounds = QUICK ? { rounds: 2, time: 200 } : {};
  const cpu = await benchCpu(rounds);
  const middleware = await benchMiddleware(rounds);
  const otel = await benchOtel(rounds);

  log('loopback throughput and cold start (server in its own process)');
  const server = await startServer();
  let loopback;
  const cold: Results['cold'] = [];
  try {
    loopback = await benchLoopback(server.url, QUICK ? { rounds: 2, ms: 300 } : {});
    for (const spec of [seed, real]) {
      if (!spec.sdk) continue;
      const name = spec.label.replace(/\W+/g, '-');
      const results = await benchCold(server.url, spec.sdk.appDir, name, QUICK ? 5 : 25);
      cold.push({ label: spec.label, operations: spec.operations, results });
    }
  } finally {
    await server.stop();
  }

  log('memory: pagination, event streams, uploads');
  const pagination = await benchPaginationMemory();
  const sseResult = await runSseBench();
  const sse = { result: sseResult, markdown: sseTable(sseResult) };
  const uploadResult = await runUploadMemoryBench();
  const upload = { result: uploadResult, markdown: uploadMemoryTable(uploadResult) };

  log('validating a 10,000-item body: SDK vs ajv standalone');
  const { targets: scale, ...validationScale } = await benchValidationScale({
    appDir: real.sdk?.appDir,
    quick: QUICK,
  });

  log('generation, drift test and consumer type-check cost');
  const codegen = [
    await codegenOf(seed, { generateRuns: 3 }),
    await codegenOf(real, { generateRuns: 1, npmGenerate: true, driftTest: ROOT, fewOps: true }),
    await codegenOf(synthetic, { generateRuns: 3 }),
  ];

  log('a bump of the real spec: spec:update --dry-run --check');
  const bumpResult = await benchBump();
  const bump = { result: bumpResult, markdown: bumpTable(bumpResult) };

  const measured = {
    bundles,
    coreModules,
    specs,
    cpu,
    middleware,
    otel,
    loopback,
    cold,
    pagination,
    sse,
    upload,
    validationScale,
    codegen,
    bump,
    peersGenerateMs,
  };
  const targets = [...sizeTargets(bundles, specs), ...runtimeTargets(measured), ...scale];
  const cpuInfo = cpus();
  const results: Results = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: `${cpuInfo[0]?.model ?? 'unknown'} x ${cpuInfo.length}`,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      loadAverage: loadavg(),
      durationS: Math.round((performance.now() - started) / 1000),
    },
    targets,
    ...measured,
  };
  await write(join(BENCH, 'results.json'), JSON.stringify(results));
  await write(join(BENCH, 'RESULTS.md'), renderMarkdown(results));
  log(`wrote bench/results.json and bench/RESULTS.md in ${results.meta.durationS}s`);
  for (const t of targets)
    log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.figure} (target ${t.target})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
