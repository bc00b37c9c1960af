/**
 * The corrections of sdk.config.json (scripts/gen/corrections.ts): each applies to the vendored
 * spec, which stays as published; one that no longer fits is not applied, and says why (the
 * operation is gone, the spec now declares the same, the spec changed what it corrects); and what
 * they declare is standard OpenAPI, so any spec that declares the same gets the same SDK: an
 * event stream's `itemSchema` gives typed events, an array of binary strings several file parts.
 */
import { describe, expect, it } from 'vitest';
import {
  correctedModel,
  correctionOutcomes,
  generate,
  readSdkConfig,
} from '../scripts/generate.js';
import {
  applyCorrections,
  correctionsOf,
  staleLines,
  type Correction,
} from '../scripts/gen/corrections.js';
import { applyStreamConfig } from '../scripts/gen/streams.js';
import type { Spec } from '../scripts/lib/spec.js';
import { configWithoutCorrections, seedSpec, vendoredSpec, vendoredText } from './support/specs.js';

const config = readSdkConfig();
const corrections = correctionsOf(config);
const byName = (name: string) => corrections.find((c) => c.name === name)!;
const op = (spec: Spec, path: string, method = 'post') => spec.paths[path][method];
const TURN = '/v1/v2/conversations/{conversation_id}/turns/stream';
const INGEST = '/v1/knowledge-base/knowledge-bases/{kb_id}/ingest';

describe('the corrections of sdk.config.json, on the vendored spec', () => {
  it('all fit, and are applied to a copy: openapi.json stays as Feather published it', () => {
    const published = vendoredSpec();
    const { spec, outcomes } = applyCorrections(published, corrections);
    expect(outcomes.map((o) => [o.correction.name, o.applied, o.reason])).toEqual([
      ['turn-stream-events', true, undefined],
      ['bulk-ingest-body', true, undefined],
      ['kb-source-provider', true, undefined],
    ]);
    expect(spec.components.schemas.CreateSourceRequest.properties.provider.enum).toEqual([
      'notion',
      'google_drive',
      's3',
    ]);
    expect(
      published.components.schemas.CreateSourceRequest.properties.provider.enum,
    ).toBeUndefined();
    expect(published).toEqual(JSON.parse(vendoredText));
    expect(Object.keys(op(spec, TURN).responses['200'].content)).toEqual(['text/event-stream']);
    expect(op(spec, INGEST).requestBody.content['multipart/form-data'].schema).toEqual({
      $ref: '#/components/schemas/Body_bulkIngest',
    });
  });

  it("give the model typed events and a multipart body of several files, named in each operation's doc", () => {
    const { model } = correctedModel(vendoredSpec(), config);
    const turn = model.operations.find((o) => o.id === 'runV2ConversationTurnStream')!;
    expect(turn.response.stream).toMatchObject({
      events: ['delta', 'member', 'complete', 'error'].map((name) => ({ name, json: true })),
      final: 'complete',
      error: 'error',
    });
    expect(turn.corrections?.map((c) => c.name)).toEqual(['turn-stream-events']);
    const ingest = model.operations.find((o) => o.id === 'bulkIngest')!;
    expect(ingest.body).toMatchObject({
      kind: 'multipart',
      files: ['files'],
      listed: ['files'],
      component: 'Body_bulkIngest',
      required: true,
    });
  });
});

/** The seed plus an operation `op` that the correction `c` edits. */
function withCorrected(c: Correction, change: (target: Spec) => void = () => {}): Spec {
  const spec = seedSpec();
  const target = structuredClone(op(vendoredSpec(), c.operation === 'bulkIngest' ? INGEST : TURN));
  change(target);
  spec.paths['/corrected'] = { post: target };
  return spec;
}
const reasons = (spec: Spec) => staleLines(applyCorrections(spec, corrections).outcomes);

