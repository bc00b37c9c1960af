/** A logger for tests that keeps every line the SDK logged, with its level and arguments. */
import type { Logger } from '../../src/index.js';

export function recorder() {
  const lines: { level: string; args: unknown[] }[] = [];
  const logger = Object.fromEntries(
    ['error', 'warn', 'info', 'debug'].map((level) => [
      level,
      (...args: unknown[]) => lines.push({ level, args }),
    ]),
  ) as unknown as Logger;
  /** The messages (first arguments) logged at `level`. */
  const at = (level: string) => lines.filter((l) => l.level === level).map((l) => l.args[0]);
  /** Everything logged, as one string to search for secrets. */
  const text = () => JSON.stringify(lines);
  return { lines, logger, at, text };
}
