/**
 * Client options: where the base URL and key come from, the guards that run at client creation,
 * and a spec without servers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeatherCore, dispatchSimulationRun, DEFAULTS, FeatherError } from '@featherhq/sdk';
import { resolveConfig, type ClientOptions } from '../../src/core/options.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

// Servers as a spec lists them, given here rather than read from openapi.json: a later spec may
// list others, or none.
const SERVERS = { sandbox: 'https://api-sandbox.featherhq.com', local: 'http://localhost:8000' };

describe('client options', () => {
  const core = (options: ClientOptions<keyof typeof SERVERS>) =>
    resolveConfig({ apiKey: 'sk_test_options', ...options }, SERVERS);
  const refusal = (options: ClientOptions<keyof typeof SERVERS>) => {
    try {
      core(options);
    } catch (error) {
      expect(error).toBeInstanceOf(FeatherError);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('picks the base URL from the option, the environment name or the default', () => {
    expect(core({}).baseUrl).toBe('https://api-sandbox.featherhq.com');
    expect(core({ environment: 'local' }).baseUrl).toBe('http://localhost:8000');
    expect(core({ baseUrl: 'https://proxy.example.com/feather///' }).baseUrl).toBe(
      'https://proxy.example.com/feather',
    );
    expect(refusal({ environment: 'staging' as never })).toBe(
      'Unknown environment staging: one of sandbox,local',
    );
    expect(refusal({ baseUrl: 'not a url' })).toBe('baseUrl not a url is not a valid URL');
  });

  it('sends a key over plain http only to loopback', () => {
    for (const url of [
      'http://localhost:8000',
      'http://LOCALHOST',
      'http://127.0.0.1:1',
      'http://127.100.200.255',
      'http://[::1]:8000',
    ]) {
      expect(refusal({ baseUrl: url }), url).toBe('accepted');
    }
    for (const url of [
      'http://notlocalhost',
      'http://localhost.example.com',
      'http://127.0.0.1.example.com',
      'http://10.0.0.1',
      'http://[::2]',
    ]) {
      expect(refusal({ baseUrl: url }), url).toMatch(
        /^Refusing to send the API key over plain HTTP/,
      );
    }
    // No key, nothing to leak: a proxy on the private network that adds the key itself.
    expect(refusal({ apiKey: null, baseUrl: 'http://proxy.internal' })).toBe('accepted');
  });

  it('needs a fetch', () => {
    expect(refusal({ fetch: 'not a function' as unknown as typeof fetch })).toBe(
      'No fetch: pass `fetch` in the options.',
    );
    // A runtime without a global fetch: the same error, not a TypeError from binding it.
    vi.stubGlobal('fetch', undefined);
    expect(refusal({})).toBe('No fetch: pass `fetch` in the options.');
  });

  it('an operation needs a client made by the SDK', async () => {
    await expect(dispatchSimulationRun({ baseUrl: 'https://x' }, {} as never)).rejects.toThrow(
      'Not a Feather client: create one with createFeatherClient()',
    );
  });

  it('a spec without servers: no baseUrl is an error naming baseUrl and FEATHER_BASE_URL', () => {
    vi.stubEnv('FEATHER_BASE_URL', '');
    delete process.env.FEATHER_BASE_URL;
    expect(() => resolveConfig({ apiKey: 'k' }, {})).toThrow(
      'No server to talk to: the spec lists none, so pass `baseUrl` or set FEATHER_BASE_URL.',
    );
    expect(resolveConfig({ apiKey: 'k', baseUrl: 'https://feather.example' }, {}).baseUrl).toBe(
      'https://feather.example',
    );
    vi.stubEnv('FEATHER_BASE_URL', 'https://env.example/');
    expect(resolveConfig({ apiKey: 'k' }, {}).baseUrl).toBe('https://env.example');
  });

  it('every option with a default takes it from DEFAULTS, and undefined means the default', () => {
    const config = resolveConfig({
      apiKey: 'k',
      baseUrl: 'https://x.example',
      timeoutMs: undefined,
      maxRetries: 5,
    });
    expect(config.timeoutMs).toBe(DEFAULTS.timeoutMs);
    expect(config.maxRetries).toBe(5);
    expect(config.retryBaseDelayMs).toBe(DEFAULTS.retryBaseDelayMs);
    expect(config.validate).toBe(true);
  });

  it('a header set to null is not sent; the key is never in the headers JSON sees', () => {
    const core = createFeatherCore({ apiKey: 'sk_test_hidden', headers: { a: '1', b: null } });
    expect(JSON.stringify(core)).not.toContain('sk_test_hidden');
    expect(
      resolveConfig({ apiKey: 'k', baseUrl: 'https://x.example', headers: { a: '1', b: null } })
        .headers,
    ).toEqual({
      a: '1',
      'x-api-key': 'k',
    });
  });
});
