/**
 * Hooks (src/core/hooks.ts): what a hook sees of each call, attempt and retry, in what order,
 * how it changes one attempt's headers or fetch, and how parent and child are carried (the
 * observers a hook returns, a group's scoped core) for both styles and feather.client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  addHook,
  APIConnectionError,
  createFeatherClient,
  createFeatherCore,
  FeatherError,
  group,
  RequestValidationError,
  type CallInfo,
  type CoreOptions,
  type Hook,
} from '@featherhq/sdk';
import { notify } from '../../src/core/hooks.js';
import { waiter } from '../../src/core/polling.js';
import { closedPort, raw, sequence, serve, status } from '../support/loopback.js';
import {
  createThingNoKey,
  getThing,
  listThings,
  ping,
  streamThing,
  streamTurn,
} from '../support/operations.js';

const KEY = 'sk_test_hooks_SECRET_0123456789';
const THING = { id: 't1', status: 'done' };
const thing = { params: { path: { thing_id: 't1' } } };

const waitForThing = waiter(
  (c, id, options) => getThing(c, { params: { path: { thing_id: id } } }, options),
  'status',
  ['done', 'failed'],
);

const core = (url: string, hooks: Hook[], options: CoreOptions = {}) =>
  createFeatherCore({ apiKey: KEY, baseUrl: url, retryBaseDelayMs: 1, hooks, ...options });

/** A hook that records every event as one line, and the infos it was given. */
function recording() {
  const events: string[] = [];
  const calls: CallInfo[] = [];
  const hook: Hook = {
    call(call) {
      calls.push(call);
      events.push(`call ${call.name}`);
      return {
        attempt(attempt) {
          events.push(`attempt ${attempt.number} ${attempt.method} ${attempt.url}`);
          return {
            response: (response) => events.push(`response ${response.status}`),
            end: ({ response, error }) =>
              events.push(`attempt end ${response?.status ?? '-'} ${error?.name ?? '-'}`),
          };
        },
        retry: ({ attempt, maxRetries, delayMs, response, error }) =>
          events.push(
            `retry ${attempt}/${maxRetries} ${response?.status ?? error?.name} ${delayMs >= 0}`,
          ),
        end: ({ attempts, response, error }) =>
          events.push(
            `end ${attempts} ${response?.status ?? '-'} ${(error as Error | undefined)?.name ?? '-'}`,
          ),
      };
    },
  };
  return { hook, events, calls };
}

