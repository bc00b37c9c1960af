/**
 * Reading a 2xx answer: JSON (an object where the spec says so, possibly empty where it gives no
 * schema), and checking it against the spec when `validateResponses` is on.
 */
import { formatIssue, type Check, type Issue } from './check.js';
import { excerpt, FeatherError, InvalidResponseError } from './errors.js';

/**
 * `object`: the spec promises a JSON object. `json`: any JSON value. `empty`: the spec gives no
 * body schema, so an empty body is `undefined` and anything else is still parsed.
 */
export type JsonShape = 'object' | 'json' | 'empty';

/** The 2xx body's text as the spec's shape says: InvalidResponseError when it is not. */
export function parseJson({ status, headers }: Response, text: string, shape: JsonShape): unknown {
  if (text === '' && shape === 'empty') return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const message = `${status} response is not valid JSON: ${JSON.stringify(excerpt(text))}`;
    throw new InvalidResponseError(status, headers, text, message);
  }
  if (shape === 'object' && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    const message = `${status} response is not a JSON object: ${excerpt(text)}`;
    throw new InvalidResponseError(status, headers, data, message);
  }
  return data;
}

/** Checks by operationId, as `responseChecks` is. */
type Checks = Readonly<Record<string, Check>>;

/** Where a set of checks carries the function that applies them. */
export const APPLY = Symbol('checkResponse');

/** A set of checks, and what applies them, so that only apps that pass them ship both. */
export interface AppliedChecks {
  [APPLY]?: typeof checkResponse;
}

/**
 * The response checks as `validateResponses` takes them: the generator wraps `responseChecks` in
 * this, so that only apps that validate answers ship what applies them.
 */
export const withChecks = <T extends Checks>(checks: T): T =>
  Object.defineProperty(checks, APPLY, { value: checkResponse });

/** Throws InvalidResponseError when the 2xx body of operation `id` breaks its schema. */
function checkResponse(checks: Checks, id: string, data: unknown, response: Response): void {
  const check: Check | undefined = checks[id];
  if (!check) {
    throw new FeatherError(`responseChecks has no check for ${id}: it comes from another spec`);
  }
  const issues: Issue[] = [];
  if (!check(data, [], issues)) {
    const { status, headers } = response;
    const list = issues.map((i) => `  ${formatIssue(i)}`).join('\n');
    const message = `${status} response does not match the spec:\n${list}`;
    throw new InvalidResponseError(status, headers, data, message, issues);
  }
}
