/**
 * `npm run spec:update`: run as a user runs it (a child process), on copies of the seed project
 * (test/support/project-copy.ts: the project on the one-operation seed spec, which type-checks and
 * builds in seconds), from files and from a loopback URL: what it refuses, what it writes (the
 * spec's own bytes), and the staged type-check and build that decide whether it writes at all.
 * Plus, in process, what it makes of the vendored spec, the breaking/not-breaking verdict of each
 * rule and the report's own words.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { generate, ROOT, SPEC_PATH } from '../scripts/generate.js';
import { diffSpecs, renderReport, type SpecDiff } from '../scripts/spec-diff.js';
import { SHOWN_ERRORS } from '../scripts/update/diagnosis.js';
import { readSpec } from '../scripts/update/source.js';
import { CORPUS_DIR } from './support/corpus.js';
import { createProjectCopy, SEED_APP, type ProjectCopy } from './support/project-copy.js';
import { configWithoutCorrections, seedSpec, vendoredSpec, vendoredText } from './support/specs.js';

type Spec = Record<string, any>;
const clone = seedSpec;
/** A run that type-checks and builds a copy of the seed project: seconds, more on 2 busy cores. */
const CHECKED = 180_000;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/spec-update.ts'), ...args],
      { cwd: ROOT, timeout: CHECKED, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as any).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The new specs fed to the command, kept outside the copies they update. */
let inputs: string;
let server: Server;
/** The loopback server's origin; it answers `served` by URL path, else 404. */
let origin: string;
const served = new Map<string, string>();

