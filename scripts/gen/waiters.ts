/**
 * The waiters declared in sdk.config.json (`waitForSimulationRun`, `dispatchSimulationRunAndWait`),
 * checked against the spec: a waiter whose operations the spec lacks is skipped (the seed has no
 * `getSimulationRun`); one that names a field or value its operations contradict fails generation.
 */
import { deref, type Spec } from '../lib/spec.js';
import type { OperationModel, SpecModel } from './model.js';

export interface WaiterConfig {
  /** `SimulationRun` gives `waitForSimulationRun` and `<create>AndWait`. */
  name: string;
  /** The operation that creates the resource (its body alone is its input). */
  create: string;
  /** The operation that reads it, by the one path parameter `idParam`. */
  get: string;
  /** Where the created resource has its id. */
  idField: string;
  idParam: string;
  /** Where the read resource has its status, and which statuses end the wait. */
  statusField: string;
  finalStatuses: string[];
  /**
   * The component schema (an enum) the status values come from, where the field itself is a plain
   * string (as `SimulationRunResponse.status` is in Feather 1.21.0).
   */
  statusEnum?: string;
}

export interface WaiterSource {
  names: string[];
  source: string;
}

const KEYS: (keyof WaiterConfig)[] = ['name', 'create', 'get', 'idField', 'idParam', 'statusField'];

/** The waiters' source, in config order; throws listing every contradiction. */
export function waitersSource(
  spec: Spec,
  model: SpecModel,
  config: Spec | undefined,
): WaiterSource[] {
  const problems: string[] = [];
  const sources: WaiterSource[] = [];
  for (const [i, raw] of (config?.waiters ?? []).entries()) {
    const at = `sdk.config.json waiters[${i}]`;
    const missing = KEYS.filter((key) => typeof raw?.[key] !== 'string');
    if (missing.length || !Array.isArray(raw?.finalStatuses) || !raw.finalStatuses.length) {
      problems.push(`${at}: needs ${[...KEYS, 'finalStatuses (non-empty)'].join(', ')}`);
      continue;
    }
    const waiter = raw as WaiterConfig;
    const create = model.operations.find((op) => op.id === waiter.create);
    const get = model.operations.find((op) => op.id === waiter.get);
    if (!create || !get) continue; // this spec lacks them: no waiter
    const before = problems.length;
    checkWaiter(spec, waiter, create, get, (problem) => problems.push(`${at}: ${problem}`));
    for (const name of [`waitFor${waiter.name}`, `${create.name}AndWait`]) {
      const taken = model.operations.find((op) => op.name === name);
      if (taken) problems.push(`${at}: its helper ${name} is the name of operation ${taken.id}`);
    }
    if (problems.length === before) sources.push(render(waiter, create.name, get.name));
  }
  if (problems.length)
    throw new Error(`sdk.config.json contradicts the spec:\n  ${problems.join('\n  ')}`);
  return sources;
}

function checkWaiter(
  spec: Spec,
  waiter: WaiterConfig,
  create: OperationModel,
  get: OperationModel,
  problem: (text: string) => void,
): void {
  if (create.input !== 'body') problem(`${create.id} must take its body alone`);
  const required = get.parameters.filter((p) => p.required).map((p) => `${p.in} ${p.name}`);
  if (required.join() !== `path ${waiter.idParam}`) {
    problem(
      `${get.id} must take exactly one required parameter, path ${waiter.idParam} (it takes: ${required})`,
    );
  }
  if (!deref(spec, create.response.schema)?.properties?.[waiter.idField]) {
    problem(`${create.id}'s answer has no field ${waiter.idField}`);
  }
  const status = deref(spec, deref(spec, get.response.schema)?.properties?.[waiter.statusField]);
  if (!status) return problem(`${get.id}'s answer has no field ${waiter.statusField}`);
  const named = waiter.statusEnum && spec.components?.schemas?.[waiter.statusEnum];
  if (waiter.statusEnum && !named?.enum) {
    return problem(`statusEnum ${waiter.statusEnum} is not an enum schema of the spec`);
  }
  const values = named ? named.enum : enumOf(spec, status);
  const unknown = waiter.finalStatuses.filter((value) => values && !values.includes(value));
  if (unknown.length) {
    problem(`${unknown} not among ${get.id}'s ${waiter.statusField} values (${values})`);
  }
}

/** The values a field's schema allows, through $refs and nullable anyOf; undefined if open. */
function enumOf(spec: Spec, schema: Spec): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  for (const branch of schema.anyOf ?? schema.oneOf ?? []) {
    const values = enumOf(spec, deref(spec, branch) ?? {});
    if (values) return values;
  }
  return undefined;
}

/** `create` and `get`: the function names of the operations the waiter names. */
function render(w: WaiterConfig, create: string, get: string): WaiterSource {
  const wait = `waitFor${w.name}`;
  const both = `${create}AndWait`;
  const finals = w.finalStatuses.join(', ');
  const source = [
    `/**`,
    ` * Polls \`${w.get}\` until the ${w.statusField} is final (${finals}), and returns it.`,
    ` * A failed or cancelled one is returned, not thrown. Declared in sdk.config.json.`,
    ` */`,
    `export const ${wait} = /* @__PURE__ */ waiter(`,
    `  (core, id, options) => ${get}(core, { params: { path: { ${JSON.stringify(w.idParam)}: id } } }, options),`,
    `  ${JSON.stringify(w.statusField)}, ${JSON.stringify(w.finalStatuses)});`,
    ``,
    `/** Calls \`${w.create}\` once (the wait never repeats it), then \`${wait}\`. */`,
    `export const ${both} = /* @__PURE__ */ createAndWait(${create}, ${wait}, ${JSON.stringify(w.idField)});`,
  ].join('\n');
  return { names: [wait, both], source };
}
