/**
 * Server-Sent Events: the reader of a `text/event-stream` answer, and the `Stream` of events it
 * resolves to. Events are parsed as bytes arrive, as the WHATWG HTML spec's "event stream
 * interpretation" says (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 *
 * Where the spec declares a stream's events (an `itemSchema`, scripts/gen/streams.ts), the stream
 * gives them typed: `data` parsed from JSON per event, undeclared events skipped, and, as
 * sdk.config.json's `streams` say, an `error` event thrown and a stream that ends without its
 * final event thrown too.
 */
import type { Attempt } from './attempt.js';
import { excerpt, FeatherError, InvalidResponseError } from './errors.js';
import { notify } from './hooks.js';
import type { ResponseReader } from './send.js';

export interface ServerSentEvent {
  /** The `event` field; absent for the default type (`message`). */
  event?: string;
  /** The `data` lines joined with `\n`, as sent: never JSON-parsed. */
  data: string;
  /**
   * The stream's last event ID when the event was dispatched, as EventSource's `lastEventId`: an
   * `id` line sets it for this event and the ones after, until another `id` line changes it.
   */
  id?: string;
  /** The reconnection time (ms) the server last asked for with a `retry` line, kept likewise. */
  retry?: number;
}

/** An event of a stream whose spec declares its events: `data` parsed as its `event` says. */
export interface StreamEvent<Name extends string = string, Data = unknown> {
  /** Which event it is: narrows `data`. */
  event: Name;
  /** JSON data parsed; text data as sent. */
  data: Data;
  /** As on `ServerSentEvent`. */
  id?: string;
  /** As on `ServerSentEvent`. */
  retry?: number;
}

/** What a stream's spec declares of its events (the generated `events({...})`). */
export interface DeclaredEvents {
  /** Events whose data is JSON, parsed for the caller. */
  json: readonly string[];
  /** Events whose data is text, given as sent. */
  text: readonly string[];
  /** The event that ends the stream as it should: a stream that ends without it failed. */
  final?: string;
  /** The event that reports a failure: it is thrown, as a `StreamEventError`. */
  error?: string;
}

/**
 * The server reported a failure in the stream (its `error` event): `message` is the server's own
 * words, and `retryable` says whether sending the same request again may succeed.
 */
export class StreamEventError extends FeatherError {
  /** The class's name, as stack traces and logs show it: `StreamEventError`. */
  override name = 'StreamEventError';
  /** The event as received, its data parsed. */
  readonly event: StreamEvent;
  /** The server's `retryable` flag: false when it does not say. */
  readonly retryable: boolean;

  constructor(event: StreamEvent) {
    const data = event.data as { error?: unknown; message?: unknown; retryable?: unknown } | null;
    const words = [data?.error, data?.message].find((w) => typeof w === 'string');
    super((words as string | undefined) ?? excerpt(JSON.stringify(event.data) ?? ''));
    this.event = event;
    this.retryable = data?.retryable === true;
  }
}

/**
 * The stream ended without its final event (`complete` for a conversation turn): as Feather's
 * guide says, assume the work failed.
 */
export class IncompleteStreamError extends FeatherError {
  /** The class's name, as stack traces and logs show it: `IncompleteStreamError`. */
  override name = 'IncompleteStreamError';
  /** The event that should have ended the stream. */
  readonly final: string;

  constructor(final: string) {
    super(`The stream ended without its \`${final}\` event: assume it failed`);
    this.final = final;
  }
}

/** Decoded text in, complete events out; one per stream, since a line or event may span chunks. */
class EventParser {
  /** The start of a line whose end has not arrived yet. */
  private rest = '';
  /** The last text ended in CR, so a LF that starts the next text ends no line of its own. */
  private cr = false;
  private data = '';
  private type = '';
  private id = '';
  private retry: number | undefined;

