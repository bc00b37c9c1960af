/** The API key goes only into `x-api-key`: never into an error, a log, JSON or util.inspect output. */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { APIError, createFeatherClient, createFeatherCore, FeatherError } from '@featherhq/sdk';
import { startMockServer, type MockServer } from '@featherhq/sdk/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const KEY = `sk_live_${randomUUID().replace(/-/g, '')}`;
let echo: MockServer;
beforeAll(async () => {
  // A careless server (or proxy) that echoes the key it got in every error.
  echo = await startMockServer({
    apiKey: KEY,
    handler: (request) => ({
      status: 401,
      body: { error: 'unauthorized', message: `bad key ${request.headers['x-api-key']}` },
      headers: { 'x-echo': String(request.headers['x-api-key']) },
    }),
  });
});
afterAll(() => echo.close());

const ids = () => ({ agent_id: randomUUID(), persona_id: randomUUID(), scenario_id: randomUUID() });

function expectNoKey(value: unknown): void {
  for (const text of [
    String(value),
    inspect(value, { depth: 10, showHidden: true, getters: true }),
    JSON.stringify(value, (_k, v) => (typeof v === 'function' ? String(v) : v)) ?? '',
    value instanceof Error ? `${value.message}\n${value.stack}` : '',
  ]) {
    expect(text).not.toContain(KEY);
  }
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the key stays secret', () => {
  it('is not in the client, its raw client or a core', () => {
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: echo.url });
    expectNoKey(feather);
    expectNoKey(feather.client);
    expectNoKey(createFeatherCore({ apiKey: KEY, baseUrl: echo.url }));
  });

  it('is redacted from an API error even when the server echoes it', async () => {
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: echo.url, maxRetries: 0 });
    const error = await feather.dispatchSimulationRun(ids()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeatherError);
    expect((error as Error).message).toBe('401 bad key [redacted]');
    expect(echo.requests.at(-1)?.headers['x-api-key']).toBe(KEY);
    expect((error as APIError).body).toEqual({
      error: 'unauthorized',
      message: 'bad key [redacted]',
    });
    expect((error as APIError).headers.get('x-echo')).toBe('[redacted]');
    expectNoKey(error);
  });

  it('is redacted when echoed percent-encoded or escaped in JSON text', async () => {
    // A key with characters that a URL encodes and JSON escapes.
    const key = `sk+live/${randomUUID()}"\\`;
    const echoes = await startMockServer({
      apiKey: key,
      handler: () => ({
        status: 400,
        body: { error: 'bad_request', message: `see /v1/keys?key=${encodeURIComponent(key)}` },
        headers: { location: `/login?key=${encodeURIComponent(key)}` },
      }),
    });
    try {
      const feather = createFeatherClient({ apiKey: key, baseUrl: echoes.url, maxRetries: 0 });
      const error = (await feather
        .dispatchSimulationRun(ids())
        .catch((e: unknown) => e)) as APIError;
      expect(error.message).toBe('400 see /v1/keys?key=[redacted]');
      expect(error.headers.get('location')).toBe('/login?key=[redacted]');
      // The raw body held the key JSON-escaped; the parsed body must not hold it either.
      const json = await createFeatherClient({ apiKey: key, baseUrl: echoes.url, maxRetries: 0 })
        .client.POST('/v1/simulation/runs', { body: { ...ids() } as never })
        .then((r) => JSON.stringify(r.error));
      expect(json).not.toContain(encodeURIComponent(key));
      for (const text of [inspect(error, { depth: 10 }), JSON.stringify(error), error.stack]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(encodeURIComponent(key));
      }
    } finally {
      await echoes.close();
    }
  });

  it('redacts a key echoed raw in JSON text, which parsing would restore', async () => {
    const key = `sk_live_${randomUUID()}"quoted"`;
    const echoes = await startMockServer({
      apiKey: key,
      handler: () => ({ status: 403, body: { error: 'forbidden', message: `key ${key}` } }),
    });
    try {
      const feather = createFeatherClient({ apiKey: key, baseUrl: echoes.url, maxRetries: 0 });
      const error = (await feather
        .dispatchSimulationRun(ids())
        .catch((e: unknown) => e)) as APIError;
      expect(error.body).toEqual({ error: 'forbidden', message: 'key [redacted]' });
      expect(JSON.stringify(error)).not.toContain(JSON.stringify(key).slice(1, -1));
    } finally {
      await echoes.close();
    }
  });

  it('is not in a connection error', async () => {
    const feather = createFeatherClient({
      apiKey: KEY,
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      maxRetries: 0,
    });
    const error = await feather.dispatchSimulationRun(ids()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeatherError);
    expectNoKey(error);
  });

  it('is not in a validation error', async () => {
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: echo.url });
    const error = await feather
      .dispatchSimulationRun({ ...ids(), agent_id: KEY })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeatherError);
    expect(echo.requests.at(-1)?.rawBody ?? '').not.toContain(`"agent_id":"${KEY}"`);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('is never logged', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {}),
    );
    try {
      const feather = createFeatherClient({ apiKey: KEY, baseUrl: echo.url, maxRetries: 0 });
      await feather.dispatchSimulationRun(ids()).catch(() => {});
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('guards at client creation', () => {
  it('refuses to send a key over plain http to anything but loopback', () => {
    for (const baseUrl of [
      'http://api.featherhq.com',
      'http://10.0.0.5:8000',
      'http://localhost.evil.test',
    ]) {
      expect(() => createFeatherClient({ apiKey: KEY, baseUrl })).toThrow(
        /Refusing to send the API key over plain HTTP/,
      );
    }
    for (const baseUrl of [
      'http://localhost:8000',
      'http://127.0.0.1:9',
      'http://[::1]:8000',
      'https://x.test',
    ]) {
      expect(createFeatherClient({ apiKey: KEY, baseUrl }).baseUrl).toBe(baseUrl);
    }
  });

  it('refuses a key that fetch would quote back in its own error', () => {
    for (const apiKey of [`${KEY}\n`, ` ${KEY}`, `${KEY.slice(0, 8)}\r${KEY.slice(8)}`]) {
      let error: unknown;
      try {
        createFeatherClient({ apiKey, baseUrl: echo.url });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FeatherError);
      expect((error as Error).message).toMatch(/whitespace or control characters/);
      expectNoKey(error);
    }
  });

  it('refuses to start without a key unless told to send none', async () => {
    const saved = process.env.FEATHER_API_KEY;
    delete process.env.FEATHER_API_KEY;
    try {
      expect(() => createFeatherClient()).toThrow(
        /No API key: pass `apiKey` or set FEATHER_API_KEY/,
      );
      expect(() => createFeatherClient({ apiKey: '' })).toThrow(/No API key/);
      // apiKey: null is the explicit opt-out (a proxy adds the key): no header is sent at all.
      const feather = createFeatherClient({ apiKey: null, baseUrl: echo.url, maxRetries: 0 });
      await feather.dispatchSimulationRun(ids()).catch(() => {});
      expect(echo.requests.at(-1)?.headers).not.toHaveProperty('x-api-key');
    } finally {
      if (saved !== undefined) process.env.FEATHER_API_KEY = saved;
    }
  });

  it('refuses a key in a browser page unless dangerouslyAllowBrowser is set', () => {
    // The real page is tested in Chromium (test/runtimes); this pins the rule itself.
    vi.stubGlobal('window', { document: {} });
    try {
      expect(() => createFeatherClient({ apiKey: KEY })).toThrow(/in a browser/);
      expect(() =>
        createFeatherClient({ apiKey: KEY, dangerouslyAllowBrowser: true }),
      ).not.toThrow();
      expect(() => createFeatherClient({ apiKey: null })).not.toThrow();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