describe('a call, as a hook sees it', () => {
  it('a 503 then a 200: the call, each attempt with its answer, the retry, the end', async () => {
    const server = await serve(sequence(status(503), status(200, {}, THING)));
    const { hook, events, calls } = recording();
    await expect(getThing(core(server.url, [hook]), thing)).resolves.toEqual(THING);
    const url = `${server.url}/things/t1`;
    expect(events).toEqual([
      'call GET /things/{thing_id}',
      `attempt 1 GET ${url}`,
      'response 503',
      'attempt end 503 -',
      'retry 1/2 503 true',
      `attempt 2 GET ${url}`,
      'response 200',
      'attempt end 200 -',
      'end 2 200 -',
    ]);
    expect(calls[0]).toMatchObject({
      name: 'GET /things/{thing_id}',
      operationId: 'getThing',
      method: 'GET',
      path: '/things/{thing_id}',
      params: thing.params,
      baseUrl: server.url,
      deprecated: undefined,
    });
  });

  it('starts in the caller’s frame, before anything is awaited', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    // What a tracer's context manager does: the caller's state, visible only during its frame.
    let inCaller = false;
    let seenInCaller: boolean | undefined;
    const hook: Hook = { call: () => void (seenInCaller = inCaller) };
    inCaller = true;
    const call = getThing(core(server.url, [hook]), thing);
    inCaller = false;
    expect(seenInCaller).toBe(true);
    await call;
  });

  it('a call validation refuses ends with the error and no attempt', async () => {
    const { hook, events } = recording();
    const error = await createThingNoKey(core('http://127.0.0.1:9', [hook]), {} as never).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(events).toEqual(['call POST /things', 'end 0 - RequestValidationError']);
  });

  it('a final error status: the call ends with its typed error and the answer', async () => {
    const server = await serve(sequence(status(404)));
    const { hook, events } = recording();
    await getThing(core(server.url, [hook]), thing).catch(() => {});
    expect(events.at(-1)).toBe('end 1 404 NotFoundError');
  });

  it('a refused connection: each attempt ends with the typed error, and so does the call', async () => {
    const port = await closedPort();
    const { hook, events } = recording();
    const call = getThing(core(`http://127.0.0.1:${port}`, [hook], { maxRetries: 1 }), thing);
    await expect(call).rejects.toBeInstanceOf(APIConnectionError);
    expect(events.filter((e) => !/^attempt \d/.test(e))).toEqual([
      'call GET /things/{thing_id}',
      'attempt end - APIConnectionError',
      'retry 1/1 APIConnectionError true',
      'attempt end - APIConnectionError',
      'end 2 - APIConnectionError',
    ]);
  });

  it('the last answer is the last attempt’s: none when it failed without one', async () => {
    const port = await closedPort();
    let answered = 0;
    // A 503, then the server is gone: the call's end has no answer, only the error.
    const server = await serve((_req, res) => (answered++, status(503)(res)));
    const ends: unknown[] = [];
    const hook: Hook = { call: () => ({ end: ({ response }) => ends.push(response) }) };
    const flaky = core(server.url, [hook], { maxRetries: 1 });
    const moved: Hook = {
      call: () => ({
        attempt: (attempt) => {
          if (attempt.number === 2) attempt.fetch = () => fetch(`http://127.0.0.1:${port}/`);
        },
      }),
    };
    addHook(flaky, moved);
    await expect(getThing(flaky, thing)).rejects.toBeInstanceOf(APIConnectionError);
    expect([answered, ends]).toEqual([1, [undefined]]);
  });

  it('a hook that returns nothing sees nothing more of the call', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    let seen = 0;
    await getThing(core(server.url, [{ call: () => void seen++ }, {}]), thing);
    expect(seen).toBe(1);
  });

  it('redact takes the key out of any text; the info never holds it', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const { hook, calls } = recording();
    await getThing(core(server.url, [hook]), { params: { path: { thing_id: 'x' } } });
    expect(calls[0].redact(`a ${KEY} b ${KEY}`)).toBe('a [redacted] b [redacted]');
    expect(JSON.stringify(calls[0])).not.toContain(KEY);
  });
});

describe('changing one attempt', () => {
  it('a header added to an attempt goes out with it alone, the client’s headers untouched', async () => {
    const server = await serve(sequence(status(503), status(200, {}, THING)));
    const tracing: Hook = {
      call: () => ({
        attempt(attempt) {
          attempt.headers.traceparent = `00-${'1'.repeat(32)}-${String(attempt.number).repeat(16)}-01`;
        },
      }),
    };
    const feather = core(server.url, [tracing]);
    await getThing(feather, thing);
    const plain = core(server.url, []);
    await getThing(plain, thing);
    expect(server.seen.map((s) => s.headers.traceparent?.slice(36, 52))).toEqual([
      '1'.repeat(16),
      '2'.repeat(16),
      undefined,
    ]);
    expect(server.seen[0].headers['x-api-key']).toBe(KEY);
  });

  it('a wrapped fetch sends the attempt; hooks wrap in the order they were given', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const order: string[] = [];
    const wrapping = (name: string): Hook => ({
      call: () => ({
        attempt(attempt) {
          const next = attempt.fetch;
          attempt.fetch = (url, init) => (order.push(name), next(url, init));
        },
      }),
    });
    await getThing(core(server.url, [wrapping('a'), wrapping('b')]), thing);
    expect(order).toEqual(['b', 'a']);
    expect(server.requests).toBe(1);
  });
});

/** A server that sends one event, then drops the connection. */
const cutStream = () =>
  serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    setTimeout(() => res.socket?.destroy(), 20);
  });

