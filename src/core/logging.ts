/**
 * Logging: console-style calls (`(message, ...details)`) to any logger with console's four
 * methods, so console, pino and winston fit. Levels a client did not enable cost one check.
 */
import { FeatherError, redact } from './errors.js';

/** How much the SDK logs: each level includes those before it. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Any logger with console's four methods (console, pino, winston): called `(message, ...details)`. */
export interface Logger {
  /** A call that failed, with its error. */
  error(message: string, ...details: unknown[]): void;
  /** A retry and its reason; the first call of a deprecated operation. */
  warn(message: string, ...details: unknown[]): void;
  /** One line per call: operation, status, duration, attempts, request id. */
  info(message: string, ...details: unknown[]): void;
  /** Each attempt, with its headers and body (credentials redacted). */
  debug(message: string, ...details: unknown[]): void;
}

/** The methods of the enabled levels; a disabled level is undefined (`log.debug?.(...)`). */
export type Log = Partial<Logger>;

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

export function createLog(level: string, logger: Logger): Log {
  // 'off' is no level: its rank, -1, enables none.
  const rank = LEVELS.indexOf(level as never);
  if (rank < 0 && level !== 'off') {
    throw new FeatherError(`logLevel ${JSON.stringify(level)} is not one of off, ${LEVELS}`);
  }
  const log: Log = {};
  for (const name of LEVELS.slice(0, rank + 1)) {
    log[name] = (message, ...details) => logger[name](`feather: ${message}`, ...details);
  }
  return log;
}

/** Headers that carry credentials: never logged, whatever their value. */
const CREDENTIALS = /^(x-api-key|authorization|proxy-authorization|cookie|set-cookie)$/i;

/** Headers as a plain object for a log line, with credentials and any echo of the key masked. */
export function loggableHeaders(
  headers: HeadersInit,
  secret: string | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = CREDENTIALS.test(name) ? '[redacted]' : redact(value, secret);
  });
  return out;
}
