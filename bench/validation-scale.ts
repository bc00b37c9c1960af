/**
 * Validation cost as a body grows (issue 18): the 2xx answer of `listSimulationRuns` in the real
 * 1.21.0 spec, a `CursorPage` of 100, 1,000 and 10,000 `SimulationRunResponse` items, checked by
 * the SDK's validator and by ajv's standalone code for the same schema, side by side in the same
 * rounds. The targets: at 10,000 items, at most 2x ajv's time, and a cost that grows with the
 * body as ajv's does (linear: the ratio to ajv stays put from 100 items to 10,000).
 *
 * The SDK's validator is `responseChecks.listSimulationRuns` of the package built from the real
 * spec and installed from its tarball, when `npm run bench` passes that install; run alone
 * (`npx tsx bench/validation-scale.ts`), it is compiled from src/ the same way. ajv is `Ajv2020`
 * with ajv-formats (`time` as `iso-time`, as everywhere in the tests) and `allErrors` (the SDK
 * reports every problem too), its standalone module bundled by esbuild: no `new Function` at
 * run time, like ours.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { _ } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { build } from 'esbuild';
import { compileValidators } from '../scripts/gen/validators.js';
import { readModel } from '../scripts/gen/model.js';
import { runAsScript, SPEC_PATH } from '../scripts/lib/spec.js';
import { specAjv } from '../test/support/oracle.js';
import { benchRounds, type CpuResult } from './cpu.js';

import { GENERATED, ROOT } from './paths.js';
import type { Target } from './report.js';

type Validate = (data: unknown) => boolean;

const OPERATION = 'listSimulationRuns';
const SCHEMA = 'CursorPage_SimulationRunResponse_';
export const SIZES = [100, 1_000, 10_000] as const;
/** The bound at the largest size. */
const MAX_RATIO = 2;
/** How much faster than ajv's the SDK's cost may grow from the smallest size to the largest. */
const MAX_GROWTH = 1.25;

/** A valid page of `n` runs, varied enough that no check is skipped (nulls and values). */
export function page(n: number): unknown {
  const items = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    session_id: randomUUID(),
    organization_id: randomUUID(),
    agent_id: randomUUID(),
    agent_revision_id: i % 2 ? randomUUID() : null,
    persona_id: randomUUID(),
    scenario_id: randomUUID(),
    channel: i % 3 ? 'text' : 'voice',
    tool_overrides: i % 4 ? null : { lookup_order: { output: { id: i }, delay_ms: 250 } },
    status: 'finished',
    started_at: '2026-01-01T00:00:00Z',
    finished_at: i % 2 ? '2026-01-01T00:10:00.5+02:00' : null,
    error_text: null,
    inputs_snapshot: { turn: i },
    created_at: '2026-01-01T00:00:00Z',
  }));
  return { items, next_cursor: 'c2', has_more: true };
}

