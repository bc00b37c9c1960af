/**
 * Memory while iterating 100,000 paginated items with `for await`: the SDK must not keep pages it
 * has yielded. A loopback server (its own process) serves 500 pages of 200 items; a fresh client
 * process iterates them through the SDK's auto-pagination and samples its memory, the heap after a
 * forced GC every 25 pages. A control run keeps every item in an array, to show what growth looks
 * like when something does keep them.
 *
 * The operation is built with the runtime's building blocks, as the generator writes a list
 * operation (the seed spec has none). Run as a script: `pagination.ts server` serves the pages,
 * `pagination.ts client URL MODE` is the measured client and prints its figures as JSON.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFeatherCore } from '../src/index.js';
import { operation } from '../src/core/operation.js';
import { paginated } from '../src/core/pagination.js';
import { withParams } from '../src/core/params.js';
import { API_KEY, RESPONSE } from './fixtures.js';

const PAGES = 500;
const PAGE_SIZE = 200;
const SAMPLE_EVERY = 25;
const SELF = fileURLToPath(import.meta.url);

export type PaginationMode = 'iterate' | 'keep every item (control)' | 'raw fetch loop';

export interface PaginationMemory {
  items: number;
  pages: number;
  ms: number;
  /** RSS and heap after the first page and a GC: the baseline (MiB). */
  baselineRssMiB: number;
  baselineHeapMiB: number;
  /** The highest RSS seen while iterating, over the baseline (MiB). */
  peakRssGrowthMiB: number;
  /** The heap after a GC at the end, over the baseline: what iteration kept (MiB). */
  retainedHeapMiB: number;
  /** The highest post-GC heap of any sample, over the baseline (MiB). */
  maxHeapGrowthMiB: number;
  /** Post-GC heap growth from page 100 to the end: near 0 when pages are not kept (MiB). */
  lateHeapGrowthMiB: number;
  /** Every sample: pages read, RSS and post-GC heap (MiB). */
  samples: { pages: number; rssMiB: number; heapMiB: number }[];
}

/** Page `n` of the list: items shaped like runs, ids unique, `next_cursor` until the last. */
function pageText(n: number): string {
  const items = Array.from({ length: PAGE_SIZE }, (_, i) => ({
    ...RESPONSE,
    id: `00000000-0000-4000-8000-${String(n * PAGE_SIZE + i).padStart(12, '0')}`,
  }));
  const last = n === PAGES - 1;
  return JSON.stringify({ items, next_cursor: last ? null : String(n + 1), has_more: !last });
}

function serve(): void {
  const pages = Array.from({ length: PAGES }, (_, n) => pageText(n));
  const server = createServer((req, res) => {
    const cursor = Number(new URL(req.url!, 'http://x').searchParams.get('cursor') ?? 0);
    const body = pages[cursor];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ?? '{}');
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

interface ListOp {
  parameters: { query?: { limit?: number; cursor?: string | null } };
  responses: { 200: { content: { 'application/json': { items: { id: string }[] } } } };
}

/** A list operation as the generator writes one (parameters unchecked: not what is measured). */
const listRuns = paginated(
  operation<ListOp, { input: 'params' }>({
    id: 'listRuns',
    method: 'GET',
    path: '/v1/simulation/runs',
    input: 'params',
    withParams,
    response: 'object',
  }),
  'items',
);

const MiB = 2 ** 20;
const gc = () => (globalThis as { gc?: () => void }).gc!();

async function iterate(url: string, mode: PaginationMode): Promise<PaginationMemory> {
  const core = createFeatherCore({ apiKey: API_KEY, baseUrl: url });
  const kept: unknown[] = [];
  let items = 0;
  let baseline = { rss: 0, heap: 0 };
  let peakRss = 0;
  const samples: PaginationMemory['samples'] = [];
  const start = performance.now();
  const source =
    mode === 'raw fetch loop'
      ? rawPages(url)
      : listRuns(core, { params: { query: { limit: PAGE_SIZE } } });
  for await (const run of source) {
    if (typeof run.id !== 'string') throw new Error('not a run');
    if (mode === 'keep every item (control)') kept.push(run);
    if (++items % PAGE_SIZE !== 0) continue;
    const pages = items / PAGE_SIZE;
    if (pages === 1) {
      gc();
      const m = process.memoryUsage();
      baseline = { rss: m.rss, heap: m.heapUsed };
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (pages % SAMPLE_EVERY === 0) {
      gc();
      const m = process.memoryUsage();
      samples.push({ pages, rssMiB: m.rss / MiB, heapMiB: m.heapUsed / MiB });
    }
  }
  const ms = performance.now() - start;
  gc();
  const retained = process.memoryUsage().heapUsed - baseline.heap;
  if (kept.length !== (mode === 'keep every item (control)' ? items : 0))
    throw new Error('control lost items');
  const heapAt = (pages: number) => samples.find((x) => x.pages === pages)!.heapMiB;
  return {
    items,
    pages: items / PAGE_SIZE,
    ms,
    baselineRssMiB: baseline.rss / MiB,
    baselineHeapMiB: baseline.heap / MiB,
    peakRssGrowthMiB: (peakRss - baseline.rss) / MiB,
    retainedHeapMiB: retained / MiB,
    maxHeapGrowthMiB: Math.max(...samples.map((x) => x.heapMiB)) - baseline.heap / MiB,
    lateHeapGrowthMiB: heapAt(PAGES) - heapAt(100),
    samples,
  };
}

async function* rawPages(url: string) {
  for (let cursor: string | null = '0'; cursor !== null;) {
    const res = await fetch(`${url}/v1/simulation/runs?limit=${PAGE_SIZE}&cursor=${cursor}`, {
      headers: { 'x-api-key': API_KEY },
    });
    const page = (await res.json()) as { items: { id: string }[]; next_cursor: string | null };
    yield* page.items;
    cursor = page.next_cursor;
  }
}

function child(args: string[], stdio: 'pipe' | 'ignore' = 'pipe') {
  return spawn(process.execPath, ['--import', 'tsx', '--expose-gc', SELF, ...args], {
    stdio: ['ignore', stdio, 'inherit'],
    env: { ...process.env, FEATHER_LOG: 'off' },
  });
}

function measure(url: string, mode: PaginationMode): Promise<PaginationMemory> {
  return new Promise((resolve, reject) => {
    const client = child(['client', url, mode]);
    let out = '';
    client.stdout!.on('data', (chunk) => (out += chunk));
    client.on('error', reject);
    client.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`pagination client: ${code}`)),
    );
  });
}

/** Both modes, each in a fresh client process, against one server process. */
export async function benchPaginationMemory(): Promise<Record<PaginationMode, PaginationMemory>> {
  const server = child(['server']);
  try {
    const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
    const { url } = JSON.parse(line) as { url: string };
    return {
      iterate: await measure(url, 'iterate'),
      'keep every item (control)': await measure(url, 'keep every item (control)'),
      'raw fetch loop': await measure(url, 'raw fetch loop'),
    };
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const [role, url, mode] = process.argv.slice(2);
  if (role === 'server') serve();
  else process.stdout.write(JSON.stringify(await iterate(url, mode as PaginationMode)));
}
