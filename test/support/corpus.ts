/**
 * The corpus of real public specs (../shared/specs/corpus/: its README and manifest.tsv say where
 * each comes from), merged into ours as its README says (`merge-into.mjs`), and what each must
 * give through `spec:update --dry-run --check --allow-breaking`: a tree that type-checks and
 * builds, with a warning for each mistake generation passes over.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, SPEC_PATH, type Spec } from '../../scripts/lib/spec.js';

export const CORPUS_DIR = join(ROOT, '../shared/specs/corpus');

export interface CorpusCase {
  /** The file in the corpus, without `.json`. */
  file: string;
  /** Its prefix in the merged spec (lowercase letters and digits, as merge-into.mjs wants). */
  prefix: string;
  /** Warnings the run must print (as often as `times` says, if it says). */
  warned?: { text: string; times?: number }[];
}

export const CORPUS: Record<string, CorpusCase> = {
  letta: {
    file: 'letta',
    prefix: 'letta',
    // Nine Media Type Objects with a `description`, which OpenAPI 3.1 does not define: each named.
    warned: [{ text: 'not a field of a Media Type Object, ignored', times: 9 }],
  },
  prefect: { file: 'prefect', prefix: 'prefect' },
  langgraph: {
    file: 'langgraph',
    prefix: 'langgraph',
    // What generation passes over, each named: a Media Type Object's `description`, a Response
    // Object without one, and its Interrupt model filed under responses, so that the two $refs
    // to it point at nothing (read as any value) and its keywords are not a Response Object's.
    warned: [
      { text: 'not a field of a Media Type Object, ignored' },
      { text: '/responses/404: a Response Object without its description, read as empty' },
      {
        text: '#/components/responses/langgraph_Interrupt: type, properties, title, required: not fields of a Response Object, ignored',
      },
      {
        text: '2 schema $ref(s) point at nothing, each read as any value: #/components/schemas/langgraph_ThreadState/properties/tasks/items/properties/interrupts/items/$ref: #/components/schemas/langgraph_Interrupt (#/components/responses/langgraph_Interrupt has that name)',
      },
    ],
  },
  frigate: { file: 'frigate', prefix: 'frigate' },
  openhands: { file: 'openhands', prefix: 'openhands' },
  qdrant: { file: 'qdrant', prefix: 'qdrant' },
  airflow: { file: 'airflow-client-v2', prefix: 'airflow' },
};

/** Writes the case's foreign spec merged into openapi.json under `dir`, and returns its path. */
export async function mergedSpec(name: string, dir: string): Promise<string> {
  const { file, prefix } = CORPUS[name];
  const foreign = join(CORPUS_DIR, `${file}.json`);
  const out = join(dir, `${name}.merged.json`);
  const merge = join(CORPUS_DIR, 'merge-into.mjs');
  const merged = await run([merge, SPEC_PATH, foreign, prefix, out], 60_000);
  if (merged.code !== 0) throw new Error(`merge-into.mjs failed: ${merged.stderr}`);
  const spec = JSON.parse(await readFile(out, 'utf8')) as Spec;
  prefixMappings(foreignParts(spec, prefix), prefix);
  await writeFile(out, JSON.stringify(spec, null, 2));
  return out;
}

/** What the merge took from the foreign spec: its prefixed components and paths (ours keep theirs). */
function foreignParts(spec: Spec, prefix: string): unknown[] {
  const mine = (entries: Record<string, unknown> = {}, start: string) =>
    Object.entries(entries)
      .filter(([name]) => name.startsWith(start))
      .map(([, value]) => value);
  const sections = Object.values<Record<string, unknown>>(spec.components ?? {});
  return [
    ...sections.flatMap((section) => mine(section, `${prefix}_`)),
    ...mine(spec.paths, `/${prefix}/`),
  ];
}

/**
 * merge-into.mjs renames components and rewrites every `$ref` to them, but not the references a
 * discriminator's `mapping` holds (letta's): rewritten here the same way, or they point at
 * nothing in the merged spec although they resolve in the published one.
 */
function prefixMappings(node: unknown, prefix: string): void {
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'mapping' && value && typeof value === 'object') {
      for (const [tag, target] of Object.entries(value as Record<string, unknown>)) {
        const match = typeof target === 'string' && /^#\/components\/([^/]+)\/(.+)$/.exec(target);
        if (match) (value as Spec)[tag] = `#/components/${match[1]}/${prefix}_${match[2]}`;
      }
    } else prefixMappings(value, prefix);
  }
}

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node <args>` from the root, as a user's shell runs it; never rejects. */
export function run(args: string[], timeout: number): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, timeout, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: unknown }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

/** `npm run spec:update -- <spec> --dry-run [--check] --allow-breaking`, on this checkout. */
export function dryRun(spec: string, check: boolean, timeout: number): Promise<Outcome> {
  const args = ['--import', 'tsx', join(ROOT, 'scripts/spec-update.ts'), spec, '--dry-run'];
  return run([...args, ...(check ? ['--check'] : []), '--allow-breaking'], timeout);
}
