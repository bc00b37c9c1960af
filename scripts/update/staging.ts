/**
 * The proof that a bump leaves a working tree: a throwaway copy of the project with the new files
 * in it, type-checked whole (`tsc -p .`: src, tests, bench, examples, scripts) and built (tsup),
 * before anything in the real tree is touched.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../lib/spec.js';

export interface ToolRun {
  /** What ran, as a maintainer would type it. */
  command: string;
  ok: boolean;
  /** stdout and stderr, in that order. */
  output: string;
  seconds: number;
}

export interface ProjectCheck {
  ok: boolean;
  /** Copying the project and writing the new files into the copy. */
  copySeconds: number;
  /** Each tool in order; a failed one ends the list. */
  runs: ToolRun[];
}

/**
 * A predicate for the paths (relative, `/`-separated) that .gitignore leaves out, plus `.git` and
 * every `node_modules`. Reads the common forms only: `name`, `dir/`, `*.ext`, `a/b/`.
 */
export function ignoredBy(gitignore: string): (path: string) => boolean {
  const names = new Set(['.git', 'node_modules']);
  const anchored: string[] = [];
  const globs: RegExp[] = [];
  for (const raw of gitignore.split('\n')) {
    const line = raw.trim().replace(/\/$/, '').replace(/^\//, '');
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    if (line.includes('/')) anchored.push(line);
    else if (line.includes('*')) {
      const source = line.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
      globs.push(new RegExp(`^${source}$`));
    } else names.add(line);
  }
  return (path) => {
    const parts = path.split('/');
    const base = parts[parts.length - 1];
    if (parts.some((part) => names.has(part)) || globs.some((glob) => glob.test(base))) return true;
    return anchored.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  };
}

/** Copies the project to a temp dir, sharing its node_modules (a symlink), and returns the dir. */
export async function stageProject(root: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feather-spec-update-'));
  const gitignore = await readFile(join(root, '.gitignore'), 'utf8').catch(() => '');
  const ignored = ignoredBy(gitignore);
  await cp(root, dir, {
    recursive: true,
    filter: (from) => !ignored(relative(root, from).split(sep).join('/')),
  });
  // A checkout without its own node_modules (a test's copy, say) resolves through this one's.
  const modules = await realpath(join(root, 'node_modules')).catch(() =>
    join(ROOT, 'node_modules'),
  );
  await symlink(modules, join(dir, 'node_modules'), 'dir');
  return dir;
}

export async function writeFiles(dir: string, files: Map<string, string>): Promise<void> {
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** A package's command-line entry, as its package.json `bin` names it, resolved from `dir`. */
function binOf(dir: string, pkg: string, name: string): string {
  const manifestPath = createRequire(join(dir, 'package.json')).resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), bin[name]);
}

function runTool(dir: string, command: string, bin: string, args: string[]): Promise<ToolRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      // tsc prints one line per error: a spec that breaks everything can print megabytes.
      { cwd: dir, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        resolve({
          command,
          ok: !error,
          output: `${stdout}${stderr}`,
          seconds: (performance.now() - started) / 1000,
        }),
    );
  });
}

/** `tsc -p . --noEmit` in `dir`: every file the project's tsconfig includes. */
export function typecheck(dir: string): Promise<ToolRun> {
  const tsc = binOf(dir, 'typescript', 'tsc');
  return runTool(dir, 'tsc -p . --noEmit', tsc, ['-p', '.', '--noEmit', '--pretty', 'false']);
}

/** `tsup` in `dir`, as `npm run build` runs it: its output stays in `dir`/dist. */
export function build(dir: string): Promise<ToolRun> {
  return runTool(dir, 'tsup', binOf(dir, 'tsup', 'tsup'), []);
}

/**
 * Stages the project with `files` written over it, type-checks it and, if that passes, builds
 * it. The copy is removed afterwards, whatever happened.
 */
export async function checkProject(
  root: string,
  files: Map<string, string>,
): Promise<ProjectCheck> {
  const started = performance.now();
  const dir = await stageProject(root);
  // Ctrl-C during the minute a large spec takes would otherwise leave the copy in the temp dir.
  const interrupted = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    await writeFiles(dir, files);
    const copySeconds = (performance.now() - started) / 1000;
    const runs = [await typecheck(dir)];
    if (runs[0].ok) runs.push(await build(dir));
    return { ok: runs.every((run) => run.ok), copySeconds, runs };
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await rm(dir, { recursive: true, force: true });
  }
}