const bundled = async (contents: string, resolveDir: string, file: string): Promise<string> => {
  const result = await build({
    stdin: { contents, loader: 'ts', resolveDir },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  await mkdir(GENERATED, { recursive: true });
  const path = join(GENERATED, file);
  await writeFile(path, result.outputFiles[0].text);
  return pathToFileURL(path).href;
};

/** ajv's standalone module for the schema (CommonJS, its runtime and formats required), bundled. */
async function ajvStandalone(spec: object): Promise<Validate> {
  const ajv = specAjv({
    strict: false,
    allErrors: true,
    code: { source: true, formats: _`formats` },
  });
  ajv.addSchema(spec, 'spec.json');
  const validate = ajv.compile({ $ref: `spec.json#/components/schemas/${SCHEMA}` });
  const prelude = [
    `import { fullFormats } from 'ajv-formats/dist/formats.js';`,
    `const formats = { ...fullFormats, time: fullFormats['iso-time'] };`,
    `const module = { exports: {} }; const exports = module.exports;`,
    `const require = (id) => ({ 'ajv/dist/runtime/ucs2length': ucs2length, 'ajv/dist/runtime/equal': equal })[id];`,
    `import ucs2length from 'ajv/dist/runtime/ucs2length.js';`,
    `import equal from 'ajv/dist/runtime/equal.js';`,
  ].join('\n');
  const code = (standaloneCode as unknown as typeof standaloneCode.default)(ajv, validate);
  const source = `${prelude}\n${code}\nexport default module.exports;`;
  const url = await bundled(source, ROOT, 'validation-scale-ajv.mjs');
  return ((await import(url)) as { default: Validate }).default;
}

/** The SDK's check, from an installed package (`appDir`) or compiled from src/. */
async function sdkCheck(spec: Record<string, unknown>, appDir?: string): Promise<Validate> {
  type Checks = Record<string, (v: unknown, p: [], o: unknown[]) => boolean>;
  let check: Checks[string];
  if (appDir) {
    const entry = join(appDir, 'node_modules', '@featherhq', 'sdk', 'dist', 'index.js');
    const sdk = (await import(pathToFileURL(entry).href)) as { responseChecks: Checks };
    check = sdk.responseChecks[OPERATION];
  } else {
    const { source } = compileValidators(spec, readModel(spec).inline);
    const url = await bundled(source, join(ROOT, 'src', 'generated'), 'validation-scale-sdk.mjs');
    check = ((await import(url)) as Checks)[`validate${SCHEMA}`];
  }
  return (data) => check(data, [], []);
}

export interface ValidationScale {
  /** By size: each judge's time per check (µs) and its ratio to ajv's in the same round. */
  sizes: { items: number; ajv: CpuResult; sdk: CpuResult }[];
  source: 'installed package' | 'src/';
}

/** `appDir`: an install of the real spec's package; `quick`: fewer rounds (`npm run bench -- --quick`). */
export async function benchValidationScale(
  options: { appDir?: string; quick?: boolean } = {},
): Promise<{ result: ValidationScale; markdown: string; targets: Target[] }> {
  const spec = JSON.parse(await readFile(SPEC_PATH, 'utf8')) as Record<string, unknown>;
  const ajv = await ajvStandalone(spec);
  const sdk = await sdkCheck(spec, options.appDir);
  const sizes: ValidationScale['sizes'] = [];
  for (const items of SIZES) {
    const body = page(items);
    if (!ajv(body) || !sdk(body)) throw new Error(`a judge refused the valid page of ${items}`);
    const judged = await benchRounds(
      ['ajv', 'sdk'],
      { ajv: async () => ajv(body), sdk: async () => sdk(body) },
      options.quick ? { rounds: 2, time: 200 } : { rounds: 5, time: 400 },
    );
    sizes.push({ items, ...judged });
  }
  const result: ValidationScale = {
    sizes,
    source: options.appDir ? 'installed package' : 'src/',
  };
  return { result, markdown: scaleTable(result), targets: scaleTargets(result) };
}

const perItem = (us: number, items: number) => ((us / items) * 1000).toFixed(0);

export function scaleTable({ sizes, source }: ValidationScale): string {
  const rows = sizes.map(
    ({ items, ajv, sdk }) =>
      `| ${items.toLocaleString('en-US')} | ${ajv.us.median.toFixed(0)} | ${perItem(ajv.us.median, items)} | ${sdk.us.median.toFixed(0)} | ${perItem(sdk.us.median, items)} | ${sdk.ratio.median.toFixed(2)} (${sdk.ratio.min.toFixed(2)}–${sdk.ratio.max.toFixed(2)}) |`,
  );
  return [
    `The 2xx answer of \`${OPERATION}\` (real 1.21.0 spec): a page of N \`SimulationRunResponse\` items, valid. The SDK's validator from the ${source}; ajv 8 standalone code (Ajv2020, ajv-formats, allErrors), bundled. Median of ${sizes[0].ajv.us.samples.length} rounds, both in each round.`,
    '',
    '| Items | ajv µs | ajv ns/item | SDK µs | SDK ns/item | SDK x ajv (range) |',
    '| ----: | -----: | ----------: | -----: | ----------: | ----------------: |',
    ...rows,
  ].join('\n');
}

function scaleTargets({ sizes }: ValidationScale): Target[] {
  const largest = sizes[sizes.length - 1];
  const smallest = sizes[0];
  // Both slow per item as the body outgrows the caches; the SDK must not slow faster than ajv.
  const growth = largest.sdk.ratio.median / smallest.sdk.ratio.median;
  const items = largest.items.toLocaleString('en-US');
  return [
    {
      name: `Validating a ${items}-item body, SDK vs ajv standalone`,
      target: `<= ${MAX_RATIO}x`,
      figure: `${largest.sdk.ratio.median.toFixed(2)}x`,
      met: largest.sdk.ratio.median <= MAX_RATIO,
    },
    {
      name: `Linear growth: the SDK's ratio to ajv at ${items} items over its ratio at ${smallest.items}`,
      target: `<= ${MAX_GROWTH}x`,
      figure: `${growth.toFixed(2)}x`,
      met: growth <= MAX_GROWTH,
    },
  ];
}

runAsScript(import.meta.url, async () => {
  const { markdown, targets } = await benchValidationScale({
    quick: process.argv.includes('--quick'),
  });
  console.log(markdown);
  for (const t of targets) console.log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.figure}`);
});
