/**
 * A copy of the SDK's sources (not the package) with the request validators removed, in
 * bench/.generated/: bundled from src/, it attributes bytes to validation.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENERATED, ROOT } from './paths.js';

/**
 * A copy of the SDK whose operations carry no request validator: bundled, it shows what
 * validation adds to an app (the validator-free operation still ships everything else).
 */
export async function withoutRequestValidators(): Promise<{ root: string }> {
  const root = join(GENERATED, 'no-request-validators');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await cp(join(ROOT, 'src'), join(root, 'src'), { recursive: true });
  const operations = join(root, 'src', 'generated', 'operations.ts');
  const source = await readFile(operations, 'utf8');
  const stripped = source.replace(/^ {2}body: (?:v\.)?validate\w+,\n/gm, '');
  if (stripped === source) throw new Error('no request validator found to remove');
  await writeFile(operations, stripped);
  return { root };
}
