/**
 * The packed SDK in fresh projects (ecosystem-tests/<fixture>): `npm install <tarball>` with the
 * fixture's own TypeScript and @types/node, type-check with its `tsc`, build the way that kind of
 * project builds, and run it. ts-esm and ts-cjs turn skipLibCheck off, so that our .d.ts and
 * .d.cts are checked too (once each: it is most of the type-check time).
 * Each fixture dispatches a run against the mock server from the same tarball and checks the
 * result and an error class.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { freshProject, ROOT, run } from './pack.js';

const FIXTURES: Record<string, { build?: (dir: string) => Promise<void>; main: string }> = {
  'ts-esm': { main: 'dist/index.js' },
  'ts-cjs': { main: 'dist/index.js' },
  'ts-bundler': {
    build: async (dir) => {
      await build({
        absWorkingDir: dir,
        entryPoints: ['src/index.ts'],
        outfile: 'dist/index.js',
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'silent',
      });
    },
    main: 'dist/index.js',
  },
  'js-esm': { main: 'index.js' },
  'js-cjs': { main: 'index.js' },
};

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

describe.concurrent.each(Object.keys(FIXTURES))('%s', (name) => {
  it('installs the tarball, type-checks, builds and runs', { timeout: 240_000 }, async () => {
    const dir = await freshProject(name);
    made.push(dir);
    const installed = JSON.parse(
      await readFile(join(dir, 'node_modules/@featherhq/sdk/package.json'), 'utf8'),
    );
    expect(installed.version).toBe(
      JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version,
    );

    await run(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: dir });
    await FIXTURES[name].build?.(dir);
    const { stdout } = await run(process.execPath, [FIXTURES[name].main], { cwd: dir });
    expect(stdout.trim()).toMatch(new RegExp(`^ok ${name} [0-9a-f-]{36}$`));
  });
});
