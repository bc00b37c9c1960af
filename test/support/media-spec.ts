/**
 * A spec of what real APIs carry beyond JSON and tidy names, added to ours (the SDK's own code
 * calls Feather's operations): bodies in x-www-form-urlencoded, text/plain, octet-stream and a
 * `+json` type; answers in text/html, text/plain and octet-stream; cookie parameters; operationIds
 * that are not identifiers, a reserved word, none at all; names that clash or shadow TypeScript's
 * lib; 3.0's `nullable` beside a `$ref`, deprecated; Pydantic's Decimal pattern; a pattern that
 * no string matches, so the mock has no sample of its answer; and text that would end a comment or
 * a line of generated code if copied into it as is.
 */
import type { Spec } from '../../scripts/lib/spec.js';

/** Pydantic's pattern for a `Decimal` field. */
export const DECIMAL = '^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$';

const ok = (content?: Spec) => ({ description: 'OK', ...(content && { content }) });
const json = (schema: Spec) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

const paths: Spec = {
  '/x/login': {
    post: {
      operationId: 'auth:login',
      requestBody: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: ref('Body_auth_login') } },
      },
      responses: { '200': ok({ 'text/html': { schema: { type: 'string' } } }) },
    },
  },
  '/x/config': {
    post: {
      operationId: 'config.save',
      requestBody: {
        required: true,
        content: { 'text/plain': { schema: { type: 'string', maxLength: 100 } } },
      },
      responses: { '204': ok() },
    },
  },
  '/x/snapshots/{name}': {
    parameters: [path('name')],
    get: {
      // No operationId: named from the method and the path.
      responses: { '200': ok({ 'application/octet-stream': {} }) },
    },
    put: {
      operationId: 'snapshots.upload',
      requestBody: {
        required: true,
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
      responses: { '200': ok(json(ref('Record'))) },
    },
    delete: { operationId: 'delete', responses: { '204': ok() } },
  },
  '/x/orgs': {
    get: {
      operationId: 'organizations:list',
      parameters: [
        { name: 'session', in: 'cookie', required: true, schema: { type: 'string' } },
        { name: 'page', in: 'cookie', schema: { type: 'integer', minimum: 1 } },
      ],
      responses: { '200': ok(json({ type: 'array', items: ref('Record') })) },
    },
  },
  '/x/metrics': {
    get: {
      operationId: 'metrics',
      summary: 'Metrics */ export const broken = 1; /*',
      description: 'Line one\nline two\u2028line three */ and after',
      responses: { '200': ok({ 'text/plain': { schema: { type: 'string', pattern: '^# ' } } }) },
    },
  },
  '/x/price': {
    get: { operationId: 'getPrice', responses: { '200': ok(json(ref('Price'))) } },
  },
  '/x/odd': {
    get: { operationId: 'getOdd', responses: { '200': ok(json(ref('Odd'))) } },
  },
  '/x/things': {
    post: {
      operationId: 'createThing',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', properties: { n: { type: 'integer' } } },
          },
          'text/csv': { schema: { type: 'string' } },
        },
      },
      responses: { '201': ok(json(ref('CreateThingBody'))) },
    },
    patch: {
      operationId: 'patchThing',
      requestBody: {
        required: true,
        content: { 'application/merge-patch+json': { schema: ref('A-B') } },
      },
      responses: { '200': ok({ 'application/problem+json': { schema: ref('A_B') } }) },
    },
  },
};

const schemas: Spec = {
  Body_auth_login: {
    type: 'object',
    required: ['username'],
    properties: {
      username: { type: 'string', minLength: 1 },
      scopes: { type: 'array', items: { type: 'string' } },
      remember: { type: 'integer' },
    },
  },
  // Shadows TypeScript's Record<K, V>, which openapi-typescript's output uses.
  Record: {
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      previous: { $ref: '#/components/schemas/Record', nullable: true, deprecated: true },
    },
  },
  Price: {
    type: 'object',
    required: ['amount'],
    properties: {
      amount: { type: 'string', pattern: DECIMAL },
      // 3.0's nullable beside a $ref, deprecated, in a 3.1 document.
      legacy: { $ref: '#/components/schemas/Record', nullable: true, deprecated: true },
      tags: { type: 'array', items: { $ref: '#/components/schemas/A_B', nullable: true } },
      // A model filed under responses, as LangGraph's spec files one: its $ref points at nothing.
      extra: { $ref: '#/components/schemas/Misfiled', description: 'Kept beside the $ref' },
    },
  },
  Odd: {
    type: 'object',
    description: 'Odd */ export const broken = 1;\nsecond line',
    required: ['code'],
    properties: {
      code: { type: 'string', pattern: '^a(?!a)a$' },
      'it\'s "quoted" */': { type: 'string', enum: ['*/', "'", '\n'], title: 'End */ here' },
    },
  },
  // The name the inline body of createThing would get.
  CreateThingBody: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
  'A-B': { type: 'object', properties: { name: { type: ['string', 'null'] } } },
  A_B: { type: 'object', properties: { title: { type: 'string' } } },
};

/** `base` (the SDK's own spec) with the paths and schemas above added. */
export function mediaSpec(base: Spec): Spec {
  const spec = structuredClone(base);
  spec.info.title = `${spec.info.title}\n*/ export const broken = 1; /*`;
  Object.assign(spec.paths, paths);
  Object.assign(spec.components.schemas, schemas);
  spec.components.responses = {
    ...spec.components.responses,
    Misfiled: { type: 'object', properties: { id: { type: 'string' } } },
  };
  return spec;
}
