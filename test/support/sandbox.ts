/**
 * A throwaway copy of the SDK's sources in a temp directory, for tests that regenerate the SDK
 * from another spec: the real openapi.json and src/generated/ are never touched.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { generate, ROOT } from '../../scripts/generate.js';

export interface Sandbox {
  dir: string;
  /** Writes `spec` as openapi.json and regenerates src/generated/ from it (warnings to `warn`). */
  regenerate(spec: object | string, warn?: (message: string) => void): Promise<Map<string, string>>;
  /** SHA-256 of every file (node_modules excepted), by relative path: to prove nothing changed. */
  snapshot(): Promise<Record<string, string>>;
  /** Type errors of a file in the sandbox, compiled with the repo's tsconfig settings. */
  typecheck(file: string): string[];
  remove(): Promise<void>;
}

/** The repo's own tsconfig.json options (its `paths` aside: a sandbox imports its own src/). */
function compilerOptions(): ts.CompilerOptions {
  const path = join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(path, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return { ...options, paths: undefined, noEmit: true };
}

export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'feather-sdk-'));
  for (const entry of ['src', 'openapi.json', 'package.json', '.prettierrc.json']) {
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  // Resolution of openapi-fetch, typescript, esbuild from the copy: share the real node_modules.
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    async regenerate(spec, warn) {
      const text = typeof spec === 'string' ? spec : `${JSON.stringify(spec, null, 2)}\n`;
      const files = await generate(text, undefined, { warn });
      await writeFile(join(dir, 'openapi.json'), text);
      for (const [path, content] of files) await writeFile(join(dir, path), content);
      return files;
    },
    async snapshot() {
      const out: Record<string, string> = {};
      const walk = async (at: string): Promise<void> => {
        for (const entry of await readdir(at, { withFileTypes: true })) {
          const path = join(at, entry.name);
          if (entry.name === 'node_modules') continue;
          if (entry.isDirectory()) await walk(path);
          else {
            out[relative(dir, path)] = createHash('sha256')
              .update(await readFile(path))
              .digest('hex');
          }
        }
      };
      await walk(dir);
      return out;
    },
    typecheck(file) {
      const program = ts.createProgram([join(dir, file)], compilerOptions());
      return ts.getPreEmitDiagnostics(program).map((d) => {
        const at = d.file
          ? `${relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start!).line + 1} `
          : '';
        return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
      });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
