/**
 * The SDK as a user installs it, for measuring what ships: built with tsup, packed with
 * `npm pack`, and installed from the tarball into a fresh app with `npm install --offline`.
 * Either the repo itself (its tarball is test/consumers/pack.ts's, shared with the package and
 * consumer tests) or a copy of the project regenerated from another spec, the way a maintainer
 * bumps it: the spec written as openapi.json, then `tsx scripts/generate.ts`, tsup, `npm pack`.
 *
 * Every step runs once per state of its inputs (a hash names the folder) and is reused by later
 * callers, in this run or the next, like pack.ts does; old folders are pruned after an hour.
 */
import { createHash } from 'node:crypto';
import {
  cp,
  mkdir,
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
import { once, packedSdk, ROOT, run } from '../consumers/pack.js';

const CACHE = join(tmpdir(), 'featherhq-sdk-installed');

/** What a copy needs to generate, build and pack, plus the drift test that the bench times. */
const PROJECT_FILES = [
  'src',
  'scripts',
  'sdk.config.json',
  'package.json',
  'tsup.config.ts',
  'tsconfig.json',
  'vitest.config.ts',
  'README.md',
  'LICENSE',
  '.prettierrc.json',
  '.prettierignore',
  'test/drift.test.ts',
];
const isGenerated = (path: string) => path.startsWith(join(ROOT, 'src', 'generated'));

export interface InstalledSdk {
  /** The app: `@featherhq/sdk` (from the tarball) and `openapi-fetch` resolve from here. */
  appDir: string;
  tarball: string;
  /** What the tarball was built from: the repo, or the regenerated copy. */
  projectDir: string;
}

export interface SpecInput {
  /** Names the cache folder, for people reading it. */
  name: string;
  /** The spec's text, written as the copy's openapi.json. */
  text: string;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function filesUnder(path: string): Promise<string[]> {
  if (!(await exists(path))) return [];
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every input of a regenerated copy: the project's files (not its generated ones) and the spec. */
async function copyKey(spec: SpecInput): Promise<string> {
  const hash = createHash('sha256').update(spec.text).update('\0');
  for (const entry of PROJECT_FILES) {
    for (const file of (await filesUnder(join(ROOT, entry))).sort()) {
      if (isGenerated(file)) continue;
      hash
        .update(relative(ROOT, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function pruneOld(keep: string): Promise<void> {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(CACHE).catch(() => [])) {
    const dir = join(CACHE, name);
    if (dir === keep || name.endsWith('.lock')) continue;
    if ((await stat(dir)).mtimeMs < hourAgo) await rm(dir, { recursive: true, force: true });
  }
}

const bin = (dir: string, name: string) => join(dir, 'node_modules', '.bin', name);

/** A copy of the project with `spec` as its openapi.json and src/generated/ made from it. */
async function regeneratedCopy(dir: string, spec: SpecInput): Promise<void> {
  for (const entry of PROJECT_FILES) {
    if (!(await exists(join(ROOT, entry)))) continue;
    await cp(join(ROOT, entry), join(dir, entry), {
      recursive: true,
      filter: (from) => !isGenerated(from),
    });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'openapi.json'), spec.text);
  await run(bin(dir, 'tsx'), ['scripts/generate.ts'], { cwd: dir, timeoutMs: 300_000 });
}

/** tsup into `<out>/package/dist`, the manifest beside it, then `npm pack`; returns the .tgz. */
async function pack(projectDir: string, out: string): Promise<void> {
  const packageDir = join(out, 'package');
  await run(bin(projectDir, 'tsup'), ['--out-dir', join(packageDir, 'dist')], {
    cwd: projectDir,
    timeoutMs: 600_000,
  });
  for (const file of ['package.json', 'README.md', 'LICENSE']) {
    if (await exists(join(projectDir, file)))
      await cp(join(projectDir, file), join(packageDir, file));
  }
  // The build already ran: a `prepack` would run it again.
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', out],
    { cwd: packageDir },
  );
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  await writeFile(join(out, 'tarball'), filename);
}

/** The SDK's dependencies, as npm would fetch them: repacked from the repo's node_modules. */
const DEPENDENCIES = ['openapi-fetch', 'openapi-typescript-helpers'];

/**
 * A fresh app with the tarball installed, offline (`npm install <tgz> --offline`). npm's cache
 * here holds no packument of openapi-fetch, so its tarball (and its one dependency's) is packed
 * from the repo's node_modules and installed alongside: npm places them where the SDK's
 * `openapi-fetch` dependency resolves, as a registry install would.
 */
async function install(appDir: string, tarball: string): Promise<void> {
  await writeFile(
    join(appDir, 'package.json'),
    `${JSON.stringify({ name: 'size-app', private: true, type: 'module' }, null, 2)}\n`,
  );
  const { stdout } = await run(
    'npm',
    [
      'pack',
      ...DEPENDENCIES.map((name) => join(ROOT, 'node_modules', name)),
      '--ignore-scripts',
      '--json',
      '--pack-destination',
      appDir,
    ],
    { cwd: appDir },
  );
  const deps = (JSON.parse(stdout) as { filename: string }[]).map((d) => join(appDir, d.filename));
  await run(
    'npm',
    ['install', tarball, ...deps, '--offline', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: appDir },
  );
}

/** The repo's own package, installed into an app. */
async function installedRepo(): Promise<InstalledSdk> {
  const { tarball, cacheDir } = await packedSdk();
  const appDir = join(cacheDir, 'size-app');
  await once(appDir, () => install(appDir, tarball));
  return { appDir, tarball, projectDir: ROOT };
}

/** The package built from a copy of the project regenerated from `spec`, installed into an app. */
async function installedCopy(spec: SpecInput): Promise<InstalledSdk> {
  const dir = join(CACHE, `${spec.name}-${await copyKey(spec)}`);
  await mkdir(CACHE, { recursive: true });
  await pruneOld(dir);
  const projectDir = join(dir, 'project');
  await once(projectDir, () => regeneratedCopy(projectDir, spec));
  await once(join(dir, 'pack'), () => pack(projectDir, join(dir, 'pack')));
  const tarball = join(dir, 'pack', await readFile(join(dir, 'pack', 'tarball'), 'utf8'));
  const appDir = join(dir, 'app');
  await once(appDir, () => install(appDir, tarball));
  const now = new Date();
  await utimes(dir, now, now); // in use: not for pruneOld
  return { appDir, tarball, projectDir };
}

/** The SDK as installed from its tarball: the repo's, or one generated from `spec`. */
export function installedSdk(spec?: SpecInput): Promise<InstalledSdk> {
  return spec ? installedCopy(spec) : installedRepo();
}
