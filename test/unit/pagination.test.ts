/**
 * Auto-pagination: awaiting a list call gives its first page; iterating it gives every item of
 * every page, fetching each page only when iteration reaches it, with the caller's parameters,
 * options and signal on every page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { APIUserAbortError, createFeatherCore, type ClientOptions } from '@featherhq/sdk';
import { serve } from '../support/loopback.js';
import { listThings, type Thing } from '../support/operations.js';

const KEY = 'sk_test_pages_0123456789';
const core = (url: string, options: ClientOptions = {}) =>
  createFeatherCore({ apiKey: KEY, baseUrl: url, retryBaseDelayMs: 1, ...options });
const thing = (id: string): Thing => ({ id, status: 'done' });

/**
 * Three pages of two things each, chained by cursor; the last says has_more: false (or `lastMore`).
 * A page asked for twice, or a cursor it never gave, is answered 400: an iteration that does not
 * stop fails at once instead of running on.
 */
function pages(
  options: { lastCursor?: string | null; lastMore?: boolean; failFirst?: number } = {},
) {
  let failures = options.failFirst ?? 0;
  const served = new Set<string | null>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const cursor = new URL(req.url!, 'http://x').searchParams.get('cursor');
    if (cursor === 'c2' && failures-- > 0) return (res.writeHead(503), res.end());
    if (served.has(cursor) || ![null, 'c1', 'c2'].includes(cursor)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'bad_cursor', message: `cursor ${cursor}` }));
    }
    served.add(cursor);
    const last = { next_cursor: options.lastCursor ?? null, has_more: options.lastMore ?? false };
    const page =
      cursor === null
        ? { items: [thing('a'), thing('b')], next_cursor: 'c1', has_more: true }
        : cursor === 'c1'
          ? { items: [thing('c'), thing('d')], next_cursor: 'c2', has_more: true }
          : { items: [thing('e')], ...last };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(page));
  };
}

describe('auto-pagination', () => {
  it('awaiting the call gives the first page, and sends exactly one request', async () => {
    const server = await serve(pages());
    const page = await listThings(core(server.url), { params: { query: { limit: 2 } } });
    expect(page.items.map((t) => t.id)).toEqual(['a', 'b']);
    expect(page.next_cursor).toBe('c1');
    expect(server.requests).toBe(1);
  });

  it('for await gives every item of every page, sending cursor and keeping the other parameters', async () => {
    const server = await serve(pages());
    const ids: string[] = [];
    for await (const t of listThings(core(server.url), {
      params: { query: { limit: 2, tag: ['x'] } },
    })) {
      ids.push(t.id);
    }
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(server.seen.map((s) => s.url)).toEqual([
      '/things?limit=2&tag=x',
      '/things?limit=2&tag=x&cursor=c1',
      '/things?limit=2&tag=x&cursor=c2',
    ]);
  });

  it('stops when has_more is false even if a cursor is given, or when next_cursor is null', async () => {
    const server = await serve(pages({ lastCursor: 'c3' }));
    const pagesSeen: number[] = [];
    for await (const page of listThings(core(server.url)).pages())
      pagesSeen.push(page.items.length);
    expect(pagesSeen).toEqual([2, 2, 1]);
    expect(server.requests).toBe(3);
    // A null next_cursor ends the pages even where has_more says otherwise.
    const nullCursor = await serve(pages({ lastMore: true }));
    const ids: string[] = [];
    for await (const t of listThings(core(nullCursor.url))) ids.push(t.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(nullCursor.requests).toBe(3);
  });

  it('a page is fetched only when iteration reaches it; nothing is sent after a break', async () => {
    const server = await serve(pages());
    const list = listThings(core(server.url));
    for await (const t of list) {
      expect(t.id).toBe('a');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toBe(1);
    const second = await serve(pages());
    let seen = 0;
    for await (const t of listThings(core(second.url))) {
      if (++seen === 3) break; // the first item of the second page
      expect(t).toBeDefined();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(second.requests).toBe(2);
  });

  it('retries apply to every page: a 503 on the third page is retried', async () => {
    const server = await serve(pages({ failFirst: 1 }));
    const ids: string[] = [];
    for await (const t of listThings(core(server.url))) ids.push(t.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(server.requests).toBe(4);
  });

  it("the caller's signal stops the iteration between pages, and no page follows", async () => {
    const server = await serve(pages());
    const controller = new AbortController();
    const ids: string[] = [];
    const iterate = async () => {
      for await (const t of listThings(core(server.url), {}, { signal: controller.signal })) {
        ids.push(t.id);
        if (t.id === 'b') controller.abort();
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(ids).toEqual(['a', 'b']);
    expect(server.requests).toBe(1);
  });

  it('withResponse on a list call gives the first page and its response', async () => {
    const server = await serve(pages());
    const { data, response } = await listThings(core(server.url)).withResponse();
    expect(data.items).toHaveLength(2);
    expect(response.status).toBe(200);
  });
});
