/**
 * `npm run spec:update -- <file or URL> [--allow-breaking] [--dry-run [--check]]`: takes a new
 * Feather spec (JSON or YAML), and either changes nothing or writes all of it: openapi.json,
 * src/generated/, and the change report at the end of CHANGELOG.md.
 *
 * Nothing is written unless the result works: the spec must be valid OpenAPI 3.x, generatable,
 * not breaking (or `--allow-breaking`), and a staged copy of the project with the new files in it
 * must type-check whole (`tsc -p .`, tests, bench and examples included) and build (tsup). Only
 * then are the files written, each under a temporary name first and renamed over its target.
 *
 * openapi.json gets the spec's bytes as published (a JSON source's text as is; YAML becomes JSON).
 *
 * Exit codes: 0 written or already current, 1 the spec is unusable, a correction of
 * sdk.config.json no longer fits it, or the tree it gives does not type-check or build, 2 breaking
 * and not allowed. `--dry-run` writes nothing and exits as a real run would; it skips the
 * type-check and build unless `--check` asks for them.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { correctionOutcomes, formatGenerated, generate, readSdkConfig } from './generate.js';
import { staleLines } from './gen/corrections.js';
import { ROOT, runAsScript, specHash, type Spec } from './lib/spec.js';
import { diffSpecs, renderReport, type SpecDiff } from './spec-diff.js';
import { diagnose } from './update/diagnosis.js';
import { readSpec, SpecError } from './update/source.js';
import { checkProject, type ProjectCheck } from './update/staging.js';
import { changelogWith, writeAll } from './update/write.js';

export { SpecError };

export interface UpdateOptions {
  /** A file path, or an http(s) URL. */
  source: string;
  /** The checkout to update. Default: this one. */
  root?: string;
  allowBreaking?: boolean;
  /** Report only; write nothing. */
  dryRun?: boolean;
  /** With `dryRun`: type-check and build a staged copy anyway. */
  check?: boolean;
  /** The date in the report heading. Default: today (UTC). */
  date?: string;
  /** Progress lines for a person watching (the check takes a while on a large spec). */
  log?: (line: string) => void;
}

export interface UpdateResult {
  /**
   * `broken`: the staged tree did not type-check or build (see `problem`). `rewritten`: the same
   * spec in other bytes, so only openapi.json was written (nothing generated changes).
   */
  status: 'unchanged' | 'rewritten' | 'updated' | 'refused' | 'stale' | 'dry-run' | 'broken';
  diff: SpecDiff;
  report: string;
  /** Paths written, relative to the root. */
  written: string[];
  /** What generation warned about (a schema the mock has no sample of, say): one line each. */
  warnings: string[];
  generateSeconds: number;
  /** The staged type-check and build, when they ran. */
  check?: ProjectCheck;
  /** Why the staged tree failed: its first errors and what to fix. */
  problem?: string;
  /** `stale`: the corrections of sdk.config.json that no longer fit the new spec, and why. */
  stale?: string[];
  /** The corrections of sdk.config.json, all of which still fit the new spec. */
  corrections?: string[];
}

async function generated(
  specText: string,
  source: string,
  sdkConfig: Spec,
  warnings: string[],
): Promise<Map<string, string>> {
  try {
    // Unformatted: the staged check does not need prettier's layout, only what is written does.
    const warn = (message: string) => warnings.push(message);
    return await generate(specText, sdkConfig, { warn, format: false });
  } catch (error) {
    throw new SpecError(`the SDK cannot be generated from ${source}: ${(error as Error).message}`);
  }
}

export async function specUpdate(options: UpdateOptions): Promise<UpdateResult> {
  const root = resolve(options.root ?? ROOT);
  const log = options.log ?? (() => {});
  // openapi.json holds the spec as Feather publishes it, byte for byte: never reformatted.
  const { doc, text: specText, warnings: found } = await readSpec(options.source);
  const oldText = await readFile(join(root, 'openapi.json'), 'utf8');
  const old = JSON.parse(oldText) as Spec;
  const diff = diffSpecs(old, doc);
  const report = renderReport(diff, options.date);
  let generateSeconds = 0;
  const warnings = [...found];
  const result = (status: UpdateResult['status'], more: Partial<UpdateResult> = {}) =>
    ({ status, diff, report, written: [], warnings, generateSeconds, ...more }) as UpdateResult;
  // The tree already is this spec: no need to spend seconds generating it again. The same spec in
  // other bytes generates the same files (the generator reads the document, not its text).
  if (specHash(old) === specHash(doc)) {
    if (specText === oldText) return result('unchanged');
    if (options.dryRun) return result('dry-run');
    await writeAll(root, new Map([['openapi.json', specText]]));
    return result('rewritten', { written: ['openapi.json'] });
  }

  // The checkout's own sdk.config.json: its corrections must all still fit the new spec.
  const sdkConfig = readSdkConfig(join(root, 'sdk.config.json'));
  const outcomes = correctionOutcomes(specText, sdkConfig);
  const stale = staleLines(outcomes);
  if (stale.length) return result('stale', { stale });
  const corrections = outcomes.map((o) => o.correction.name);
  const started = performance.now();
  const sources = await generated(specText, options.source, sdkConfig, warnings);
  generateSeconds = (performance.now() - started) / 1000;
  if (options.dryRun && !options.check) return result('dry-run', { corrections });
  if (!options.dryRun && diff.breaking > 0 && !options.allowBreaking) return result('refused');

  const changelog = await changelogWith(root, report);
  const filesOf = (generatedFiles: Map<string, string>) =>
    new Map([['openapi.json', specText], ...generatedFiles, ['CHANGELOG.md', changelog]]);
  // What is written is formatted, during the check (which does not need it).
  const formatting = options.dryRun ? undefined : formatGenerated(sources);
  void formatting?.catch(() => {}); // awaited below, unless the check fails first
  log('spec:update: type-checking and building a staged copy of the project...');
  const check = await checkProject(root, filesOf(sources));
  if (!check.ok) {
    const problem = await diagnose(check, root, { before: old, after: doc });
    return result('broken', { check, problem });
  }
  if (!formatting) return result('dry-run', { check, corrections });
  const files = filesOf(await formatting);
  await writeAll(root, files);
  return result('updated', { check, corrections, written: [...files.keys()] });
}