describe('a correction that no longer fits is not applied, and says why', () => {
  it('its operation (or schema) is gone', () => {
    expect(reasons(seedSpec())).toEqual([
      expect.stringMatching(
        /^turn-stream-events \(guides\/run-a-conversation.mdx, .*\): operation runV2ConversationTurnStream is gone from the spec$/,
      ),
      expect.stringMatching(
        /^bulk-ingest-body \(.*\): operation bulkIngest is gone from the spec$/,
      ),
      expect.stringMatching(
        /^kb-source-provider \(.*\): schema CreateSourceRequest is gone from the spec$/,
      ),
    ]);
  });

  it('the spec now declares the same itself, by the same schemas', () => {
    const turn = byName('turn-stream-events');
    const spec = withCorrected(
      turn,
      (target) => (target.responses['200'].content = turn.edits[0].now),
    );
    expect(reasons(spec)[0]).toMatch(
      /^turn-stream-events .*: the spec now declares \/responses\/200\/content itself$/,
    );
    const ingest = byName('bulk-ingest-body');
    const body = withCorrected(ingest, (target) => (target.requestBody = ingest.edits[0].now));
    expect(reasons(body)[1]).toMatch(
      /^bulk-ingest-body .*: the spec now declares \/requestBody itself$/,
    );
    const json = withCorrected(ingest, (target) => {
      target.requestBody = { content: { 'application/json': { schema: { type: 'object' } } } };
    });
    expect(reasons(json)[1]).toMatch(
      /the spec now declares \/requestBody \(\{"content":\{"application\/json".*\), which the correction adds$/,
    );
    const kb = byName('kb-source-provider');
    const provider = vendoredSpec();
    provider.components.schemas.CreateSourceRequest.properties.provider = kb.edits[0].now;
    expect(staleLines(applyCorrections(provider, [kb]).outcomes)).toEqual([
      expect.stringMatching(
        /^kb-source-provider .*: the spec now declares \/properties\/provider itself$/,
      ),
    ]);
    const schemas = withCorrected(ingest);
    schemas.components.schemas.IngestFileItem = ingest.schemas!.IngestFileItem;
    expect(reasons(schemas)[1]).toMatch(/the spec now declares schema IngestFileItem itself$/);
  });

  it('the spec changed what it corrects, or has a schema of the same name', () => {
    const turn = byName('turn-stream-events');
    const json = withCorrected(turn, (target) => {
      target.responses['200'].content['application/json'].schema = { type: 'object' };
    });
    expect(reasons(json)[0]).toMatch(
      /the spec changed \/responses\/200\/content, which the correction replaces: it now has \{"application\/json":\{"schema":\{"type":"object"\}\}\}$/,
    );
    const clash = withCorrected(turn);
    clash.components.schemas.TurnStreamEvent = { type: 'string' };
    expect(reasons(clash)[0]).toMatch(
      /the spec now has a schema named TurnStreamEvent of its own$/,
    );
  });

  it('generate leaves it out, and a malformed one fails generation naming it', async () => {
    expect(correctionOutcomes(JSON.stringify(seedSpec())).map((o) => o.applied)).toEqual([
      false,
      false,
      false,
    ]);
    const files = await generate(JSON.stringify(seedSpec()));
    expect(files.get('src/generated/operations.ts')).not.toContain('Corrected by sdk.config.json');
    const bad = { ...config, corrections: [{ name: 'x', operation: 'y', edits: [] }] };
    await expect(generate(JSON.stringify(seedSpec()), bad)).rejects.toThrow(
      /correction "x" needs name, operation or schema \(one\), source, why and edits/,
    );
  });
});

describe('the streams of sdk.config.json', () => {
  const model = () => correctedModel(vendoredSpec(), configWithoutCorrections()).model;
  const streams = (entry: object) => ({
    streams: [{ operation: 'runV2ConversationTurnStream', ...entry }],
  });

  it('refuse an operation whose events the spec does not declare, or an event it does not', () => {
    // Without its correction, the spec declares no event stream for the turn.
    expect(() => applyStreamConfig(model(), streams({ final: 'complete' }))).toThrow(
      /streams\[0\]: runV2ConversationTurnStream does not answer an event stream whose events it declares/,
    );
    const corrected = correctedModel(vendoredSpec(), config).model;
    expect(() => applyStreamConfig(corrected, streams({ final: 'done' }))).toThrow(
      /final event done is not one runV2ConversationTurnStream declares \(delta,member,complete,error\)/,
    );
    // A spec without the operation: nothing to check.
    expect(() =>
      applyStreamConfig(correctedModel(seedSpec()).model, streams({ final: 'x' })),
    ).not.toThrow();
  });
});

describe('what the corrections declare works for any spec that declares it', () => {
  /** A small spec with an event stream declared by itemSchema and a form taking several files. */
  const spec = () => {
    const base = seedSpec();
    const event = (name: string, schema: Spec) => ({
      type: 'object',
      required: ['event', 'data'],
      properties: {
        event: { const: name },
        data: { type: 'string', contentMediaType: 'application/json', contentSchema: schema },
      },
    });
    base.paths['/v1/watch'] = {
      get: {
        operationId: 'watch',
        responses: {
          '200': {
            description: 'events',
            content: {
              'text/event-stream': {
                itemSchema: {
                  oneOf: [
                    event('tick', { $ref: '#/components/schemas/Tick' }),
                    {
                      type: 'object',
                      properties: { event: { const: 'note' }, data: { type: 'string' } },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    };
    base.paths['/v1/photos'] = {
      post: {
        operationId: 'uploadPhotos',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['photos'],
                properties: {
                  album: { type: 'string' },
                  photos: {
                    type: 'array',
                    minItems: 1,
                    items: { type: 'string', contentMediaType: 'image/png' },
                  },
                },
              },
            },
          },
        },
        responses: { '204': { description: 'stored' } },
      },
    };
    base.components.schemas.Tick = {
      type: 'object',
      required: ['n'],
      properties: { n: { type: 'integer' } },
    };
    return base;
  };

  it('types the events and several files, with no correction declared', async () => {
    const files = await generate(JSON.stringify(spec()), configWithoutCorrections());
    // Whitespace aside: prettier lays the generated source out.
    const squash = (text: string) => text.replace(/\s+/g, '');
    const operations = squash(files.get('src/generated/operations.ts')!);
    expect(operations).toContain(
      squash(
        "result: Stream<StreamEvent<'tick', components['schemas']['Tick']> | StreamEvent<'note', string>>",
      ),
    );
    expect(operations).toContain(squash("events({ json: ['tick'], text: ['note'] })"));
    expect(operations).toContain(squash('{ photos: Uploadable[] }'));
    expect(operations).toContain(squash("multipart(['photos'], 'uploadPhotos')"));
    const validators = squash(files.get('src/generated/validators.ts')!);
    expect(validators).toContain(squash('photos: [array(upload, 1), true]'));
  });

  it('an event no sample fits still generates: the mock streams its default events, and says so', async () => {
    const odd = spec();
    odd.components.schemas.Tick.properties.code = { type: 'string', pattern: '^a(?!a)a$' };
    odd.components.schemas.Tick.required.push('code');
    const warnings: string[] = [];
    const files = await generate(JSON.stringify(odd), configWithoutCorrections(), {
      warn: (message) => warnings.push(message),
      format: false,
    });
    expect(warnings).toEqual([
      'the mock has no sample event of watch (Tick.code: no sample string found for the pattern ^a(?!a)a$): it streams `message` events unless a handler is given',
    ]);
    const mock = files.get('src/generated/mock.ts')!;
    const watch = mock.slice(mock.indexOf('"watch"'), mock.indexOf('"uploadPhotos"'));
    expect(watch).not.toContain('events:');
  });
});
