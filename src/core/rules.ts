/**
 * Rules that openapi.json states only in prose, so no generator can derive them. Each is wired to
 * its schema in scripts/compile-validators.ts (PROSE_RULES) and runs after the schema's own checks.
 */
import { fail, type Check } from './check.js';

/**
 * CannedToolResponse: "Exactly one of `output` / `error` must be set": `output` counts as set
 * whenever the key is present (an explicit `output: null` is a valid null result); `error` is set
 * when it is not null, and must then be a non-empty string.
 */
export const cannedToolResponseRule: Check = (v, p, o) => {
  const value = v as { output?: unknown; error?: unknown };
  if (typeof value !== 'object' || value === null) return true; // the type check reports it
  const hasOutput = 'output' in value && value.output !== undefined;
  const hasError = value.error !== undefined && value.error !== null;
  if (hasError && value.error === '')
    return fail(o, [...p, 'error'], 'prose', 'must be a non-empty string');
  if (hasOutput === hasError) {
    return fail(
      o,
      p,
      'prose',
      hasOutput
        ? 'must set only one of output and error'
        : 'must set exactly one of output and error',
    );
  }
  return true;
};