describe('streams and raw responses', () => {
  it('a stream’s attempt and call end when the stream ends, not when its headers arrive', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: one\n\ndata: two\n\n');
    });
    const { hook, events } = recording();
    const stream = await streamThing(core(server.url, [hook]));
    expect(events.at(-1)).toBe('response 200');
    const data: string[] = [];
    for await (const event of stream) data.push(event.data);
    expect(data).toEqual(['one', 'two']);
    expect(events.slice(-2)).toEqual(['attempt end 200 -', 'end 1 200 -']);
  });

  it('a stream abandoned with break ends them too', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
    });
    const { hook, events } = recording();
    for await (const _event of await streamThing(core(server.url, [hook]))) break;
    expect(events.slice(-2)).toEqual(['attempt end 200 -', 'end 1 200 -']);
  });

  it('a stream cut by the server mid-way ends its attempt and call with the typed error', async () => {
    const server = await cutStream();
    const { hook, events } = recording();
    const stream = await streamThing(core(server.url, [hook]));
    const error = await (async () => {
      for await (const _event of stream) void _event;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(events.slice(-2)).toEqual([
      'attempt end 200 APIConnectionError',
      'end 1 200 APIConnectionError',
    ]);
  });

  it('a declared stream: its error event, or its end without the final event, ends the call with that error', async () => {
    const bodies = [
      'event: delta\ndata: {"text":"Hi"}\n\nevent: error\ndata: {"error":"overloaded","retryable":true}\n\n',
      'event: delta\ndata: {"text":"Hi"}\n\n',
      'event: delta\ndata: {"text":"Hi"}\n\nevent: complete\ndata: {}\n\n',
    ];
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(bodies.shift());
    });
    const ends: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { hook, events } = recording();
      const stream = await streamTurn(core(server.url, [hook]));
      await (async () => {
        for await (const _event of stream) void _event;
      })().catch(() => {});
      ends.push(events.at(-1)!);
    }
    expect(ends).toEqual([
      'end 1 200 StreamEventError',
      'end 1 200 IncompleteStreamError',
      'end 1 200 -',
    ]);
  });

  it('feather.client: an event stream’s call ends when its body does, the bytes unchanged', async () => {
    const sent = 'data: one\n\n: a comment\ndata: two\n\n';
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sent.slice(0, 11));
      setTimeout(() => res.end(sent.slice(11)), 20);
    });
    const { hook, events } = recording();
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: server.url, hooks: [hook] });
    const { response } = await feather.client.GET(
      '/events' as never,
      { parseAs: 'stream' } as never,
    );
    expect(events.at(-1)).toBe('response 200');
    expect(await response.text()).toBe(sent);
    expect(events.slice(-2)).toEqual(['attempt end 200 -', 'end 1 200 -']);
  });

  it('feather.client: an event stream cut mid-way ends its call with the typed error', async () => {
    const server = await cutStream();
    const { hook, events } = recording();
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: server.url, hooks: [hook] });
    const { response } = await feather.client.GET(
      '/events' as never,
      { parseAs: 'stream' } as never,
    );
    expect(await response.text().catch((e: unknown) => e)).toBeInstanceOf(APIConnectionError);
    expect(events.at(-1)).toBe('end 1 200 APIConnectionError');
  });

  it('asResponse(): the call ends as the answer arrives, its body left to the caller', async () => {
    const server = await serve(sequence(raw(200, '{"id":"t1"}', 'application/json')));
    const { hook, events } = recording();
    const response = await getThing(core(server.url, [hook]), thing).asResponse();
    expect(events.at(-1)).toBe('end 1 200 -');
    expect(await response.json()).toEqual({ id: 't1' });
  });
});

