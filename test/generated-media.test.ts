/**
 * A spec with what real APIs carry beyond JSON and tidy names (test/support/media-spec.ts),
 * generated into a sandbox copy of src/: what the generator warns about, what callers' code
 * type-checks against, and every operation called through the SDK against the generated mock, with
 * response validation on (so each sample is one the generated validators accept). Then the same
 * spec through `spec:update --dry-run --check`, whose declaration build is where spec text that
 * breaks generated code shows.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_PATH } from '../scripts/generate.js';
import { dryRun } from './support/corpus.js';
import { DECIMAL, mediaSpec } from './support/media-spec.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

const spec = mediaSpec(JSON.parse(await readFile(SPEC_PATH, 'utf8')));
const warnings: string[] = [];
let box: Sandbox;
let sdk: any;
let testing: any;

beforeAll(async () => {
  box = await createSandbox();
  await box.regenerate(spec, (message) => warnings.push(message));
  sdk = await import(join(box.dir, 'src/index.ts'));
  testing = await import(join(box.dir, 'src/testing/index.ts'));
}, 120_000);
afterAll(async () => {
  await box?.remove();
});

describe('generation', () => {
  it('warns once for each thing it passes over, naming where it is, and goes on', () => {
    expect(warnings).toEqual([
      '1 schema $ref(s) point at nothing, each read as any value: #/components/schemas/Price/properties/extra/$ref: #/components/schemas/Misfiled (#/components/responses/Misfiled has that name)',
      'the mock has no sample answer of schema Odd (Odd.code: no sample string found for the pattern ^a(?!a)a$): it answers getOdd with 501 unless a handler is given',
    ]);
  });

  it('reads a $ref to nowhere as any value, and checks the rest of its schema', async () => {
    const { validatePrice } = await import(join(box.dir, 'src/generated/validators.ts'));
    for (const extra of [1, 'x', null, { a: [1] }]) {
      expect(validatePrice({ amount: '1.50', extra }, [], []), JSON.stringify(extra)).toBe(true);
    }
    expect(validatePrice({ amount: 5, extra: 1 }, [], [])).toBe(false);
  });

  it('names functions after operationIds that are not identifiers, as the README says', () => {
    const names = Object.keys(sdk.clientMethods);
    expect(names).toEqual(
      expect.arrayContaining([
        'authLogin',
        'configSave',
        'getXSnapshotsName',
        'snapshotsUpload',
        'delete_',
        'organizationsList',
        'createThing',
        'patchThing',
      ]),
    );
  });

  it('types what callers pass and get (the TypeScript compiler judges a consumer)', async () => {
    const consumer = `
      import { createFeatherClient, type RecordSchema, type Price, type CreateThingBody } from './src/index.js';
      const feather = createFeatherClient({ apiKey: 'k', baseUrl: 'http://localhost' });
      export async function uses() {
        const html: string = await feather.authLogin({ username: 'ada', scopes: ['a'] });
        await feather.configSave('key = 1');
        const blob: Blob = await feather.getXSnapshotsName({ params: { path: { name: 's' } } });
        const record: RecordSchema = await feather.snapshotsUpload({ params: { path: { name: 's' } }, body: new Blob(['x']) });
        const list: RecordSchema[] = await feather.organizationsList({ params: { cookie: { session: 's' } } });
        const metrics: string = await feather.metrics();
        const price: Price = await feather.getPrice();
        const legacy: RecordSchema | null | undefined = price.legacy;
        // A $ref to nowhere is read as any value: present, and unknown rather than any.
        const extra: unknown = price.extra;
        // @ts-expect-error unknown is not a string
        const extraText: string = price.extra;
        const made: CreateThingBody = await feather.createThing({ n: 1 });
        const patched: { title?: string } = await feather.patchThing({ name: null });
        const raw: Response = await feather.getXSnapshotsName({ params: { path: { name: 's' } } }).asResponse();
        // @ts-expect-error a text body is a string
        await feather.configSave(5);
        // @ts-expect-error a binary body is bytes, a Blob or a stream
        await feather.snapshotsUpload({ params: { path: { name: 's' } }, body: { a: 1 } });
        // @ts-expect-error the cookie parameter session is required
        await feather.organizationsList({ params: { cookie: {} } });
        // @ts-expect-error JSON is the body sent: not the text/csv alternative
        await feather.createThing('a,b');
        return [html, blob, record, list, metrics, legacy, extra, extraText, made, patched, raw];
      }
    `;
    await writeFile(join(box.dir, 'consumer.ts'), consumer);
    expect(box.typecheck('consumer.ts')).toEqual([]);
  }, 120_000); // a whole program: seconds alone, more on a busy machine
});

describe('calls against the generated mock, answers validated', () => {
  let server: any;
  let feather: any;
  beforeAll(async () => {
    server = await testing.startMockServer();
    feather = sdk.createFeatherClient({
      apiKey: server.apiKey,
      baseUrl: server.url,
      validateResponses: true,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  const last = () => server.requests.at(-1);

  it('a urlencoded form, answered in text/html', async () => {
    const html = await feather.authLogin({ username: 'ada', scopes: ['a', 'b'], remember: 1 });
    expect(typeof html).toBe('string');
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(last().rawBody).toBe('username=ada&scopes=a&scopes=b&remember=1');
    await expect(feather.authLogin({ username: '' })).rejects.toBeInstanceOf(
      sdk.RequestValidationError,
    );
  });

  it('text/plain in; bytes in and out; a text answer that its pattern accepts', async () => {
    await expect(feather.configSave('key = 1')).resolves.toBeUndefined();
    expect([last().headers['content-type'], last().rawBody]).toEqual(['text/plain', 'key = 1']);
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const record = await feather.snapshotsUpload({ params: { path: { name: 's' } }, body: bytes });
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    const blob = await feather.getXSnapshotsName({ params: { path: { name: 's' } } });
    expect(blob).toBeInstanceOf(Blob);
    expect((await blob.arrayBuffer()).byteLength).toBe(16);
    expect(await feather.metrics()).toMatch(/^# /);
    await expect(feather.delete_({ params: { path: { name: 's' } } })).resolves.toBeUndefined();
  });

  it('cookie parameters, sent and read back', async () => {
    const list = await feather.organizationsList({
      params: { cookie: { session: 'a b', page: 2 } },
    });
    expect(Array.isArray(list)).toBe(true);
    expect(last().headers.cookie).toBe('session=a%20b; page=2');
    expect(last().params.cookie).toEqual({ session: 'a b', page: 2 });
  });

  it("Pydantic's Decimal, 3.0's nullable, a clashing name, a +json type", async () => {
    const price = await feather.getPrice();
    expect(price.amount).toMatch(new RegExp(DECIMAL, 'u'));
    const made = await feather.createThing({ n: 1 });
    expect(typeof made.id).toBe('string');
    await expect(feather.createThing({ n: 'x' })).rejects.toBeInstanceOf(
      sdk.RequestValidationError,
    );
    await feather.patchThing({ name: null });
    expect(last().headers['content-type']).toBe('application/merge-patch+json');
  });

  it('an answer without a sample: a 501 that names the schema', async () => {
    const error = await feather.getOdd().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.APIError);
    expect(error.status).toBe(501);
    expect(error.message).toContain('Odd.code: no sample string found');
  });
});

describe('spec:update --dry-run --check', () => {
  it('type-checks and builds the tree of this spec', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feather-media-spec-'));
    try {
      const file = join(dir, 'media.json');
      await writeFile(file, JSON.stringify(spec));
      const { code, stdout, stderr } = await dryRun(file, true, 600_000);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('Type-checked and built a staged copy');
      expect(stderr).toContain('warning: the mock has no sample answer of schema Odd');
      expect(stderr).toContain('warning: 1 schema $ref(s) point at nothing');
      expect(stderr).toContain(
        'warning: #/components/responses/Misfiled: type, properties: not fields of a Response Object, ignored',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
