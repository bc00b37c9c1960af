/**
 * `npm run bench`: builds and measures every variant side by side in one run, then writes
 * bench/results.json and bench/RESULTS.md (the table the README shows). About 3 minutes on 2 cores.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { apps, bundle, BUDGETS, SDK, TARGETS, type Size } from './bundles.js';
import { benchCold } from './cold.js';
import { realSpec, timeDriftCheck, timeDriftTest, timeGenerate, typecheckCost } from './codegen.js';
import { benchCpu } from './cpu.js';
import { benchLoopback, startServer } from './loopback.js';
import { BENCH, ROOT } from './paths.js';
import { generatePeers, HEY_DIR, STA_FILE } from './peers.js';
import { renderMarkdown, type Results, type Target } from './report.js';
import { syntheticCopy, withoutRequestValidators } from './synthetic.js';

/** Written as prettier would, so `prettier --check .` (part of npm test) passes on them. */
async function write(file: string, text: string): Promise<void> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(text, { ...config, filepath: file }));
}

const log = (line: string) =>
  console.log(`[bench ${(performance.now() / 1000).toFixed(0)}s] ${line}`);

async function main(): Promise<void> {
  const started = performance.now();
  log('generating the peers (hey-api, swagger-typescript-api) and the synthetic spec');
  const peersGenerateMs = await generatePeers();
  const synthetic = await syntheticCopy({ operations: 500, schemas: 200 });
  const syntheticSdk = join(synthetic.root, 'src', 'index.ts');
  const unvalidatedSdk = join((await withoutRequestValidators()).root, 'src', 'index.ts');

  log('bundling the one-call apps');
  const bundles: Record<string, Size> = {};
  const sources: [string, string][] = [
    ['raw fetch', apps['raw fetch']()],
    ['openapi-fetch', apps['openapi-fetch']()],
    ['hey-api', apps['hey-api'](HEY_DIR)],
    ['swagger-typescript-api', apps['swagger-typescript-api'](STA_FILE)],
    ['feather core (validate)', apps.core(SDK)],
    ['feather core (no validate)', apps.core(SDK, false)],
    ['feather core (request validators removed)', apps.core(unvalidatedSdk, false)],
    ['feather client (validate)', apps.client(SDK)],
    ['feather client (no validate)', apps.client(SDK, false)],
    [`feather core (validate), ${synthetic.operations}-operation spec`, apps.core(syntheticSdk)],
    [
      `feather client (validate), ${synthetic.operations}-operation spec`,
      apps.client(syntheticSdk),
    ],
  ];
  for (const [name, source] of sources) {
    const { code: _code, ...size } = await bundle(source);
    bundles[name] = size;
  }
  const sameCode =
    (await bundle(apps.core(SDK), { minifyIdentifiers: false })).code ===
    (await bundle(apps.core(syntheticSdk), { minifyIdentifiers: false })).code;

  log('CPU per call (in-memory fetch)');
  const cpu = await benchCpu();

  log('loopback throughput and cold start (server in its own process)');
  const server = await startServer();
  let loopback, cold;
  try {
    loopback = await benchLoopback(server.url);
    cold = await benchCold(server.url);
  } finally {
    await server.stop();
  }

  log('generation, drift check and consumer type-check cost');
  const real = await realSpec();
  const codegen = {
    openapi: {
      operations: 1,
      generateMs: await timeGenerate(real.specText),
      driftCheckMs: await timeDriftCheck(real.specText, real.files),
      driftTestMs: await timeDriftTest(),
      typecheck: await typecheckCost(ROOT, 'openapi'),
    },
    synthetic: {
      operations: synthetic.operations,
      generateMs: synthetic.generateMs,
      driftCheckMs: await timeDriftCheck(synthetic.specText, synthetic.files),
      driftTestMs: null,
      typecheck: await typecheckCost(synthetic.root, 'synthetic'),
    },
  };

  const core = bundles['feather core (validate)'];
  const coreLarge = bundles[`feather core (validate), ${synthetic.operations}-operation spec`];
  const client = bundles['feather client (validate)'];
  const validationUs =
    cpu['feather core (validate)'].us.median - cpu['feather core (no validate)'].us.median;
  const coldDelta = (clock: 'cpuMs' | 'inProcessMs') =>
    cold['feather client (validate)'][clock].median - cold['openapi-fetch'][clock].median;
  const ms = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} ms`;
  const targets: Target[] = [
    {
      name: 'Bundle, createFeatherCore + one operation, validation on (gzip)',
      target: `<= ${TARGETS.core} B`,
      figure: `${core.gzip} B`,
      met: core.gzip <= TARGETS.core,
    },
    {
      name: `Same app against a ${synthetic.operations}-operation spec`,
      target: 'same code, same bytes',
      figure: `${sameCode ? 'same code' : 'different code'}; minified ${coreLarge.raw} B (${coreLarge.raw - core.raw >= 0 ? '+' : ''}${coreLarge.raw - core.raw}), gzip ${coreLarge.gzip} B (${coreLarge.gzip - core.gzip >= 0 ? '+' : ''}${coreLarge.gzip - core.gzip})`,
      met: sameCode && coreLarge.raw === core.raw && coreLarge.gzip === core.gzip,
    },
    {
      name: 'Bundle, createFeatherClient style, validation on (gzip, CI budget)',
      target: `<= ${BUDGETS.client} B`,
      figure: `${client.gzip} B`,
      met: client.gzip <= BUDGETS.client,
    },
    {
      name: 'What validation adds to the core one-call app (gzip)',
      target: '<= 1024 B',
      figure: `${core.gzip - bundles['feather core (request validators removed)'].gzip} B`,
      met: core.gzip - bundles['feather core (request validators removed)'].gzip <= 1024,
    },
    {
      name: 'What validation adds per call (CPU, core validate - no validate)',
      target: '<= 2 µs',
      figure: `${validationUs.toFixed(2)} µs`,
      met: validationUs <= 2,
    },
    ...(['feather core (validate)', 'feather client (validate)'] as const).map((name) => ({
      name: `CPU per call, ${name}`,
      target: '<= 1.30x raw fetch',
      figure: `${cpu[name].ratio.median.toFixed(2)}x`,
      met: cpu[name].ratio.median <= 1.3,
    })),
    ...loopback.flatMap((result) =>
      (['feather core (validate)', 'feather client (validate)'] as const).map((name) => ({
        name: `Loopback req/s at c=${result.concurrency}, ${name}`,
        target: '>= 0.95x raw fetch',
        figure: `${result.ratio[name].median.toFixed(2)}x (CPU per request ${(result.cpuUs['raw fetch'].median / result.cpuUs[name].median).toFixed(2)}x)`,
        met: result.ratio[name].median >= 0.95,
      })),
    ),
    {
      name: 'Cold start (import + one call), feather client vs bare openapi-fetch',
      target: '<= +5 ms',
      figure: `${ms(coldDelta('cpuMs'))} CPU (${ms(coldDelta('inProcessMs'))} elapsed)`,
      met: coldDelta('cpuMs') <= 5,
    },
  ];

  const cpuInfo = cpus();
  const results: Results = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: `${cpuInfo[0]?.model ?? 'unknown'} x ${cpuInfo.length}`,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      durationS: Math.round((performance.now() - started) / 1000),
    },
    targets,
    bundles,
    cpu,
    loopback,
    cold,
    codegen,
    peersGenerateMs,
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
