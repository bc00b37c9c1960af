/**
 * The proof that every operation of the vendored spec works: Prism (an independent mock server,
 * driven by the spec alone) is started on it, with sdk.config.json's corrections applied (what
 * the SDK is generated from), and every operation is called through the SDK's generated function,
 * with arguments built from the spec's schemas and `validateResponses` on. Each call must succeed,
 * or fail for a reason this file names (a limitation of Prism, explained in the README).
 *
 * Counts are printed and asserted; times are printed only (targets live in bench/).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationModel } from '../scripts/gen/model.js';
import type { Spec } from '../scripts/lib/spec.js';
import * as sdk from '../src/index.js';
import { startPrism, type Prism } from './support/prism.js';
import { CallBuilder } from './support/spec-calls.js';
import { correctedSpec, vendoredModel } from './support/specs.js';

const spec: Spec = correctedSpec();
const model = vendoredModel();
const builder = new CallBuilder(spec);

let dir: string;
let prism: Prism;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feather-prism-'));
  await writeFile(join(dir, 'openapi.json'), JSON.stringify(spec));
  prism = await startPrism(join(dir, 'openapi.json'));
}, 240_000);
afterAll(async () => {
  await prism?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The arguments of one operation, in its call shape, from samples of the spec's schemas. */
function argsOf(op: OperationModel): unknown[] {
  const body = builder.body(op) as Record<string, unknown> | undefined;
  if (op.body?.kind === 'multipart' && body) {
    for (const name of op.body.files) {
      const file = new Blob([`${name} bytes`]);
      body[name] = op.body.listed?.includes(name) ? [file, file, file] : file;
    }
  }
  if (op.input === 'none') return [];
  if (op.input === 'body') return [body];
  const params = Object.fromEntries(
    Object.entries(builder.params(op)).filter(([, group]) => Object.keys(group).length),
  );
  return [body === undefined ? { params } : { params, body }];
}

/** Calls one operation; a stream is read to its end. Resolves to `ok` or the error's summary. */
async function call(core: unknown, op: OperationModel): Promise<string> {
  try {
    const result = await (sdk as any)[op.id](core, ...argsOf(op), {
      validateResponses: true,
      maxRetries: 0,
      timeoutMs: 20_000,
    });
    if (op.response.kind === 'stream') for await (const event of result) void event;
    return 'ok';
  } catch (error) {
    const e = error as Error & {
      status?: number;
      headers?: Headers;
      issues?: { path: unknown[]; rule: string }[];
    };
    // Prism says why it refused a request in this header (its 422 body is a generic example).
    const violations = e.headers?.get('sl-violations');
    if (violations) return `${e.name} ${e.status}: Prism: ${violations.slice(0, 300)}`;
    const where = e.issues?.map((i) => `${i.path.join('.')}:${i.rule}`).join(',') ?? '';
    return `${e.name}${e.status ? ` ${e.status}` : ''}${where ? ` [${where}]` : ''}: ${e.message.split('\n')[0]}`;
  }
}

/**
 * Why a call may fail against Prism, by the error it gives. Each is Prism's behaviour, not the
 * SDK's: the README's "Proof on the real spec" explains them.
 */
const PRISM_LIMITS: [reason: string, test: (outcome: string, op: OperationModel) => boolean][] = [
  [
    // Its generator ignores `propertyNames` and `pattern`, and then flags its own answer in the
    // sl-violations header: the SDK's validateResponses refuses the same answer.
    'Prism answered a 2xx that breaks the spec, and says so itself (sl-violations on the response)',
    (outcome) =>
      outcome.startsWith('InvalidResponseError') &&
      outcome.includes('Prism: [{"location":["response"'),
  ],
  [
    // `?kb_ids=a` is a one-item list to FastAPI; Prism reads it as a string and refuses it.
    'Prism reads a query array sent with one value as a string, not an array',
    (outcome) =>
      outcome.startsWith('UnprocessableEntityError 422') &&
      /"location":\["request","query","\w+"\],"severity":"Error","code":"type","message":"[^"]+ must be array"/.test(
        outcome,
      ),
  ],
  [
    // Prism reads each part of a form as text: a JSON part (`encoding` application/json) is not
    // parsed, and a file field sent as several parts is not read as the array the spec declares.
    'Prism reads a multipart array (JSON text, or repeated file parts) as a string',
    (outcome, op) =>
      op.body?.kind === 'multipart' &&
      outcome.startsWith('UnprocessableEntityError 422') &&
      [...outcome.matchAll(/"message":"([^"]+)"/g)].every(([, m]) =>
        /^Request body property \w+ must be array$/.test(m),
      ),
  ],
];

describe('every operation of the real spec, through the generated SDK, against Prism', () => {
  it('succeeds, or fails for a reason named here', async () => {
    const core = sdk.createFeatherCore({
      apiKey: 'sk_test_prism',
      baseUrl: prism.url,
      responseChecks: sdk.responseChecks,
    });
    const outcomes = new Map<string, string>();
    const started = performance.now();
    const queue = [...model.operations];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let op = queue.shift(); op; op = queue.shift())
          outcomes.set(op.id, await call(core, op));
      }),
    );
    const byReason = new Map<string, string[]>();
    for (const op of model.operations) {
      const outcome = outcomes.get(op.id)!;
      if (outcome === 'ok') continue;
      const reason =
        PRISM_LIMITS.find(([, test]) => test(outcome, op))?.[0] ?? `unexplained: ${outcome}`;
      byReason.set(reason, [...(byReason.get(reason) ?? []), op.id]);
    }
    const ok = [...outcomes.values()].filter((o) => o === 'ok').length;
    console.log(
      `Prism proof: ${ok} of ${model.operations.length} operations succeed in ${Math.round(performance.now() - started)} ms\n` +
        [...byReason]
          .map(([reason, ids]) => `  ${ids.length} ${reason}: ${ids.slice(0, 5)}`)
          .join('\n'),
    );
    // Had Prism died, every later call would fail unexplained: show its log instead.
    expect(prism.died()).toBeUndefined();
    const unexplained = [...byReason].filter(([reason]) => reason.startsWith('unexplained'));
    expect(unexplained).toEqual([]);
    // Most of the spec works end to end; the named Prism limits stay a small minority.
    expect(ok).toBeGreaterThanOrEqual(model.operations.length * 0.9);
    expect(outcomes.size).toBe(model.operations.length);
  }, 300_000);
});
