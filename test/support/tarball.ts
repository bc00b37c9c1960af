/**
 * The SDK as a user installs it, for measuring what ships: built with tsup, packed with
 * `npm pack`, and installed from the tarball into a fresh app with `npm install --offline`.
 *
 * Every package is built from one snapshot of the project, taken first, so packages that are
 * compared (what ships and another spec's) come from the same sources even while the tree
 * changes. What ships is the snapshot as committed (the very tarball test/consumers packs, when
 * the tree has not changed since); another spec's is a copy regenerated the way
 * a maintainer bumps it: the spec written as openapi.json, `tsx scripts/generate.ts`, tsup, pack.
 *
 * Every step runs once per state of its inputs (a hash names the folder), under test/consumers'
 * lock, and is reused by later callers in this run or the next; old folders go after an hour.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  cp,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildInputsHash, hashOf, once, packedSdk, ROOT, run } from '../consumers/pack.js';

const CACHE = join(tmpdir(), 'featherhq-sdk-installed');

/** What a copy needs to generate, build and pack, plus the drift test that the bench times. */
const PROJECT_FILES = [
  'src',
  'scripts',
  'openapi.json',
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

/** The project's files at one moment, in a folder named by their hash. */
export interface Snapshot {
  dir: string;
  key: string;
}

export interface InstalledSdk {
  /** The app: `@featherhq/sdk` (from the tarball) and `openapi-fetch` resolve from here. */
  appDir: string;
  tarball: string;
  /** What the tarball was built from: a copy of the snapshot (regenerated for another spec). */
  projectDir: string;
}

export interface SpecInput {
  /** Names the cache folder, for people reading it. */
  name: string;
  /** The spec's text, written as the copy's openapi.json. */
  text: string;
  /**
   * Build without declarations (`tsup --no-dts`): not what ships, but it weighs the JavaScript
   * while a spec's declarations fail to build. The bench labels what it measures so.
   */
  jsOnly?: boolean;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function hashFiles(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return hashOf(files, dir);
}

async function pruneOld(keep: Set<string>): Promise<void> {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(CACHE).catch(() => [])) {
    const dir = join(CACHE, name);
    if (keep.has(dir) || name.endsWith('.lock')) continue;
    if ((await stat(dir)).mtimeMs < hourAgo) await rm(dir, { recursive: true, force: true });
  }
}

const touch = (dir: string) => utimes(dir, new Date(), new Date());

/** Copies the project's files now, then names the copy by what it holds. */
export async function snapshot(): Promise<Snapshot> {
  await mkdir(CACHE, { recursive: true });
  const staging = join(CACHE, `staging-${randomUUID()}`);
  for (const entry of PROJECT_FILES) {
    if (await exists(join(ROOT, entry)))
      await cp(join(ROOT, entry), join(staging, entry), { recursive: true });
  }
  const key = await hashFiles(staging);
  const dir = join(CACHE, `snapshot-${key}`);
  if (await exists(dir)) await rm(staging, { recursive: true, force: true });
  else await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
  await touch(dir);
  await pruneOld(new Set([dir]));
  return { dir, key };
}

const bin = (dir: string, name: string) => join(dir, 'node_modules', '.bin', name);

/** The snapshot copied to `dir`; with a spec, that spec as openapi.json and src/generated/ from it. */
async function projectCopy(dir: string, from: Snapshot, spec?: SpecInput): Promise<void> {
  const generated = join(from.dir, 'src', 'generated');
  await cp(from.dir, dir, {
    recursive: true,
    filter: (path) => !spec || !path.startsWith(generated),
  });
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  if (!spec) return;
  await writeFile(join(dir, 'openapi.json'), spec.text);
  await run(bin(dir, 'tsx'), ['scripts/generate.ts'], { cwd: dir, timeoutMs: 300_000 });
}

/**
 * The tarball test/consumers packs from the tree, when it is built from the same sources as the
 * snapshot (always, unless the tree changed since): one build of what ships serves both.
 */
async function sameTarball(from: Snapshot, out: string): Promise<boolean> {
  const packed = await packedSdk();
  if (basename(packed.cacheDir) !== (await buildInputsHash(from.dir))) return false;
  await cp(packed.tarball, join(out, basename(packed.tarball)));
  await writeFile(join(out, 'tarball'), basename(packed.tarball));
  return true;
}

/** tsup into `<out>/package/dist`, the manifest beside it, then `npm pack` into `out`. */
async function pack(projectDir: string, out: string, jsOnly = false): Promise<void> {
  const packageDir = join(out, 'package');
  const noDts = jsOnly ? ['--no-dts'] : [];
  await run(bin(projectDir, 'tsup'), ['--out-dir', join(packageDir, 'dist'), ...noDts], {
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

/**
 * The SDK's dependencies, as npm would fetch them: repacked from the repo's node_modules. With its
 * optional peer, @opentelemetry/api, which an app that imports `@featherhq/sdk/otel` installs.
 */
const DEPENDENCIES = ['openapi-fetch', 'openapi-typescript-helpers', '@opentelemetry/api'];

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

/**
 * The package built from `from` (as committed, or regenerated from `spec`), installed into an
 * app. Take one snapshot and pass it to every package that is compared.
 */
export async function installedSdk(from: Snapshot, spec?: SpecInput): Promise<InstalledSdk> {
  const key = spec
    ? createHash('sha256')
        .update(`${from.key}\0${spec.text}\0${spec.jsOnly ?? false}`)
        .digest('hex')
        .slice(0, 16)
    : from.key;
  const dir = join(
    CACHE,
    `${spec ? spec.name : 'shipped'}${spec?.jsOnly ? '-js-only' : ''}-${key}`,
  );
  const projectDir = join(dir, 'project');
  await once(projectDir, () => projectCopy(projectDir, from, spec));
  await once(join(dir, 'pack'), async () => {
    const out = join(dir, 'pack');
    if (spec || !(await sameTarball(from, out))) await pack(projectDir, out, spec?.jsOnly);
  });
  const tarball = join(dir, 'pack', await readFile(join(dir, 'pack', 'tarball'), 'utf8'));
  const appDir = join(dir, 'app');
  await once(appDir, () => install(appDir, tarball));
  await touch(dir);
  return { appDir, tarball, projectDir };
}
