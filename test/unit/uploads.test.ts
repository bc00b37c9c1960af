import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RequestValidationError } from '../../src/core/errors.js';
import { multipart, type EncodedBody, type Uploadable } from '../../src/core/uploads.js';
import { formOf, rawServer } from '../support/raw-server.js';

const encode = multipart(['audio', 'extra'], 'ingestVoiceCall');
const content = randomBytes(150_000);

/**
 * Bytes as their length and SHA-256: compared in no time, where vitest's deep equality takes
 * about a second per 150 KB buffer on a busy machine (the tier's slowest tests were these).
 */
const digest = (bytes: Uint8Array) =>
  `${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`;

/** What the server parsed: strings as they are, files as name, type and bytes (digested). */
type Received = Record<string, string | { filename: string; type: string; bytes: string }>;

async function received(form: FormData): Promise<[string, Received[string]][]> {
  const entries: [string, Received[string]][] = [];
  const parsed: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => parsed.push([name, value]));
  for (const [name, value] of parsed) {
    if (typeof value === 'string') entries.push([name, value]);
    else {
      const bytes = digest(new Uint8Array(await value.arrayBuffer()));
      entries.push([name, { filename: value.name, type: value.type, bytes }]);
    }
  }
  return entries;
}

/** A server that parses each multipart body it gets (with the platform's parser). */
async function formServer() {
  const bodies: [string, Received[string]][][] = [];
  const server = await rawServer(async (req, res) => {
    // A body the platform cannot parse is answered, so the test fails on it instead of waiting.
    const body = await formOf(req)
      .then(received)
      .catch(() => undefined);
    if (body) bodies.push(body);
    res.writeHead(body ? 204 : 400).end();
  });
  return Object.assign(server, { bodies });
}

/** As the transport sends an upload: never following a redirect; given up after 2 s. */
const send = (url: string, encoded: EncodedBody, init: RequestInit = { redirect: 'error' }) =>
  fetch(url, {
    method: 'POST',
    body: encoded.body,
    headers: encoded.headers,
    duplex: encoded.duplex,
    signal: AbortSignal.timeout(2_000),
    ...init,
  } as RequestInit);

/** A one-shot stream of `bytes`, in chunks of 64 KiB. */
const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array> => {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += 65_536)));
    },
  });
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feather-uploads-'));
  await writeFile(join(dir, 'call.wav'), content);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const kinds: [string, () => Promise<Uploadable> | Uploadable, string, string][] = [
  ['Blob', () => new Blob([content], { type: 'audio/wav' }), 'audio', 'audio/wav'],
  ['File', () => new File([content], 'call.wav', { type: 'audio/wav' }), 'call.wav', 'audio/wav'],
  ['Uint8Array', () => new Uint8Array(content), 'audio', 'application/octet-stream'],
  ['ArrayBuffer', () => new Uint8Array(content).buffer, 'audio', 'application/octet-stream'],
  ['ReadableStream', () => streamOf(content), 'audio', 'application/octet-stream'],
  [
    'fs.openAsBlob file',
    () => openAsBlob(join(dir, 'call.wav'), { type: 'audio/wav' }),
    'audio',
    'audio/wav',
  ],
];

