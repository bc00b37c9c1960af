/**
 * README.md is the package's truth, checked on the packed package as a user installs it:
 * - every TypeScript block is type-checked (a TypeScript 5.9 `nodenext` project, strict), each
 *   block its own module;
 * - every block not marked `live` is then run, in its own Node process, against the package's own
 *   mock server (FEATHER_API_KEY and FEATHER_BASE_URL point at it; its runs complete as they are
 *   read), and must exit cleanly; a block that exports a Worker-style `{ fetch }` has it called
 *   once. A `live` block needs a real key and real ids: type-checked only;
 * - no sentence names, in code, an identifier the package's declarations lack.
 */
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshProject, ROOT, run } from './pack.js';

interface Block {
  /** 1-based, in README order. */
  n: number;
  line: number;
  live: boolean;
  code: string;
}

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const blocks: Block[] = [
  ...readme.matchAll(/^```(?:ts|typescript)([^\n]*)\n([\s\S]*?)^```$/gm),
].map((m, i) => ({
  n: i + 1,
  line: readme.slice(0, m.index).split('\n').length,
  live: /\blive\b/.test(m[1]),
  code: m[2],
}));
const file = (b: Block) => `block-${String(b.n).padStart(2, '0')}`;

/** Runs a block's compiled module, and the `{ fetch }` handler it may export. */
const RUNNER = `
const mod = await import(process.argv[2]);
if (typeof mod.default?.fetch === 'function') {
  const request = new Request('http://127.0.0.1/', {
    method: 'POST',
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }] }),
  });
  const response = await mod.default.fetch(request, { FEATHER_API_KEY: process.env.FEATHER_API_KEY });
  await response.text();
}
`;

let dir: string;
beforeAll(async () => {
  dir = await freshProject('ts-esm');
  await rm(join(dir, 'src'), { recursive: true, force: true });
  await mkdir(join(dir, 'readme'));
  await mkdir(join(dir, 'dist'));
  for (const block of blocks) {
    // Every block is a module (its imports, its top-level await), as a user's file would be.
    await writeFile(join(dir, 'readme', `${file(block)}.ts`), `${block.code}\nexport {};\n`);
  }
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: true, // the declarations are checked in test/consumers/consumers.test.ts
      types: ['node'],
      noEmit: true,
    },
    include: ['readme'],
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'runner.mjs'), RUNNER);
}, 300_000);
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe('README.md', () => {
  it('has TypeScript blocks, some of them live', () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks.filter((b) => b.live).length).toBeGreaterThan(0);
  });

  it('type-checks every TypeScript block against the packed package', async () => {
    const tsc = join(dir, 'node_modules/.bin/tsc');
    const failed = await run(tsc, ['-p', '.', '--pretty', 'false'], { cwd: dir }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    // Each error names its block, whose line in README.md is given.
    const where = failed.replace(
      /readme\/block-(\d+)\.ts\((\d+),/g,
      (_, n: string, line: string) => {
        const block = blocks[Number(n) - 1];
        return `README.md:${block.line + Number(line)} (block ${n}) (`;
      },
    );
    expect(where).toBe('');
  }, 120_000);

  it.each(blocks.filter((b) => !b.live).map((b) => [b.line, b] as const))(
    'runs the block at line %i against the mock',
    async (_line, block) => {
      const { code } = await transform(block.code, {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
      });
      const compiled = join(dir, 'dist', `${file(block)}.mjs`);
      await writeFile(compiled, code);
      const testing = pathToFileURL(join(dir, 'node_modules/@featherhq/sdk/dist/testing/index.js'));
      const { startMockServer } = await import(testing.href);
      const mock = await startMockServer({
        runStatuses: ['running', 'completed'],
        eventDelayMs: 1,
      });
      try {
        const env = {
          ...process.env,
          FEATHER_API_KEY: mock.apiKey,
          FEATHER_BASE_URL: mock.url,
          // The blocks print what they show; the SDK's own log lines would only add noise.
          FEATHER_LOG: 'off',
        };
        const runner = join(dir, 'runner.mjs');
        const { stderr } = await run(process.execPath, [runner, pathToFileURL(compiled).href], {
          cwd: dir,
          env,
          timeoutMs: 60_000,
        });
        expect(stderr).toBe('');
        // It talked to the mock (a block that starts its own talks to that one instead).
        if (!block.code.includes('startMockServer'))
          expect(mock.requests.length).toBeGreaterThan(0);
      } finally {
        await mock.close();
      }
    },
    90_000,
  );

  it('names in its prose only identifiers the package declares', async () => {
    // The package's declarations, and openapi-fetch's, whose `Middleware` and client it re-exports.
    const declared = await Promise.all(
      [
        '@featherhq/sdk/dist/index.d.ts',
        '@featherhq/sdk/dist/testing/index.d.ts',
        '@featherhq/sdk/dist/otel/index.d.ts',
        'openapi-fetch/dist/index.d.ts',
      ].map((f) => readFile(join(dir, 'node_modules', f), 'utf8')),
    );
    const names = new Set(declared.join('\n').match(/[A-Za-z_$][\w$]*/g));
    const prose = readme.replace(/^```[\s\S]*?^```$/gm, '');
    const spans = [...prose.matchAll(/`([^`\n]+)`/g)]
      .map((m) => m[1])
      // Not names: OpenTelemetry's dotted attribute and event names, and quoted values.
      .filter((span) => !/^[a-z_]+(\.[a-z_]+)+$/.test(span))
      .map((span) => span.replace(/'[^']*'/g, ''));
    // Names in code style: camelCase, PascalCase or snake_case identifiers (not env variables,
    // headers, values or paths).
    const named = spans
      .flatMap((span) => span.match(/\b[A-Za-z_$][\w$]*\b/g) ?? [])
      .filter((w) => /^[a-z]+[A-Z]\w*$|^[A-Z][a-z]+[A-Z]\w*$|^[a-z]+_[a-z_]*[a-z]$/.test(w));
    // What the README names that is not the SDK's: the platform's, TypeScript's, JSON Schema's.
    const PLATFORM = new Set([
      ...['openAsBlob', 'TextDecoderStream', 'AbortSignal', 'FormData', 'toString'],
      ...['moduleResolution', 'extendedDiagnostics', 'propertyNames', 'exclusiveMinimum'],
      ...['dynamicRef', 'oneOf', 'ConsoleSpanExporter'],
      // The Names section's examples: what another spec's operationIds and schemas become.
      ...['organizationsList', 'agentsSearch', 'getV1AgentsId', 'RecordSchema'],
    ]);
    const missing = [...new Set(named)].filter((w) => !names.has(w) && !PLATFORM.has(w));
    expect(missing).toEqual([]);
  });
});
