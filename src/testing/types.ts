/** The public types of `@featherhq/sdk/testing`: options, requests, replies, the server. */
import type { IncomingMessage } from 'node:http';
import type { MockOperationId } from '../generated/mock.js';
import type { components } from '../generated/schema.js';

export type { MockOperationId };

/** One Server-Sent Event, as the mock writes it. */
export interface MockEvent {
  /** Its name (`event:`); without one, a `message` event. */
  event?: string;
  /** Sent as is; several lines become several `data:` lines. */
  data: string;
  /** Its `id:` line, which the client keeps as the last event id. */
  id?: string;
  /** Its `retry:` line: the reconnection time, ms. */
  retry?: number;
}

/** An answer a handler gives instead of the default one: a status, a body, headers, or events to stream. */
export interface MockReply {
  /** The HTTP status. */
  status: number;
  /**
   * JSON (an object, array, number...), text (a string, sent as `text/plain`) or bytes (a
   * Uint8Array, sent as `application/octet-stream`); a `content-type` in `headers` wins.
   */
  body?: unknown;
  /** Headers beside the content type and `x-request-id` the mock sets itself. */
  headers?: Record<string, string>;
  /** An event stream to send instead of a body, `eventDelayMs` apart. */
  events?: MockEvent[];
}

/** A request the mock server received, as `requests` records it. */
export interface RecordedRequest {
  /** Upper case: `POST`. */
  method: string;
  /** The path, without the query string. */
  path: string;
  /** The path with its query string, as received. */
  url: string;
  /** As Node's HTTP server reads them: lower-case names. */
  headers: IncomingMessage['headers'];
  /** The raw body text (for a body in a text type, what a handler reads). */
  rawBody: string;
  /**
   * The parsed body: the JSON value (`undefined` if it was not JSON), or for a
   * `multipart/form-data` request its parts by name (strings, and `File`s for files).
   */
  body: unknown;
  /** The operation whose route matched, if one did. */
  operationId?: string;
  /**
   * Its `path`, `query`, `header` and `cookie` parameters as FastAPI reads them (numbers and booleans
   * parsed per the spec, repeated keys as arrays), once the key was accepted.
   */
  params?: Record<string, Record<string, unknown>>;
}

/** A request to a known operation, with the right key: what `handlers` receive. */
export interface MockRequest extends RecordedRequest {
  /** The operation whose route matched. */
  operationId: string;
  /** Its `path`, `query` and `header` parameters, as FastAPI reads them. */
  params: Record<string, Record<string, unknown>>;
}

/** A handler's answer: a reply, or `undefined` to fall through to the default one. */
export type MockAnswer = MockReply | undefined | Promise<MockReply | undefined>;

/** A reply to answer with, or `undefined` to fall through to the default answer. */
export type MockHandler = (request: MockRequest) => MockAnswer;

/** Options of `startMockServer`. */
export interface MockServerOptions {
  /** The key it accepts. Default: a fresh random one, returned as `apiKey`. */
  apiKey?: string;
  /** Default: 0, a free port. */
  port?: number;
  /** The `organization_id` of created runs. Default: a fresh UUID. */
  organizationId?: string;
  /**
   * Called for each request first, before routing, the key check and validation; return a reply
   * to answer with it instead (a 429 on the first call, a 500...). Runs after the request is
   * recorded.
   */
  handler?: (request: RecordedRequest) => MockAnswer;
  /**
   * Answers of single operations, by operationId, in place of the default answer. Each runs once
   * the route matched, the key was accepted and the parameters and body passed validation.
   */
  handlers?: { [Id in MockOperationId]?: MockHandler };
  /** Pages served by each paginated list, chained by `next_cursor`. Default: 3. */
  pages?: number;
  /** Items per page when the request sets no `limit`. Default: 2. */
  pageSize?: number;
  /** The wait between two events of an event stream. Default: 10 ms. */
  eventDelayMs?: number;
  /**
   * The statuses a dispatched run goes through: each time `getSimulationRun` reads it, it moves to
   * the next (`['running', 'completed']`: running on the first read, completed from the second).
   * Default: none, a run stays as dispatched (`pending`) until you change `runs[i].status`.
   */
  runStatuses?: string[];
}

/** A running mock server: its `url` and `apiKey` to give the SDK, what it received, and `close()`. */
export interface MockServer {
  /** `http://127.0.0.1:PORT`, to pass as `baseUrl`. */
  url: string;
  /** The key it accepts, to pass as `apiKey`. */
  apiKey: string;
  /** Every request received, in order (CORS preflights excepted). */
  requests: RecordedRequest[];
  /**
   * Every run created (each 201 answer of `dispatchSimulationRun`), in order. Where the spec has
   * `getSimulationRun`, it answers these: change one (its `status`) to change what it reads.
   */
  runs: components['schemas']['SimulationRunResponse'][];
  /** Stops it, closing every connection it holds. */
  close(): Promise<void>;
}