const seconds = (value: number) => `${value.toFixed(1)} s`;

/** The line saying which corrections of sdk.config.json still apply, if there are any. */
const stillFitting = (r: UpdateResult) =>
  r.corrections?.length
    ? [`The corrections of sdk.config.json still fit this spec: ${r.corrections.join(', ')}.`]
    : [];

/** `generate 4.1 s, copy 0.2 s, tsc -p . --noEmit 5.0 s, tsup 10.3 s (19.6 s in all)`. */
export function timings(result: UpdateResult): string {
  const parts = [`generate ${seconds(result.generateSeconds)}`];
  let total = result.generateSeconds;
  if (result.check) {
    parts.push(`copy ${seconds(result.check.copySeconds)}`);
    total += result.check.copySeconds;
    for (const run of result.check.runs) {
      parts.push(`${run.command} ${seconds(run.seconds)}`);
      total += run.seconds;
    }
  }
  return `${parts.join(', ')} (${seconds(total)} in all)`;
}

const USAGE =
  'usage: npm run spec:update -- <file or URL> [--allow-breaking] [--dry-run [--check]] [--root DIR] [--date YYYY-MM-DD]';

/** What the command prints for each outcome, and its exit code. */
const OUTCOMES: Record<
  UpdateResult['status'],
  (r: UpdateResult, allowBreaking: boolean) => number
> = {
  unchanged: () => {
    console.log('openapi.json already is this spec: nothing to do.');
    return 0;
  },
  rewritten: () => {
    console.log(
      'The same spec in other bytes: wrote openapi.json as given; nothing generated changes.',
    );
    return 0;
  },
  refused: (r) => {
    console.log(r.report);
    console.error(
      `Refused: ${r.diff.breaking} breaking change(s) for SDK callers (marked BREAKING above). Nothing was written.\n` +
        'If the bump is intended, rerun with --allow-breaking and release a new major version (README, "Spec bumps").',
    );
    return 2;
  },
  stale: (r) => {
    console.log(r.report);
    console.error(
      `spec:update: refused: corrections of sdk.config.json no longer fit this spec, so the SDK would change behaviour unannounced:\n${r.stale!.map((line) => `- ${line}`).join('\n')}\n` +
        'Remove each from sdk.config.json where the spec now says the same (or update it to the new spec), then rerun. Nothing was written.',
    );
    return 1;
  },
  broken: (r) => {
    console.log(r.report);
    console.error(`spec:update: refused: the updated tree would not work.\n\n${r.problem}\n`);
    console.error(`Checked in ${timings(r)}. Nothing was written.`);
    return 1;
  },
  updated: (r) => {
    console.log([r.report, ...stillFitting(r)].join('\n'));
    console.log(`Type-checked and built a staged copy first: ${timings(r)}.`);
    console.log(`Wrote ${r.written.join(', ')}.`);
    return 0;
  },
  'dry-run': (r, allowBreaking) => {
    console.log([r.report, ...stillFitting(r)].join('\n'));
    if (r.check) console.log(`Type-checked and built a staged copy: ${timings(r)}.`);
    else {
      console.log(
        'The type-check and build were skipped (a real run does them before writing; add --check to run them now).',
      );
    }
    console.log('Dry run: nothing was written.');
    // The same verdict as a real run, so CI can ask "would this bump break callers?".
    return r.diff.breaking > 0 && !allowBreaking ? 2 : 0;
  },
};

export async function main(args = process.argv.slice(2)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'allow-breaking': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        root: { type: 'string' },
        date: { type: 'string' },
      },
    });
  } catch (error) {
    console.error(`spec:update: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 1;
  }
  try {
    const result = await specUpdate({
      source: positionals[0],
      root: values.root,
      allowBreaking: values['allow-breaking'],
      dryRun: values['dry-run'],
      check: values.check,
      date: values.date,
      log: (line) => console.error(line),
    });
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    return OUTCOMES[result.status](result, values['allow-breaking']);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(`spec:update: ${error.message}\nNothing was written.`);
    return 1;
  }
}

runAsScript(import.meta.url, main);
