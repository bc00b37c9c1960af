/**
 * Why a staged bump did not type-check or build, said so that a maintainer knows what to fix:
 * the first compiler errors (those the bump causes first), which of them were there before it,
 * and advice by where they are.
 */
import { GENERATED_DIR, operationsOf, serverNames, type Spec } from '../lib/spec.js';
import { typecheck, type ProjectCheck, type ToolRun } from './staging.js';

/** How many errors the message shows: enough to see the pattern, few enough to read. */
export const SHOWN_ERRORS = 20;
/** Lines of one error's explanation (tsc's elaboration of a type mismatch can run long). */
const LINES_PER_ERROR = 4;
/** Characters of one line: a generated function's inferred type can fill a screen. */
const LINE_LENGTH = 400;

const clipped = (line: string) =>
  line.length > LINE_LENGTH ? `${line.slice(0, LINE_LENGTH)}...` : line;

export interface CompilerError {
  /** Relative to the project root; undefined for a global error (a bad tsconfig). */
  file?: string;
  /** The first line: `file(line,col): error TSnnnn: message`. */
  head: string;
  text: string;
}

/** tsc's `--pretty false` output as errors: a head line, then indented elaboration lines. */
export function compilerErrors(output: string): CompilerError[] {
  const errors: CompilerError[] = [];
  for (const line of output.split(/\r?\n/)) {
    const head = /^(?:(.+?)\(\d+,\d+\): )?error TS\d+: /.exec(line);
    if (head) errors.push({ file: head[1], head: line, text: clipped(line) });
    else if (/^\s/.test(line) && errors.length) {
      const last = errors[errors.length - 1];
      if (last.text.split('\n').length < LINES_PER_ERROR) last.text += `\n${clipped(line)}`;
    }
  }
  return errors;
}

/** Operations the old spec has and the new one does not (removed, or renamed away). */
function vanished(before: Spec, after: Spec): string[] {
  const kept = new Set(operationsOf(after).map((entry) => entry.op.operationId));
  return operationsOf(before)
    .map((entry) => entry.op.operationId as string)
    .filter((id) => id && !kept.has(id));
}

const isGenerated = (error: CompilerError) => !!error.file?.startsWith(`${GENERATED_DIR}/`);

function handWrittenAdvice(errors: CompilerError[], before: Spec, after: Spec): string[] {
  const files = [...new Set(errors.map((e) => e.file ?? 'tsconfig.json'))];
  const gone = vanished(before, after);
  const advice = [
    `- Hand-written code no longer compiles against the new spec: ${files.slice(0, 8).join(', ')}${files.length > 8 ? `, and ${files.length - 8} more` : ''}.`,
    '  Hand-written code (src/, test/, bench/, examples/) is written against the vendored spec: update what calls an operation or schema that this spec changes, in the same change as the bump.',
    '  Tests of behaviour that no Feather spec needs to keep belong on fixture specs in temp copies (test/support/sandbox.ts).',
  ];
  if (serverNames(before).size && !serverNames(after).size) {
    advice.push(
      '  This spec has no servers: code that passes `environment` must pass `baseUrl` instead.',
    );
  }
  if (gone.length) {
    const names = gone.slice(0, 10).map((id) => `\`${id}\``);
    advice.push(
      `  This spec removes or renames: ${names.join(', ')}${gone.length > 10 ? ', ...' : ''}.`,
    );
  }
  return advice;
}

const GENERATED_ADVICE = [
  `- The generated code (${GENERATED_DIR}/) does not compile against src/core: the generator (scripts/gen/) or the runtime does not handle something in this spec yet.`,
  '  That is a generator bug, not yours: report it with the spec attached.',
];

/** The errors the bump causes (first), then those the tree had before it. */
async function typecheckFailure(run: ToolRun, root: string, before: Spec, after: Spec) {
  const errors = compilerErrors(run.output);
  // The unchanged tree tells which errors are the bump's. Only paid for when the check fails.
  const baseline = new Set(compilerErrors((await typecheck(root)).output).map((e) => e.head));
  const isOld = (e: CompilerError) => !isGenerated(e) && baseline.has(e.head);
  const fresh = errors.filter((e) => !isOld(e));
  const old = errors.filter(isOld);
  const lines = [
    `\`${run.command}\` failed in the staged copy: ${errors.length} error(s), ${fresh.length} of them new with this bump, ${old.length} already in the tree before it.`,
    '',
    ...[...fresh, ...old]
      .slice(0, SHOWN_ERRORS)
      .map((e) => (isOld(e) ? `${e.text}  (before the bump too)` : e.text)),
  ];
  if (errors.length > SHOWN_ERRORS) lines.push(`... and ${errors.length - SHOWN_ERRORS} more.`);
  lines.push('', 'What to fix:');
  if (fresh.some(isGenerated)) lines.push(...GENERATED_ADVICE);
  const handWritten = fresh.filter((e) => !isGenerated(e));
  if (handWritten.length) lines.push(...handWrittenAdvice(handWritten, before, after));
  if (old.length) {
    lines.push(
      `- The tree did not type-check before this bump either (${old.length} error(s)): fix those first (\`npx tsc --noEmit -p .\`), then rerun.`,
    );
  }
  return lines;
}

function buildFailure(run: ToolRun): string[] {
  const tail = run.output.trimEnd().split('\n').slice(-SHOWN_ERRORS);
  return [
    `\`${run.command}\` failed in the staged copy (the type-check passed):`,
    '',
    ...tail,
    '',
    'What to fix:',
    '- The declaration build (tsup, tsup.config.ts) refuses what `tsc --noEmit` accepts: usually an exported type from src/generated/ that a public declaration in src/ cannot name. Run `npm run build` on the updated tree to see it whole.',
  ];
}

/** The message for a failed check: what failed, its first errors, and what to fix. */
export async function diagnose(
  check: ProjectCheck,
  root: string,
  specs: { before: Spec; after: Spec },
): Promise<string> {
  const failed = check.runs.find((run) => !run.ok);
  if (!failed) return '';
  const lines =
    failed === check.runs[0]
      ? await typecheckFailure(failed, root, specs.before, specs.after)
      : buildFailure(failed);
  return lines.join('\n');
}