beforeAll(async () => {
  inputs = await mkdtemp(join(tmpdir(), 'feather-spec-inputs-'));
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
    res.end(body ?? 'not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  if (inputs) await rm(inputs, { recursive: true, force: true });
});

const write = async (name: string, content: Spec | string) => {
  const path = join(inputs, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** A copy of the seed project for one describe block. */
function useCopy(): () => ProjectCopy {
  let copy: ProjectCopy;
  beforeAll(async () => {
    copy = await createProjectCopy({ seed: true });
  });
  afterAll(async () => {
    await copy?.remove();
  });
  return () => copy;
}

/** The seed plus a GET with path and query parameters and an optional request field. */
function compatibleBump(): Spec {
  const spec = clone();
  spec.info.version = '1.22.0';
  spec.paths['/v1/simulation/runs/{sim_run_id}'] = {
    get: {
      operationId: 'getSimulationRun',
      parameters: [
        {
          name: 'sim_run_id',
          in: 'path',
          required: true,
          schema: { type: 'string', format: 'uuid' },
        },
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
  // As in the real spec: the enum sdk.config.json's waiter names for its final statuses.
  spec.components.schemas.SimulationRunStatus = {
    type: 'string',
    enum: ['pending', 'running', 'completed', 'failed', 'cancelled', 'budget_exceeded'],
  };
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

/** The seed's operation under another name: tests, bench and examples call it by its name. */
function renamedSeedOperation(): Spec {
  const spec = clone();
  spec.info.version = '1.22.0';
  spec.paths['/v1/simulation/runs'].post.operationId = 'dispatchRun';
  return spec;
}

/** Feather's later specs drop `servers` entirely. */
function withoutServers(): Spec {
  const spec = clone();
  spec.info.version = '1.22.0';
  delete spec.servers;
  return spec;
}

const expectOk = (outcome: { code: number; stdout: string; stderr: string }) =>
  expect(outcome.code, `${outcome.stderr}\n${outcome.stdout.slice(-2000)}`).toBe(0);

describe('npm run spec:update: documents it cannot use', () => {
  const box = useCopy();

  it('rejects a document that is not valid OpenAPI, every problem named, and changes nothing', async () => {
    const spec = clone();
    // A parameter $ref to nowhere (a call cannot be made without it), and a parameter in no
    // place OpenAPI knows.
    spec.paths['/v1/simulation/runs'].post.parameters = [
      { $ref: '#/components/parameters/Nope' },
      { name: 'x', in: 'body', schema: { type: 'string' } },
    ];
    const before = await box().snapshot();
    const { code, stderr } = await run([await write('invalid.json', spec), '--root', box().dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/is not a valid OpenAPI document/);
    expect(stderr).toContain('1 $ref(s) point at nothing');
    expect(stderr).toContain(
      '#/paths/~1v1~1simulation~1runs/post/parameters/0/$ref: #/components/parameters/Nope',
    );
    expect(stderr).toMatch(/"in": "body"/);
    expect(stderr).toMatch(/Nothing was written/);
    expect(await box().snapshot()).toEqual(before);
  });

  it('passes over what changes no type, validator or call, saying each, and writes nothing on a dry run', async () => {
    const spec = clone();
    spec.info.version = '1.22.0';
    const post = spec.paths['/v1/simulation/runs'].post;
    // What FastAPI's `responses=` gives: a Media Type Object with a description, a Response
    // Object without one, or with a schema's keywords. And a discriminator hint and a $ref to a
    // schema that is not there.
    post.responses['201'].content['application/json'].description = 'The run, queued';
    delete post.responses['201'].description;
    post.responses['201'].title = 'Run';
    spec.components.schemas.Either = {
      oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/Lost' }],
      discriminator: { propertyName: 'kind', mapping: { gone: '#/components/schemas/Gone' } },
    };
    const before = await box().snapshot();
    const { code, stdout, stderr } = await run([
      await write('lenient.json', spec),
      '--root',
      box().dir,
      '--dry-run',
    ]);
    expect(code, stdout).toBe(0);
    // The description is documentation: the bump is not breaking for it.
    expect(stdout).toContain('Breaking for SDK callers: 0.');
    expect(stdout).toContain('Dry run');
    const at = '#/paths/~1v1~1simulation~1runs/post/responses/201';
    expect(stderr).toContain(
      `warning: ${at}/content/application~1json/description: not a field of a Media Type Object, ignored`,
    );
    expect(stderr).toContain(
      `warning: ${at}: a Response Object without its description, read as empty`,
    );
    expect(stderr).toContain(`warning: ${at}: title: not fields of a Response Object, ignored`);
    expect(stderr).toContain(
      'warning: 1 discriminator mapping(s) point at nothing, left out: #/components/schemas/Either/discriminator/mapping/gone: #/components/schemas/Gone',
    );
    expect(stderr).toContain(
      'warning: 1 schema $ref(s) point at nothing, each read as any value: #/components/schemas/Either/oneOf/1/$ref: #/components/schemas/Lost',
    );
    expect(await box().snapshot()).toEqual(before);
  });

  it('rejects text that is neither JSON nor YAML, and a Swagger 2.0 document', async () => {
    const before = await box().snapshot();
    const garbage = await run([await write('garbage.yaml', 'a: [1, 2\nb: }'), '--root', box().dir]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/neither JSON nor YAML/);
    const swagger = await run([
      await write('swagger.json', { swagger: '2.0', info: {}, paths: {} }),
      '--root',
      box().dir,
    ]);
    expect(swagger.code).toBe(1);
    expect(swagger.stderr).toMatch(/not an OpenAPI 3\.x document/);
    expect(await box().snapshot()).toEqual(before);
  });

  it('rejects a valid spec the generator cannot honour, and changes nothing', async () => {
    const spec = clone();
    // A dynamic reference: valid JSON Schema 2020-12, not one the validator compiler takes.
    Object.assign(spec.components.schemas.SimulationRunDispatch.properties.agent_id, {
      $dynamicRef: '#node',
    });
    const before = await box().snapshot();
    const { code, stderr } = await run([
      await write('ungeneratable.json', spec),
      '--root',
      box().dir,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /cannot be generated.*agent_id\/\$dynamicRef: \$dynamicRef is not supported/s,
    );
    expect(await box().snapshot()).toEqual(before);
  });

  it('rejects an unknown flag with its usage line', async () => {
    const { code, stderr } = await run([SPEC_PATH, '--allow-breakin']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Unknown option '--allow-breakin'[\s\S]*usage: npm run spec:update/);
  });
});

describe('npm run spec:update: bumps it will not take', () => {
  const box = useCopy();

  it(
    'refuses a breaking change without --allow-breaking and leaves the tree as it was',
    async () => {
      const before = await box().snapshot();
      const input = await write('breaking.json', breakingBump());
      const dry = await run([input, '--root', box().dir, '--dry-run', '--allow-breaking']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/Dry run: nothing was written/);
      // The dry run skips the slow part, and says so.
      expect(dry.stdout).toMatch(/type-check and build were skipped/);
      const dryRefused = await run([input, '--root', box().dir, '--dry-run']);
      expect(dryRefused.code).toBe(2);
      const { code, stdout, stderr } = await run([input, '--root', box().dir]);
      expect(code).toBe(2);
      expect(stdout).toContain('**BREAKING** response 201: field `error_text` removed');
      expect(stdout).toContain('**BREAKING** field `error_text` removed (response)');
      expect(stderr).toMatch(/Refused: .*Nothing was written/);
      expect(await box().snapshot()).toEqual(before);
    },
    CHECKED,
  );

  it('says so when the URL does not answer 200, and changes nothing', async () => {
    const before = await box().snapshot();
    const { code, stderr } = await run([`${origin}/missing.json`, '--root', box().dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/could not fetch .*HTTP 404/);
    expect(await box().snapshot()).toEqual(before);
  });
});

/** A compatible bump, served as YAML: written as JSON (YAML's own text cannot be), regenerated, reported. */
async function takeCompatibleYaml(box: () => ProjectCopy) {
  const spec = compatibleBump();
  served.set('/openapi.yaml', toYaml(spec));
  const outcome = await run([`${origin}/openapi.yaml`, '--root', box().dir]);
  expectOk(outcome);
  expect(outcome.stdout).toContain(
    'added `GET /v1/simulation/runs/{sim_run_id}` (`getSimulationRun`)',
  );
  expect(outcome.stdout).toContain('request body: field `note` added');
  expect(outcome.stdout).not.toContain('BREAKING');
  expect(outcome.stdout).toMatch(
    /Type-checked and built a staged copy first: generate [\d.]+ s, copy [\d.]+ s, tsc -p \. --noEmit [\d.]+ s, tsup [\d.]+ s \([\d.]+ s in all\)/,
  );

  const written = await readFile(join(box().dir, 'openapi.json'), 'utf8');
  expect(written).toBe(`${JSON.stringify(spec, null, 2)}\n`);
  // What is on disk is exactly what the generator makes of the new spec.
  for (const [path, content] of await generate(written, configWithoutCorrections())) {
    expect(await readFile(join(box().dir, path), 'utf8')).toBe(content);
  }
  for (const file of ['operations.ts', 'schema.ts']) {
    const source = await readFile(join(box().dir, 'src/generated', file), 'utf8');
    expect(source).toContain('getSimulationRun');
  }
  // Both operations of sdk.config.json's waiter now exist, so the bump generates it.
  const operations = await readFile(join(box().dir, 'src/generated/operations.ts'), 'utf8');
  expect(operations).toContain('export const waitForSimulationRun');
  const changelog = await readFile(join(box().dir, 'CHANGELOG.md'), 'utf8');
  expect(changelog).toMatch(/^# Changelog/);
  expect(changelog).toContain('## Feather API 1.21.0 -> Feather API 1.22.0');

  // The same document again, now as compact JSON from a file: the same spec in other bytes, so
  // openapi.json takes those bytes and nothing else changes; a third time, nothing to do.
  const before = await box().snapshot();
  const compact = await write('same.json', spec);
  const again = await run([compact, '--root', box().dir]);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toMatch(/same spec in other bytes: wrote openapi.json/);
  const after = await box().snapshot();
  expect(after).toEqual({ ...before, 'openapi.json': after['openapi.json'] });
  expect(await readFile(join(box().dir, 'openapi.json'), 'utf8')).toBe(JSON.stringify(spec));
  const third = await run([compact, '--root', box().dir]);
  expect(third.stdout).toMatch(/nothing to do/);
  expect(await box().snapshot()).toEqual(after);
}

/**
 * Back to the seed, without servers (as Feather's later specs have it): removes getSimulationRun
 * and the `note` field of the previous step, and the `environment` option. Sent as JSON laid out
 * as no formatter would (tabs, no final newline): written byte for byte.
 */
async function takeAllowedBreakingBump(box: () => ProjectCopy) {
  const spec = withoutServers();
  spec.info.version = '2.0.0';
  const published = JSON.stringify(spec, null, '\t');
  const outcome = await run([
    await write('breaking2.json', published),
    '--root',
    box().dir,
    '--allow-breaking',
  ]);
  expectOk(outcome);
  expect(await readFile(join(box().dir, 'openapi.json'), 'utf8')).toBe(published);
  expect(outcome.stdout).toContain('**BREAKING** removed `GET /v1/simulation/runs/{sim_run_id}`');
  expect(outcome.stdout).toContain('**BREAKING** request body: field `note` removed');
  const written = JSON.parse(await readFile(join(box().dir, 'openapi.json'), 'utf8'));
  expect(written.info.version).toBe('2.0.0');
  const schema = await readFile(join(box().dir, 'src/generated/schema.ts'), 'utf8');
  expect(schema).not.toContain('getSimulationRun');
  // With no servers left the tree still type-checks and builds (the staged copy did): the
  // environment names are gone, and a baseUrl is needed.
  expect(written.servers).toBeUndefined();
  expect(schema).toContain('export const servers = {} as const;');
  // What was written is what the staged copy type-checked and built.
  const text = await readFile(join(box().dir, 'openapi.json'), 'utf8');
  for (const [path, content] of await generate(text, configWithoutCorrections())) {
    expect(await readFile(join(box().dir, path), 'utf8')).toBe(content);
  }
  const changelog = await readFile(join(box().dir, 'CHANGELOG.md'), 'utf8');
  // Appended: the first bump's entry stays, the new one comes after it.
  expect(changelog.indexOf('-> Feather API 1.22.0')).toBeGreaterThan(0);
  expect(changelog.indexOf('-> Feather API 2.0.0')).toBeGreaterThan(
    changelog.indexOf('-> Feather API 1.22.0'),
  );
}

describe('npm run spec:update: bumps it writes, after type-checking and building them', () => {
  const box = useCopy();

  it(
    'takes a compatible YAML spec from a loopback URL, writes it as JSON and regenerates',
    () => takeCompatibleYaml(box),
    CHECKED,
  );
  it(
    'writes a breaking change (servers gone too) with --allow-breaking, the JSON as sent, and appends the report',
    () => takeAllowedBreakingBump(box),
    CHECKED,
  );
});

describe('npm run spec:update: a tree that does not type-check is never written', () => {
  const box = useCopy();

  it(
    'refuses a spec that renames the operation tests and examples call, and changes nothing',
    async () => {
      const before = await box().snapshot();
      const input = await write('renamed.json', renamedSeedOperation());
      const { code, stdout, stderr } = await run([input, '--root', box().dir, '--allow-breaking']);
      expect(code).toBe(1);
      expect(stdout).toContain('renamed: `dispatchSimulationRun` -> `dispatchRun`');
      expect(stderr).toContain('`tsc -p . --noEmit` failed in the staged copy');
      // The first errors, not all of them, and then what to fix.
      const shown = stderr.split('\n').filter((line) => /error TS\d+:/.test(line));
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.length).toBeLessThanOrEqual(SHOWN_ERRORS);
      expect(stderr).toMatch(
        new RegExp(`What to fix:\\n- Hand-written code no longer compiles[^\\n]*${SEED_APP}`),
      );
      expect(stderr).toContain('This spec removes or renames: `dispatchSimulationRun`.');
      expect(stderr).toMatch(/Nothing was written\.\s*$/);
      expect(await box().snapshot()).toEqual(before);
    },
    CHECKED,
  );

  it(
    'gives the same verdict in a dry run with --check, which writes nothing either',
    async () => {
      const before = await box().snapshot();
      const input = await write('renamed.json', renamedSeedOperation());
      const args = [input, '--root', box().dir, '--allow-breaking', '--dry-run', '--check'];
      const { code, stderr } = await run(args);
      expect(code).toBe(1);
      expect(stderr).toContain('`tsc -p . --noEmit` failed in the staged copy');
      expect(await box().snapshot()).toEqual(before);
    },
    CHECKED,
  );
});

describe('npm run spec:update: a spec without servers', () => {
  const box = useCopy();

  it('is reported breaking: the environment option goes, baseUrl becomes mandatory', async () => {
    const input = await write('no-servers.json', withoutServers());
    const { code, stdout } = await run([input, '--root', box().dir, '--dry-run']);
    expect(code).toBe(2);
    expect(stdout).toContain(
      '**BREAKING** no servers left: the `environment` option goes away, and `createFeatherClient()` needs a `baseUrl` (or `FEATHER_BASE_URL`)',
    );
    expect(stdout).toContain(
      '**BREAKING** environment `sandbox` (https://api-sandbox.featherhq.com) removed',
    );
  });
});

describe('npm run spec:update: corrections of sdk.config.json that a bump no longer fits', () => {
  const box = useCopy();
  /** One correction of the seed's operation, in the copy's sdk.config.json. */
  beforeAll(async () => {
    const config = {
      ...configWithoutCorrections(),
      corrections: [
        {
          name: 'dispatch-deprecated',
          operation: 'dispatchSimulationRun',
          source: 'a guide',
          why: 'The guide deprecates it; the spec does not.',
          edits: [{ at: '/deprecated', now: true }],
        },
      ],
    };
    await writeFile(join(box().dir, 'sdk.config.json'), JSON.stringify(config, null, 2));
  });

  it('names the corrections that still fit a bump', async () => {
    const input = await write('fits.json', compatibleBump());
    const { code, stdout } = await run([input, '--root', box().dir, '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'The corrections of sdk.config.json still fit this spec: dispatch-deprecated.',
    );
  });

  it.each([
    ['renames its operation', renamedSeedOperation(), /operation dispatchSimulationRun is gone/],
    [
      'declares what it corrects itself',
      (() => {
        const spec = compatibleBump();
        spec.paths['/v1/simulation/runs'].post.deprecated = true;
        return spec;
      })(),
      /the spec now declares \/deprecated itself/,
    ],
  ])('refuses a spec that %s, naming the correction, and writes nothing', async (_, spec, why) => {
    const before = await box().snapshot();
    const input = await write('stale.json', spec);
    const { code, stderr } = await run([input, '--root', box().dir, '--allow-breaking']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/corrections of sdk.config.json no longer fit this spec/);
    expect(stderr).toContain('- dispatch-deprecated (a guide): ');
    expect(stderr).toMatch(why);
    expect(await box().snapshot()).toEqual(before);
  });
});

describe('npm run generate: a correction that does not fit', () => {
  const box = useCopy();

  it(
    'is left out, and the command says which and why',
    async () => {
      const config = {
        ...configWithoutCorrections(),
        corrections: [
          {
            name: 'gone-operation',
            operation: 'runV2ConversationTurnStream',
            source: 'a guide',
            why: 'The seed lacks the operation.',
            edits: [{ at: '/deprecated', now: true }],
          },
        ],
      };
      await writeFile(join(box().dir, 'sdk.config.json'), JSON.stringify(config, null, 2));
      const { stderr, stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(box().dir, 'scripts/generate.ts')],
        { cwd: box().dir },
      );
      expect(stderr).toBe(
        'sdk.config.json: correction not applied: gone-operation (a guide): operation runV2ConversationTurnStream is gone from the spec\n',
      );
      expect(stdout).toContain('wrote src/generated/operations.ts');
    },
    CHECKED,
  );
});

describe('spec:update on the vendored spec, in process', () => {
  it('reads it as published: the same bytes, a valid OpenAPI document', async () => {
    const { doc, text } = await readSpec(SPEC_PATH);
    expect(text).toBe(vendoredText);
    expect(doc).toEqual(vendoredSpec());
  });

  it("reports a bump from the seed to it by the seed's and its own operations", () => {
    const report = renderReport(diffSpecs(seedSpec(), vendoredSpec()));
    expect(report).toContain('added `GET /v1/agents` (`listAgents`)');
    expect(report).toContain(
      'retries of `sendSms` after a 500 or a timeout become safe: the spec declares `idempotency_key`',
    );
    // The seed's operation and schemas are identical inside it.
    expect(report).not.toMatch(/dispatchSimulationRun|SimulationRunDispatch/);
  });

  it('reports nothing for a bump that changes only the version, twin paths and repeated tags aside', () => {
    // Feather 1.21.0 has two pairs of paths that differ only in a parameter's name, and 18
    // operations that list a tag twice: api-smart-diff alone reported 2 breaking removals here.
    for (const spec of [vendoredSpec(), corpusSpec('letta')]) {
      const bumped = structuredClone(spec);
      bumped.info.version = `${spec.info.version}-next`;
      const diff = diffSpecs(spec, bumped);
      expect([diff.operations, diff.schemas, diff.other], spec.info.title).toEqual([[], [], []]);
    }
  });
});

/** A spec of the corpus (../shared/specs/corpus/), as published. */
const corpusSpec = (file: string): Spec =>
  JSON.parse(readFileSync(join(CORPUS_DIR, `${file}.json`), 'utf8')) as Spec;

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
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
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
  ['removed servers key (no environment, baseUrl needed)', true, (s) => delete s.servers],
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
  [
    'added security scheme',
    false,
    (s) => (s.components.securitySchemes.bearer = { type: 'http', scheme: 'bearer' }),
  ],
  [
    'changed security scheme header',
    true,
    (s) => (s.components.securitySchemes.key.name = 'x-feather-key'),
  ],
  ['newly deprecated operation', false, (s) => (s.paths['/things/{id}'].get.deprecated = true)],
  [
    'added optional header parameter',
    false,
    (s) => s.paths['/things/{id}'].get.parameters.push(header('x-feather-client', false)),
  ],
  [
    'added required header parameter',
    true,
    (s) => s.paths['/things/{id}'].get.parameters.push(header('x-feather-client', true)),
  ],
  [
    'idempotency key added to a request body',
    false,
    (s) => (thingIn(s).properties.idempotency_key = { type: 'string', maxLength: 128 }),
  ],
];
function otherPath() {
  return {
    get: { operationId: 'other', responses: { '204': { description: 'No content' } } },
  };
}

function header(name: string, required: boolean) {
  return { name, in: 'header', required, schema: { type: 'string' } };
}

describe('breaking or not, by the rule oasdiff uses', () => {
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

  it('tells twin paths apart: each change lands on its own path, a rename in one is a removal', () => {
    const twins = (): Spec => {
      const spec = base();
      const { put, ...rest } = spec.paths['/things/{id}'];
      spec.paths = { '/things/{id}': rest, '/things/{slug}': { put } };
      put.parameters[0].name = 'slug';
      return spec;
    };
    const after = twins();
    after.paths['/things/{slug}'].put.parameters.push(header('x-feather-client', true));
    expect(diffSpecs(twins(), after).operations.map((c) => [c.target, c.action])).toEqual([
      ['PUT /things/{slug}', 'changed'],
    ]);
    const renamed = twins();
    renamed.paths['/things/{key}'] = renamed.paths['/things/{slug}'];
    delete renamed.paths['/things/{slug}'];
    renamed.paths['/things/{key}'].put.parameters[0].name = 'key';
    const diff = diffSpecs(twins(), renamed);
    expect(diff.operations.map((c) => [c.target, c.action]).sort()).toEqual([
      ['PUT /things/{key}', 'added'],
      ['PUT /things/{slug}', 'removed'],
    ]);
    expect(diff.breaking).toBeGreaterThan(0);
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

/** The details reported for one operation. */
function detailsOf(diff: SpecDiff, target: string) {
  return diff.operations.find((c) => c.target === target)?.details ?? [];
}
const SEED_OP = 'POST /v1/simulation/runs';
const seedOp = (spec: Spec) => spec.paths['/v1/simulation/runs'].post;
const seedBody = (spec: Spec) => spec.components.schemas.SimulationRunDispatch;

describe("the report's words for parameters", () => {
  it('calls an optional header optional, and a required one required', () => {
    const after = base();
    after.paths['/things/{id}'].get.parameters.push(header('x-feather-client', false));
    after.paths['/things/{id}'].put.parameters.push(header('x-feather-trace', true));
    const diff = diffSpecs(base(), after);
    expect(detailsOf(diff, 'GET /things/{id}')).toEqual([
      { text: 'header parameter `x-feather-client` added (optional)', breaking: false },
    ]);
    expect(detailsOf(diff, 'PUT /things/{id}')).toEqual([
      { text: 'header parameter `x-feather-trace` added (required)', breaking: true },
    ]);
    expect(renderReport(diff)).not.toMatch(/required header parameter `x-feather-client`/);
  });

  it('says when a parameter becomes required, and names the right one in a reordered list', () => {
    const after = base();
    const [id, limit] = after.paths['/things/{id}'].get.parameters;
    after.paths['/things/{id}'].get.parameters = [
      { ...limit, required: true, schema: { type: 'integer', maximum: 50 } },
      id,
    ];
    expect(detailsOf(diffSpecs(base(), after), 'GET /things/{id}')).toEqual([
      { text: 'query parameter `limit`: maximum: `100` -> `50`', breaking: true },
      { text: 'query parameter `limit` now required', breaking: true },
    ]);
  });
});

describe("the report's words for call shapes", () => {
  it('makes the first parameter of an operation that had none breaking: its call shape changes', () => {
    const after = clone();
    seedOp(after).parameters = [header('x-feather-client', false)];
    const diff = diffSpecs(clone(), after);
    expect(detailsOf(diff, SEED_OP)).toEqual([
      { text: 'header parameter `x-feather-client` added (optional)', breaking: false },
      {
        text: 'call shape changes from `body` (the body alone) to `params` (`{ params, body }`): every call must be rewritten',
        breaking: true,
      },
    ]);
    expect(diff.breaking).toBe(1);
  });

  it('judges every change of input kind the same way: none, body and params', () => {
    const withOther = (mutate: (op: Spec) => void) => {
      const spec = base();
      spec.paths['/other'] = otherPath();
      mutate(spec.paths['/other'].get);
      return spec;
    };
    const none = withOther(() => {});
    const query = withOther(
      (op) => (op.parameters = [{ name: 'q', in: 'query', schema: { type: 'string' } }]),
    );
    const shape = (before: Spec, after: Spec) =>
      detailsOf(diffSpecs(before, after), 'GET /other').find((d) =>
        d.text.startsWith('call shape'),
      );
    expect(shape(none, query)).toEqual({
      text: 'call shape changes from `none` (no input) to `params` (`{ params, body }`): every call must be rewritten',
      breaking: true,
    });
    expect(shape(query, none)?.text).toMatch(/^call shape changes from `params` .* to `none`/);
    // A second parameter keeps the shape.
    const two = withOther(
      (op) =>
        (op.parameters = [
          { name: 'q', in: 'query', schema: { type: 'string' } },
          header('x-a', false),
        ]),
    );
    expect(shape(query, two)).toBeUndefined();
    expect(diffSpecs(query, two).breaking).toBe(0);
  });
});

describe("the report's words for idempotency keys", () => {
  it('notes an idempotency key that a bump adds, not as breaking', () => {
    const after = clone();
    seedBody(after).properties.idempotency_key = { type: 'string', minLength: 1, maxLength: 128 };
    const diff = diffSpecs(clone(), after);
    expect(detailsOf(diff, SEED_OP)).toContainEqual({
      text: 'retries of `dispatchSimulationRun` after a 500 or a timeout become safe: the spec declares `idempotency_key`',
      breaking: false,
    });
    expect(diff.breaking).toBe(0);
  });

  it('notes an idempotency key that a bump removes: retries revert to the cautious rule', () => {
    const before = clone();
    seedBody(before).properties.idempotency_key = { type: 'string' };
    const diff = diffSpecs(before, clone());
    expect(detailsOf(diff, SEED_OP)).toContainEqual({
      text: 'retries of `dispatchSimulationRun` after a 500 or a timeout revert to the cautious rule (README, "Retries"): the spec no longer declares `idempotency_key`',
      breaking: false,
    });
  });

  it('notes an Idempotency-Key header too', () => {
    const after = base();
    after.paths['/things/{id}'].put.parameters.push(header('Idempotency-Key', false));
    expect(detailsOf(diffSpecs(base(), after), 'PUT /things/{id}')).toContainEqual({
      text: 'retries of `putThing` after a 500 or a timeout become safe: the spec declares the `Idempotency-Key` header',
      breaking: false,
    });
  });
});

describe("the report's words for deprecation and servers", () => {
  it('says once, not breaking, that an operation is newly deprecated', () => {
    const after = clone();
    seedOp(after).deprecated = true;
    const diff = diffSpecs(clone(), after);
    expect(detailsOf(diff, SEED_OP)).toEqual([
      { text: 'now deprecated: its SDK function is marked `@deprecated`', breaking: false },
    ]);
    expect([diff.breaking, diff.nonBreaking]).toEqual([0, 1]);
    expect(detailsOf(diffSpecs(after, clone()), SEED_OP)).toEqual([
      { text: 'no longer deprecated', breaking: false },
    ]);
  });

  it('calls an emptied server list breaking, as it does a missing one', () => {
    const empty = clone();
    empty.servers = [];
    for (const after of [empty, withoutServers()]) {
      const diff = diffSpecs(clone(), after);
      expect(diff.other).toContainEqual({
        text: 'no servers left: the `environment` option goes away, and `createFeatherClient()` needs a `baseUrl` (or `FEATHER_BASE_URL`)',
        breaking: true,
      });
    }
  });
});