  feed(text: string, out: ServerSentEvent[]): void {
    if (!text) return;
    let start = this.cr && text.charCodeAt(0) === 10 ? 1 : 0;
    this.cr = false;
    // Each position is searched for once: an indexOf('\r') per line would go quadratic on LF streams.
    let cr = text.indexOf('\r', start);
    let lf = text.indexOf('\n', start);
    while (cr >= 0 || lf >= 0) {
      const end = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
      this.line(this.rest + text.slice(start, end), out);
      this.rest = '';
      start = end + 1;
      if (end === cr) {
        if (start === text.length) this.cr = true;
        else if (text.charCodeAt(start) === 10) start++;
        cr = text.indexOf('\r', start);
      }
      // Only for speed (a new search finds the same LF): without it a stream of CR-only lines would
      // search the rest of the text for a LF once per line, quadratic.
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator
      if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
    }
    this.rest += text.slice(start);
  }

  private line(line: string, out: ServerSentEvent[]): void {
    if (!line) return this.dispatch(out);
    // No colon reads as one past the end (indexOf's -1 as the unsigned 2^32 - 1): the whole line
    // is the field's name and its value is empty, as the spec says. A comment (a line that starts
    // with a colon) has the empty name, which no case below takes.
    const colon = line.indexOf(':') >>> 0;
    const field = line.slice(0, colon);
    const value = line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (field === 'data') this.data += `${value}\n`;
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = +value;
  }

  private dispatch(out: ServerSentEvent[]): void {
    if (this.data) {
      const event: ServerSentEvent = { data: this.data.slice(0, -1) };
      if (this.type) event.event = this.type;
      if (this.id) event.id = this.id;
      if (this.retry !== undefined) event.retry = this.retry;
      out.push(event);
    }
    this.data = this.type = '';
  }
}

/** The next chunk of the body, or undefined at its end; a failure as the SDK's typed error. */
async function next(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  attempt: Attempt,
): Promise<Uint8Array | undefined> {
  // Restarted before the wait as well as after a chunk: the time the caller spent on the last event
  // is no idle gap of the server's.
  attempt.touch();
  let result: ReadableStreamReadResult<Uint8Array>;
  try {
    result = await reader.read();
  } catch (cause) {
    throw attempt.fail(cause);
  }
  // At the end too: the caller ends the attempt next, so one more restart of its timer is harmless.
  attempt.touch();
  return result.value;
}

/**
 * The events of a `text/event-stream` answer, each as it arrives: `ServerSentEvent`s, or typed
 * `StreamEvent`s where the spec declares them. Read it once: iterate it (`break` closes the
 * connection), or hand its bytes on, unchanged, with `toReadableStream()`.
 */
export class Stream<E = ServerSentEvent> implements AsyncIterable<E> {
  private claimed = false;

  constructor(
    /** The HTTP response: its status and headers (its body is the stream's to read). */
    readonly response: Response,
    private readonly attempt: Attempt,
    private readonly declared?: DeclaredEvents,
  ) {}

  /** The events, each as it arrives: `for await (const event of stream)`. */
  [Symbol.asyncIterator](): AsyncIterator<E> {
    return this.events(this.claim()) as AsyncIterator<E>;
  }

  /** The raw event-stream bytes, e.g. to re-serve: `new Response(stream.toReadableStream())`. */
  toReadableStream(): ReadableStream<Uint8Array> {
    const reader = this.claim();
    const { attempt } = this;
    const source: UnderlyingDefaultSource<Uint8Array> = {
      async pull(controller) {
        try {
          const chunk = await next(reader, attempt);
          if (chunk) return controller.enqueue(chunk);
          attempt.end();
          controller.close();
        } catch (error) {
          attempt.end();
          controller.error(error);
        }
      },
      cancel(reason) {
        attempt.end();
        return reader.cancel(reason);
      },
    };
    // No read-ahead: bytes are pulled from the server only as the consumer asks for them.
    return new ReadableStream(source, { highWaterMark: 0 });
  }

