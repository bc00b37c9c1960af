/**
 * `npm run spec:update`: run as a user runs it (a child process), on a sandbox copy of the repo,
 * from files and from a loopback URL. Plus the breaking/not-breaking verdict of each rule.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { generate, ROOT, SPEC_PATH } from '../scripts/generate.js';
import { diffSpecs } from '../scripts/spec-diff.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

type Spec = Record<string, any>;
const realSpec: Spec = JSON.parse(await readFile(SPEC_PATH, 'utf8'));
const clone = (): Spec => structuredClone(realSpec);

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/spec-update.ts'), ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as any).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The real spec plus a GET with path and query parameters and an optional request field. */
function compatibleBump(): Spec {
  const spec = clone();
  spec.info.version = '1.22.0';
  spec.paths['/v1/simulation/runs/{run_id}'] = {
    get: {
      operationId: 'getSimulationRun',
      parameters: [
        { name: 'run_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        { name: 'expand', in: 'query', schema: { type: 'boolean' } },
      ],
      responses: {
        '200': {
          description: 'OK',
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/SimulationRunResponse' } },
          },
        },
      },
    },
  };
  spec.components.schemas.SimulationRunDispatch.properties.note = { type: 'string' };
  return spec;
}

/** Removes a response field: code reading `run.error_text` stops compiling. */
function breakingBump(): Spec {
  const spec = clone();
  spec.info.version = '2.0.0';
  delete spec.components.schemas.SimulationRunResponse.properties.error_text;
  spec.components.schemas.SimulationRunResponse.required =
    spec.components.schemas.SimulationRunResponse.required.filter(
      (f: string) => f !== 'error_text',
    );
  return spec;
}

