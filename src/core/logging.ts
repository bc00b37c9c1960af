/**
 * Logging, as a hook: console-style calls (`(message, ...details)`) to any logger with console's
 * four methods, so console, pino and winston fit. createFeatherClient installs it from its
 * `logLevel` and `logger` options; a createFeatherCore app passes `hooks: [logging()]`, and one
 * that does not ships none of this. Levels a client did not enable cost nothing per call.
 */
import { APIConnectionError, FeatherError } from './errors.js';
import type {
  AttemptInfo,
  AttemptObserver,
  CallEnd,
  CallInfo,
  CallObserver,
  Hook,
  RetryInfo,
} from './hooks.js';
import { DEFAULTS, type Logger, type LogLevel } from './options.js';
import { readEnv } from '../internal/env.js';

/** The options of `logging()`. */
export interface LoggingOptions {
  /**
   * `off`, `error` (failed calls), `warn` (retries, deprecated operations), `info` (one line per
   * call), `debug` (each attempt, with headers and bodies; credentials redacted).
   * @default FEATHER_LOG from the environment, else 'warn'
   */
  level?: LogLevel;
  /** Where lines go: any object with console's four methods (pino, winston). @default console */
  logger?: Logger;
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** The methods of the enabled levels; a disabled level is undefined (`log.debug?.(...)`). */
function createLog(level: string, logger: Logger): Partial<Logger> {
  // 'off' is no level: its rank, -1, enables none.
  const rank = LEVELS.indexOf(level as never);
  if (rank < 0 && level !== 'off') {
    throw new FeatherError(`logLevel ${JSON.stringify(level)} is not one of off, ${LEVELS}`);
  }
  const log: Partial<Logger> = {};
  for (const name of LEVELS.slice(0, rank + 1)) {
    log[name] = (message, ...details) => logger[name](`feather: ${message}`, ...details);
  }
  return log;
}

/**
 * The hook that logs each call at the level asked: `createFeatherCore({ hooks: [logging()] })`.
 * The key never appears in a line: credential headers are masked, any echo of it redacted.
 */
export function logging({ level, logger = console }: LoggingOptions = {}): Hook {
  const log = createLog(level ?? (readEnv('FEATHER_LOG') || DEFAULTS.logLevel), logger);
  /** Operations already warned about as deprecated, so that each warns once per hook. */
  const warned = new Set<string | undefined>();
  if (!log.error) return {};
  return {
    call(call) {
      const { operationId, deprecated } = call;
      if (deprecated && log.warn && !warned.has(operationId)) {
        warned.add(operationId);
        log.warn(`${operationId} is deprecated: see the spec for its replacement`);
      }
      return new CallLog(log, call);
    },
  };
}

const requestId = (response: Response) => response.headers.get('x-request-id') ?? 'none';

/** One call's lines: one object per call, whose methods are shared. */
class CallLog implements CallObserver {
  /** Each attempt, with its headers and body: only at `debug`. */
  readonly attempt?: CallObserver['attempt'];
  /** For the `info` line's duration. */
  private readonly started: number;

  constructor(
    private readonly log: Partial<Logger>,
    private readonly call: CallInfo,
  ) {
    const { debug } = log;
    if (debug) this.attempt = (attempt) => debugAttempt(debug, call, attempt);
    this.started = log.info ? Date.now() : 0;
  }

  retry({ attempt, maxRetries, delayMs, response, error }: RetryInfo): void {
    const why = error ? error.message : `status ${response!.status}`;
    this.log.warn?.(
      `${this.call.name}: ${why}; retry ${attempt} of ${maxRetries} in ${Math.round(delayMs)} ms`,
    );
  }

  end({ attempts, response, error }: CallEnd): void {
    const { name } = this.call;
    const failed = `${name} failed after ${attempts} attempt(s): `;
    if (response && !response.ok) {
      this.log.error!(`${failed}status ${response.status}, request id ${requestId(response)}`);
    } else if (error instanceof APIConnectionError) {
      this.log.error!(`${failed}${error.name}: ${error.message}`);
    } else if (response && error === undefined) {
      this.log.info?.(
        `${name} ${response.status} in ${Date.now() - this.started} ms, ${attempts} attempt(s), request id ${requestId(response)}`,
      );
    }
  }
}

/** The debug lines of one attempt: the request as sent, then its answer's status and headers. */
function debugAttempt(
  debug: Logger['debug'],
  { name, redact }: CallInfo,
  { method, url, headers, body }: AttemptInfo,
): AttemptObserver {
  debug(`${name} sending ${method} ${redact(url)}`, {
    headers: loggableHeaders(headers, redact),
    body: typeof body === 'string' ? redact(body) : body,
  });
  return {
    response: (response) =>
      debug(`${name} answered ${response.status}`, {
        headers: loggableHeaders(response.headers, redact),
      }),
  };
}

/** Headers that carry credentials: never logged, whatever their value. */
const CREDENTIALS = /^(x-api-key|authorization|proxy-authorization|cookie|set-cookie)$/i;

/** Headers as a plain object for a log line, with credentials and any echo of the key masked. */
function loggableHeaders(
  headers: HeadersInit,
  redact: (text: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = CREDENTIALS.test(name) ? '[redacted]' : redact(value);
  });
  return out;
}
