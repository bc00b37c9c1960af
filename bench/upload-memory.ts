/**
 * Memory while uploading a large file: a 512 MiB file on disk goes to a loopback server (its own
 * process) that discards the body. Each upload runs in a fresh client process that samples its RSS
 * every 5 ms during the upload and reports the peak over its baseline (taken after a warm-up call
 * and a GC). 3 rounds per mode, modes interleaved; the table gives the median and the worst.
 * Target: the SDK's upload grows RSS by less than 64 MiB.
 *
 * Modes: the SDK's `multipart` body as the transport sends it (`redirect: 'error'`), from a file
 * opened with `fs.openAsBlob` and from a ReadableStream of the file; and a control, a plain FormData
 * fetch with fetch's defaults, where Node's fetch keeps a copy of the body in case of a redirect.
 *
 * Run as a script: `upload-memory.ts` alone prints the table; `upload-memory.ts server` serves,
 * `upload-memory.ts client URL FILE MODE` is the measured client and prints its figures as JSON.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, openAsBlob } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { multipart } from '../src/core/uploads.js';
import { median, rotate, spread } from './stats.js';

const SELF = fileURLToPath(import.meta.url);
const FILE_MIB = 512;
const MiB = 1024 * 1024;
const TARGET_MIB = 64;
const ROUNDS = 3;

export const UPLOAD_MODES = [
  'SDK multipart, fs.openAsBlob',
  'SDK multipart, ReadableStream',
  'plain FormData, fetch defaults (control)',
] as const;
export type UploadMode = (typeof UPLOAD_MODES)[number];

export interface UploadMemory {
  fileMiB: number;
  /** Bytes the server received: the file and the multipart framing. */
  receivedBytes: number;
  ms: number;
  mibPerS: number;
  baselineRssMiB: number;
  /** The highest RSS seen during the upload, over the baseline. */
  peakRssGrowthMiB: number;
  samples: number;
}

/** The server: reads and drops every body, answers with the number of bytes it got. */
function serve(): void {
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.writeHead(200).end(String(bytes)));
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
}

async function request(mode: UploadMode, file: string): Promise<RequestInit> {
  if (mode === 'plain FormData, fetch defaults (control)') {
    const form = new FormData();
    form.append('audio', await openAsBlob(file), 'call.wav');
    form.append('metadata', '{}');
    return { body: form };
  }
  const audio =
    mode === 'SDK multipart, fs.openAsBlob'
      ? await openAsBlob(file)
      : (Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
  const { body, headers, duplex } = await multipart(
    ['audio'],
    'ingestVoiceCall',
  )({
    audio,
    metadata: '{}',
  });
  // As the transport sends an upload: never following a redirect.
  return { body, headers, duplex, redirect: 'error' } as RequestInit;
}

/** The measured client: one warm-up call, a GC, then the upload under an RSS sampler. */
async function upload(url: string, file: string, mode: UploadMode): Promise<UploadMemory> {
  await fetch(url, { method: 'POST', body: 'warm-up' }).then((r) => r.text());
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  let samples = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    samples++;
  }, 5);
  const started = performance.now();
  const init = await request(mode, file);
  const response = await fetch(`${url}/v1/voice/calls`, { method: 'POST', ...init });
  const receivedBytes = Number(await response.text());
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    fileMiB: FILE_MIB,
    receivedBytes,
    ms,
    mibPerS: FILE_MIB / (ms / 1000),
    baselineRssMiB: baseline / MiB,
    peakRssGrowthMiB: (peak - baseline) / MiB,
    samples,
  };
}

function measure(url: string, file: string, mode: UploadMode): Promise<UploadMemory> {
  const args = ['--expose-gc', '--import', 'tsx', SELF, 'client', url, file, mode];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${mode}: client exited ${code}`)),
    );
  });
}

/** A file of FILE_MIB MiB, not all zeros (1 MiB of varied bytes, repeated). */
async function writeFile(path: string): Promise<void> {
  const block = Buffer.alloc(MiB, 0);
  for (let i = 0; i < MiB; i++) block[i] = (i * 2654435761) >>> 24;
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < FILE_MIB; i++) await handle.write(block);
  } finally {
    await handle.close();
  }
}

export async function runUploadMemoryBench(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'feather-upload-bench-'));
  const file = join(dir, 'call.wav');
  const server = spawn(process.execPath, ['--import', 'tsx', SELF, 'server'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await writeFile(file);
    const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
    const { url } = JSON.parse(line) as { url: string };
    const modes = Object.fromEntries(UPLOAD_MODES.map((m) => [m, [] as UploadMemory[]]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of rotate(UPLOAD_MODES, round))
        modes[mode].push(await measure(url, file, mode));
    }
    return { fileMiB: FILE_MIB, targetMiB: TARGET_MIB, node: process.version, modes };
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
    await rm(dir, { recursive: true, force: true });
  }
}

export function uploadMemoryTable(result: Record<string, unknown>): string {
  const modes = result.modes as Record<UploadMode, UploadMemory[]>;
  const rows = Object.entries(modes).map(([mode, runs]) => {
    const growth = spread(runs.map((r) => r.peakRssGrowthMiB));
    const received = Math.min(...runs.map((r) => r.receivedBytes)) / MiB;
    return (
      `| ${mode} | ${growth.median.toFixed(1)} | ${growth.max.toFixed(1)} | ` +
      `${median(runs.map((r) => r.baselineRssMiB)).toFixed(0)} | ${received.toFixed(1)} | ` +
      `${median(runs.map((r) => r.mibPerS)).toFixed(0)} |`
    );
  });
  return [
    `${FILE_MIB} MiB file, ${ROUNDS} rounds; target: RSS growth < ${TARGET_MIB} MiB`,
    '',
    '| mode | peak RSS growth, median (MiB) | worst (MiB) | baseline RSS (MiB) | received (MiB) | MiB/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const [role, url, file, mode] = process.argv.slice(2);
  if (role === 'server') serve();
  else if (role === 'client') {
    process.stdout.write(JSON.stringify(await upload(url, file, mode as UploadMode)));
  } else console.log(uploadMemoryTable(await runUploadMemoryBench()));
}
