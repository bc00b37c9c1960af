/**
 * The package as users' tools see it: the tarball `npm pack` makes (built fresh), linted by
 * publint and @arethetypeswrong/cli, its contents, its manifest, and the root entry's graph.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedSdk, ROOT, run, type Packed } from './consumers/pack.js';

let packed: Packed;
let manifest: any;
beforeAll(async () => {
  packed = await packedSdk();
  manifest = JSON.parse(await readFile(join(packed.packageDir, 'package.json'), 'utf8'));
}, 240_000);

it('publint --strict: no errors, warnings or suggestions', async () => {
  const tarball = await readFile(packed.tarball);
  const { messages, pkg } = await publint({
    pack: {
      tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length),
    },
    strict: true,
    level: 'suggestion',
  });
  expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`)).toEqual([]);
});

it('attw (are the types wrong): every entry resolves in every mode, no problems', async () => {
  const attw = join(ROOT, 'node_modules/.bin/attw');
  // Non-zero exit on any problem; run() then fails with attw's report.
  const { stdout } = await run(attw, [packed.tarball, '--format', 'json'], { cwd: ROOT });
  const { analysis, problems } = JSON.parse(stdout);
  expect(problems).toEqual({});
  expect(analysis.problems).toEqual([]);
  expect(Object.keys(analysis.entrypoints).sort()).toEqual([
    '.',
    './otel',
    './package.json',
    './testing',
  ]);
  for (const subpath of ['.', './testing', './otel']) {
    const { resolutions } = analysis.entrypoints[subpath];
    for (const mode of ['node10', 'node16-cjs', 'node16-esm', 'bundler']) {
      expect(resolutions[mode].resolution?.fileName, `${subpath} in ${mode}`).toMatch(/\.d\.c?ts$/);
    }
  }
});

it('the tarball holds the builds and their declarations, nothing else', async () => {
  const { stdout } = await run('tar', ['-tzf', packed.tarball], { cwd: ROOT });
  const files = stdout.trim().split('\n').sort();
  for (const file of files) {
    expect(file).toMatch(
      /^package\/(dist\/.+\.(js|cjs|d\.ts|d\.cts)|package\.json|README\.md|LICENSE)$/,
    );
  }
  for (const entry of ['index', 'testing/index', 'otel/index']) {
    for (const ext of ['js', 'cjs', 'd.ts', 'd.cts']) {
      expect(files).toContain(`package/dist/${entry}.${ext}`);
    }
  }
});

describe('manifest', () => {
  it('ESM and CommonJS for ., ./testing and ./otel, each with its own types condition first', () => {
    for (const subpath of ['.', './testing', './otel']) {
      const dir = subpath === '.' ? './dist' : `./dist${subpath.slice(1)}`;
      const entry = manifest.exports[subpath];
      expect(entry).toEqual({
        import: { types: `${dir}/index.d.ts`, default: `${dir}/index.js` },
        require: { types: `${dir}/index.d.cts`, default: `${dir}/index.cjs` },
      });
      expect(Object.keys(entry.import)[0]).toBe('types');
      expect(Object.keys(entry.require)[0]).toBe('types');
    }
  });

  it('side-effect free, Node >= 20, openapi-fetch as the only runtime dependency', () => {
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.engines).toEqual({ node: '>=20' });
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(manifest.optionalDependencies).toBeUndefined();
  });

  it('@opentelemetry/api: an optional peer dependency, for ./otel alone', () => {
    expect(manifest.peerDependencies).toEqual({ '@opentelemetry/api': expect.any(String) });
    expect(manifest.peerDependenciesMeta).toEqual({ '@opentelemetry/api': { optional: true } });
    // The range admits the version the tests run with.
    const tested = manifest.devDependencies['@opentelemetry/api'];
    expect(manifest.peerDependencies['@opentelemetry/api']).toBe(`^${tested}`);
    expect(manifest.typesVersions['*'].otel).toEqual(['./dist/otel/index.d.ts']);
  });
});

/** What an entry of the tarball loads: its files, and the packages it imports. */
async function graph(entry: string) {
  const { metafile } = await build({
    absWorkingDir: packed.packageDir,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'neutral',
    logLevel: 'silent',
  });
  const files = Object.keys(metafile.inputs).sort();
  const external = new Set(
    Object.values(metafile.inputs)
      .flatMap((input) => input.imports)
      .filter((i) => i.external)
      .map((i) => i.path),
  );
  return { files, external: [...external].sort() };
}

describe.each(['dist/index.js', 'dist/index.cjs'])('the root entry %s', (entry) => {
  it('is one file importing only openapi-fetch: no ./testing, no Node built-ins', async () => {
    expect(await graph(entry)).toEqual({ files: [entry], external: ['openapi-fetch'] });
  });
});

describe.each(['dist/otel/index.js', 'dist/otel/index.cjs'])('the otel entry %s', (entry) => {
  it('is one file importing only @opentelemetry/api', async () => {
    expect(await graph(entry)).toEqual({ files: [entry], external: ['@opentelemetry/api'] });
  });
});

it('./testing is the Node-only part: node:http and node:crypto', async () => {
  const { external } = await graph('dist/testing/index.js');
  expect(external).toEqual(['node:crypto', 'node:http']);
});
