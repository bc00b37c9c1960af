/**
 * The types sdk.config.json's corrections give: the turn stream's events narrow on `event`, each
 * `data` typed as its schema says (the error event is thrown, so never among them); bulkIngest
 * takes a typed manifest and several files of any Uploadable kind.
 */
import type {
  Body_bulkIngest,
  IngestManifestItem,
  TurnStreamComplete,
  TurnStreamDelta,
  TurnStreamMember,
  Uploadable,
} from '@featherhq/sdk';
import { bulkIngest, createFeatherCore, runV2ConversationTurnStream } from '@featherhq/sdk';
import { describe, expectTypeOf, it } from 'vitest';

const core = createFeatherCore({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
const conversation_id = '3f2b8c1e-6d4a-4b7e-9c21-5e8f0a1d2b3c';

describe('runV2ConversationTurnStream', () => {
  it('narrows each event on its name, with its data parsed and typed', async () => {
    const stream = await runV2ConversationTurnStream(core, {
      params: { path: { conversation_id } },
      body: { user_message: 'hi' },
    });
    for await (const e of stream) {
      expectTypeOf(e.event).toEqualTypeOf<'delta' | 'member' | 'complete'>();
      if (e.event === 'delta') expectTypeOf(e.data).toEqualTypeOf<TurnStreamDelta>();
      else if (e.event === 'member') expectTypeOf(e.data).toEqualTypeOf<TurnStreamMember>();
      else {
        expectTypeOf(e.data).toEqualTypeOf<TurnStreamComplete>();
        expectTypeOf(e.data.turn_id).toEqualTypeOf<string>();
        expectTypeOf(e.data.perceived_ttft_ms).toEqualTypeOf<number | null | undefined>();
      }
    }
    expectTypeOf(stream.toReadableStream()).toEqualTypeOf<ReadableStream<Uint8Array>>();
  });
});

describe('bulkIngest', () => {
  it('takes a manifest of text and file items, and several files', () => {
    type Body = Parameters<typeof bulkIngest>[1]['body'];
    expectTypeOf<Body['manifest']>().toEqualTypeOf<IngestManifestItem[]>();
    expectTypeOf<Body['files']>().toEqualTypeOf<Uploadable[] | undefined>();
    expectTypeOf<Body_bulkIngest['manifest'][number]>().toEqualTypeOf<IngestManifestItem>();
    void bulkIngest(core, {
      params: { path: { kb_id: conversation_id } },
      body: {
        manifest: [
          { type: 'text', title: 'FAQ', content: 'What is Feather?' },
          { type: 'file', file_index: 0 },
        ],
        files: [new Blob(['a']), new Uint8Array(2), new ArrayBuffer(1), new ReadableStream()],
      },
    });
    void bulkIngest(core, {
      params: { path: { kb_id: conversation_id } },
      // @ts-expect-error a file item needs its file_index
      body: { manifest: [{ type: 'file' }] },
    });
    void bulkIngest(core, {
      params: { path: { kb_id: conversation_id } },
      // @ts-expect-error files are files, not paths
      body: { manifest: [], files: ['./guide.pdf'] },
    });
  });
});
