/**
 * Parse rate of event streams: the SDK's `Stream` (src/core/streaming.ts) against a plain
 * `TextDecoderStream` and a line split, over the same bytes, side by side in one run. The bytes
 * are built in memory (no network) in a few shapes of realistic events and cut into 16 KiB chunks
 * at offsets that do not line up with events, as a socket delivers them. The baseline does less
 * than a parser (no fields, no events): it is the floor a parser built on the platform can reach.
 *
 * 5 rounds, order alternated; the figures are per-round medians. Run alone: `tsx bench/sse.ts`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openAttempt } from '../src/core/attempt.js';
import { eventStream } from '../src/core/streaming.js';
import { median } from './stats.js';

const CHUNK = 16 * 1024;
const TARGET_BYTES = 16 * 1024 * 1024;
const ROUNDS = 5;

/** One event of each shape, given its index. */
const SHAPES: Record<string, (i: number) => string> = {
  'short tokens': (i) =>
    `event: delta\ndata: {"type":"token","index":${i},"text":" word${i % 97}"}\n\n`,
  'multi-line data, CRLF, ids, comments': (i) =>
    `: keep-alive\r\nid: ${i}\r\nevent: transcript\r\n` +
    `data: speaker: agent\r\ndata: turn: ${i}\r\ndata: text: Thanks for calling, how can I help?\r\n` +
    `data: confidence: 0.98\r\ndata: end\r\n\r\n`,
  'long data (16 KiB per event)': (i) =>
    `event: snapshot\ndata: {"i":${i},"blob":"${'x'.repeat(16 * 1024 - 30)}"}\n\n`,
};

interface Input {
  chunks: Uint8Array[];
  bytes: number;
  events: number;
}

function build(shape: (i: number) => string): Input {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < TARGET_BYTES; i++) {
    parts.push(shape(i));
    length += parts[i].length;
  }
  const all = new TextEncoder().encode(parts.join(''));
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += CHUNK) chunks.push(all.subarray(at, at + CHUNK));
  return { chunks, bytes: all.length, events: parts.length };
}

function body(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]) : c.close()),
  });
}

/** The SDK's parser, through the reader the transport calls; the attempt is the real one. */
async function parser({ chunks }: Input): Promise<number> {
  const attempt = openAttempt({
    name: 'bench',
    timeoutMs: 60_000,
    signal: undefined,
    secret: null,
  });
  const response = new Response(body(chunks), {
    headers: { 'content-type': 'text/event-stream' },
  });
  let events = 0;
  for await (const event of await eventStream.read(response, attempt)) {
    if (event.data) events++;
  }
  return events;
}

/** The floor: decode with TextDecoderStream, split on LF, keep the unfinished line. */
async function baseline({ chunks }: Input): Promise<number> {
  const reader = body(chunks)
    .pipeThrough(new TextDecoderStream() as ReadableWritablePair<string, Uint8Array>)
    .getReader();
  let rest = '';
  let lines = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    const split = (rest + r.value).split('\n');
    rest = split.pop()!;
    lines += split.length;
  }
  return lines;
}

export interface SseShapeResult {
  bytes: number;
  events: number;
  parser: { mbPerS: number; eventsPerS: number };
  baseline: { mbPerS: number };
  /** The parser's rate over the baseline's, per round, median. */
  ratio: number;
}

async function time(run: () => Promise<number>): Promise<[ms: number, count: number]> {
  const started = performance.now();
  const count = await run();
  return [performance.now() - started, count];
}

async function benchShape(input: Input): Promise<SseShapeResult> {
  const runs = { parser: [] as number[], baseline: [] as number[] };
  await parser(input); // warm up both (JIT) before anything counts
  await baseline(input);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? (['baseline', 'parser'] as const) : (['parser', 'baseline'] as const);
    for (const name of order) {
      const [ms, count] = await time(() => (name === 'parser' ? parser(input) : baseline(input)));
      if (name === 'parser' && count !== input.events) {
        throw new Error(`parser found ${count} events, expected ${input.events}`);
      }
      runs[name].push(ms);
    }
  }
  const mbPerS = (ms: number) => input.bytes / 1e6 / (ms / 1000);
  const parserMs = median(runs.parser);
  return {
    bytes: input.bytes,
    events: input.events,
    parser: { mbPerS: mbPerS(parserMs), eventsPerS: input.events / (parserMs / 1000) },
    baseline: { mbPerS: mbPerS(median(runs.baseline)) },
    ratio: median(runs.parser.map((ms, i) => runs.baseline[i] / ms)),
  };
}

export async function runSseBench(): Promise<Record<string, unknown>> {
  const shapes: Record<string, SseShapeResult> = {};
  for (const [name, shape] of Object.entries(SHAPES)) shapes[name] = await benchShape(build(shape));
  return { chunkBytes: CHUNK, rounds: ROUNDS, node: process.version, shapes };
}

export function sseTable(result: Record<string, unknown>): string {
  const shapes = result.shapes as Record<string, SseShapeResult>;
  const rows = Object.entries(shapes).map(
    ([name, r]) =>
      `| ${name} | ${(r.bytes / 1e6).toFixed(1)} | ${r.parser.mbPerS.toFixed(0)} | ` +
      `${Math.round(r.parser.eventsPerS).toLocaleString('en-US')} | ` +
      `${r.baseline.mbPerS.toFixed(0)} | ${r.ratio.toFixed(2)} |`,
  );
  return [
    '| shape | MB | parser MB/s | parser events/s | TextDecoderStream + line split MB/s | parser / baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(sseTable(await runSseBench()));
}
