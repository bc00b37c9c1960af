/**
 * The mock server's route table for a small made-up API, written as `npm run generate` writes
 * Feather's (src/generated/mock.ts), with the same check blocks: the unit tests of the mock's
 * runtime use it to exercise every kind of operation (parameters of each place and type, a
 * paginated list, an event stream, an upload, a 204, a resource created and read back) without
 * depending on which operations the vendored spec has.
 */
import {
  array,
  boolean,
  integer,
  nullable,
  number,
  object,
  oneOfValues,
  string,
  upload,
  UUID,
} from '../../src/core/check.js';
import type { MockRoute } from '../../src/testing/routes.js';

export const THING_ID = '6f1c2b7e-8a4d-4c3e-9b1a-2d3e4f5a6b7c';
const thing = { id: THING_ID, name: 'name', kind: 'tool', note: null, status: 'active' };
const path = object({ thing_id: [string(UUID), true] }, false);

const cursorParams = {
  check: object(
    { query: [object({ limit: [integer(1)], cursor: [nullable(string())] }, false)] },
    false,
  ),
  in: { query: { limit: 'integer', cursor: 'string' } },
};

export const routes: MockRoute[] = [
  {
    id: 'listThings',
    method: 'GET',
    path: '/things',
    match: /^\/things$/,
    params: {
      check: object(
        {
          query: [
            object(
              {
                limit: [integer(1, 200)],
                cursor: [nullable(string())],
                tag: [nullable(array(string()))],
                active: [boolean],
                kind: [oneOfValues(['tool', 'part'])],
                min_score: [number(0)],
                size: [nullable(array(integer()))],
              },
              false,
            ),
          ],
        },
        false,
      ),
      in: {
        query: {
          limit: 'integer',
          cursor: 'string',
          tag: 'string[]',
          active: 'boolean',
          kind: 'string',
          min_score: 'number',
          size: 'integer[]',
        },
      },
    },
    status: 200,
    response: 'object',
    sample: { items: [thing], next_cursor: null, has_more: false },
    pagination: 'items',
  },
  {
    id: 'createThing',
    method: 'POST',
    path: '/things',
    match: /^\/things$/,
    body: {
      kind: 'json',
      check: object({ name: [string(), true], kind: [oneOfValues(['tool', 'part'])] }, false),
      required: true,
    },
    status: 201,
    response: 'object',
    sample: thing,
    creates: {
      store: 'Thing',
      fields: {
        id: 'uuid',
        name: { body: 'name', otherwise: 'sample' },
        kind: { body: 'kind', default: 'part', otherwise: 'sample' },
        note: 'null',
        status: 'sample',
      },
    },
  },
  // A spec's example may leave next_cursor out, and a page may have no has_more.
  {
    id: 'listTags',
    method: 'GET',
    path: '/tags',
    match: /^\/tags$/,
    params: cursorParams,
    status: 200,
    response: 'object',
    sample: { tags: [{ id: 'tag_1', label: 'red' }] },
    pagination: 'tags',
  },
  {
    id: 'listNotes',
    method: 'GET',
    path: '/notes',
    match: /^\/notes$/,
    params: cursorParams,
    status: 200,
    response: 'object',
    sample: { notes: [], next_cursor: null, has_more: false },
    pagination: 'notes',
  },
  // A resource of the store that `runs` lists, in a spec whose runs have fewer fields than the seed's.
  {
    id: 'startRun',
    method: 'POST',
    path: '/runs',
    match: /^\/runs$/,
    body: { kind: 'json', check: object({ note: [string()] }, false) },
    status: 201,
    response: 'object',
    sample: { id: THING_ID, status: 'pending' },
    creates: { store: 'SimulationRun', fields: { id: 'uuid', status: 'sample' } },
  },
  // Before /things/{thing_id}: matched first, as Starlette matches routes in order.
  {
    id: 'watchThings',
    method: 'GET',
    path: '/things/events',
    match: /^\/things\/events$/,
    status: 200,
    response: 'stream',
  },
  {
    id: 'getThing',
    method: 'GET',
    path: '/things/{thing_id}',
    match: /^\/things\/([^/]+)$/,
    pathNames: ['thing_id'],
    params: {
      check: object(
        { path: [path, true], header: [object({ 'X-Trace': [integer()] }, false)] },
        false,
      ),
      in: { path: { thing_id: 'string' }, header: { 'X-Trace': 'integer' } },
    },
    status: 200,
    response: 'object',
    sample: thing,
    reads: { store: 'Thing', idParam: 'thing_id', idField: 'id' },
  },
  {
    id: 'deleteThing',
    method: 'DELETE',
    path: '/things/{thing_id}',
    match: /^\/things\/([^/]+)$/,
    pathNames: ['thing_id'],
    params: { check: object({ path: [path, true] }, false), in: { path: { thing_id: 'string' } } },
    status: 204,
    response: 'empty',
  },
  // An optional JSON body.
  {
    id: 'renameThing',
    method: 'PATCH',
    path: '/things/{thing_id}',
    match: /^\/things\/([^/]+)$/,
    pathNames: ['thing_id'],
    params: { check: object({ path: [path, true] }, false), in: { path: { thing_id: 'string' } } },
    body: { kind: 'json', check: object({ name: [string()] }, false) },
    status: 200,
    response: 'object',
    sample: thing,
  },
  {
    id: 'uploadThingFile',
    method: 'POST',
    path: '/things/{thing_id}/files',
    match: /^\/things\/([^/]+)\/files$/,
    pathNames: ['thing_id'],
    params: { check: object({ path: [path, true] }, false), in: { path: { thing_id: 'string' } } },
    body: {
      kind: 'multipart',
      check: object({
        file: [upload, true],
        note: [string()],
        pages: [integer(1)],
        tags: [array(string())],
      }),
      required: true,
      files: ['file'],
      fields: { note: 'string', pages: 'integer', tags: 'string[]' },
    },
    status: 201,
    response: 'object',
    sample: { uploaded: true },
  },
];
