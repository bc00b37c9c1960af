/**
 * A throwaway copy of the project (what git would track, node_modules shared through a symlink),
 * for tests that run a command which type-checks and builds the project it is given: the real
 * tree is never touched. The copy is made the way `npm run spec:update` stages its own.
 *
 * The seed project (`{ seed: true }`) is the copy on the seed spec (test/support/specs.ts): its
 * src/generated/ regenerated from the seed, sdk.config.json without the corrections (whose
 * operations the seed lacks), and, for its hand-written code, one small app that calls the seed's
 * operation instead of the repo's tests, bench and examples (written against the vendored spec).
 * A bump of it type-checks and builds in seconds, where the whole API takes minutes.
 */
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generate } from '../../scripts/generate.js';
import { ROOT } from '../../scripts/lib/spec.js';
import {
  build,
  stageProject,
  typecheck,
  writeFiles,
  type ToolRun,
} from '../../scripts/update/staging.js';
import { configWithoutCorrections, seedText } from './specs.js';

export interface ProjectCopy {
  dir: string;
  /** SHA-256 of every file (node_modules excepted), by relative path. */
  snapshot(): Promise<Record<string, string>>;
  /** `tsc -p . --noEmit` in the copy. */
  typecheck(): Promise<ToolRun>;
  /** `tsup` in the copy (its output goes to the copy's dist/). */
  build(): Promise<ToolRun>;
  remove(): Promise<void>;
}

/** Hashes of the files under `dir`, by relative path, skipping the directories named. */
export async function snapshotOf(
  dir: string,
  skip = new Set(['node_modules']),
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else
        out[relative(dir, path)] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    }
  };
  await walk(dir);
  return out;
}

/** The hand-written app of the seed project, as the copy holds it. */
export const SEED_APP = 'examples/app.ts';

/** Turns a fresh copy of the project into the seed project. */
async function onSeed(dir: string): Promise<void> {
  for (const written of ['test', 'bench', 'examples', 'ecosystem-tests']) {
    await rm(join(dir, written), { recursive: true, force: true });
  }
  await cp(join(ROOT, 'test/fixtures/seed-project/app.ts'), join(dir, SEED_APP));
  const config = configWithoutCorrections();
  await writeFile(join(dir, 'sdk.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(join(dir, 'openapi.json'), seedText);
  await writeFiles(dir, await generate(seedText, config));
}

export async function createProjectCopy(options: { seed?: boolean } = {}): Promise<ProjectCopy> {
  const dir = await stageProject(ROOT);
  if (options.seed) await onSeed(dir);
  return {
    dir,
    snapshot: () => snapshotOf(dir),
    typecheck: () => typecheck(dir),
    build: () => build(dir),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
