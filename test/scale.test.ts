/**
 * The SDK grows with the spec without anyone writing code per endpoint, and an app pays only for
 * what it calls. A synthetic spec of 500 operations and 200 schemas (scripts/synthetic-spec.ts) is
 * generated into a sandbox next to the one-operation seed (test/support/specs.ts), and both are
 * used like an app would: type-checked, bundled.
 *
 * Assertions are on bytes and determinism only; the times are printed (the machine is shared).
 * Speed targets live in bench/.
 */
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../scripts/generate.js';
import { diffSpecs } from '../scripts/spec-diff.js';
import { syntheticSpec } from '../scripts/synthetic-spec.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { seedText as smallText } from './support/specs.js';
const large = syntheticSpec({ operations: 500, schemas: 200 });
const largeText = `${JSON.stringify(large, null, 2)}\n`;
const figures: Record<string, string> = {};
const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  const result = await fn();
  figures[label] = `${Math.round(performance.now() - start)} ms`;
  return result;
};

let small: Sandbox;
let big: Sandbox;
let largeFiles: Map<string, string>;

beforeAll(async () => {
  [small, big] = await Promise.all([createSandbox(), createSandbox()]);
  await small.regenerate(smallText);
  largeFiles = await time('generate, 500 operations', () => big.regenerate(largeText));
}, 120_000);
afterAll(async () => {
  console.log(`scale figures:\n${JSON.stringify(figures, null, 2)}`);
  await Promise.all([small?.remove(), big?.remove()]);
});

describe('a 500-operation spec', () => {
  it('is what the synthetic spec script says it is', () => {
    const ops = Object.values<any>(large.paths).flatMap((item) => Object.values<any>(item));
    expect(ops).toHaveLength(500);
    expect(Object.keys(large.components.schemas)).toHaveLength(200);
    const methods = new Set(Object.values<any>(large.paths).flatMap((item) => Object.keys(item)));
    expect([...methods].sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
    // Deterministic: the same arguments give the same document.
    expect(syntheticSpec({ operations: 500, schemas: 200 })).toEqual(large);
  });

  it('generates one function per operation, deterministically (the drift check)', async () => {
    const operations = largeFiles.get('src/generated/operations.ts')!;
    expect(
      operations.match(/^export const \w+ = \/\* @__PURE__ \*\/ (paginated\(|operation<)/gm),
    ).toHaveLength(500);
    expect(operations).toContain('body: v.validateUpdateAgentBody');
    // What the drift test does: regenerate in memory and compare with the files on disk.
    const again = await time('drift check (regenerate + compare), 500 operations', async () => {
      const files = await generate(await readFile(join(big.dir, 'openapi.json'), 'utf8'));
      for (const [path, content] of files) {
        expect(await readFile(join(big.dir, path), 'utf8')).toBe(content);
      }
      return files;
    });
    expect([...again.keys()]).toEqual([...largeFiles.keys()]);
    const bytes = [...largeFiles.values()].reduce((n, text) => n + text.length, 0);
    figures['generated source, 500 operations'] = `${Math.round(bytes / 1024)} KiB`;
    await time('generate, 1 operation', () => generate(smallText));
  }, 120_000);

  it('type-checks a consumer of the full client', async () => {
    await writeFile(
      join(big.dir, 'consumer.ts'),
      `import { createFeatherClient, getAgent, createFeatherCore } from './src/index.js';
const feather = createFeatherClient({ apiKey: 'k' });
export async function uses(): Promise<string> {
  const page = await feather.listAgent3s({ params: { query: { limit: 10, status: 'active' } } });
  const agent = await getAgent(createFeatherCore({ apiKey: 'k' }), { params: { path: { agent_id: 'x' } } });
  await feather.updateSuite3({ params: { path: { suite3_id: 'x' } }, body: { status: 'paused' } });
  // @ts-expect-error a typo in an operation name does not compile
  await feather.getAgentt({ params: { path: { agent_id: 'x' } } });
  return (page.data[0]?.name ?? '') + agent.created_at;
}
`,
    );
    expect(
      await time('tsc of a consumer, 500 operations', async () => big.typecheck('consumer.ts')),
    ).toEqual([]);
    await writeFile(
      join(small.dir, 'consumer.ts'),
      `import { createFeatherClient } from './src/index.js';
export const run = () => createFeatherClient({ apiKey: 'k' }).dispatchSimulationRun({ agent_id: 'a', persona_id: 'p', scenario_id: 's' });
`,
    );
    expect(
      await time('tsc of a consumer, 1 operation', async () => small.typecheck('consumer.ts')),
    ).toEqual([]);
  }, 120_000);

  it('diffs two versions of it for spec:update', async () => {
    const next = structuredClone(large);
    delete next.paths['/v1/agents/{agent_id}'].delete;
    next.components.schemas.Label.properties.value.maxLength = 100;
    const diff = await time('spec:update diff report, 500 operations', async () =>
      diffSpecs(large, next),
    );
    expect(diff.operations[0]).toMatchObject({
      target: 'DELETE /v1/agents/{agent_id}',
      action: 'removed',
      breaking: true,
    });
    // Label is in requests and responses: a lower maxLength breaks the requests that send it.
    expect(diff.schemas).toEqual([
      expect.objectContaining({
        target: 'Label',
        breaking: true,
        details: [
          { text: 'maxLength of `value`: `256` -> `100` (request and response)', breaking: true },
        ],
      }),
    ]);
  });
});

describe('bundle size', () => {
  /** Minified ESM of an app (as a bundler would ship it) using the sandbox's SDK. */
  async function bundle(box: Sandbox, app: string): Promise<number> {
    const result = await build({
      stdin: { contents: app, resolveDir: box.dir, loader: 'ts', sourcefile: 'app.ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0].contents.length;
  }
  const oneCall = `import { createFeatherCore, dispatchSimulationRun } from './src/index.js';
const core = createFeatherCore();
export const run = (body: any) => dispatchSimulationRun(core, body);`;
  const fullClient = `import { createFeatherClient } from './src/index.js';
export const feather = createFeatherClient();`;

  it('a one-call app is the same size with 1 and with 500 operations in the spec', async () => {
    const [one, many] = await Promise.all([bundle(small, oneCall), bundle(big, oneCall)]);
    figures['one-call app, 1-operation spec'] = `${one} bytes`;
    figures['one-call app, 500-operation spec'] = `${many} bytes`;
    expect(many).toBe(one);
  }, 60_000);

  it('while the full client grows with the spec (so the measurement can see growth)', async () => {
    const [one, many] = await Promise.all([bundle(small, fullClient), bundle(big, fullClient)]);
    figures['full-client app, 1-operation spec'] = `${one} bytes`;
    figures['full-client app, 500-operation spec'] = `${many} bytes`;
    expect(many).toBeGreaterThan(one * 5);
  }, 60_000);
});