describe('where hooks come from', () => {
  it('addHook: a hook added to a client of either style sees the calls that follow', async () => {
    const server = await serve(sequence(status(201, {}, THING)));
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: server.url });
    const bare = core(server.url, []);
    const { hook, events } = recording();
    addHook(feather, hook);
    addHook(bare, hook);
    await feather.client.GET('/things/{thing_id}' as never, thing as never);
    await ping(bare);
    expect(events.filter((e) => e.startsWith('call'))).toEqual([
      'call GET /things/{thing_id}',
      'call GET /ping',
    ]);
    expect(() => addHook({ baseUrl: 'x' }, hook)).toThrow(
      new FeatherError('Not a Feather client: create one with createFeatherClient()'),
    );
  });

  it('feather.client: the operationId of a path the spec has; none for another', async () => {
    const server = await serve(sequence(status(201, {}, THING)));
    const { hook, calls } = recording();
    const feather = createFeatherClient({ apiKey: KEY, baseUrl: server.url, hooks: [hook] });
    await feather.client.POST('/v1/simulation/runs', { body: {} as never });
    await feather.client.GET('/elsewhere' as never);
    expect(calls.map((c) => [c.name, c.operationId, c.path, c.deprecated])).toEqual([
      ['POST /v1/simulation/runs', 'dispatchSimulationRun', '/v1/simulation/runs', undefined],
      ['GET /elsewhere', undefined, '/elsewhere', undefined],
    ]);
  });

  it('a deprecated operation says so', async () => {
    const server = await serve((_req, res) => (res.writeHead(204), res.end()));
    const { hook, calls } = recording();
    await ping(core(server.url, [hook]));
    expect(calls[0].deprecated).toBe(true);
  });
});

describe('groups: a paginated iteration, a waiter', () => {
  it('calls on the group’s core report to what each hook’s group returned, then it ends', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const events: string[] = [];
    const grouping: Hook = {
      group: ({ kind, name }) => ({
        call: ({ name: call }) => void events.push(`${kind} of ${name}: ${call}`),
        end: (error) => events.push(`group end ${String(error)}`),
      }),
      call: ({ name }) => void events.push(`outside: ${name}`),
    };
    const plain = recording();
    const feather = core(server.url, [grouping, plain.hook]);
    const [scoped, end] = group(feather, { kind: 'polls', name: 'GET /things/{thing_id}' });
    await getThing(scoped, thing);
    await getThing(scoped, thing);
    end();
    await getThing(feather, thing);
    expect(events).toEqual([
      'polls of GET /things/{thing_id}: GET /things/{thing_id}',
      'polls of GET /things/{thing_id}: GET /things/{thing_id}',
      'group end undefined',
      'outside: GET /things/{thing_id}',
    ]);
    // A hook without `group` sees the group's calls as any other.
    expect(plain.calls).toHaveLength(3);
  });

  it('a group observer may have no end; a hook whose group returns nothing sees the calls', async () => {
    const server = await serve(sequence(status(200, {}, THING)));
    const seen: string[] = [];
    const endless: Hook = { group: () => ({ call: () => void seen.push('in group') }) };
    const declining: Hook = { group: () => undefined, call: () => void seen.push('as any') };
    const [scoped, end] = group(core(server.url, [endless, declining]), {
      kind: 'pages',
      name: 'GET /things/{thing_id}',
    });
    await getThing(scoped, thing);
    end(new Error('abandoned'));
    expect(seen).toEqual(['in group', 'as any']);
  });
});

/** A hook that records the groups it opens and the calls made in each, by group. */
function grouping() {
  const events: string[] = [];
  let groups = 0;
  const hook: Hook = {
    group({ kind, name }) {
      const g = ++groups;
      events.push(`open ${g} ${kind} ${name}`);
      return {
        call: ({ params }) => void events.push(`call in ${g} ${JSON.stringify(params)}`),
        end: (error) => events.push(`end ${g} ${(error as Error | undefined)?.name ?? '-'}`),
      };
    },
    call: ({ name }) => void events.push(`call outside ${name}`),
  };
  return { hook, events };
}

/** Two pages chained by cursor `c1`. */
const twoPages = (_req: IncomingMessage, res: ServerResponse) => {
  const cursor = new URL(_req.url!, 'http://x').searchParams.get('cursor');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify(
      cursor
        ? { items: [{ id: 'b', status: 'done' }], next_cursor: null, has_more: false }
        : { items: [{ id: 'a', status: 'done' }], next_cursor: 'c1', has_more: true },
    ),
  );
};

