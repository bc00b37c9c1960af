/**
 * `@featherhq/sdk/testing`: a Feather API on loopback, for your tests and the demo (Node only).
 *
 * It serves every operation of the spec the SDK was generated from (src/generated/mock.ts), and
 * answers like the real FastAPI service:
 * - 404 for an unknown path, 405 for a known path with another method;
 * - 401 `{ error, message }` without the right `x-api-key`;
 * - 400 for a JSON body that is not JSON;
 * - 422 `{ detail: [{ type, loc, msg, input, ctx? }] }`, one item per problem of the parameters
 *   (read as FastAPI reads them) and the body (multipart included), as the generated validators
 *   find them;
 * - otherwise a 2xx from the spec: a sample body that the spec's schema accepts, several pages
 *   for a paginated list, a few events for an event stream (a conversation turn: its tokens, then
 *   `complete`), one answer item per manifest item for `bulkIngest`, nothing for a 204, and runs
 *   dispatched through `dispatchSimulationRun` (recorded in `runs`, read back by
 *   `getSimulationRun` where the spec has it, moved on by `runStatuses`).
 *
 * `handler` answers any request first (a 429, a 500...); `handlers` answer single operations by
 * operationId, in place of the default 2xx.
 */
import { mockRoutes } from '../generated/mock.js';
import { serveRoutes } from './mock-server.js';
import type { MockServer, MockServerOptions } from './types.js';

export type { components } from '../generated/schema.js';
export type { ProseRule, Refined } from '../core/check.js';
export type {
  MockAnswer,
  MockEvent,
  MockHandler,
  MockOperationId,
  MockReply,
  MockRequest,
  MockServer,
  MockServerOptions,
  RecordedRequest,
} from './types.js';

/** Starts the mock Feather API on 127.0.0.1, serving every operation of the spec; `close()` stops it. */
export function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  return serveRoutes(mockRoutes, options);
}
