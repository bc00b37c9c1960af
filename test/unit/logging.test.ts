/**
 * Logging: what each level says, where it goes, and that the key never appears at any level,
 * not even a prefix of it, nor any header that carries a credential.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFeatherClient,
  createFeatherCore,
  FeatherError,
  logging,
  type Logger,
  type LogLevel,
} from '@featherhq/sdk';
import { recorder } from '../support/log-recorder.js';
import { raw, sequence, serve, status } from '../support/loopback.js';
import { getThing, ping } from '../support/operations.js';

const KEY = 'sk_live_logging_SECRET_0123456789';
const body = () => ({
  agent_id: randomUUID(),
  persona_id: randomUUID(),
  scenario_id: randomUUID(),
});

const client = (url: string, logLevel: LogLevel, logger: Logger) =>
  createFeatherClient({ apiKey: KEY, baseUrl: url, retryBaseDelayMs: 1, logLevel, logger });

// The suite runs with FEATHER_LOG=off (vitest.config.ts): here, as an app would, without it.
beforeEach(() => vi.stubEnv('FEATHER_LOG', ''));
afterEach(() => vi.unstubAllEnvs());

describe('log levels', () => {
  it('warn (the default): retries, nothing for a plain call', async () => {
    const server = await serve(sequence(status(503), status(201, {}, { id: 'r1' })));
    const log = recorder();
    const feather = createFeatherClient({
      apiKey: KEY,
      baseUrl: server.url,
      retryBaseDelayMs: 1,
      logger: log.logger,
    });
    await feather.dispatchSimulationRun(body());
    await feather.dispatchSimulationRun(body());
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
    expect(log.lines[0].args[0]).toMatch(
      /^feather: POST \/v1\/simulation\/runs: status 503; retry 1 of 2 in \d+ ms$/,
    );
  });

  it('info: one line per call with the operation, status, duration, attempts and request id', async () => {
    const server = await serve(
      sequence(status(503), status(201, { 'x-request-id': 'req-abc' }, { id: 'r1' })),
    );
    const log = recorder();
    await client(server.url, 'info', log.logger).dispatchSimulationRun(body());
    const info = log.lines.filter((l) => l.level === 'info').map((l) => l.args[0]);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatch(
      /^feather: POST \/v1\/simulation\/runs 201 in \d+ ms, 2 attempt\(s\), request id req-abc$/,
    );
  });

  it('error: a call that fails, with its error class', async () => {
    const server = await serve(sequence(status(500, {}, { error: 'boom', message: 'exploded' })));
    const log = recorder();
    await client(server.url, 'error', log.logger)
      .dispatchSimulationRun(body())
      .catch(() => {});
    await client(server.url, 'error', log.logger)
      .dispatchSimulationRun({} as never)
      .catch(() => {});
    expect(log.lines).toHaveLength(1);
  });

  it('error: a retry is not a line, and neither is a call that never reached the server', async () => {
    const server = await serve(sequence(status(503), status(201, {}, { id: 'r1' })));
    const log = recorder();
    await client(server.url, 'error', log.logger).dispatchSimulationRun(body());
    expect(server.requests).toBe(2);
    expect(log.lines).toEqual([]);
  });

  it('info: no line for a call that throws before or after its answer', async () => {
    const server = await serve(sequence(raw(201, 'not json')));
    const log = recorder();
    const feather = client(server.url, 'info', log.logger);
    await expect(feather.dispatchSimulationRun({} as never)).rejects.toThrow(/Invalid request/);
    await expect(feather.dispatchSimulationRun(body())).rejects.toThrow(/not valid JSON/);
    expect(server.requests).toBe(1);
    expect(log.lines).toEqual([]);
  });

  it('debug: each attempt, with headers and bodies', async () => {
    const server = await serve(sequence(status(503), status(201, {}, { id: 'r1' })));
    const log = recorder();
    await client(server.url, 'debug', log.logger).dispatchSimulationRun(body());
    const debug = log.lines.filter((l) => l.level === 'debug');
    expect(debug.map((l) => String(l.args[0]).replace(/ http\S+/, ''))).toEqual([
      'feather: POST /v1/simulation/runs sending POST',
      'feather: POST /v1/simulation/runs answered 503',
      'feather: POST /v1/simulation/runs sending POST',
      'feather: POST /v1/simulation/runs answered 201',
    ]);
    const [, details] = debug[0].args as [
      string,
      { headers: Record<string, string>; body: string },
    ];
    expect(details.headers['content-type']).toBe('application/json');
    // A credential header is listed, so its presence shows, but never its value.
    expect(details.headers['x-api-key']).toBe('[redacted]');
    expect(JSON.parse(details.body)).toHaveProperty('agent_id');
  });

  it('off: nothing at all; FEATHER_LOG sets the level where no logLevel is given', async () => {
    const server = await serve(sequence(status(503), status(201, {}, { id: 'r1' })));
    const log = recorder();
    await client(server.url, 'off', log.logger).dispatchSimulationRun(body());
    expect(log.lines).toEqual([]);
    vi.stubEnv('FEATHER_LOG', 'info');
    const fromEnv = createFeatherClient({ apiKey: KEY, baseUrl: server.url, logger: log.logger });
    await fromEnv.dispatchSimulationRun(body());
    expect(log.lines.map((l) => l.level)).toEqual(['info']);
  });

  it('with FEATHER_LOG set and no logger, lines go to console', async () => {
    const server = await serve(sequence(status(201, {}, { id: 'r1' })));
    vi.stubEnv('FEATHER_LOG', 'info');
    const spy = vi.spyOn(console, 'info').mockImplementation(() => {});
    await createFeatherClient({ apiKey: KEY, baseUrl: server.url }).dispatchSimulationRun(body());
    expect(spy).toHaveBeenCalledOnce();
    spy.mockRestore();
  });

  it('an unknown level is refused, naming the allowed ones', () => {
    expect(() => createFeatherClient({ apiKey: KEY, logLevel: 'verbose' as never })).toThrow(
      FeatherError,
    );
    expect(() => logging({ level: 'verbose' as never })).toThrow(FeatherError);
    vi.stubEnv('FEATHER_LOG', 'loud');
    expect(() => createFeatherClient({ apiKey: KEY })).toThrow(
      /logLevel "loud" is not one of off, error,warn,info,debug/,
    );
    // A core without the logging hook does not read FEATHER_LOG at all.
    expect(() => createFeatherCore({ apiKey: KEY })).not.toThrow();
  });

  it('a deprecated operation warns once per client', async () => {
    const server = await serve((_req, res) => (res.writeHead(204), res.end()));
    const log = recorder();
    const core = createFeatherCore({
      apiKey: KEY,
      baseUrl: server.url,
      hooks: [logging({ logger: log.logger })],
    });
    await ping(core);
    await ping(core);
    expect(log.lines.map((l) => [l.level, l.args[0]])).toEqual([
      ['warn', 'feather: ping is deprecated: see the spec for its replacement'],
    ]);
  });
});

describe('the key never reaches a log line', () => {
  it.each(['error', 'warn', 'info', 'debug'] as const)(
    'at %s, even when the server echoes it',
    async (level) => {
      const echo = `bad key ${KEY} (prefix ${KEY.slice(0, 12)})`;
      const server = await serve(
        sequence(
          raw(503, echo),
          status(
            401,
            { 'x-echo': KEY, 'set-cookie': `k=${KEY}` },
            { error: 'unauthorized', message: echo },
          ),
        ),
      );
      const log = recorder();
      const feather = client(server.url, level, log.logger);
      await feather.dispatchSimulationRun(body()).catch(() => {});
      await getThing(
        createFeatherCore({
          apiKey: KEY,
          baseUrl: `${server.url}/`,
          hooks: [logging({ level, logger: log.logger })],
        }),
        { params: { path: { thing_id: KEY } } },
      ).catch(() => {});
      expect(log.lines.length).toBeGreaterThan(0);
      const text = log.text();
      expect(text).not.toContain(KEY.slice(0, 12));
      expect(text).not.toMatch(/sk_live/);
    },
  );
});