describe('multipart', () => {
  it.each(kinds)('sends a %s as a file', async (kind, make, filename, type) => {
    const server = await formServer();
    const encoded = await encode({ audio: await make(), metadata: '{"agent":"a"}' });
    expect((await send(server.url, encoded)).status).toBe(204);
    expect(server.bodies).toEqual([
      [
        ['audio', { filename, type, bytes: digest(content) }],
        ['metadata', '{"agent":"a"}'],
      ],
    ]);
    const stream = kind === 'ReadableStream';
    expect(encoded.body instanceof FormData).toBe(!stream);
    expect(encoded.replayable).toBe(!stream);
    expect(encoded.duplex).toBe(stream ? 'half' : undefined);
    expect(encoded.headers).toEqual(
      stream
        ? { 'content-type': expect.stringMatching(/^multipart\/form-data; boundary=-+\w+$/) }
        : {},
    );
  });

  it('sends strings as they are, other JSON values as JSON, and leaves out null and undefined', async () => {
    const server = await formServer();
    const fields = {
      metadata: '{"a":1}',
      text: 'plain',
      n: 3.5,
      yes: true,
      object: { k: [1, 'x'] },
      list: [1, null],
      none: null,
      missing: undefined,
    };
    for (const audio of [new Blob(['x']), streamOf(new Uint8Array([120]))]) {
      await send(server.url, await encode({ audio, ...fields }));
    }
    const strings = [
      ['metadata', '{"a":1}'],
      ['text', 'plain'],
      ['n', '3.5'],
      ['yes', 'true'],
      ['object', '{"k":[1,"x"]}'],
      ['list', '[1,null]'],
    ];
    expect(server.bodies.map((body) => body.slice(1))).toEqual([strings, strings]);
  });

  it('streams several files and fields in order, with the same names FormData gives', async () => {
    const server = await formServer();
    const encodeMany = multipart(['a', 'b', 'c'], 'op');
    const odd = 'a "quoted"\nname\r.wav';
    const make = (stream: boolean) => ({
      first: 'line one\nline two\r\nthree\r',
      a: stream ? streamOf(content) : new Blob([content]),
      b: new File(['b-bytes'], odd, { type: 'text/plain' }),
      middle: 'm',
      c: stream ? streamOf(new Uint8Array(0)) : new Uint8Array(0),
      [odd]: 'odd field name',
    });
    const streamed = await encodeMany(make(true));
    expect(streamed.replayable).toBe(false);
    await send(server.url, streamed);
    await send(server.url, await encodeMany(make(false)));
    const [viaStream, viaFormData] = server.bodies;
    expect(viaStream).toEqual(viaFormData);
    expect(viaStream.map(([name]) => name)).toEqual([
      'first',
      'a',
      'b',
      'middle',
      'c',
      expect.any(String),
    ]);
    expect(viaStream[2][1]).toMatchObject({
      type: 'text/plain',
      bytes: digest(Buffer.from('b-bytes')),
    });
  });

  it.each([false, true])(
    'sends an array of files as one part each, in order, under the field name (streamed: %s)',
    async (stream) => {
      const server = await formServer();
      const ingest = multipart(['files'], 'bulkIngest');
      const all: Uploadable[] = [
        new File(['first'], 'guide.pdf', { type: 'application/pdf' }),
        new Blob(['second'], { type: 'text/plain' }),
        new TextEncoder().encode('third'),
        new TextEncoder().encode('fourth').buffer,
        ...(stream ? [streamOf(new TextEncoder().encode('fifth'))] : []),
      ];
      const manifest = [{ type: 'file', file_index: 0, title: 'Guide' }];
      const encoded = await ingest({ manifest, files: all });
      expect(encoded.body instanceof FormData).toBe(!stream);
      await send(server.url, encoded);
      const texts = ['first', 'second', 'third', 'fourth', 'fifth'].slice(0, all.length);
      expect(server.bodies).toEqual([
        [
          ['manifest', JSON.stringify(manifest)],
          ...texts.map((text, i) => [
            'files',
            {
              filename: i === 0 ? 'guide.pdf' : 'files',
              type: ['application/pdf', 'text/plain'][i] ?? 'application/octet-stream',
              bytes: digest(new TextEncoder().encode(text)),
            },
          ]),
        ],
      ]);
    },
  );

  it('sends an empty array of files as no part, and refuses a non-file in one by its index', async () => {
    const ingest = multipart(['files'], 'bulkIngest');
    const server = await formServer();
    await send(server.url, await ingest({ manifest: '[]', files: [] }));
    expect(server.bodies).toEqual([[['manifest', '[]']]]);
    const error = await ingest({ files: [new Blob(['ok']), './b.pdf'] }).catch((e) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues).toEqual([expect.objectContaining({ path: ['files', 1], rule: 'type' })]);
    expect(error.message).toMatch(/^Invalid request for bulkIngest, not sent:\n {2}files\.1: /);
  });

  it('sends a ReadableStream as it is read, not once it has ended', async () => {
    let arrived = 0;
    let seenFirst!: () => void;
    const firstArrived = new Promise<void>((resolve) => (seenFirst = resolve));
    const server = await rawServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        arrived += chunk.length;
        if (Buffer.concat(chunks).includes('FIRST-CHUNK')) seenFirst();
      });
      req.on('end', async () => {
        const headers = { 'content-type': req.headers['content-type']! };
        const form = await new Response(Buffer.concat(chunks), { headers })
          .formData()
          .catch(() => {});
        const audio = form?.get('audio');
        res.writeHead(200).end(audio instanceof File ? await audio.text() : 'no audio file');
      });
    });
    // The second chunk is given only once the server has the first: a body read whole before
    // sending would never get there.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('FIRST-CHUNK '));
        void firstArrived.then(() => {
          controller.enqueue(new TextEncoder().encode('second'));
          controller.close();
        });
      },
    });
    const response = await send(server.url, await encode({ audio: body }));
    expect(await response.text()).toBe('FIRST-CHUNK second');
    expect(arrived).toBeGreaterThan(0);
  });

  it('never follows a redirect: a 307 is answered by one request only', async () => {
    const server = await rawServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(307, { location: '/v1/voice/calls/again' }).end());
    });
    const bodies = [
      await encode({ audio: new Blob([content]) }),
      await encode({ audio: await openAsBlob(join(dir, 'call.wav')) }),
      await encode({ audio: streamOf(content) }),
    ];
    for (const encoded of bodies) {
      await expect(send(server.url, encoded)).rejects.toThrow(TypeError);
    }
    expect(server.requests).toBe(3);
    // The control: fetch's default follows the 307 and sends the FormData again (and again).
    await send(server.url, await encode({ audio: new Blob([content]) }), {}).catch(() => {});
    expect(server.requests).toBeGreaterThan(4);
  });

  it('refuses a file field of another type, naming it, before anything is sent', async () => {
    for (const [audio, type] of [
      ['a string', 'string'],
      [{ size: 3 }, 'object'],
      [42, 'number'],
    ] as const) {
      const error = await encode({ audio }).catch((e) => e);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect(error.issues).toEqual([
        {
          path: ['audio'],
          rule: 'type',
          params: { type: 'Blob, File, Uint8Array, ArrayBuffer or ReadableStream' },
          message: `must be a Blob, File, Uint8Array, ArrayBuffer or ReadableStream, not ${type}`,
        },
      ]);
      expect(error.message).toBe(
        `Invalid request for ingestVoiceCall, not sent:\n  audio: ${error.issues[0].message}`,
      );
    }
  });

  it('names the call "upload" in the error when no operation is given', async () => {
    const error = await multipart(['audio'])({ audio: 42 }).catch((e) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.message).toMatch(/^Invalid request for upload, not sent:/);
  });

  it("releases the caller's streams when the body is cancelled", async () => {
    const cancelled: unknown[] = [];
    // Long but finite: an encoder that read a stream whole would still end, and fail the test.
    const stream = (name: string) => {
      let left = 1_000;
      return new ReadableStream<Uint8Array>({
        pull: (c) => (left-- ? c.enqueue(new TextEncoder().encode(name)) : c.close()),
        cancel: () => void cancelled.push(name),
      });
    };
    const encodeTwo = multipart(['first', 'second'], 'op');
    const { body } = await encodeTwo({ first: stream('1'), second: stream('2') });
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    for (let read; !text.includes('1'); text += new TextDecoder().decode(read.value)) {
      read = await reader.read();
      if (read.done) throw new Error(`the body ended before the first stream: ${text}`);
    }
    expect(text).toMatch(
      /^-+FeatherFormBoundary\w+\r\nContent-Disposition: form-data; name="first"/,
    );
    await reader.cancel(new Error('upload failed'));
    expect(cancelled).toEqual(['1', '2']);
  });
});

