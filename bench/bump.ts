/**
 * The wall time of a bump of the real spec (Feather 1.21.0, 491 operations), as a maintainer
 * runs it: `npm run spec:update -- <spec> --dry-run --check --allow-breaking`, in a child process,
 * split into generate, the staged copy, the staged type-check and the build, the rest being
 * reading the spec (validation, the change report) and starting up. The split is the command's own
 * timing line.
 *
 * The spec given is the real one with its `info.version` changed, so the bump does all its work
 * whatever openapi.json holds (the seed, or the real spec once vendored). `--dry-run` writes
 * nothing: a real bump only adds the writing of the files, well under a second.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface BumpRun {
  totalS: number;
  generateS: number;
  copyS: number;
  typecheckS: number;
  buildS: number;
  /** Reading and validating the spec, the change report, starting up. */
  restS: number;
  loadAverage: number;
}

export interface BumpResult {
  operations: number;
  runs: BumpRun[];
}

const TIMING =
  /generate ([\d.]+) s, copy ([\d.]+) s, tsc -p \. --noEmit ([\d.]+) s, tsup ([\d.]+) s/;

function spawnBump(spec: string): Promise<{ code: number; output: string; seconds: number }> {
  const started = performance.now();
  const args = ['--import', 'tsx', join(ROOT, 'scripts/spec-update.ts'), spec];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...args, '--dry-run', '--check', '--allow-breaking'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? 1 : 0,
          output: `${stdout}${stderr}`,
          seconds: (performance.now() - started) / 1000,
        }),
    );
  });
}

/** `runs` bumps of the real spec, one after another. */
export async function benchBump(runs = 1): Promise<BumpResult> {
  const real = JSON.parse(await readFile(join(ROOT, 'openapi.json'), 'utf8'));
  real.info.version = `${real.info.version}-bench`;
  let operations = 0;
  for (const item of Object.values<Record<string, unknown>>(real.paths)) {
    operations += Object.keys(item).filter((k) => k !== 'parameters').length;
  }
  const dir = await mkdtemp(join(tmpdir(), 'feather-bench-bump-'));
  const spec = join(dir, 'feather-next.json');
  await writeFile(spec, JSON.stringify(real));
  const result: BumpResult = { operations, runs: [] };
  try {
    for (let i = 0; i < runs; i++) {
      const { code, output, seconds } = await spawnBump(spec);
      const match = TIMING.exec(output);
      if (code !== 0 || !match) throw new Error(`the bump failed:\n${output.slice(-3000)}`);
      const [generateS, copyS, typecheckS, buildS] = match.slice(1).map(Number);
      const restS = seconds - generateS - copyS - typecheckS - buildS;
      const load = loadavg()[0];
      result.runs.push({
        totalS: seconds,
        generateS,
        copyS,
        typecheckS,
        buildS,
        restS,
        loadAverage: load,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}

const s = (value: number) => `${value.toFixed(1)} s`;

export function bumpTable({ operations, runs }: BumpResult): string {
  const rows = runs.map((r, i) =>
    [
      String(i + 1),
      s(r.totalS),
      s(r.generateS),
      s(r.typecheckS),
      s(r.buildS),
      s(r.copyS + r.restS),
      r.loadAverage.toFixed(1),
    ].join(' | '),
  );
  return [
    `\`spec:update <Feather 1.21.0, version changed> --dry-run --check --allow-breaking\` in a child process (${operations} operations): its wall time, and the split its own timing line gives: generate (unformatted: the staged check needs no prettier layout), the staged type-check (\`tsc -p . --noEmit\`, the whole project), the build (\`tsup\`, JS and declarations). "Other": copying the project, reading and validating the spec, the change report, start-up.`,
    '',
    '| Run | Wall | Generate | Type-check | Build | Other | Load average (1 min) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
