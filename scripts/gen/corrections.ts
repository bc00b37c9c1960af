/**
 * The corrections of sdk.config.json: where Feather's guides say what the API does and the spec
 * says otherwise (or nothing), the SDK follows the guides. Each correction names an operation (or
 * a component schema) and replaces parts of it with standard OpenAPI (an event stream's
 * `itemSchema`, a multipart `requestBody`, an `enum`), adding the component schemas they use;
 * `openapi.json` itself is never edited.
 *
 * A correction applies only while it still fits: its target exists, each place it edits holds
 * what the correction was written against (`was`; no `was`: nothing there), and none of its
 * schemas exists yet. Otherwise it is not applied, and the reason says which case it is: the
 * target is gone, the spec now declares the same thing itself, or the spec changed the place
 * (generate prints it; spec:update refuses the bump until sdk.config.json is updated).
 *
 * Pure: a spec in, the corrected copy out. The generator's model reads the corrected copy.
 */
import { isDeepStrictEqual } from 'node:util';
import { operationsOf, type Json, type Spec } from '../lib/spec.js';

/** One edit of the target (an operation or a schema): the JSON pointer `at` in it gets `now`. */
export interface CorrectionEdit {
  at: string;
  /** What the spec has there now, as the correction was written against it; absent: nothing. */
  was?: Json;
  now: Json;
}

export interface Correction {
  /** Names it in reports: `turn-stream-events`. */
  name: string;
  /** The operationId it corrects; or else `schema`. */
  operation?: string;
  /** The component schema it corrects, by name. */
  schema?: string;
  /** Where Feather says so: a guide and its section. */
  source: string;
  /** What the guide says, against what the spec says. */
  why: string;
  edits: CorrectionEdit[];
  /** Component schemas the edits refer to, by name: none may exist in the spec. */
  schemas?: Record<string, Spec>;
  /**
   * How the mock answers the corrected operation, as the guide describes: `items` answers one
   * element of the array `to` per element of the request's array `from`, its `index` key set.
   */
  mock?: { items?: MockItems };
}

/** The mock answers one item per item of the request (scripts/gen/mock.ts). */
export interface MockItems {
  from: string;
  to: string;
  index: string;
  /** Values every answered item has (the sample's otherwise). */
  set?: Record<string, Json>;
}

export interface CorrectionOutcome {
  correction: Correction;
  applied: boolean;
  /** Why it was not applied. */
  reason?: string;
}

/** sdk.config.json's `corrections`, checked for shape (a malformed one fails generation). */
export function correctionsOf(config: Spec | undefined): Correction[] {
  const list: unknown = config?.corrections ?? [];
  if (!Array.isArray(list)) throw new Error('sdk.config.json: `corrections` must be an array');
  for (const c of list as Partial<Correction>[]) {
    const edits = Array.isArray(c?.edits) ? c.edits : [];
    const ok =
      typeof c?.name === 'string' &&
      (typeof c.operation === 'string') !== (typeof c.schema === 'string') &&
      typeof c.source === 'string' &&
      typeof c.why === 'string' &&
      edits.length > 0 &&
      edits.every((e) => typeof e?.at === 'string' && e.at.startsWith('/') && 'now' in e);
    if (!ok) {
      throw new Error(
        `sdk.config.json: correction ${JSON.stringify(c?.name ?? c)} needs name, operation or schema (one), source, why and edits (each with \`at\`, a JSON pointer, and \`now\`)`,
      );
    }
  }
  return list as Correction[];
}

/** RFC 6901: `/responses/200/content` -> ['responses', '200', 'content']. */
const segments = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

function get(node: unknown, pointer: string): unknown {
  for (const key of segments(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets the value at `pointer` (whose parent exists, or the edit would not have fitted). */
function set(node: Spec, pointer: string, value: Json): void {
  const keys = segments(pointer);
  const last = keys.pop()!;
  let parent: Spec = node;
  for (const key of keys) parent = (parent[key] ??= {}) as Spec;
  parent[last] = structuredClone(value);
}

/** A short JSON excerpt of what the spec has, for a reason. */
const shown = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/** What the correction edits in `spec`: its operation object, or its component schema. */
function targetOf(spec: Spec, correction: Correction): Spec | undefined {
  if (correction.schema !== undefined) return spec.components?.schemas?.[correction.schema];
  return operationsOf(spec).find((e) => e.op.operationId === correction.operation)?.op;
}

/** `operation X` or `schema X`. */
export const targetName = (c: Correction) =>
  c.schema !== undefined ? `schema ${c.schema}` : `operation ${c.operation}`;

/** Why the correction does not fit `spec`, or undefined when it does. */
function misfit(spec: Spec, correction: Correction): string | undefined {
  const target = targetOf(spec, correction);
  if (!target) return `${targetName(correction)} is gone from the spec`;
  for (const { at, was, now } of correction.edits) {
    const current = get(target, at);
    if (isDeepStrictEqual(current, now)) return `the spec now declares ${at} itself`;
    if (was === undefined && current !== undefined) {
      return `the spec now declares ${at} (${shown(current)}), which the correction adds`;
    }
    if (was !== undefined && !isDeepStrictEqual(current, was)) {
      return `the spec changed ${at}, which the correction replaces: it now has ${shown(current)}`;
    }
  }
  const declared: Spec = spec.components?.schemas ?? {};
  for (const [name, schema] of Object.entries(correction.schemas ?? {})) {
    if (!Object.hasOwn(declared, name)) continue;
    return isDeepStrictEqual(declared[name], schema)
      ? `the spec now declares schema ${name} itself`
      : `the spec now has a schema named ${name} of its own`;
  }
  return undefined;
}

/**
 * The spec with every correction that fits applied (a copy; `spec` is left as it is), and what
 * happened to each.
 */
export function applyCorrections(
  spec: Spec,
  corrections: Correction[],
): { spec: Spec; outcomes: CorrectionOutcome[] } {
  const outcomes = corrections.map((correction) => {
    const reason = misfit(spec, correction);
    return reason ? { correction, applied: false, reason } : { correction, applied: true };
  });
  if (!outcomes.some((o) => o.applied)) return { spec, outcomes };
  const corrected = structuredClone(spec);
  for (const { correction, applied } of outcomes) {
    if (!applied) continue;
    const target = targetOf(corrected, correction)!;
    for (const { at, now } of correction.edits) set(target, at, now);
    if (correction.schemas) {
      corrected.components ??= {};
      corrected.components.schemas = { ...corrected.components.schemas, ...correction.schemas };
    }
  }
  return { spec: corrected, outcomes };
}

/** One line per correction that was not applied: `name (source): reason`. */
export const staleLines = (outcomes: CorrectionOutcome[]) =>
  outcomes
    .filter((o) => !o.applied)
    .map((o) => `${o.correction.name} (${o.correction.source}): ${o.reason}`);
