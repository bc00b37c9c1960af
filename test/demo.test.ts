/**
 * `npm run demo` from a fresh clone (no FEATHER_API_KEY): on the built-in mock, it dispatches a run
 * and waits until it is final, streams a conversation turn token by token, and lists runs across
 * pages, as README's quick start says.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT } from '../scripts/lib/spec.js';

it('runs on the built-in mock: a run awaited, a turn streamed, runs listed', async () => {
  const env = { ...process.env };
  delete env.FEATHER_API_KEY;
  delete env.FEATHER_BASE_URL;
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'examples/demo.ts')],
    { cwd: ROOT, env, timeout: 60_000 },
  );
  expect(stderr).toBe('');
  expect(stdout).toMatch(
    /^No FEATHER_API_KEY: using the mock Feather server at http:\/\/127\.0\.0\.1:\d+/,
  );
  expect(stdout).toMatch(/1\. A simulation run.*\n {3}run [0-9a-f-]{36}: completed\n/);
  expect(stdout).toContain(
    '   Your order #12345 was shipped on May 13th and is expected to arrive by May 16th.\n',
  );
  expect(stdout).toMatch(/\(turn [0-9a-f-]{36}, session active\)/);
  // Three pages of two: each fetched as the loop reaches it.
  expect(stdout.match(/^ {3}\d+\. [0-9a-f-]{36} \(\w+\)$/gm)).toHaveLength(6);
  expect(stdout).toContain(
    'Rejected before sending:\nInvalid request for POST /v1/simulation/runs',
  );
}, 90_000);
