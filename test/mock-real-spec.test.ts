/**
 * The mock server serves every operation of the vendored spec, with sdk.config.json's corrections
 * (what the SDK is generated from). The SDK's own mock is started, and each operation called with
 * plain fetch, arguments built from the spec's schemas: each answer must be the spec's 2xx, and
 * pass both the generated response check and ajv. A bad parameter (or body) must get FastAPI's
 * 422 naming it. Paginated lists are followed to their last page; event streams read to their end.
 *
 * Counts and times are printed, not asserted on time (targets live in bench/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationModel } from '../scripts/gen/model.js';
import { parseEvents } from '../scripts/gen/streams.js';
import type { Spec } from '../scripts/lib/spec.js';
import type { Check, Issue } from '../src/core/check.js';
import { mockRoutes as routes } from '../src/generated/mock.js';
import { responseChecks } from '../src/generated/responses.js';
import * as sdk from '../src/index.js';
import { startMockServer } from '../src/testing/index.js';
import type { MockServer } from '../src/testing/types.js';
import { ajvJudge, CallBuilder, type Call } from './support/spec-calls.js';
import { correctedSpec, vendoredModel } from './support/specs.js';

const spec: Spec = correctedSpec();
const model = vendoredModel();
const checks: Record<string, Check> = responseChecks;
const figures: Record<string, string | number> = {};

let server: MockServer;

beforeAll(async () => {
  const start = performance.now();
  server = await startMockServer({ eventDelayMs: 1 });
  figures['start (ms)'] = Math.round(performance.now() - start);
});
afterAll(async () => {
  console.log(`mock server on the vendored spec:\n${JSON.stringify(figures, null, 2)}`);
  await server?.close();
});

const send = (call: Call) =>
  fetch(server.url + call.url, {
    method: call.method,
    headers: { 'x-api-key': server.apiKey, ...call.headers },
    body: call.body,
  });

const judge = ajvJudge(spec);

/** The problems of one 2xx JSON body: the generated check's, then ajv's. */
function verdict(op: OperationModel, value: unknown): string[] {
  const issues: Issue[] = [];
  const problems: string[] = [];
  if (!checks[op.id](value, [], issues)) problems.push(`check: ${JSON.stringify(issues)}`);
  const ajv = op.response.schema && judge(op.response.schema, value);
  if (ajv) problems.push(`ajv: ${JSON.stringify(ajv).slice(0, 400)}`);
  return problems;
}

/**
 * A stream whose events the spec declares sends only those, each event's data valid (ajv) as its
 * schema says, its final event last; any other sends three events.
 */
function streamProblems(op: OperationModel, events: { event?: string; data: string }[]) {
  const { stream } = op.response;
  if (!stream) return events.length === 3 ? [] : [`stream: ${JSON.stringify(events)}`];
  const problems = events.flatMap(({ event, data }) => {
    const declared = stream.events.find((e) => e.name === event);
    if (!declared) return [`undeclared event ${event}`];
    const invalid = declared.data && judge(declared.data, JSON.parse(data));
    return invalid ? [`event ${event}: ${JSON.stringify(invalid).slice(0, 300)}`] : [];
  });
  if (events.at(-1)?.event !== stream.final) problems.push(`does not end with ${stream.final}`);
  return problems;
}

/** Every page of a paginated list, from the first call's answer, following `next_cursor`. */
async function pages(op: OperationModel, call: Call, first: Record<string, unknown>) {
  const all = [first];
  for (let page = first; page.next_cursor;) {
    const url = new URL(call.url, server.url);
    url.searchParams.set('cursor', String(page.next_cursor));
    const response = await send({ ...call, url: url.pathname + url.search });
    page = await response.json();
    all.push(page);
    if (all.length > 10) break;
  }
  return all;
}

/** One call's problems (none: it answered as the spec says). */
async function callOne(op: OperationModel, call: Call, counts: Record<string, number>) {
  const route = routes.find((r) => r.id === op.id)!;
  const response = await send(call);
  const text = await response.text();
  if (response.status !== route.status) return [`status ${response.status}: ${text.slice(0, 300)}`];
  if (op.response.kind === 'stream') {
    counts.streams++;
    const type = response.headers.get('content-type');
    if (type !== 'text/event-stream') return [`stream: ${type} ${text}`];
    return streamProblems(op, parseEvents(text));
  }
  if (op.response.kind === 'empty') return text === '' ? [] : [`empty answer has a body: ${text}`];
  const value = JSON.parse(text);
  if (!op.pagination) return verdict(op, value);
  const all = await pages(op, call, value);
  counts.pages += all.length;
  const last = all.at(-1)!;
  const ends = all.length === 3 && last.next_cursor === null && last.has_more !== true;
  return [...all.flatMap((page) => verdict(op, page)), ...(ends ? [] : ['pages do not end'])];
}

