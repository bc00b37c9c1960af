/**
 * `multipart/form-data` request bodies with files. The platform's FormData encodes them where it
 * can; a `ReadableStream` file is streamed (where fetch can send a stream) in a body built here,
 * since FormData only takes Blobs.
 *
 * Fields that are not files: a string is sent as is; any other JSON value (number, boolean, object,
 * array) as its JSON text, e.g. `{"k":1}` or `true`, which is what a spec's `encoding` of
 * `application/json` asks for; `undefined` and `null` are left out. A file is sent with its File
 * name, else the field's name, and its type, else `application/octet-stream`. A field that takes
 * several files (an array) sends one part per file, each under the field's name, in order.
 */
import { RequestValidationError } from './errors.js';

/** What a file field of a multipart body takes: a Blob or File (`fs.openAsBlob` in Node), bytes, or a stream of bytes. */
export type Uploadable = Blob | File | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>;

export interface EncodedBody {
  body: BodyInit;
  /** The content type with its boundary when the bytes are built here; {} for FormData. */
  headers: Record<string, string>;
  duplex?: 'half';
  /** false when the body is a one-shot stream: the transport must never retry it. */
  replayable: boolean;
}

type Part = [name: string, value: string | Blob | ReadableStream<Uint8Array>];

let streamsRequests: boolean | undefined;

/**
 * Whether fetch can send a ReadableStream body (Node, Deno, Bun, Chromium, Workers do; Firefox and
 * Safari do not), the standard way: a runtime that can reads `duplex`, and one that cannot turns
 * the stream into the text "[object ReadableStream]" with a text/plain content type.
 */
export function canStreamRequests(): boolean {
  if (streamsRequests === undefined) {
    let duplex = false;
    try {
      const init = {
        method: 'POST',
        body: new ReadableStream(),
        get duplex() {
          duplex = true;
          return 'half';
        },
      };
      streamsRequests =
        !new Request('http://localhost/', init).headers.has('content-type') && duplex;
    } catch {
      streamsRequests = false;
    }
  }
  return streamsRequests;
}

function file(
  path: (string | number)[],
  value: unknown,
  operation: string,
): Blob | ReadableStream<Uint8Array> {
  if (value instanceof Blob || value instanceof ReadableStream) return value;
  // Any view of bytes, as the `upload` check accepts (a DataView, an Int16Array...).
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
    return new Blob([value as Uint8Array<ArrayBuffer>]);
  const type = 'Blob, File, Uint8Array, ArrayBuffer or ReadableStream';
  const message = `must be a ${type}, not ${typeof value}`;
  throw new RequestValidationError([{ path, rule: 'type', params: { type }, message }], operation);
}

const nameOf = (name: string, value: Blob) => (value instanceof File ? value.name : name);

function formData(parts: [string, string | Blob][]): EncodedBody {
  const form = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, nameOf(name, value));
  }
  return { body: form, headers: {}, replayable: true };
}

/**
 * Encoder of a multipart/form-data body whose `fileFields` are Uploadables (or arrays of them);
 * other fields keep their JSON types. `operation` names the call in the error for a file field of
 * another type.
 */
export function multipart(
  fileFields: readonly string[],
  operation = 'upload',
): (body: Record<string, unknown>) => Promise<EncodedBody> {
  return async (body) => {
    const parts: Part[] = [];
    for (const [name, value] of Object.entries(body)) {
      if (value == null) continue;
      if (!fileFields.includes(name)) {
        parts.push([name, typeof value === 'string' ? value : JSON.stringify(value)]);
      } else if (Array.isArray(value)) {
        value.forEach((one, i) => parts.push([name, file([name, i], one, operation)]));
      } else parts.push([name, file([name], value, operation)]);
    }
    if (!parts.some(([, value]) => value instanceof ReadableStream)) {
      return formData(parts as [string, string | Blob][]);
    }
    if (canStreamRequests()) return streamed(parts);
    // Firefox, Safari: the stream is read whole, and the body can then be retried like any other.
    const buffered: [string, string | Blob][] = [];
    for (const [name, value] of parts) {
      buffered.push([
        name,
        value instanceof ReadableStream ? await new Response(value).blob() : value,
      ]);
    }
    return formData(buffered);
  };
}

// As FormData's encoding does (HTML spec, multipart/form-data encoding algorithm): names and
// string values get CRLF line breaks, and a name or filename holds no quote or line break.
// Declared functions, not arrow constants: a constant is made once, when the module loads.
function quote(text: string): string {
  return text.replace(/[\r\n"]/g, (c) => (c === '"' ? '%22' : c === '\r' ? '%0D' : '%0A'));
}
function crlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

/**
 * A body built here, so that a ReadableStream file goes out as it is read, never whole. Chromium
 * sends such a body over HTTP/2 and HTTP/3 only: to an HTTP/1.1 server its fetch fails.
 */
function streamed(parts: Part[]): EncodedBody {
  const random = crypto.getRandomValues(new Uint8Array(12));
  const boundary = `----FeatherFormBoundary${Array.from(random, (b) => b.toString(16)).join('')}`;
  const segments: (Blob | ReadableStream<Uint8Array>)[] = [];
  let pending: BlobPart[] = [];
  for (const [name, value] of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(crlf(name))}"`;
    if (typeof value === 'string') {
      pending.push(`${head}\r\n\r\n${crlf(value)}\r\n`);
      continue;
    }
    const [filename, type] = value instanceof Blob ? [nameOf(name, value), value.type] : [name];
    head += `; filename="${quote(filename)}"\r\nContent-Type: ${type || 'application/octet-stream'}\r\n\r\n`;
    // A Blob file is a segment of its own too: concat reads it as it reads a stream.
    segments.push(new Blob([...pending, head]), value);
    pending = ['\r\n'];
  }
  segments.push(new Blob([...pending, `--${boundary}--\r\n`]));
  return {
    body: concat(segments),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    duplex: 'half',
    replayable: false,
  };
}

/** One stream of the segments' bytes in turn, each read only when the one before has ended. */
function concat(segments: (Blob | ReadableStream<Uint8Array>)[]): ReadableStream<Uint8Array> {
  const readers = segments.map((segment) =>
    (segment instanceof Blob ? segment.stream() : segment).getReader(),
  );
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (; index < readers.length; index++) {
        const { done, value } = await readers[index].read();
        if (!done) return controller.enqueue(value);
      }
      controller.close();
    },
    async cancel(reason) {
      // The caller's streams are released too: an upload that failed reads no more of them. A
      // reader already at its end takes the cancel as a no-op.
      await Promise.all(readers.map((reader) => reader.cancel(reason)));
    },
  });
}
