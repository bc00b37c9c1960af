/**
 * The root eslint.config.js, run by ESLint's own API on small throwaway projects in a temp folder:
 * each rule the team guide asks for reports what it should, and the import-cycle rule counts
 * `import type`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/lib/spec.js';

const TSCONFIG = {
  compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true },
  include: ['src', 'scripts'],
};

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Lints a project made of `files` (path → source) with the root config; messages by file. */
async function lint(files: Record<string, string>): Promise<Record<string, string[]>> {
  const dir = await mkdtemp(join(tmpdir(), 'feather-lint-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries({
    'tsconfig.json': JSON.stringify(TSCONFIG),
    ...files,
  })) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const config = (await import(pathToFileURL(join(ROOT, 'eslint.config.js')).href)) as {
    default: Linter.Config[];
  };
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config.default });
  const out: Record<string, string[]> = {};
  for (const result of await eslint.lintFiles(['.'])) {
    out[result.filePath.slice(dir.length + 1)] = result.messages.map(
      (m) => `${m.ruleId ?? 'fatal'}: ${m.message}`,
    );
  }
  return out;
}

const CYCLE = 'local/no-import-cycle';

describe('import cycles, type-only imports counted', () => {
  it('reports a two-file cycle made only of `import type`, in both files', async () => {
    const messages = await lint({
      'src/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'src/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
    });
    expect(messages).toEqual({
      'src/a.ts': [`${CYCLE}: Import cycle: a.ts → b.ts → a.ts.`],
      'src/b.ts': [`${CYCLE}: Import cycle: b.ts → a.ts → b.ts.`],
    });
  });

  it('follows `export type … from` and inline `type` specifiers through a longer chain', async () => {
    const messages = await lint({
      'src/a.ts': "import { type C } from './c.js';\nexport type A = { c?: C };\n",
      'src/b.ts': "export type { A } from './a.js';\n",
      'src/c.ts': "import type { A } from './b.js';\nexport type C = { a?: A };\n",
    });
    expect(messages['src/a.ts']).toEqual([`${CYCLE}: Import cycle: a.ts → c.ts → b.ts → a.ts.`]);
    expect(messages['src/b.ts']).toEqual([`${CYCLE}: Import cycle: b.ts → a.ts → c.ts → b.ts.`]);
    expect(messages['src/c.ts']).toEqual([`${CYCLE}: Import cycle: c.ts → b.ts → a.ts → c.ts.`]);
  });

  it('lets type imports that do not lead back alone', async () => {
    const messages = await lint({
      'src/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\n",
      'src/b.ts': "import type { C } from './c.js';\nexport type B = { c?: C };\n",
      'src/c.ts': 'export type C = string;\n',
    });
    expect(messages).toEqual({ 'src/a.ts': [], 'src/b.ts': [], 'src/c.ts': [] });
  });
});

describe('the other rules', () => {
  const longFunction = (lines: number) =>
    `export function long(): number {\n  let n = 0;\n${'  n += 1;\n\n  // why\n'.repeat(lines - 4)}  return n;\n}\n`;

  it('no-floating-promises and no-unused-vars (`_` and rest siblings allowed)', async () => {
    const messages = await lint({
      'src/a.ts': [
        'async function work(): Promise<void> {}',
        'export function run(_unused: number): void {',
        '  work();',
        '  void work();',
        '  const unused = 1;',
        '  const { a: _a, ...rest } = { a: 1, b: 2 };',
        '  const { a, ...kept } = { a: 1, b: 2 };',
        '  console.log(rest, kept);',
        '}',
        '',
      ].join('\n'),
    });
    expect(messages['src/a.ts']).toEqual([
      expect.stringMatching(/^@typescript-eslint\/no-floating-promises: Promises must be awaited/),
      "@typescript-eslint/no-unused-vars: 'unused' is assigned a value but never used. Allowed unused vars must match /^_/u.",
    ]);
  });

  it('functions of src/ and scripts/ stop at 60 lines, blank lines and comments not counted', async () => {
    const messages = await lint({
      'src/fits.ts': longFunction(60),
      'src/long.ts': longFunction(61),
      'scripts/long.ts': longFunction(61),
      'src/generated/long.ts': `// GENERATED\n${longFunction(61)}`,
    });
    expect(messages['src/fits.ts']).toEqual([]);
    expect(messages['src/long.ts']).toEqual([
      "max-lines-per-function: Function 'long' has too many lines (61). Maximum allowed is 60.",
    ]);
    expect(messages['scripts/long.ts']).toEqual(messages['src/long.ts']);
    // src/generated/ is not linted at all.
    expect(Object.keys(messages).sort()).toEqual(['scripts/long.ts', 'src/fits.ts', 'src/long.ts']);
  });
});
