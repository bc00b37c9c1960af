/**
 * A throwaway copy of the whole project (what git would track, node_modules shared through a
 * symlink), for tests that run a command which type-checks and builds the project it is given:
 * the real tree is never touched. The copy is made the way `npm run spec:update` stages its own.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ROOT } from '../../scripts/lib/spec.js';
import { build, stageProject, typecheck, type ToolRun } from '../../scripts/update/staging.js';

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

export async function createProjectCopy(): Promise<ProjectCopy> {
  const dir = await stageProject(ROOT);
  return {
    dir,
    snapshot: () => snapshotOf(dir),
    typecheck: () => typecheck(dir),
    build: () => build(dir),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