let copies = 0;

/**
 * Encodes under `request` (only the feature test sees it; fetch is real), `Request` restored after,
 * with a fresh copy of the module (its probe's answer is cached per module). The query makes the
 * copy: only uploads.ts is evaluated again, not the modules it imports.
 */
async function encodeUnder(request: typeof Request, ...bodies: Record<string, unknown>[]) {
  vi.stubGlobal('Request', request);
  try {
    const path = `../../src/core/uploads.js?copy=${++copies}`;
    const fresh = (await import(
      /* @vite-ignore */ path
    )) as typeof import('../../src/core/uploads.js');
    const encode = fresh.multipart(['audio']);
    const encoded: EncodedBody[] = [];
    for (const body of bodies) encoded.push(await encode(body));
    return encoded;
  } finally {
    vi.unstubAllGlobals();
  }
}

describe('multipart where fetch cannot stream a request body (Firefox, Safari)', () => {
  it('buffers when the runtime refuses a stream body, and asks the runtime only once', async () => {
    let built = 0;
    class ThrowingRequest extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        built++;
        if (init?.body instanceof ReadableStream) throw new TypeError('no stream bodies');
        super(input, init);
      }
    }
    const encoded = await encodeUnder(
      ThrowingRequest,
      { audio: streamOf(content) },
      { audio: streamOf(content) },
    );
    expect(encoded.map((e) => e.body instanceof FormData)).toEqual([true, true]);
    expect(built).toBe(1);
  });

  it('buffers when the runtime neither reads duplex nor types the body', async () => {
    // A runtime that drops a body it cannot send: no text/plain type, but no `duplex` read either.
    class DroppingRequest extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        super(input, { method: init?.method, headers: init?.headers });
      }
    }
    const [encoded] = await encodeUnder(DroppingRequest, { audio: streamOf(content) });
    expect(encoded.body).toBeInstanceOf(FormData);
  });

  it('buffers a ReadableStream into FormData, which can then be retried', async () => {
    // As Firefox and Safari build a Request: `duplex` is never read, and a stream body becomes
    // its string form with a text/plain type. Only the feature test sees this class; fetch is real.
    class NoStreamRequest extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        const body = init?.body instanceof ReadableStream ? String(init.body) : init?.body;
        super(input, { method: init?.method, headers: init?.headers, body });
      }
    }
    const [encoded] = await encodeUnder(NoStreamRequest, {
      audio: streamOf(content),
      metadata: 'm',
    });
    expect(encoded.body).toBeInstanceOf(FormData);
    expect(encoded).toMatchObject({ headers: {}, replayable: true });
    expect(encoded.duplex).toBeUndefined();
    const server = await formServer();
    await send(server.url, encoded);
    await send(server.url, encoded); // a retry sends the same bytes again
    const expected = [
      ['audio', { filename: 'audio', type: 'application/octet-stream', bytes: digest(content) }],
      ['metadata', 'm'],
    ];
    expect(server.bodies).toEqual([expected, expected]);
  });
});
