/**
 * The cost of the spec's size at build time: generation, the drift check, and what a consumer's
 * `tsc` pays to check its calls against the declarations the package ships.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from '../scripts/generate.js';
import { GENERATED, ROOT } from './paths.js';
import { median } from './stats.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

interface Ran {
  code: number;
  out: string;
  ms: number;
}

function run(command: string, args: string[], cwd = ROOT): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, out, ms: performance.now() - start }));
  });
}

/** Median time of `generate()` in this process over `runs` runs (ms). */
export async function timeGenerate(specText: string, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await generate(specText);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** `npm run generate` in `cwd`, as a maintainer runs it after a bump: each run's wall time (ms). */
export async function timeNpmGenerate(cwd: string, runs = 2): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await run('npm', ['run', 'generate', '--silent'], cwd);
    if (result.code !== 0) throw new Error(`npm run generate failed in ${cwd}:\n${result.out}`);
    times.push(result.ms);
  }
  return times;
}

export interface DriftTestRun {
  /** Wall time of `vitest run test/drift.test.ts`, start-up included (ms). */
  ms: number;
  passed: number;
  failed: number;
  /** The slowest test: where the time goes. */
  slowest: { name: string; ms: number };
  /** The tests that failed, by name. */
  failedNames: string[];
}

/**
 * The drift test as CI runs it, `vitest run test/drift.test.ts`, in `cwd` (the repo or a copy),
 * with that project's vitest config; only its report goes elsewhere (the config names a file).
 */
export async function timeDriftTest(cwd = ROOT): Promise<DriftTestRun> {
  await mkdir(GENERATED, { recursive: true });
  const reportFile = join(GENERATED, `drift-report-${process.pid}.json`);
  const config = join(GENERATED, `drift-vitest-${process.pid}.config.mjs`);
  await writeFile(
    config,
    `import base from ${JSON.stringify(pathToFileURL(join(cwd, 'vitest.config.ts')).href)};
export default { ...base, root: ${JSON.stringify(cwd)}, test: { ...base.test, reporters: [['json', { outputFile: ${JSON.stringify(reportFile)} }]] } };
`,
  );
  const args = [VITEST, 'run', 'test/drift.test.ts', '--config', config];
  const result = await run(process.execPath, args, cwd);
  const report = JSON.parse(await readFile(reportFile, 'utf8').catch(() => 'null')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { assertionResults: { fullName: string; duration: number; status: string }[] }[];
  } | null;
  await Promise.all([rm(reportFile, { force: true }), rm(config, { force: true })]);
  if (!report) throw new Error(`vitest wrote no report:\n${result.out.slice(0, 2000)}`);
  const tests = report.testResults.flatMap((file) => file.assertionResults);
  const slowest = tests.reduce((a, b) => (b.duration > a.duration ? b : a));
  return {
    ms: result.ms,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    slowest: { name: slowest.fullName, ms: slowest.duration },
    failedNames: tests.filter((t) => t.status === 'failed').map((t) => t.fullName),
  };
}

/** What the drift test does, in memory: generate from the spec and compare with the files. */
export async function timeDriftCheck(specText: string, projectDir: string): Promise<number> {
  const start = performance.now();
  const expected = await generate(specText);
  for (const [path, content] of expected) {
    if ((await readFile(join(projectDir, path), 'utf8')) !== content)
      throw new Error(`drift check: ${path} differs in ${projectDir}`);
  }
  return performance.now() - start;
}

export interface TypecheckCost {
  instantiations: number;
  types: number;
  checkTimeS: number;
  totalTimeS: number;
  memoryKb: number;
}

const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'DOM'],
  // The app installs only the SDK: no @types/node.
  types: [],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
};

const uuid = 'crypto.randomUUID()';
const body = `{ agent_id: ${uuid}, persona_id: ${uuid}, scenario_id: ${uuid} }`;

/** The consumers checked: what they import is in every spec (the seed's operation) or named. */
export const CONSUMERS = {
  /** The one call, in both styles: comparable across specs. */
  'one call': `import { createFeatherClient, createFeatherCore, dispatchSimulationRun } from '@featherhq/sdk';
const body = ${body};
export const viaClient = createFeatherClient({ apiKey: 'k' }).dispatchSimulationRun(body).then((run) => run.id);
export const viaCore = dispatchSimulationRun(createFeatherCore({ apiKey: 'k' }), body).then((run) => run.status);
`,
  /** The real spec's run life cycle: dispatch, read, list with `for await`, wait; both styles. */
  'a few operations': `import { createFeatherClient, createFeatherCore, dispatchSimulationRun, getSimulationRun, listSimulationRuns, waitForSimulationRun } from '@featherhq/sdk';
const body = ${body};
const feather = createFeatherClient({ apiKey: 'k' });
const core = createFeatherCore({ apiKey: 'k' });
export async function lifeCycle(): Promise<string[]> {
  const run = await feather.dispatchSimulationRun(body);
  const again = await feather.getSimulationRun({ params: { path: { sim_run_id: run.id } } });
  const done = await feather.waitForSimulationRun(again.id, { maxWaitMs: 60_000 });
  const statuses: string[] = [done.status];
  for await (const item of feather.listSimulationRuns({ params: { query: { limit: 50 } } })) statuses.push(item.status);
  return statuses;
}
export async function lifeCycleCore(): Promise<string[]> {
  const run = await dispatchSimulationRun(core, body);
  const again = await getSimulationRun(core, { params: { path: { sim_run_id: run.id } } });
  const done = await waitForSimulationRun(core, again.id);
  const page = await listSimulationRuns(core, { params: { query: { limit: 50 } } });
  return [done.status, ...page.items.map((item) => item.status)];
}
`,
};
export type Consumer = keyof typeof CONSUMERS;

/**
 * Type-checks a consumer of the package installed in `appDir` (its node_modules linked into a
 * fresh folder) with `tsc --extendedDiagnostics`, against the declarations the tarball ships.
 */
export async function typecheckCost(
  appDir: string,
  name: string,
  consumer: Consumer,
  { skipLibCheck = true } = {},
): Promise<TypecheckCost> {
  const dir = join(GENERATED, `typecheck-${name}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await symlink(join(appDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  await writeFile(join(dir, 'app.ts'), CONSUMERS[consumer]);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, skipLibCheck }, files: ['app.ts'] }),
  );
  const checked = await run(process.execPath, [TSC, '-p', dir, '--extendedDiagnostics'], dir);
  if (checked.code !== 0) throw new Error(`consumer type-check failed:\n${checked.out}`);
  const field = (label: string) => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(checked.out);
    if (!match) throw new Error(`no "${label}" in tsc output:\n${checked.out}`);
    return Number(match[1]);
  };
  return {
    instantiations: field('Instantiations'),
    types: field('Types'),
    checkTimeS: field('Check time'),
    totalTimeS: field('Total time'),
    memoryKb: field('Memory used'),
  };
}