  private claim(): ReadableStreamDefaultReader<Uint8Array> {
    if (this.claimed) {
      throw new FeatherError(
        'This Stream was already read: iterate it, or call toReadableStream(), once',
      );
    }
    this.claimed = true;
    return (this.response.body ?? new Blob().stream()).getReader();
  }

  private async *events(reader: ReadableStreamDefaultReader<Uint8Array>) {
    const { attempt, declared, response } = this;
    // A decoder per stream: it holds the bytes of a character split across chunks, and drops a
    // leading BOM as the spec asks.
    const decoder = new TextDecoder();
    const parser = new EventParser();
    const out: ServerSentEvent[] = [];
    let final = false;
    try {
      for (let chunk; (chunk = await next(reader, attempt));) {
        parser.feed(decoder.decode(chunk, { stream: true }), out);
        for (let i = 0; i < out.length; i++) {
          notify(attempt.observers, 'event', out[i]);
          if (!declared) yield out[i];
          else {
            const event = typed(out[i], declared, response);
            if (!event) continue;
            final ||= event.event === declared.final;
            yield event;
          }
        }
        out.length = 0;
      }
      // At the end, an event with no blank line after it is dropped, as the spec says.
      if (declared?.final !== undefined && !final) throw new IncompleteStreamError(declared.final);
    } catch (error) {
      // The attempt, and so the call, ends with it: hooks (logs, traces) see why the stream failed.
      throw attempt.fail(error);
    } finally {
      attempt.end();
      // After a `break` (or a throw from the caller's loop body) this closes the connection.
      await reader.cancel().catch(() => {});
    }
  }
}

/** A raw event's data, parsed from JSON; text that is not JSON is an InvalidResponseError. */
function parsed(event: ServerSentEvent, name: string, { status, headers }: Response): unknown {
  try {
    return JSON.parse(event.data);
  } catch {
    const message = `${status} event stream: the data of a \`${name}\` event is not JSON: ${JSON.stringify(excerpt(event.data))}`;
    throw new InvalidResponseError(status, headers, event.data, message);
  }
}

/**
 * A raw event, typed as declared: undefined for an event this SDK does not know of (a newer
 * server's: skipped, as a browser would); the declared error event thrown.
 */
function typed(
  sse: ServerSentEvent,
  declared: DeclaredEvents,
  response: Response,
): StreamEvent | undefined {
  const name = sse.event ?? 'message';
  const json = declared.json.includes(name);
  if (!json && !declared.text.includes(name)) return undefined;
  const event: StreamEvent = {
    ...sse,
    event: name,
    data: json ? parsed(sse, name, response) : sse.data,
  };
  if (name === declared.error) throw new StreamEventError(event);
  return event;
}

/** Whether a content type is `text/event-stream` (parameters aside, any case). */
export const isEventStream = (type: string | null) =>
  type?.split(';')[0].trim().toLowerCase() === 'text/event-stream';

/** A `Stream` of the answer, or, when it is no event stream, an InvalidResponseError. */
function open<E>(response: Response, attempt: Attempt, declared?: DeclaredEvents): Stream<E> {
  const type = response.headers.get('content-type');
  if (isEventStream(type)) return new Stream<E>(response, attempt, declared);
  attempt.end();
  response.body?.cancel().catch(() => {});
  const { status, headers } = response;
  const got = type ? `of type ${type}` : 'without a content type';
  throw new InvalidResponseError(
    status,
    headers,
    undefined,
    `${status} response is ${got}, not text/event-stream`,
  );
}

/** The reader of an operation whose 2xx is `text/event-stream`: it resolves to a `Stream`. */
export const eventStream: ResponseReader<Stream> = {
  accept: 'text/event-stream',
  streaming: true,
  read: (response, attempt) => open(response, attempt),
};

/** The reader of a stream whose events the spec declares: a `Stream` of typed events. */
export const events = (declared: DeclaredEvents): ResponseReader<Stream<StreamEvent>> => ({
  accept: 'text/event-stream',
  streaming: true,
  read: (response, attempt) => open(response, attempt, declared),
});
