/**
 * `@featherhq/sdk/testing`: a Feather API on loopback, for your tests and the demo (Node only).
 *
 * It answers like the real FastAPI service: 401 without the right `x-api-key`, 400 for a body that
 * is not JSON, 422 with one `{ loc, msg, type, input }` per violation of openapi.json (checked by
 * the same generated validators the SDK uses), and 201 with a run built from the request.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Issue } from '../core/check.js';
import type { components } from '../generated/schema.js';
import { validateSimulationRunDispatch } from '../generated/validators.js';

type SimulationRunResponse = components['schemas']['SimulationRunResponse'];

export interface MockServerOptions {
  /** The key it accepts. Default: a fresh random one, returned as `apiKey`. */
  apiKey?: string;
  /** Default: 0, a free port. */
  port?: number;
  /** The `organization_id` of created runs. Default: a fresh UUID. */
  organizationId?: string;
  /**
   * Called for each request before the default behaviour; return a reply to answer with it
   * instead (e.g. a 429 on the first call). Runs after the request is recorded.
   */
  handler?: (request: RecordedRequest) => MockReply | undefined | Promise<MockReply | undefined>;
}

export interface MockReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The raw body text. */
  rawBody: string;
  /** The parsed JSON body, or `undefined` if it was not JSON. */
  body: unknown;
}

export interface MockServer {
  /** `http://127.0.0.1:PORT`, to pass as `baseUrl`. */
  url: string;
  apiKey: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Every run created (each 201 answer), in order. */
  runs: SimulationRunResponse[];
  close(): Promise<void>;
}

/** `"a", "b", "c"` (our enum message) -> `'a', 'b' or 'c'` (Pydantic's). */
function alternatives(list: string): string {
  const values = (JSON.parse(`[${list}]`) as unknown[]).map((v) => `'${v}'`);
  return values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0];
}

/**
 * Pydantic's error `type` and message for each rule of our validators. Bounds and enum values
 * come from the validator's own message, so they follow the spec rather than restating it.
 */
const PYDANTIC: Record<string, (message: string) => [type: string, msg: string]> = {
  required: () => ['missing', 'Field required'],
  additionalProperties: () => ['extra_forbidden', 'Extra inputs are not permitted'],
  format: () => ['uuid_parsing', 'Input should be a valid UUID'],
  enum: (m) => ['enum', `Input should be ${alternatives(m.replace(/^must be one of /, ''))}`],
  maximum: (m) => [
    'less_than_equal',
    `Input should be less than or equal to ${m.split(' ').pop()}`,
  ],
  minimum: (m) => [
    'greater_than_equal',
    `Input should be greater than or equal to ${m.split(' ').pop()}`,
  ],
  prose: () => ['value_error', 'Value error, exactly one of output or error must be set'],
};

function toDetail(issue: Issue, body: unknown) {
  let input: unknown = body;
  for (const key of issue.path) input = (input as any)?.[key];
  const [type, msg] =
    issue.rule === 'type'
      ? [
          issue.message.replace(/^must be an? /, '').replace(/\W+/g, '_') + '_type',
          `Input ${issue.message.replace(/^must be/, 'should be')}`,
        ]
      : (PYDANTIC[issue.rule]?.(issue.message) ?? ['value_error', issue.message]);
  return {
    loc: ['body', ...issue.path],
    msg,
    type,
    input: issue.rule === 'required' ? body : input,
  };
}

function runFrom(body: any, organizationId: string): SimulationRunResponse {
  return {
    id: randomUUID(),
    session_id: randomUUID(),
    organization_id: organizationId,
    agent_id: body.agent_id,
    agent_revision_id: body.agent_revision_id ?? null,
    persona_id: body.persona_id,
    scenario_id: body.scenario_id,
    channel: body.channel ?? 'voice',
    tool_overrides: body.tool_overrides ?? null,
    status: 'pending',
    started_at: null,
    finished_at: null,
    error_text: null,
    inputs_snapshot: body,
    created_at: new Date().toISOString(),
    recording_id: null,
    recording_status: null,
  };
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const apiKey = options.apiKey ?? `sk_test_${randomBytes(12).toString('hex')}`;
  const organizationId = options.organizationId ?? randomUUID();
  const requests: RecordedRequest[] = [];
  const runs: SimulationRunResponse[] = [];

  const reply = (res: ServerResponse, { status, body, headers }: MockReply) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
      'x-request-id': randomUUID(),
      ...headers,
    });
    res.end(text);
  };
  const error = (status: number, code: string, message: string): MockReply => ({
    status,
    body: { error: code, message },
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<MockReply> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const path = (req.url ?? '/').split('?')[0];
    const request = { method: req.method ?? 'GET', path, headers: req.headers, rawBody, body };
    if (request.method === 'OPTIONS') return { status: 204 }; // CORS preflight, headers added below
    requests.push(request);

    const custom = await options.handler?.(request);
    if (custom) return custom;
    if (path !== '/v1/simulation/runs') return error(404, 'not_found', `No route ${path}`);
    if (request.method !== 'POST') return error(405, 'method_not_allowed', 'Method Not Allowed');
    if (req.headers['x-api-key'] !== apiKey) {
      return error(401, 'unauthorized', 'Missing or invalid API key');
    }
    if (body === undefined) return error(400, 'invalid_json', 'Request body is not valid JSON');
    const issues: Issue[] = [];
    if (!validateSimulationRunDispatch(body, [], issues)) {
      return { status: 422, body: { detail: issues.map((issue) => toDetail(issue, body)) } };
    }
    const run = runFrom(body, organizationId);
    runs.push(run);
    return { status: 201, body: run };
  }

  const server = createServer((req, res) => {
    // Browsers on another origin (the SDK's browser tests, your app's) need CORS answers.
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('access-control-allow-headers', 'content-type, x-api-key');
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    answer(req, res).then(
      (r) => reply(res, r),
      (e) => reply(res, error(500, 'internal_error', String(e))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    runs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
