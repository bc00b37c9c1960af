/**
 * The SDK as users get it: built, packed with `npm pack`, installed into a fresh project.
 *
 * Building and packing take seconds and many test files need the result, which vitest runs in
 * separate processes. So the work is done once per state of the build's inputs, under a lock,
 * in a temp folder named by their hash; every later caller (in this run or the next) reuses it.
 * The build writes to that folder, never to the repo's dist/, which other work may be using.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CACHE = join(tmpdir(), 'featherhq-sdk-pack');

const exec = promisify(execFile);

/** Runs a command; on failure the error carries its output, which is what one needs to see. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 180_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    e.message = `${command} ${args.join(' ')} (in ${options.cwd}) failed: ${e.message}\n--- stdout\n${e.stdout}\n--- stderr\n${e.stderr}`;
    throw e;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Everything `tsup` and `npm pack` read. */
export async function buildInputsHash(root = ROOT): Promise<string> {
  const files = [
    ...(await filesUnder(join(root, 'src'))),
    ...['package.json', 'tsup.config.ts', 'tsconfig.json', 'README.md', 'LICENSE'].map((f) =>
      join(root, f),
    ),
  ];
  const present = [];
  for (const file of files) if (await exists(file)) present.push(file);
  return hashOf(present, root);
}

/** A short hash of files' paths (relative to `base`) and contents: it names a cache folder. */
export async function hashOf(files: string[], base: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash
      .update(relative(base, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock whose owner died (a crashed or killed test run), or that never got its pid written. */
async function abandoned(lock: string): Promise<boolean> {
  const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
  if (!pid) {
    const since = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    return since > 30_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Runs `make` once for `dir`: the first caller holds a lock (a directory, created atomically) and
 * writes `dir/DONE`; the others wait for it. A lock left by a dead process is taken over.
 */
export async function once(dir: string, make: () => Promise<void>): Promise<void> {
  const done = join(dir, 'DONE');
  const lock = `${dir}.lock`;
  await mkdir(join(dir, '..'), { recursive: true });
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    if (await exists(done)) return;
    try {
      await mkdir(lock);
    } catch {
      if (await abandoned(lock)) await rm(lock, { recursive: true, force: true });
      else await sleep(250);
      continue;
    }
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      if (await exists(done)) return;
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await make();
      await writeFile(done, new Date().toISOString());
      return;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  throw new Error(`Timed out waiting for ${lock}`);
}

export interface Packed {
  /** The .tgz `npm pack` wrote. */
  tarball: string;
  /** The folder it was packed from: package.json, README, dist/ (what `files` selects). */
  packageDir: string;
  /** The folder of this build's other products (installed apps); scoped to the build inputs. */
  cacheDir: string;
}

let packing: Promise<Packed> | undefined;

/** Builds of sources long since changed: each holds installed apps, tens of MB. */
async function pruneOldBuilds(keep: string): Promise<void> {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(CACHE).catch(() => [])) {
    const dir = join(CACHE, name);
    if (!/^[0-9a-f]{16}$/.test(name) || dir === keep) continue;
    const { mtimeMs } = await stat(dir);
    if (mtimeMs < hourAgo) await rm(dir, { recursive: true, force: true });
  }
}

/** `tsup` (the `build` script) into a staging folder, then `npm pack` of that folder. */
export function packedSdk(): Promise<Packed> {
  return (packing ??= (async () => {
    const cacheDir = join(CACHE, await buildInputsHash());
    await pruneOldBuilds(cacheDir);
    const packageDir = join(cacheDir, 'pack', 'package');
    await once(join(cacheDir, 'pack'), async () => {
      await run(join(ROOT, 'node_modules/.bin/tsup'), ['--out-dir', join(packageDir, 'dist')], {
        cwd: ROOT,
      });
      const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
      const extra = (manifest.files as string[]).filter((f) => f !== 'dist');
      for (const f of [...extra, 'package.json', 'LICENSE']) {
        if (await exists(join(ROOT, f)))
          await cp(join(ROOT, f), join(packageDir, f), { recursive: true });
      }
      // Scripts are off: the build already ran, and a `prepack` would try it again without node_modules.
      const { stdout } = await run(
        'npm',
        ['pack', '--ignore-scripts', '--json', '--pack-destination', join(cacheDir, 'pack')],
        { cwd: packageDir },
      );
      const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
      await writeFile(join(cacheDir, 'pack', 'tarball'), filename);
    });
    const filename = await readFile(join(cacheDir, 'pack', 'tarball'), 'utf8');
    const now = new Date();
    await utimes(cacheDir, now, now); // in use: not for pruneOldBuilds
    return { tarball: join(cacheDir, 'pack', filename), packageDir, cacheDir };
  })());
}

/** `npm install` as a user runs it, quietly, preferring the local npm cache. */
export async function npmInstall(cwd: string, packages: string[]): Promise<void> {
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...packages],
    { cwd },
  );
}

/**
 * A fresh copy of the project ecosystem-tests/<fixture> with the packed SDK and the fixture's own
 * dependencies installed (remove it when done). Dependencies are installed once per tarball and
 * dependency list (fixtures with the same list share them), as installs are most of the time here;
 * every copy gets the fixture's files next to a link to that node_modules.
 */
export async function freshProject(fixture: string): Promise<string> {
  const from = join(ROOT, 'ecosystem-tests', fixture);
  const { tarball, cacheDir } = await packedSdk();
  const { dependencies, devDependencies } = JSON.parse(
    await readFile(join(from, 'package.json'), 'utf8'),
  );
  const deps = JSON.stringify({ private: true, dependencies, devDependencies }, null, 2);
  const key = createHash('sha256').update(deps).digest('hex').slice(0, 12);
  const installed = join(cacheDir, 'consumers', key);
  await once(installed, async () => {
    await writeFile(join(installed, 'package.json'), deps);
    await npmInstall(installed, [tarball]);
  });
  await mkdir(join(cacheDir, 'runs'), { recursive: true });
  const dir = await mkdtemp(join(cacheDir, 'runs', `${fixture}-`));
  await cp(from, dir, { recursive: true });
  await symlink(join(installed, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}
