/**
 * Resources that the mock creates and reads back: the operations that sdk.config.json's waiters
 * name (`dispatchSimulationRun` creates a run, `getSimulationRun` reads it). A created resource is
 * built from the request: the body's fields where the answer has the same field, fresh UUIDs,
 * the time of creation, nulls, and the sample for the rest.
 */
import { randomUUID } from 'node:crypto';
import type { Fill, MockRoute } from './routes.js';
import type { MockReply, MockRequest } from './types.js';

type Resource = Record<string, unknown>;
export type Stores = Map<string, Resource[]>;

function fill(how: Fill, body: Resource, sample: unknown): unknown {
  if (typeof how === 'object') {
    if (body[how.body] !== undefined) return body[how.body];
    return 'default' in how ? how.default : fill(how.otherwise, body, sample);
  }
  if (how === 'uuid') return randomUUID();
  if (how === 'now') return new Date().toISOString();
  return how === 'null' ? null : sample;
}

/**
 * What the seed's dispatched runs hold beyond what the schema says of them: a run starts
 * `pending`, in the server's organization, with the request as its inputs.
 */
function runDefaults(run: Resource, body: Resource, organizationId: string): void {
  const known = { organization_id: organizationId, status: 'pending', inputs_snapshot: body };
  for (const [key, value] of Object.entries(known)) if (key in run) run[key] = value;
}

export function create(
  route: MockRoute & Required<Pick<MockRoute, 'creates'>>,
  request: MockRequest,
  stores: Stores,
  organizationId: string,
): MockReply {
  const body = (request.body ?? {}) as Resource;
  const sample = structuredClone(route.sample ?? {}) as Resource;
  const resource: Resource = {};
  for (const [key, how] of Object.entries(route.creates.fields)) {
    resource[key] = fill(how, body, sample[key]);
  }
  if (route.creates.store === 'SimulationRun') runDefaults(resource, body, organizationId);
  stores.get(route.creates.store)!.push(resource);
  return { status: route.status, body: resource };
}

/** Moves a run to the status after its own in `statuses` (or the first); the last one stays. */
function advance(run: Resource, statuses: readonly string[]): void {
  const next = statuses[statuses.indexOf(String(run.status)) + 1];
  if (next !== undefined) run.status = next;
}

export function read(
  route: MockRoute & Required<Pick<MockRoute, 'reads'>>,
  request: MockRequest,
  stores: Stores,
  runStatuses: readonly string[] = [],
): MockReply {
  const { store, idParam, idField } = route.reads;
  // The waiter's `get` has the id in its path, and its `create` made the store.
  const id = request.params.path[idParam];
  const found = stores.get(store)!.find((resource) => resource[idField] === id);
  if (found && store === 'SimulationRun') advance(found, runStatuses);
  if (found) return { status: route.status, body: found };
  return { status: 404, body: { error: 'not_found', message: `No ${store} ${String(id)}` } };
}
