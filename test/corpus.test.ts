/**
 * Real public specs (../shared/specs/corpus/), each merged into ours as the corpus README says,
 * through `spec:update --dry-run --check --allow-breaking` as a user runs it: each gives a tree
 * that type-checks and builds, with a warning for each mistake generation passes over (a Media
 * Type Object's `description`, a schema $ref to nowhere). A spec that cannot be used is refused
 * with every problem named: test/spec-update.test.ts.
 *
 * Each spec is merged into the whole of Feather 1.21.0, so even a dry run without `--check` takes
 * 10 to 40 s on 2 busy cores, and a staged type-check and build a minute or more. `npm test` runs
 * the named subset `CORPUS_CI` (one spec checked in full, two generated);
 * `npm run test:corpus` checks every spec in full (`CORPUS=all`), and `CORPUS=frigate,qdrant`
 * checks the ones it names.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, dryRun, mergedSpec } from './support/corpus.js';

/**
 * What `npm test` runs: frigate checked in full (text bodies and answers, 3.0's nullable beside
 * $refs), langgraph generated (a model filed under responses, so $refs to nowhere: each warned
 * of), qdrant generated (a large 3.0 spec).
 */
const CORPUS_CI = { full: ['frigate'], generated: ['langgraph', 'qdrant'] };
const wanted = process.env.CORPUS;
const named = wanted && wanted !== 'all' ? wanted.split(',').map((n) => n.trim()) : undefined;
const NAMES = Object.keys(CORPUS).filter(
  (name) =>
    wanted === 'all' || (named ?? [...CORPUS_CI.full, ...CORPUS_CI.generated]).includes(name),
);
const full = new Set(wanted === 'all' ? NAMES : (named ?? CORPUS_CI.full));
/** A staged type-check and build of a large spec on 2 busy cores. */
const CHECKED = 900_000;
const GENERATED = 300_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feather-corpus-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The run gives a tree that works, with the case's warnings. */
async function expectWorkingTree(name: string, check: boolean) {
  const spec = await mergedSpec(name, dir);
  const { code, stdout, stderr } = await dryRun(spec, check, check ? CHECKED : GENERATED);
  expect(stderr, stdout.slice(-2000)).not.toMatch(/refused|cannot be generated|not a valid/);
  expect(code).toBe(0);
  expect(stdout).toContain(check ? 'Type-checked and built a staged copy' : 'Dry run');
  // The merge only adds (prefixed paths and components): nothing in it breaks a caller.
  expect(stdout).toContain('Breaking for SDK callers: 0.');
  expectNamed(stderr, CORPUS[name].warned ?? []);
}

/** Each text is in `stderr` (as often as `times` says, if it says). */
function expectNamed(stderr: string, texts: { text: string; times?: number }[]) {
  for (const { text, times } of texts) {
    expect(stderr).toContain(text);
    if (times !== undefined) expect(stderr.split(text).length - 1, text).toBe(times);
  }
}

describe('the corpus of real specs, merged into ours', () => {
  for (const name of NAMES) {
    const check = full.has(name);
    it(
      `${name} gives a working tree${check ? ' (type-checked and built)' : ' (generated)'}`,
      async () => {
        await expectWorkingTree(name, check);
      },
      CHECKED,
    );
  }
});
