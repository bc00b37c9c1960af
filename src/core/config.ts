/**
 * Client options, their defaults, and the guards that run once at client creation: a missing key,
 * a key about to travel over plain HTTP, a key about to ship to a browser.
 */
import { servers } from '../generated/schema.js';
import { FeatherError } from './errors.js';
import type { ResponseValidators } from './transport.js';

export type Environment = keyof typeof servers;

export interface ClientOptions {
  /**
   * Sent as `x-api-key`. Default: `FEATHER_API_KEY` from the environment (Node, Bun, Deno with
   * `--allow-env`). `null` sends no key at all, for a proxy that adds it.
   */
  apiKey?: string | null;
  /** Default: `FEATHER_BASE_URL` from the environment, else the server of `environment`. */
  baseUrl?: string;
  /** Which of the spec's servers to use. Default: `sandbox`. */
  environment?: Environment;
  /** A `fetch` to use instead of the global one (a proxy agent, a test double, a tracer). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Per attempt, in milliseconds. Default: 60 000. */
  timeoutMs?: number;
  /** Retries of a failed attempt where a retry is safe (see README, Retries). Default: 2. */
  maxRetries?: number;
  /**
   * Also retry when the server may already have done the work (500, 502, 504, a timeout, a
   * connection reset) for POST and PATCH. Can create a second simulation run. Default: false.
   */
  retryAmbiguous?: boolean;
  /**
   * First wait of the exponential backoff between retries, in milliseconds; each retry doubles it
   * (capped at 16x), minus up to 25% jitter. `Retry-After` overrides it. Default: 500.
   */
  retryBaseDelayMs?: number;
  /** Check request bodies against openapi.json before sending. Default: true. */
  validate?: boolean;
  /** Check 2xx bodies against openapi.json. Default: false. */
  validateResponses?: boolean;
  /**
   * What `validateResponses` checks with. createFeatherClient includes them; with createFeatherCore,
   * import `responseValidators` from `@featherhq/sdk` and pass it (only apps that do ship them).
   */
  responseValidators?: ResponseValidators;
  /** Allow a key in browser code, where every visitor can read it. Default: false. */
  dangerouslyAllowBrowser?: boolean;
}

/** Per call; each overrides the client's option of the same name. */
export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  retryAmbiguous?: boolean;
  validate?: boolean;
  validateResponses?: boolean;
  headers?: Record<string, string>;
}

/** What the transport needs; kept out of reach of `JSON.stringify` and `util.inspect`. */
export interface Config {
  baseUrl: string;
  apiKey: string | null;
  headers: Record<string, string>;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  retryAmbiguous: boolean;
  retryBaseDelayMs: number;
  validate: boolean;
  validateResponses: boolean;
  responseValidators: ResponseValidators | undefined;
}

/** An environment variable, where the runtime has them and lets us read them. */
function readEnv(name: string): string | undefined {
  const g = globalThis as any;
  try {
    return g.process?.env?.[name] ?? g.Deno?.env?.get(name);
  } catch {
    return undefined; // Deno without --allow-env
  }
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function resolveConfig(options: ClientOptions = {}): Config {
  const apiKey = options.apiKey === undefined ? readEnv('FEATHER_API_KEY') : options.apiKey;
  if (apiKey === undefined || apiKey === '') {
    throw new FeatherError(
      'No API key: pass `apiKey` or set FEATHER_API_KEY (`apiKey: null` sends none, for a proxy that adds it).',
    );
  }
  // fetch rejects such a header with an error that quotes it: the key would reach a log.
  if (apiKey !== null && /[^\x21-\x7e]/.test(apiKey)) {
    throw new FeatherError('API key has whitespace or control characters');
  }
  const environment = options.environment ?? 'sandbox';
  const baseUrl = options.baseUrl ?? readEnv('FEATHER_BASE_URL') ?? servers[environment];
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new FeatherError(
      `No valid base URL: baseUrl ${baseUrl}, environment ${environment} (one of ${Object.keys(servers)})`,
    );
  }
  if (apiKey !== null && url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new FeatherError(
      `Refusing to send the API key over plain HTTP to ${url.host}: use https://`,
    );
  }
  const g = globalThis as any;
  if (
    apiKey !== null &&
    !options.dangerouslyAllowBrowser &&
    typeof g.window?.document !== 'undefined'
  ) {
    throw new FeatherError(
      'Refusing to use an API key in a browser, where visitors can read it: pass `dangerouslyAllowBrowser: true` to accept the risk.',
    );
  }
  const fetchImpl = options.fetch ?? g.fetch;
  if (typeof fetchImpl !== 'function')
    throw new FeatherError('No fetch: pass `fetch` in the options.');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...options.headers,
  };
  if (apiKey !== null) headers['x-api-key'] = apiKey;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey,
    headers,
    // Bound, so that `this` is right in browsers, whose fetch throws "Illegal invocation" otherwise.
    fetch: options.fetch ?? fetchImpl.bind(globalThis),
    timeoutMs: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    retryAmbiguous: options.retryAmbiguous ?? false,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    validate: options.validate ?? true,
    validateResponses: options.validateResponses ?? false,
    responseValidators: options.responseValidators,
  };
}
