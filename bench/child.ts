/**
 * The measured process, bundled and run by plain `node` (bench/runner.ts), on the installed
 * package. Prints its figures as JSON:
 * - `child.js cpu ROUNDS TIME`: CPU per call of every variant (bench/cpu.ts);
 * - `child.js middleware ROUNDS TIME`: the same with and without middleware (bench/middleware.ts);
 * - `child.js otel ROUNDS TIME`: the same with and without `@featherhq/sdk/otel` (bench/otel.ts);
 * - `child.js loopback VARIANT CONCURRENCY MS URL`: one throughput measurement (bench/loopback.ts).
 */
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as sdk from '@featherhq/sdk';
import * as otel from '@featherhq/sdk/otel';
import { BASE_URL, benchRounds, inMemoryFetch } from './cpu.js';
import { signalVariants, throughput, type LoopbackVariant } from './loopback.js';
import { MIDDLEWARE_VARIANTS, middlewareVariants } from './middleware.js';
import { OTEL_VARIANTS, otelVariants } from './otel.js';
import { peerModules } from './peers.js';
import { makeVariants, VARIANT_NAMES } from './variants.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const [mode, ...args] = process.argv.slice(2);
const print = (value: unknown) => process.stdout.write(JSON.stringify(value));

if (mode === 'cpu') {
  const variants = makeVariants(sdk, await peerModules(HERE), inMemoryFetch, BASE_URL);
  print(await benchRounds(VARIANT_NAMES, variants, { rounds: +args[0], time: +args[1] }));
} else if (mode === 'middleware') {
  const before = await import(pathToFileURL(`${HERE}/before.js`).href);
  const variants = middlewareVariants(sdk, before);
  print(await benchRounds(MIDDLEWARE_VARIANTS, variants, { rounds: +args[0], time: +args[1] }));
} else if (mode === 'otel') {
  const { calls, spans } = otelVariants(sdk, otel);
  const result = await benchRounds(OTEL_VARIANTS, calls, { rounds: +args[0], time: +args[1] });
  // Two spans per call (the call's and its attempt's) reached the processor: the SDK did work.
  if (spans() < 2) throw new Error('the real SDK recorded no span');
  print(result);
} else if (mode === 'loopback') {
  const [name, concurrency, ms, url] = args;
  const variants = {
    ...makeVariants(sdk, await peerModules(HERE), fetch, url),
    ...signalVariants(url),
  };
  const call = variants[name as LoopbackVariant];
  // Warm up (JIT, connection pool) before anything counts.
  await throughput(call, +concurrency, 300);
  print(await throughput(call, +concurrency, +ms));
} else {
  throw new Error(`unknown mode ${mode}`);
}
