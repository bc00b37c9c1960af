/**
 * Operations of a small made-up API, built with the same building blocks the generator writes
 * for Feather's (operation, withParams, paginated): the unit tests of the runtime use them to
 * exercise every call shape without depending on which operations the vendored spec has.
 */
import { array, integer, nullable, object, string } from '../../src/core/check.js';
import { idempotencyKey } from '../../src/core/idempotency.js';
import { operation } from '../../src/core/operation.js';
import { paginated } from '../../src/core/pagination.js';
import { withParams } from '../../src/core/params.js';
import { events, eventStream, type Stream, type StreamEvent } from '../../src/core/streaming.js';

export interface Thing {
  id: string;
  status: 'pending' | 'running' | 'done' | 'failed';
}
export interface ThingPage {
  items: Thing[];
  next_cursor?: string | null;
  has_more: boolean;
}
type Json<T> = { content: { 'application/json': T } };

export interface ListThingsOp {
  parameters: { query?: { limit?: number; cursor?: string | null; tag?: string[] | null } };
  responses: { 200: Json<ThingPage> };
}
export interface GetThingOp {
  parameters: { path: { thing_id: string }; header?: { 'x-trace'?: string } };
  responses: { 200: Json<Thing> };
}
export interface CreateThingOp {
  requestBody: Json<{ name: string; idempotency_key?: string | null }>;
  responses: { 201: Json<Thing> };
}
export interface PingOp {
  responses: { 204: { content?: never } };
}

const listQuery = object(
  { limit: [integer(1, 200)], cursor: [nullable(string())], tag: [nullable(array(string()))] },
  false,
);

export const listThings = /* @__PURE__ */ paginated(
  operation<ListThingsOp, { input: 'params' }>({
    id: 'listThings',
    method: 'GET',
    path: '/things',
    input: 'params',
    params: object({ query: [listQuery] }, false),
    withParams,
    response: 'object',
  }),
  'items',
);

export const getThing = /* @__PURE__ */ operation<GetThingOp, { input: 'params' }>({
  id: 'getThing',
  method: 'GET',
  path: '/things/{thing_id}',
  input: 'params',
  params: object(
    {
      path: [object({ thing_id: [string(), true] }, false), true],
      header: [object({ 'x-trace': [string()] }, false)],
    },
    false,
  ),
  withParams,
  response: 'object',
});

const thingBody = object({ name: [string(), true], idempotency_key: [nullable(string())] }, false);

/** A POST whose body declares an idempotency key, as Feather 1.90.0's dispatch does. */
export const createThing = /* @__PURE__ */ operation<CreateThingOp, { input: 'body' }>({
  id: 'createThing',
  method: 'POST',
  path: '/things',
  input: 'body',
  body: thingBody,
  response: 'object',
  idempotencyKey: idempotencyKey('body', 'idempotency_key'),
});

/** The same POST where the spec declares no key: today's cautious rule. */
export const createThingNoKey = /* @__PURE__ */ operation<CreateThingOp, { input: 'body' }>({
  id: 'createThingNoKey',
  method: 'POST',
  path: '/things',
  input: 'body',
  body: thingBody,
  response: 'object',
});

/** A POST taking its idempotency key as an `Idempotency-Key` header parameter. */
export const createThingByHeader = /* @__PURE__ */ operation<
  CreateThingOp & { parameters: { header?: { 'Idempotency-Key'?: string } } },
  { input: 'params' }
>({
  id: 'createThingByHeader',
  method: 'POST',
  path: '/things',
  input: 'params',
  params: object({ header: [object({ 'Idempotency-Key': [string()] }, false)] }, false),
  withParams,
  body: thingBody,
  response: 'object',
  idempotencyKey: idempotencyKey('header', 'Idempotency-Key'),
});

export const ping = /* @__PURE__ */ operation<PingOp, { input: 'none' }>({
  id: 'ping',
  method: 'GET',
  path: '/ping',
  input: 'none',
  response: 'empty',
  deprecated: true,
});

/** A GET answered with an event stream. */
export const streamThing = /* @__PURE__ */ operation<
  { responses: object },
  { input: 'none'; result: Stream }
>({
  id: 'streamThing',
  method: 'GET',
  path: '/things/stream',
  input: 'none',
  response: eventStream,
});

/** A GET answered with an event stream whose events are declared: a turn's `delta`s, then `complete`. */
export const streamTurn = /* @__PURE__ */ operation<
  { responses: object },
  {
    input: 'none';
    result: Stream<StreamEvent<'delta', { text: string }> | StreamEvent<'complete', object>>;
  }
>({
  id: 'streamTurn',
  method: 'GET',
  path: '/things/turn',
  input: 'none',
  response: /* @__PURE__ */ events({
    json: ['delta', 'complete', 'error'],
    text: [],
    final: 'complete',
    error: 'error',
  }),
});
