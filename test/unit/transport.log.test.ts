/**
 * What the retry loop logs at each level, word for word where a user would grep for it: the
 * call's name, its status or error, its attempts, the retry delay and the request id.
 */
import { describe, expect, it } from 'vitest';
import { createFeatherCore, logging, type CoreOptions } from '@featherhq/sdk';
import { rawClient } from '../../src/core/client-fetch.js';
import { configOf } from '../../src/core/core.js';
import { recorder } from '../support/log-recorder.js';
import { closedPort, json, sequence, serve, status } from '../support/loopback.js';
import { createThingNoKey, getThing, type CreateThingOp } from '../support/operations.js';

const KEY = 'sk_test_transportlog_0123456789';
const THING = { id: 't1', status: 'pending' };

function core(url: string, log: ReturnType<typeof recorder>, options: CoreOptions = {}) {
  return createFeatherCore({
    apiKey: KEY,
    baseUrl: url,
    retryBaseDelayMs: 1,
    hooks: [logging({ level: 'debug', logger: log.logger })],
    ...options,
  });
}

const thing = { params: { path: { thing_id: 't1' } } };

describe('the lines of a call', () => {
  it('info: status, duration, attempts; a request id the answer lacks is "none"', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const log = recorder();
    await getThing(core(server.url, log), thing);
    const [line] = log.at('info') as string[];
    const [, ms] =
      /^feather: GET \/things\/\{thing_id\} 200 in (\d+) ms, 1 attempt\(s\), request id none$/.exec(
        line,
      )!;
    expect(Number(ms)).toBeLessThan(5_000);
  });

  it('warn: each retry with its status and its delay, the backoff of the first retry', async () => {
    const server = await serve(sequence(status(503), status(200, {}, THING)));
    const log = recorder();
    await getThing(core(server.url, log, { retryBaseDelayMs: 40 }), thing);
    const [line] = log.at('warn') as string[];
    const [, ms] =
      /^feather: GET \/things\/\{thing_id\}: status 503; retry 1 of 2 in (\d+) ms$/.exec(line)!;
    // The first retry waits the base delay, less up to 25% jitter.
    expect(Number(ms)).toBeGreaterThanOrEqual(30);
    expect(Number(ms)).toBeLessThanOrEqual(40);
  });

  it('warn and error: a connection error is quoted by its message and class', async () => {
    const port = await closedPort();
    const log = recorder();
    const call = getThing(core(`http://127.0.0.1:${port}`, log, { maxRetries: 1 }), thing);
    await expect(call).rejects.toThrow(/ECONNREFUSED/);
    const [warn] = log.at('warn') as string[];
    expect(warn).toMatch(
      /^feather: GET \/things\/\{thing_id\}: GET \/things\/\{thing_id\} failed: ECONNREFUSED .*; retry 1 of 1 in \d+ ms$/,
    );
    expect(log.at('error')).toEqual([
      expect.stringMatching(
        /^feather: GET \/things\/\{thing_id\} failed after 2 attempt\(s\): APIConnectionError: GET \/things\/\{thing_id\} failed: ECONNREFUSED /,
      ),
    ]);
  });

  it('error: the final status with its request id, or "none"', async () => {
    const server = await serve(sequence(status(500)));
    const log = recorder();
    await createThingNoKey(core(server.url, log), { name: 'a' }).catch(() => {});
    const other = await serve(json(400, { error: 'e', message: 'm' }));
    await createThingNoKey(core(other.url, log), { name: 'a' }).catch(() => {});
    expect(log.at('error')).toEqual([
      'feather: POST /things failed after 1 attempt(s): status 500, request id none',
      'feather: POST /things failed after 1 attempt(s): status 400, request id req-1',
    ]);
  });

  it('debug: the request with its body (the key redacted from it) and the answer with its headers', async () => {
    const server = await serve(json(201, THING));
    const log = recorder();
    await createThingNoKey(core(server.url, log), { name: `my key is ${KEY}` });
    const debug = log.lines.filter((l) => l.level === 'debug').map((l) => l.args);
    expect(debug).toEqual([
      [
        `feather: POST /things sending POST ${server.url}/things`,
        {
          headers: expect.objectContaining({ 'x-api-key': '[redacted]' }) as unknown,
          body: '{"name":"my key is [redacted]"}',
        },
      ],
      [
        'feather: POST /things answered 201',
        { headers: expect.objectContaining({ 'x-request-id': 'req-1' }) as unknown },
      ],
    ]);
  });

  it('debug, feather.client: the request as openapi-fetch built it, its body as bytes', async () => {
    const server = await serve(json(201, THING));
    const log = recorder();
    const client = rawClient<{ '/things': { post: CreateThingOp } }>(
      configOf(core(server.url, log)),
      [],
    );
    const { data } = await client.POST('/things', { body: { name: 'a' } });
    expect(data).toEqual(THING);
    const [message, details] = log.lines.find((l) => l.level === 'debug')!.args as [
      string,
      { body: ArrayBuffer },
    ];
    expect(message).toBe(`feather: POST /things sending POST ${server.url}/things`);
    expect(new TextDecoder().decode(details.body)).toBe('{"name":"a"}');
  });
});
