/**
 * `npm run spec:update -- <file or URL> [--allow-breaking] [--dry-run]`: takes a new Feather spec
 * (JSON or YAML), and either changes nothing (invalid, not generatable, or breaking without
 * `--allow-breaking`) or writes all of it: openapi.json, src/generated/, and the change report at
 * the end of CHANGELOG.md. Everything is computed in memory first, so a failure leaves the tree
 * as it was.
 *
 * Exit codes: 0 written or already current, 1 the spec is unusable, 2 breaking and not allowed
 * (`--dry-run` writes nothing and exits as a real run would).
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse as parseYaml } from 'yaml';
import { generate, ROOT, specHash } from './generate.js';
import { diffSpecs, renderReport, type SpecDiff } from './spec-diff.js';

type Spec = Record<string, any>;

export interface UpdateOptions {
  /** A file path, or an http(s) URL. */
  source: string;
  /** The checkout to update. Default: this one. */
  root?: string;
  allowBreaking?: boolean;
  /** Report only; write nothing. */
  dryRun?: boolean;
  /** The date in the report heading. Default: today (UTC). */
  date?: string;
}

export interface UpdateResult {
  status: 'unchanged' | 'updated' | 'refused' | 'dry-run';
  diff: SpecDiff;
  report: string;
  /** Paths written, relative to the root. */
  written: string[];
}

/** The spec cannot be used: nothing was written. */
export class SpecError extends Error {}

async function load(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new SpecError(`could not fetch ${source}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new SpecError(`could not fetch ${source}: HTTP ${response.status}`);
    return response.text();
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    throw new SpecError(`could not read ${source}: ${(error as Error).message}`);
  }
}

/** JSON, else YAML (which would also read JSON, but JSON.parse names the error better). */
function parse(text: string, source: string): Spec {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      doc = parseYaml(text);
    } catch (error) {
      throw new SpecError(`${source} is neither JSON nor YAML: ${(error as Error).message}`);
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SpecError(`${source} is not an OpenAPI document (not an object)`);
  }
  return doc as Spec;
}

async function check(doc: Spec, source: string): Promise<void> {
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new SpecError(
      `${source} is not an OpenAPI 3.x document (openapi: ${JSON.stringify(doc.openapi ?? doc.swagger)})`,
    );
  }
  // The parser dereferences what it validates: give it a copy, keep our $refs.
  const result = await validate(structuredClone(doc) as any, { resolve: { external: false } });
  if (!result.valid) {
    throw new SpecError(`${source} is not a valid OpenAPI document:\n${compileErrors(result)}`);
  }
}

async function writeAll(root: string, files: Map<string, string>): Promise<void> {
  // Every file goes to a temporary name first: a failed write leaves the old files in place.
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

const CHANGELOG_HEAD =
  '# Changelog\n\nSpec bumps, as reported by `npm run spec:update` (oldest first). See README, "Spec bumps".\n';

export async function specUpdate(options: UpdateOptions): Promise<UpdateResult> {
  const root = resolve(options.root ?? ROOT);
  const doc = parse(await load(options.source), options.source);
  await check(doc, options.source);

  const config = (await prettier.resolveConfig(join(root, 'openapi.json'))) ?? {};
  const specText = await prettier.format(JSON.stringify(doc), {
    ...config,
    filepath: 'openapi.json',
  });
  let generated: Map<string, string>;
  try {
    generated = await generate(specText);
  } catch (error) {
    throw new SpecError(
      `the SDK cannot be generated from ${options.source}: ${(error as Error).message}`,
    );
  }

  const old = JSON.parse(await readFile(join(root, 'openapi.json'), 'utf8')) as Spec;
  const diff = diffSpecs(old, doc);
  const report = renderReport(diff, options.date);
  const result = (status: UpdateResult['status'], written: string[] = []) => ({
    status,
    diff,
    report,
    written,
  });
  if (specHash(old) === specHash(doc)) return result('unchanged');
  if (options.dryRun) return result('dry-run');
  if (diff.breaking > 0 && !options.allowBreaking) return result('refused');

  let changelog = CHANGELOG_HEAD;
  try {
    changelog = await readFile(join(root, 'CHANGELOG.md'), 'utf8');
  } catch {
    // First bump: start the file.
  }
  changelog = await prettier.format(`${changelog.trimEnd()}\n\n${report}`, {
    ...((await prettier.resolveConfig(join(root, 'CHANGELOG.md'))) ?? {}),
    filepath: 'CHANGELOG.md',
  });
  const files = new Map([['openapi.json', specText], ...generated, ['CHANGELOG.md', changelog]]);
  await writeAll(root, files);
  return result('updated', [...files.keys()]);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? (args.splice(at, 1), true) : false;
  };
  const value = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const allowBreaking = flag('--allow-breaking');
  const dryRun = flag('--dry-run');
  const root = value('--root');
  const date = value('--date');
  if (args.length !== 1 || args[0].startsWith('--')) {
    console.error(
      'usage: npm run spec:update -- <file or URL> [--allow-breaking] [--dry-run] [--root DIR]',
    );
    return 1;
  }
  try {
    const { status, diff, report, written } = await specUpdate({
      source: args[0],
      root,
      allowBreaking,
      dryRun,
      date,
    });
    if (status === 'unchanged') {
      console.log('openapi.json already is this spec: nothing to do.');
      return 0;
    }
    console.log(report);
    if (status === 'refused') {
      console.error(
        `Refused: ${diff.breaking} breaking change(s) for SDK callers (marked BREAKING above). Nothing was written.\n` +
          'If the bump is intended, rerun with --allow-breaking and release a new major version (README, "Spec bumps").',
      );
      return 2;
    }
    if (status === 'updated') console.log(`Wrote ${written.join(', ')}.`);
    if (status === 'dry-run') {
      console.log('Dry run: nothing was written.');
      // The same verdict as a real run, so CI can ask "would this bump break callers?".
      if (diff.breaking > 0 && !allowBreaking) return 2;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(`spec:update: ${error.message}\nNothing was written.`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
