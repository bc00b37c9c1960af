/**
 * The signature `Operation<Op, Id>` derives from an operation type in openapi-typescript's shape
 * (the `parameters`/`requestBody`/`responses` members and their `?: never` placeholders as it
 * emits them). test/operations.test.ts type-checks the real generator's output end to end.
 */
import type { FeatherCore, RequestOptions, SimulationRunResponse } from '@featherhq/sdk';
import { createFeatherClient, dispatchSimulationRun } from '@featherhq/sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { Operation } from '../src/core/transport.js';
import type { SimulationRunDispatch } from '../src/core/types.js';

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

describe('Operation<Op, Id>', () => {
  it('path parameters are required and typed; the query is optional when all of it is', () => {
    const getThing = {} as Operation<GetThing, 'getThing'>;
    type Params = Parameters<typeof getThing>[1]['params'];
    expectTypeOf<Params['path']>().toEqualTypeOf<{ thing_id: string }>();
    expectTypeOf<Params['query']>().toEqualTypeOf<{ expand?: boolean } | undefined>();
    expectTypeOf(getThing).returns.toEqualTypeOf<Promise<Thing>>();
    // @ts-expect-error a path parameter is required
    void getThing(core, { params: {} });
    // @ts-expect-error so the arguments are too
    void getThing(core);
    // @ts-expect-error a path parameter is a string
    void getThing(core, { params: { path: { thing_id: 1 } } });
  });

  it('a GET whose query is all optional can be called with the core alone', () => {
    const listThings = {} as Operation<ListThings, 'listThings'>;
    void listThings(core);
    void listThings(core, { params: { query: { status: 'on' } } }, { timeoutMs: 1 });
    // @ts-expect-error an enum query parameter
    void listThings(core, { params: { query: { status: 'maybe' } } });
    expectTypeOf(listThings).returns.resolves.toEqualTypeOf<{ data: Thing[] }>();
  });

  it('a required query parameter makes the arguments required', () => {
    const searchThings = {} as Operation<SearchThings, 'searchThings'>;
    void searchThings(core, { params: { query: { q: 'x' } } });
    // @ts-expect-error q is required
    void searchThings(core, { params: { query: {} } });
    // @ts-expect-error and so are params
    void searchThings(core);
  });

  it('a body next to parameters is required or optional as the spec says', () => {
    const patchThing = {} as Operation<PatchThing, 'patchThing'>;
    void patchThing(core, { params: { path: { thing_id: 'a' } }, body: { status: 'off' } });
    // @ts-expect-error the body is required
    void patchThing(core, { params: { path: { thing_id: 'a' } } });
    const archiveThing = {} as Operation<ArchiveThing, 'archiveThing'>;
    void archiveThing(core, { params: { path: { thing_id: 'a' } } });
    void archiveThing(core, { params: { path: { thing_id: 'a' } }, body: { reason: 'old' } });
  });

  it('a 204 resolves to undefined', () => {
    const deleteThing = {} as Operation<DeleteThing, 'deleteThing'>;
    expectTypeOf(deleteThing).returns.toEqualTypeOf<Promise<undefined>>();
  });

  it('without parameters the body is the second argument; without either, options are', () => {
    const createThing = {} as Operation<CreateThing, 'createThing'>;
    expectTypeOf(createThing).parameters.toEqualTypeOf<
      [FeatherCore, { status: 'on' | 'off' }, (RequestOptions | undefined)?]
    >();
    const pingThings = {} as Operation<PingThings, 'pingThings'>;
    void pingThings(core);
    void pingThings(core, { echo: 'x' });
    const health = {} as Operation<Health, 'health'>;
    expectTypeOf(health).parameters.toEqualTypeOf<[FeatherCore, (RequestOptions | undefined)?]>();
  });
});

describe('dispatchSimulationRun keeps its signature', () => {
  it('(core, body, options?) and, on the client, (body, options?)', () => {
    expectTypeOf(dispatchSimulationRun).parameters.toEqualTypeOf<
      [FeatherCore, SimulationRunDispatch, (RequestOptions | undefined)?]
    >();
    expectTypeOf(dispatchSimulationRun).returns.toEqualTypeOf<Promise<SimulationRunResponse>>();
    const feather = createFeatherClient({ apiKey: 'k' });
    expectTypeOf(feather.dispatchSimulationRun).parameters.toEqualTypeOf<
      [SimulationRunDispatch, (RequestOptions | undefined)?]
    >();
  });
});