describe('npm run spec:update', () => {
  let box: Sandbox;
  let inputs: string;
  let server: Server;
  let base: string;
  const served = new Map<string, string>();

  beforeAll(async () => {
    box = await createSandbox();
    inputs = await mkdtemp(join(tmpdir(), 'feather-spec-inputs-'));
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(body ?? 'not found');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await box?.remove();
    if (inputs) await rm(inputs, { recursive: true, force: true });
  });

  /** A new spec to feed the command, kept outside the sandbox it updates. */
  const write = async (name: string, content: string) => {
    const path = join(inputs, name);
    await writeFile(path, content);
    return path;
  };

  it('rejects a document that is not valid OpenAPI, and changes nothing', async () => {
    const spec = clone();
    // A response without its required `description`, and a $ref to nowhere.
    delete spec.paths['/v1/simulation/runs'].post.responses['201'].description;
    spec.paths['/v1/simulation/runs'].post.requestBody.content['application/json'].schema.$ref =
      '#/components/schemas/Nope';
    const before = await box.snapshot();
    const { code, stderr } = await run([
      await write('invalid.json', JSON.stringify(spec)),
      '--root',
      box.dir,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/is not a valid OpenAPI document/);
    expect(stderr).toMatch(/Nothing was written/);
    expect(await box.snapshot()).toEqual(before);
  });

  it('rejects text that is neither JSON nor YAML, and a Swagger 2.0 document', async () => {
    const before = await box.snapshot();
    const garbage = await run([await write('garbage.yaml', 'a: [1, 2\nb: }'), '--root', box.dir]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/neither JSON nor YAML/);
    const swagger = await run([
      await write('swagger.json', JSON.stringify({ swagger: '2.0', info: {}, paths: {} })),
      '--root',
      box.dir,
    ]);
    expect(swagger.code).toBe(1);
    expect(swagger.stderr).toMatch(/not an OpenAPI 3\.x document/);
    expect(await box.snapshot()).toEqual(before);
  });

  it('rejects a valid spec the generator cannot honour, and changes nothing', async () => {
    const spec = clone();
    spec.components.schemas.SimulationRunDispatch.properties.agent_id.not = { const: 'x' };
    const before = await box.snapshot();
    const { code, stderr } = await run([
      await write('ungeneratable.json', JSON.stringify(spec)),
      '--root',
      box.dir,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot be generated.*does not support not/s);
    expect(await box.snapshot()).toEqual(before);
  });

  it('refuses a breaking change without --allow-breaking and leaves the tree as it was', async () => {
    const before = await box.snapshot();
    const dry = await run([
      await write('breaking-dry.json', JSON.stringify(breakingBump())),
      '--root',
      box.dir,
      '--dry-run',
      '--allow-breaking',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run: nothing was written/);
    const dryRefused = await run([
      await write('breaking-dry.json', JSON.stringify(breakingBump())),
      '--root',
      box.dir,
      '--dry-run',
    ]);
    expect(dryRefused.code).toBe(2);
    const { code, stdout, stderr } = await run([
      await write('breaking.json', JSON.stringify(breakingBump())),
      '--root',
      box.dir,
    ]);
    expect(code).toBe(2);
    expect(stdout).toContain('**BREAKING** response 201: field `error_text` removed');
    expect(stdout).toContain('**BREAKING** field `error_text` removed (response)');
    expect(stderr).toMatch(/Refused: .*Nothing was written/);
    expect(await box.snapshot()).toEqual(before);
  });

  it('takes a compatible YAML spec from a loopback URL, writes formatted JSON and regenerates', async () => {
    const spec = compatibleBump();
    served.set('/openapi.yaml', toYaml(spec));
    const { code, stdout } = await run([`${base}/openapi.yaml`, '--root', box.dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('added `GET /v1/simulation/runs/{run_id}` (`getSimulationRun`)');
    expect(stdout).toContain('request body: field `note` added');
    expect(stdout).not.toContain('BREAKING');

    const written = await readFile(join(box.dir, 'openapi.json'), 'utf8');
    expect(JSON.parse(written)).toEqual(spec);
    expect(written).toBe(
      await prettier.format(JSON.stringify(spec), {
        ...(await prettier.resolveConfig(SPEC_PATH)),
        filepath: 'openapi.json',
      }),
    );
    // What is on disk is exactly what the generator makes of the new spec.
    for (const [path, content] of await generate(written)) {
      expect(await readFile(join(box.dir, path), 'utf8')).toBe(content);
    }
    expect(await readFile(join(box.dir, 'src/generated/operations.ts'), 'utf8')).toContain(
      'export const getSimulationRun',
    );
    const changelog = await readFile(join(box.dir, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^# Changelog/);
    expect(changelog).toContain('## Feather API 1.21.0 -> Feather API 1.22.0');

    // The same document again, now as compact JSON from a file: same spec, nothing to do.
    const before = await box.snapshot();
    const again = await run([await write('same.json', JSON.stringify(spec)), '--root', box.dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to do/);
    expect(await box.snapshot()).toEqual(before);
  });

  it('says so when the URL does not answer 200, and changes nothing', async () => {
    const before = await box.snapshot();
    const { code, stderr } = await run([`${base}/missing.json`, '--root', box.dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/could not fetch .*HTTP 404/);
    expect(await box.snapshot()).toEqual(before);
  });

  it('writes a breaking change with --allow-breaking and appends the report', async () => {
    const { code, stdout } = await run([
      await write('breaking2.json', JSON.stringify(breakingBump())),
      '--root',
      box.dir,
      '--allow-breaking',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('**BREAKING**');
    // The bump also removed getSimulationRun and the `note` field of the previous step.
    expect(stdout).toContain('**BREAKING** removed `GET /v1/simulation/runs/{run_id}`');
    const written = JSON.parse(await readFile(join(box.dir, 'openapi.json'), 'utf8'));
    expect(written.info.version).toBe('2.0.0');
    const schema = await readFile(join(box.dir, 'src/generated/schema.ts'), 'utf8');
    expect(schema).not.toContain('error_text');
    const changelog = await readFile(join(box.dir, 'CHANGELOG.md'), 'utf8');
    // Appended: the first bump's entry stays, the new one comes after it.
    expect(changelog.indexOf('-> Feather API 1.22.0')).toBeGreaterThan(0);
    expect(changelog.indexOf('-> Feather API 2.0.0')).toBeGreaterThan(
      changelog.indexOf('-> Feather API 1.22.0'),
    );
  });
});

describe('breaking or not, by the rule oasdiff uses', () => {
  /** A small spec: GET and PUT on /things/{id}, a response schema and a request schema. */
  const base = (): Spec => ({
    openapi: '3.1.0',
    info: { title: 'T', version: '1' },
    servers: [{ url: 'https://api.example', description: 'Production' }],
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
          ],
          responses: { '200': { description: 'ok', content: json('Thing') } },
        },
        put: {
          operationId: 'putThing',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: json('ThingIn') },
          responses: { '200': { description: 'ok', content: json('Thing') } },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id', 'name'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            size: { type: 'integer' },
            kind: { type: 'string', enum: ['a', 'b'] },
          },
        },
        ThingIn: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', maxLength: 10 },
            note: { type: 'string' },
            kind: { type: 'string', enum: ['a', 'b'] },
            count: { type: 'integer', minimum: 0, maximum: 10 },
            // Named like a keyword, as real fields often are.
            type: { type: 'string', maxLength: 20 },
          },
        },
      },
    },
  });
  function json(name: string) {
    return { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } };
  }
  const thingIn = (s: Spec) => s.components.schemas.ThingIn;
  const thing = (s: Spec) => s.components.schemas.Thing;

  const cases: [string, boolean, (s: Spec) => void][] = [
    ['removed operation', true, (s) => delete s.paths['/things/{id}'].put],
    ['removed path', true, (s) => delete s.paths['/things/{id}']],
    ['renamed operationId', true, (s) => (s.paths['/things/{id}'].get.operationId = 'fetchThing')],
    [
      'new required request field',
      true,
      (s) => {
        thingIn(s).properties.extra = { type: 'string' };
        thingIn(s).required.push('extra');
      },
    ],
    [
      'new required query parameter',
      true,
      (s) =>
        s.paths['/things/{id}'].get.parameters.push({
          name: 'q',
          in: 'query',
          required: true,
          schema: { type: 'string' },
        }),
    ],
    ['optional -> required request field', true, (s) => thingIn(s).required.push('note')],
    ['narrowed request type', true, (s) => (thingIn(s).properties.note.type = 'integer')],
    ['narrowed request enum', true, (s) => (thingIn(s).properties.kind.enum = ['a'])],
    ['lowered request maximum', true, (s) => (thingIn(s).properties.count.maximum = 5)],
    ['raised request minimum', true, (s) => (thingIn(s).properties.count.minimum = 1)],
    ['lowered request maxLength', true, (s) => (thingIn(s).properties.name.maxLength = 5)],
    [
      'lowered query parameter maximum',
      true,
      (s) => (s.paths['/things/{id}'].get.parameters[1].schema.maximum = 50),
    ],
    ['removed response field', true, (s) => delete thing(s).properties.size],
    [
      'renamed response field',
      true,
      (s) => {
        thing(s).properties.bytes = thing(s).properties.size;
        delete thing(s).properties.size;
      },
    ],
    ['required -> optional response field', true, (s) => (thing(s).required = ['id'])],
    ['changed response type', true, (s) => (thing(s).properties.size.type = 'string')],
    [
      'renamed path parameter',
      true,
      (s) => {
        const item = s.paths['/things/{id}'];
        for (const op of [item.get, item.put]) op.parameters[0].name = 'thing_id';
        s.paths['/things/{thing_id}'] = item;
        delete s.paths['/things/{id}'];
      },
    ],
    ['removed server (an environment name)', true, (s) => (s.servers = [])],
    [
      'lowered maxLength of a request field called `type`',
      true,
      (s) => (thingIn(s).properties.type.maxLength = 10),
    ],
    [
      'raised maxLength of a request field called `type`',
      false,
      (s) => (thingIn(s).properties.type.maxLength = 30),
    ],
    ['added operation', false, (s) => (s.paths['/other'] = otherPath())],
    [
      'added server',
      false,
      (s) => (s.servers = [...s.servers, { url: 'https://eu.example', description: 'EU' }]),
    ],
    [
      'added optional request field',
      false,
      (s) => (thingIn(s).properties.extra = { type: 'string' }),
    ],
    [
      'added optional query parameter',
      false,
      (s) =>
        s.paths['/things/{id}'].get.parameters.push({
          name: 'q',
          in: 'query',
          schema: { type: 'string' },
        }),
    ],
    ['added response field', false, (s) => (thing(s).properties.extra = { type: 'string' })],
    ['added request enum value', false, (s) => thingIn(s).properties.kind.enum.push('c')],
    ['raised request maximum', false, (s) => (thingIn(s).properties.count.maximum = 20)],
    ['widened request type', false, (s) => (thingIn(s).properties.count.type = 'number')],
    ['required -> optional request field', false, (s) => (thingIn(s).required = [])],
    ['description only', false, (s) => (thing(s).description = 'A thing.')],
  ];
  function otherPath() {
    return {
      get: { operationId: 'other', responses: { '204': { description: 'No content' } } },
    };
  }

  it.each(cases)('%s: breaking = %s', (_name, breaking, mutate) => {
    const after = base();
    mutate(after);
    const diff = diffSpecs(base(), after);
    expect(diff.breaking > 0).toBe(breaking);
    // Every change is reported somewhere, breaking or not.
    expect(diff.operations.length + diff.schemas.length + diff.other.length).toBeGreaterThan(0);
  });

  it('follows a renamed path parameter to the same operations', () => {
    const after = base();
    const item = after.paths['/things/{id}'];
    for (const op of [item.get, item.put]) op.parameters[0].name = 'thing_id';
    after.paths = { '/things/{thing_id}': item };
    const diff = diffSpecs(base(), after);
    expect(diff.operations.map((c) => [c.target, c.action, c.details])).toEqual(
      ['GET', 'PUT'].map((method) => [
        `${method} /things/{thing_id}`,
        'changed',
        [
          { text: 'path was `/things/{id}`', breaking: false },
          { text: 'parameter renamed: `id` -> `thing_id`', breaking: true },
        ],
      ]),
    );
  });

  it('reports a change to a shared schema under each operation that uses it', () => {
    const after = base();
    delete thing(after).properties.size;
    const diff = diffSpecs(base(), after);
    expect(diff.operations.map((c) => [c.target, c.breaking])).toEqual([
      ['GET /things/{id}', true],
      ['PUT /things/{id}', true],
    ]);
    expect(diff.schemas).toEqual([
      expect.objectContaining({
        target: 'Thing',
        action: 'changed',
        details: [{ text: 'field `size` removed (response)', breaking: true }],
      }),
    ]);
  });
});
