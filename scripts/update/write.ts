/**
 * Writing a bump into the tree: every file under a temporary name first, then each renamed over
 * its target, so that a failed write leaves the old files in place.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatted } from '../lib/spec.js';

const CHANGELOG_HEAD =
  '# Changelog\n\nSpec bumps, as reported by `npm run spec:update` (oldest first). See README, "Spec bumps".\n';

/** CHANGELOG.md with `report` appended (the file is started on the first bump). */
export async function changelogWith(root: string, report: string): Promise<string> {
  const current = await readFile(join(root, 'CHANGELOG.md'), 'utf8').catch(() => CHANGELOG_HEAD);
  return formatted(`${current.trimEnd()}\n\n${report}`, 'CHANGELOG.md', root);
}

export async function writeAll(root: string, files: Map<string, string>): Promise<void> {
  const staged: [string, string][] = [];
  for (const [path, content] of files) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.spec-update-${process.pid}`;
    await writeFile(temp, content);
    staged.push([temp, target]);
  }
  for (const [temp, target] of staged) await rename(temp, target);
}
