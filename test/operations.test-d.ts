/**
 * The signature `Operation<Op, Shape>` derives from an operation type in openapi-typescript's
 * shape (the `parameters`/`requestBody`/`responses` members and their `?: never` placeholders as
 * it emits them) and the call shape the generator picks. test/operations.test.ts type-checks the
 * real generator's output end to end.
 */
import type {
  APIPromise,
  FeatherCore,
  RequestOptions,
  SimulationRunDispatch,
  SimulationRunResponse,
} from '@featherhq/sdk';
import { createFeatherClient, dispatchSimulationRun } from '@featherhq/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { Operation } from '../src/core/operation.js';

interface Thing {
  id: string;
  status: 'on' | 'off';
}
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NotFound = Json<{ error: string; message: string }>;

type GetThing = {
  parameters: {
    query?: { expand?: boolean };
    header?: never;
    path: { thing_id: string };
    cookie?: never;
  };
  requestBody?: never;
  responses: { 200: Json<Thing>; 404: NotFound };
};
type ListThings = {
  parameters: {
    query?: { limit?: number; status?: 'on' | 'off' };
    header?: never;
    path?: never;
    cookie?: never;
  };
  requestBody?: never;
  responses: { 200: Json<{ data: Thing[] }> };
};
type SearchThings = {
  parameters: { query: { q: string }; header?: never; path?: never; cookie?: never };
  requestBody?: never;
  responses: { 200: Json<Thing[]> };
};
type TraceThing = {
  parameters: {
    query?: never;
    header: { 'x-feather-client': string; 'x-debug'?: boolean };
    path?: never;
    cookie?: never;
  };
  requestBody?: never;
  responses: { 200: Json<Thing> };
};
type PatchThing = {
  parameters: { query?: never; header?: never; path: { thing_id: string }; cookie?: never };
  requestBody: { content: { 'application/json': { status?: 'on' | 'off' } } };
  responses: { 200: Json<Thing> };
};
type ArchiveThing = {
  parameters: { query?: never; header?: never; path: { thing_id: string }; cookie?: never };
  requestBody?: { content: { 'application/json': { reason?: string } } };
  responses: { 200: Json<Thing> };
};
type DeleteThing = {
  parameters: { query?: never; header?: never; path: { thing_id: string }; cookie?: never };
  requestBody?: never;
  responses: { 204: { headers: { [name: string]: unknown }; content?: never }; 404: NotFound };
};
type CreateThing = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  requestBody: { content: { 'application/json': { status: 'on' | 'off' } } };
  responses: { 201: Json<Thing> };
};
type PingThings = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  requestBody?: { content: { 'application/json': { echo?: string } } };
  responses: { 200: Json<{ ok: boolean }> };
};
type Health = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  requestBody?: never;
  responses: { 200: Json<{ ok: boolean }> };
};

declare const core: FeatherCore;

describe('Operation<Op, Shape>', () => {
  it('path parameters are required and typed; the query is optional when all of it is', () => {
    const getThing = {} as Operation<GetThing, { input: 'params' }>;
    type Params = Parameters<typeof getThing>[1]['params'];
    expectTypeOf<Params['path']>().toEqualTypeOf<{ thing_id: string }>();
    expectTypeOf<Params['query']>().toEqualTypeOf<{ expand?: boolean } | undefined>();
    expectTypeOf(getThing).returns.toEqualTypeOf<APIPromise<Thing>>();
    // @ts-expect-error a path parameter is required
    void getThing(core, { params: {} });
    // @ts-expect-error so the arguments are too
    void getThing(core);
    // @ts-expect-error a path parameter is a string
    void getThing(core, { params: { path: { thing_id: 1 } } });
  });

  it('a GET whose query is all optional can be called with the core alone', () => {
    const listThings = {} as Operation<ListThings, { input: 'params' }>;
    void listThings(core);
    void listThings(core, { params: { query: { status: 'on' } } }, { timeoutMs: 1 });
    // @ts-expect-error an enum query parameter
    void listThings(core, { params: { query: { status: 'maybe' } } });
    expectTypeOf(listThings).returns.resolves.toEqualTypeOf<{ data: Thing[] }>();
  });

  it('a required query parameter makes the arguments required', () => {
    const searchThings = {} as Operation<SearchThings, { input: 'params' }>;
    void searchThings(core, { params: { query: { q: 'x' } } });
    // @ts-expect-error q is required
    void searchThings(core, { params: { query: {} } });
    // @ts-expect-error and so are params
    void searchThings(core);
  });

  it('header parameters are typed in params.header, required as the spec says', () => {
    const traceThing = {} as Operation<TraceThing, { input: 'params' }>;
    void traceThing(core, { params: { header: { 'x-feather-client': 'app/1.0' } } });
    void traceThing(core, { params: { header: { 'x-feather-client': 'a', 'x-debug': true } } });
    // @ts-expect-error a typo of a header name does not compile
    void traceThing(core, { params: { header: { 'x-feather-clinet': 'a' } } });
    // @ts-expect-error the required header makes params required
    void traceThing(core);
  });

  it('a body next to parameters is required or optional as the spec says', () => {
    const patchThing = {} as Operation<PatchThing, { input: 'params' }>;
    void patchThing(core, { params: { path: { thing_id: 'a' } }, body: { status: 'off' } });
    // @ts-expect-error the body is required
    void patchThing(core, { params: { path: { thing_id: 'a' } } });
    const archiveThing = {} as Operation<ArchiveThing, { input: 'params' }>;
    void archiveThing(core, { params: { path: { thing_id: 'a' } } });
    void archiveThing(core, { params: { path: { thing_id: 'a' } }, body: { reason: 'old' } });
  });

  it('a 204 resolves to undefined', () => {
    const deleteThing = {} as Operation<DeleteThing, { input: 'params' }>;
    expectTypeOf(deleteThing).returns.toEqualTypeOf<APIPromise<undefined>>();
  });

  it('without parameters the body is the second argument; without either, options are', () => {
    const createThing = {} as Operation<CreateThing, { input: 'body' }>;
    expectTypeOf(createThing).parameters.toEqualTypeOf<
      [FeatherCore, { status: 'on' | 'off' }, (RequestOptions | undefined)?]
    >();
    const pingThings = {} as Operation<PingThings, { input: 'body' }>;
    void pingThings(core);
    void pingThings(core, { echo: 'x' });
    const health = {} as Operation<Health, { input: 'none' }>;
    expectTypeOf(health).parameters.toEqualTypeOf<[FeatherCore, (RequestOptions | undefined)?]>();
  });
});

describe('dispatchSimulationRun keeps its signature', () => {
  it('(core, body, options?) and, on the client, (body, options?)', () => {
    expectTypeOf(dispatchSimulationRun).parameters.toEqualTypeOf<
      [FeatherCore, SimulationRunDispatch, (RequestOptions | undefined)?]
    >();
    expectTypeOf(dispatchSimulationRun).returns.toEqualTypeOf<APIPromise<SimulationRunResponse>>();
    const feather = createFeatherClient({ apiKey: 'k' });
    expectTypeOf(feather.dispatchSimulationRun).parameters.toEqualTypeOf<
      [SimulationRunDispatch, (RequestOptions | undefined)?]
    >();
  });
});
