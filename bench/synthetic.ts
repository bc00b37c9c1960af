/**
 * A copy of the SDK's sources whose src/generated/ comes from a large synthetic spec
 * (scripts/synthetic-spec.ts), in bench/.generated/; the real src/generated/ is never touched.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generate } from '../scripts/generate.js';
import { syntheticSpec } from '../scripts/synthetic-spec.js';
import { GENERATED, ROOT } from './paths.js';

export interface SyntheticCopy {
  /** The copy's root; its `src/index.ts` is the SDK built from the synthetic spec. */
  root: string;
  specText: string;
  operations: number;
  /** How long `generate()` took on the synthetic spec (ms). */
  generateMs: number;
  files: Map<string, string>;
}

export async function syntheticCopy({
  operations = 500,
  schemas = 200,
  name = 'synthetic',
} = {}): Promise<SyntheticCopy> {
  const root = join(GENERATED, name);
  const specText = JSON.stringify(syntheticSpec({ operations, schemas }), null, 2);
  const start = performance.now();
  const files = await generate(specText);
  const generateMs = performance.now() - start;
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await cp(join(ROOT, 'src'), join(root, 'src'), {
    recursive: true,
    filter: (source) => !source.includes(join('src', 'generated')),
  });
  for (const [path, content] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  await writeFile(join(root, 'openapi.json'), specText);
  return { root, specText, operations, generateMs, files };
}

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
  const stripped = source.replace(/^ {2}body: validate\w+,\n/gm, '');
  if (stripped === source) throw new Error('no request validator found to remove');
  await writeFile(operations, stripped);
  return { root };
}