describe('the mock server of the vendored spec', () => {
  it('answers every operation with a 2xx that the response check and ajv accept', async () => {
    const builder = new CallBuilder(spec);
    const created = new Map<string, unknown>();
    const counts = { operations: 0, ok: 0, streams: 0, pages: 0, paginated: 0, empty: 0 };
    const failures: Record<string, string[]> = {};
    const start = performance.now();
    for (const op of model.operations) {
      counts.operations++;
      const route = routes.find((r) => r.id === op.id)!;
      const params = builder.params(op);
      if (route.reads) params.path[route.reads.idParam] = created.get(route.reads.store);
      const problems = await callOne(op, builder.call(op, params), counts);
      if (route.creates) created.set(route.creates.store, server.runs.at(-1)?.id);
      if (problems.length) failures[op.id] = problems;
      else counts.ok++;
      if (op.pagination) counts.paginated++;
      if (op.response.kind === 'empty') counts.empty++;
    }
    figures['calls, every operation (ms)'] = Math.round(performance.now() - start);
    Object.assign(figures, counts);
    expect(failures).toEqual({});
    expect(counts.operations).toBe(491);
    expect(counts.ok).toBe(491);
    expect(counts.paginated).toBe(52);
    expect(counts.pages).toBe(52 * 3);
    expect(counts.streams).toBe(2);
  }, 120_000);

  it('answers a bad parameter (or body) with a 422 naming it, as FastAPI does', async () => {
    const builder = new CallBuilder(spec);
    const failures: Record<string, unknown> = {};
    const counts = { checked: 0, byParameter: 0, byBody: 0, none: 0 };
    for (const op of model.operations) {
      const bad = builder.bad(op);
      if (!bad) {
        counts.none++;
        continue;
      }
      counts.checked++;
      if (bad.loc[0] === 'body') counts.byBody++;
      else counts.byParameter++;
      const response = await send(bad);
      const answer = await response.json();
      const detail = answer.detail?.find((d: { loc: unknown }) => equal(d.loc, bad.loc));
      if (response.status !== 422 || detail?.type !== bad.type) {
        failures[op.id] = { expected: [bad.loc, bad.type], got: [response.status, answer] };
      }
    }
    Object.assign(figures, { '422 checks': counts.checked, ...counts });
    expect(failures).toEqual({});
    expect(counts.checked).toBeGreaterThan(400);
  }, 120_000);
});

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('the SDK, against its mock', () => {
  const client = () =>
    sdk.createFeatherClient({
      apiKey: server.apiKey,
      baseUrl: server.url,
      validateResponses: true,
    });

  it('iterates every item of every page with for await, and pages with .pages()', async () => {
    const feather = client();
    const before = server.requests.length;
    const ids: string[] = [];
    for await (const run of feather.listSimulationRuns({ params: { query: { limit: 4 } } })) {
      ids.push(run.id);
    }
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(server.requests.slice(before).map((r) => r.url)).toEqual([
      '/v1/simulation/runs?limit=4',
      '/v1/simulation/runs?limit=4&cursor=page-2',
      '/v1/simulation/runs?limit=4&cursor=page-3',
    ]);
    const sizes: number[] = [];
    for await (const page of feather.listSimulationRuns().pages()) sizes.push(page.items.length);
    expect(sizes).toEqual([2, 2, 2]);
  });

  it('streams events, uploads a file, and reads a dispatched run back until it is final', async () => {
    const feather = client();
    const streamModel = model.operations.find((o) => o.id === 'streamModel')!;
    const body = new CallBuilder(spec).body(streamModel) as sdk.InvokeRequest;
    const events: unknown[] = [];
    for await (const event of await feather.streamModel(body)) events.push(event);
    expect(events).toEqual(
      [0, 1, 2].map((index) =>
        expect.objectContaining({
          event: 'message',
          id: String(index + 1),
          data: JSON.stringify({ operation: 'streamModel', index }),
        }),
      ),
    );

    const upload = await feather.ingestVoiceCall({
      audio: new Blob([new Uint8Array(1024)]),
      metadata: JSON.stringify({ channel: 'voice' }),
    });
    expect(upload).toBeTypeOf('object');
    const form = server.requests.at(-1)!.body as Record<string, unknown>;
    expect(form.audio).toBeInstanceOf(File);
    expect(form.metadata).toBe('{"channel":"voice"}');

    const ids = {
      agent_id: crypto.randomUUID(),
      persona_id: crypto.randomUUID(),
      scenario_id: crypto.randomUUID(),
    };
    const run = await feather.dispatchSimulationRun(ids);
    expect(run).toMatchObject({ ...ids, status: 'pending' });
    expect(await feather.getSimulationRun({ params: { path: { sim_run_id: run.id } } })).toEqual(
      run,
    );
    server.runs.find((r) => r.id === run.id)!.status = 'completed';
    const final = await feather.waitForSimulationRun(run.id, { pollIntervalMs: 1 });
    expect(final).toEqual({ ...run, status: 'completed' });
    const missing = crypto.randomUUID();
    await expect(
      feather.getSimulationRun({ params: { path: { sim_run_id: missing } } }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
