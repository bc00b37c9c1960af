/**
 * What sdk.config.json's corrections give users, end to end over loopback against the SDK's own
 * mock, which serves them as Feather's guides describe:
 * - the turn stream sends `delta` events then `complete` (the guide's example), or what a handler
 *   asks for (an `error` event); the SDK types each event, throws the error event and a stream
 *   cut short, and hands the bytes on unchanged;
 * - bulkIngest sends its manifest as JSON and several file parts; the mock parses both and
 *   answers per item; a `file_index` past the files is refused before anything is sent;
 * - a knowledge-base source's `provider` is one of those the guide names.
 */
import { describe, expect, it } from 'vitest';
import {
  createFeatherClient,
  IncompleteStreamError,
  RequestValidationError,
  StreamEventError,
} from '@featherhq/sdk';
import { startMockServer, type MockServerOptions } from '@featherhq/sdk/testing';

const conversation_id = '3f2b8c1e-6d4a-4b7e-9c21-5e8f0a1d2b3c';
const kb_id = '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4';
const turn = {
  params: { path: { conversation_id } },
  body: { user_message: 'Where is my order?' },
};

async function withMock<T>(
  run: (
    feather: ReturnType<typeof createFeatherClient>,
    server: Awaited<ReturnType<typeof startMockServer>>,
  ) => Promise<T>,
  options: MockServerOptions = {},
): Promise<T> {
  const server = await startMockServer({ eventDelayMs: 1, ...options });
  try {
    return await run(createFeatherClient({ apiKey: server.apiKey, baseUrl: server.url }), server);
  } finally {
    await server.close();
  }
}

describe('runV2ConversationTurnStream against the mock', () => {
  it('streams the answer token by token, then the complete turn', () =>
    withMock(async (feather, server) => {
      let text = '';
      const seen: string[] = [];
      for await (const event of await feather.runV2ConversationTurnStream(turn)) {
        seen.push(event.event);
        if (event.event === 'delta') text += event.data.text;
        if (event.event === 'complete') expect(event.data.text).toBe(text);
      }
      expect(seen).toEqual(['member', 'delta', 'delta', 'delta', 'delta', 'complete']);
      expect(text).toBe(
        'Your order #12345 was shipped on May 13th and is expected to arrive by May 16th.',
      );
      const [request] = server.requests;
      expect(request.headers.accept).toBe('text/event-stream');
      expect(request.body).toEqual({ user_message: 'Where is my order?' });
    }));

  it('throws an error event a handler sends as StreamEventError, after the deltas before it', () =>
    withMock(
      async (feather) => {
        const deltas: string[] = [];
        const error = await (async () => {
          for await (const event of await feather.runV2ConversationTurnStream(turn)) {
            if (event.event === 'delta') deltas.push(event.data.text);
          }
        })().catch((e: unknown) => e);
        expect(deltas).toEqual(['Partial ']);
        expect(error).toBeInstanceOf(StreamEventError);
        expect(error).toMatchObject({ message: 'Model overloaded, try again', retryable: true });
      },
      {
        handlers: {
          runV2ConversationTurnStream: () => ({
            status: 200,
            events: [
              { event: 'delta', data: JSON.stringify({ text: 'Partial ' }) },
              {
                event: 'error',
                data: JSON.stringify({ error: 'Model overloaded, try again', retryable: true }),
              },
            ],
          }),
        },
      },
    ));

  it('throws IncompleteStreamError when the stream ends without complete', () =>
    withMock(
      async (feather) => {
        const stream = await feather.runV2ConversationTurnStream(turn);
        await expect(
          (async () => {
            for await (const event of stream) void event;
          })(),
        ).rejects.toBeInstanceOf(IncompleteStreamError);
      },
      {
        handlers: {
          runV2ConversationTurnStream: () => ({
            status: 200,
            events: [{ event: 'delta', data: '{"text":"cut off"}' }],
          }),
        },
      },
    ));

  it('hands the bytes on unchanged with toReadableStream()', () =>
    withMock(async (feather, server) => {
      const stream = await feather.runV2ConversationTurnStream(turn);
      const text = await new Response(stream.toReadableStream()).text();
      const raw = await fetch(`${server.url}/v1/v2/conversations/${conversation_id}/turns/stream`, {
        method: 'POST',
        headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(turn.body),
      });
      expect(text).toBe(await raw.text());
      expect(text).toContain('event: complete\ndata: {"turn_id":');
    }));
});

describe('bulkIngest against the mock', () => {
  const manifest = [
    { type: 'text' as const, title: 'FAQ', content: 'What is Feather?' },
    { type: 'file' as const, file_index: 0, title: 'Product Guide' },
    { type: 'file' as const, file_index: 1, title: 'Pricing' },
  ];

  it('sends the manifest as JSON and several files; the mock answers per item, in order', () =>
    withMock(async (feather, server) => {
      const answer = await feather.bulkIngest({
        params: { path: { kb_id } },
        body: {
          manifest,
          files: [
            new File(['%PDF guide'], 'guide.pdf', { type: 'application/pdf' }),
            new TextEncoder().encode('pricing text'),
          ],
        },
      });
      expect(answer.items.map((i) => [i.manifest_index, i.result])).toEqual([
        [0, 'queued'],
        [1, 'queued'],
        [2, 'queued'],
      ]);
      expect(new Set(answer.items.map((i) => i.document_id)).size).toBe(3);
      const form = server.requests.at(-1)!.body as { manifest: string; files: File[] };
      expect(JSON.parse(form.manifest)).toEqual(manifest);
      expect(await Promise.all(form.files.map((f) => f.text()))).toEqual([
        '%PDF guide',
        'pricing text',
      ]);
      expect(form.files.map((f) => f.name)).toEqual(['guide.pdf', 'files']);
    }));

  it('refuses a file_index past the files it sends, and sends nothing', () =>
    withMock(async (feather, server) => {
      const error = await feather
        .bulkIngest({ params: { path: { kb_id } }, body: { manifest, files: [new Blob(['one'])] } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as RequestValidationError).issues).toEqual([
        {
          path: ['manifest', 2, 'file_index'],
          rule: 'indexInto',
          params: { list: 'files', length: 1 },
          message: 'must be less than 1, the number of files',
        },
      ]);
      expect(server.requests).toEqual([]);
    }));

  it('answers a 422 naming the item when the SDK is told not to validate', () =>
    withMock(async (feather) => {
      const error = await feather
        .bulkIngest(
          { params: { path: { kb_id } }, body: { manifest: [{ type: 'file', file_index: 0 }] } },
          { validate: false },
        )
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 422,
        body: {
          detail: [
            expect.objectContaining({
              loc: ['body', 'manifest', 0, 'file_index'],
              type: 'value_error',
              msg: 'Value error, must be less than 0, the number of files sent',
            }),
          ],
        },
      });
    }));
});

describe("a knowledge base source's provider", () => {
  it('is one the guide names: another is refused before sending', () =>
    withMock(async (feather, server) => {
      const add = (provider: 'notion' | 'google_drive' | 's3') =>
        feather.create_source_v1_knowledge_base_knowledge_bases__kb_id__sources_post({
          params: { path: { kb_id } },
          body: { provider },
        });
      expect(await add('google_drive')).toMatchObject({ knowledge_base_id: expect.any(String) });
      // @ts-expect-error not a provider the guide names
      const error = await add('dropbox').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as Error).message).toContain(
        'provider: must be one of "notion", "google_drive", "s3"',
      );
      expect(server.requests).toHaveLength(1);
    }));
});