describe('the groups pagination and waiters open', () => {
  it('an iteration’s pages are one group, the first page included; it ends with the iteration', async () => {
    const server = await serve(twoPages);
    const { hook, events } = grouping();
    const ids: string[] = [];
    for await (const t of listThings(core(server.url, [hook]))) ids.push(t.id);
    expect(ids).toEqual(['a', 'b']);
    expect(events).toEqual([
      'open 1 pages GET /things',
      'call in 1 {}',
      'call in 1 {"query":{"cursor":"c1"}}',
      'end 1 -',
    ]);
  });

  it('a break ends the group; a failed page ends it with the error', async () => {
    const server = await serve(twoPages);
    const { hook, events } = grouping();
    for await (const _t of listThings(core(server.url, [hook]))) break;
    expect(events).toEqual(['open 1 pages GET /things', 'call in 1 {}', 'end 1 -']);
    const failing = await serve(sequence(status(404)));
    const failed = grouping();
    const iterate = async () => {
      for await (const _t of listThings(core(failing.url, [failed.hook]))) void _t;
    };
    await expect(iterate()).rejects.toThrow('404');
    expect(failed.events.at(-1)).toBe('end 1 NotFoundError');
  });

  it('a list call only awaited ends its group with the first page; a later iteration opens another', async () => {
    const server = await serve(twoPages);
    const { hook, events } = grouping();
    const list = listThings(core(server.url, [hook]));
    expect((await list).items).toHaveLength(1);
    expect(events).toEqual(['open 1 pages GET /things', 'call in 1 {}', 'end 1 -']);
    const ids: string[] = [];
    for await (const t of list) ids.push(t.id);
    expect(ids).toEqual(['a', 'b']);
    expect(events.slice(3)).toEqual([
      'open 2 pages GET /things',
      'call in 2 {"query":{"cursor":"c1"}}',
      'end 2 -',
    ]);
  });

  it('without a hook that groups, the calls are ordinary ones', async () => {
    const server = await serve(twoPages);
    const { hook, events } = recording();
    for await (const _t of listThings(core(server.url, [hook]))) void _t;
    expect(events.filter((e) => e.startsWith('call'))).toEqual([
      'call GET /things',
      'call GET /things',
    ]);
  });

  it('a waiter’s polls are one group, which ends when the wait returns or throws', async () => {
    let polls = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 't1', status: ++polls < 3 ? 'running' : 'done' }));
    });
    const { hook, events } = grouping();
    const feather = core(server.url, [hook]);
    await expect(waitForThing(feather, 't1', { pollIntervalMs: 1 })).resolves.toMatchObject({
      status: 'done',
    });
    const poll = 'call in 1 {"path":{"thing_id":"t1"}}';
    expect(events).toEqual([
      'open 1 polls until status is done | failed',
      poll,
      poll,
      poll,
      'end 1 -',
    ]);
    events.length = 0;
    const missing = await serve(sequence(status(404)));
    await expect(waitForThing(core(missing.url, [hook]), 't1')).rejects.toThrow('404');
    expect(events.at(-1)).toBe('end 2 NotFoundError');
  });
});

describe('stream events', () => {
  it('each event handed to the caller is reported to the attempt’s observers', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: one\n\nevent: x\ndata: two\n\n');
    });
    const seen: unknown[] = [];
    const hook: Hook = { call: () => ({ attempt: () => ({ event: (e) => seen.push(e) }) }) };
    for await (const _event of await streamThing(core(server.url, [hook]))) void _event;
    expect(seen).toEqual([{ data: 'one' }, { event: 'x', data: 'two' }]);
  });
});

describe('notify', () => {
  it('lists what the observers returned, and shares one empty list when none did', () => {
    const a = { f: (x: number) => ({ x }) };
    const b = { f: () => undefined };
    expect(notify([a, b, a], 'f', 1)).toEqual([{ x: 1 }, { x: 1 }]);
    const none = notify([b], 'f', 1);
    expect(none).toEqual([]);
    expect(notify([], 'f', 1)).toBe(none);
  });
});
