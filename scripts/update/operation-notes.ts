/**
 * What a bump changes in how an operation is called and retried, read from the whole operation
 * rather than from one diff entry: its call shape, its idempotency key and its deprecation.
 */
import {
  idempotencyKeyOf,
  inputKind,
  operationsOf,
  routeOf,
  type IdempotencyKey,
  type OperationEntry,
  type Spec,
} from '../lib/spec.js';
import type { Detail } from './changes.js';
import { code } from './schema-rules.js';

/** How a call passes each kind of input (src/core/operation.ts). */
const SHAPES = {
  params: '`{ params, body }`',
  body: 'the body alone',
  none: 'no input',
} as const;

export interface OperationSide {
  spec: Spec;
  entry: OperationEntry;
}

/** Adding the first parameter (of any kind) or a body moves every call to another shape. */
function callShape(before: OperationSide, after: OperationSide): Detail[] {
  const from = inputKind(before.spec, before.entry);
  const to = inputKind(after.spec, after.entry);
  if (from === to) return [];
  const text = `call shape changes from \`${from}\` (${SHAPES[from]}) to \`${to}\` (${SHAPES[to]}): every call must be rewritten`;
  return [{ text, breaking: true }];
}

const declared = (key: IdempotencyKey) =>
  key.in === 'body' ? code(key.name) : `the ${code(key.name)} header`;

/** The SDK fills a declared key and retries a POST after a 500 or a timeout (issue 12). */
function idempotency(
  id: string,
  before: IdempotencyKey | undefined,
  after: IdempotencyKey | undefined,
) {
  const same = before?.in === after?.in && before?.name === after?.name;
  if (same) return [];
  const details: Detail[] = [];
  if (before && !after) {
    details.push({
      text: `retries of ${code(id)} after a 500 or a timeout revert to the cautious rule (README, "Retries"): the spec no longer declares ${declared(before)}`,
      breaking: false,
    });
  }
  if (after) {
    details.push({
      text: `retries of ${code(id)} after a 500 or a timeout become safe: the spec declares ${declared(after)}`,
      breaking: false,
    });
  }
  return details;
}

/** `was` is undefined for a new operation. */
function deprecation(was: boolean | undefined, now: boolean): Detail[] {
  if (!!was === now) return [];
  if (!now) return [{ text: 'no longer deprecated', breaking: false }];
  const text = `${was === undefined ? '' : 'now '}deprecated: its SDK function is marked \`@deprecated\``;
  return [{ text, breaking: false }];
}

/** The notes for an operation that exists after the bump; `before` is undefined when it is new. */
export function operationNotes(before: OperationSide | undefined, after: OperationSide): Detail[] {
  const id = String(after.entry.op.operationId ?? routeOf(after.entry));
  const keyBefore = before && idempotencyKeyOf(before.spec, before.entry);
  return [
    ...(before ? callShape(before, after) : []),
    ...idempotency(id, keyBefore, idempotencyKeyOf(after.spec, after.entry)),
    ...deprecation(
      before && before.entry.op.deprecated === true,
      after.entry.op.deprecated === true,
    ),
  ];
}

/**
 * Every operation after the bump beside its counterpart before it (undefined if new), matched by
 * method and path, where `oldPathOf` undoes path renames.
 */
export function operationPairs(
  before: Spec,
  after: Spec,
  oldPathOf: (path: string) => string,
): [OperationSide | undefined, OperationSide][] {
  const old = new Map(operationsOf(before).map((entry) => [routeOf(entry), entry]));
  return operationsOf(after).map((entry) => {
    const match = old.get(routeOf({ method: entry.method, path: oldPathOf(entry.path) }));
    return [match && { spec: before, entry: match }, { spec: after, entry }];
  });
}
