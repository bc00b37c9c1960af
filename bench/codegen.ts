/**
 * The cost of the spec's size at build time: generation, the drift check, and what a consumer's
 * `tsc` pays to check one call against the SDK's published declarations.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generate, SPEC_PATH } from '../scripts/generate.js';
import { GENERATED, ROOT } from './paths.js';
import { median } from './stats.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function run(args: string[], cwd = ROOT): Promise<{ code: number; out: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, out, ms: performance.now() - start }));
  });
}

/** Median time of `generate()` over `runs` runs (ms); the first run also loads the generator. */
export async function timeGenerate(specText: string, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await generate(specText);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The drift test as CI runs it: `vitest run test/drift.test.ts`, wall time (ms). */
export async function timeDriftTest(): Promise<number | null> {
  const result = await run([
    join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    'test/drift.test.ts',
  ]);
  return result.code === 0 ? result.ms : null;
}

/** What the drift test does, in memory: generate from the spec and compare with the files. */
export async function timeDriftCheck(
  specText: string,
  files: Map<string, string>,
): Promise<number> {
  const start = performance.now();
  const expected = await generate(specText);
  for (const [path, content] of expected) {
    if (files.get(path) !== content) throw new Error(`drift check: ${path} differs`);
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
  types: ['node'],
  strict: true,
  skipLibCheck: true,
};

/**
 * Emits the declarations of `<root>/src/index.ts` (what the package ships), then type-checks a
 * consumer that makes the one call in both styles, with `tsc --extendedDiagnostics`.
 */
export async function typecheckCost(root: string, name: string): Promise<TypecheckCost> {
  const dir = join(GENERATED, `typecheck-${name}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'consumer'), { recursive: true });
  const dts = join(dir, 'dts');
  await writeFile(
    join(dir, 'tsconfig.dts.json'),
    JSON.stringify({
      compilerOptions: {
        ...COMPILER_OPTIONS,
        declaration: true,
        emitDeclarationOnly: true,
        outDir: dts,
        rootDir: join(root, 'src'),
      },
      files: [join(root, 'src', 'index.ts')],
    }),
  );
  const emitted = await run([TSC, '-p', join(dir, 'tsconfig.dts.json')]);
  if (emitted.code !== 0) throw new Error(`declaration emit failed:\n${emitted.out}`);
  const sdk = `./${relative(join(dir, 'consumer'), join(dts, 'index.js'))}`;
  await writeFile(
    join(dir, 'consumer', 'app.ts'),
    `import { createFeatherClient, createFeatherCore, dispatchSimulationRun } from '${sdk}';
const body = { agent_id: crypto.randomUUID(), persona_id: crypto.randomUUID(), scenario_id: crypto.randomUUID() };
export const viaClient = createFeatherClient({ apiKey: 'k' }).dispatchSimulationRun(body).then((run) => run.id);
export const viaCore = dispatchSimulationRun(createFeatherCore({ apiKey: 'k' }), body).then((run) => run.status);
`,
  );
  await writeFile(
    join(dir, 'consumer', 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, noEmit: true }, files: ['app.ts'] }),
  );
  const checked = await run([
    TSC,
    '-p',
    join(dir, 'consumer', 'tsconfig.json'),
    '--extendedDiagnostics',
  ]);
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

export async function realSpec(): Promise<{ specText: string; files: Map<string, string> }> {
  const specText = await readFile(SPEC_PATH, 'utf8');
  const files = new Map<string, string>();
  for (const [path] of await generate(specText))
    files.set(path, await readFile(join(ROOT, path), 'utf8'));
  return { specText, files };
}
