/**
 * Cursor pagination: a list operation's call still resolves to its first page, and is also
 * async-iterable over every item of every page, fetching each page only when iteration reaches
 * it. Only list operations import this module.
 */
import { group, type FeatherCore } from './core.js';
import type { GroupInfo } from './hooks.js';
import { specOf } from './operation.js';
import type { APIPromise } from './promise.js';

/** The page shape the generator recognises: `next_cursor`, `has_more`, and one array. */
interface CursorPage {
  next_cursor?: string | null;
  has_more?: boolean;
}

/** What a list operation returns: its first page's promise, async-iterable over every item. */
export interface PagePromise<Page, Item> extends APIPromise<Page>, AsyncIterable<Item> {
  /** Every page, this one first; stops when `next_cursor` is null or absent, or `has_more` is false. */
  pages(): AsyncGenerator<Page, void, undefined>;
}

/** What an iteration over the pages requests the next page with, and how it ends. */
type Iteration<Page> = [
  after: (cursor: string) => APIPromise<Page>,
  end: (error?: unknown) => void,
];

/** The first page's promise, made iterable over the pages after it. */
function iterable<Page, Item>(
  first: APIPromise<Page>,
  /** Opens one iteration: how it requests the page after a cursor, and how it ends. */
  iteration: () => Iteration<Page>,
  /** The page's array property: `items`, `steps`... */
  key: string,
): PagePromise<Page, Item> {
  const list = first as PagePromise<Page, Item>;
  list.pages = async function* () {
    const [after, end] = iteration();
    /** The page after `page`, or undefined after the last one. */
    const next = (page: Page) => {
      const { next_cursor: cursor, has_more: more } = page as CursorPage;
      return cursor == null || more === false ? undefined : after(cursor);
    };
    let failure: unknown;
    try {
      for (let page: Page | undefined = await first; page; page = await next(page)) yield page;
    } catch (error) {
      throw (failure = error);
    } finally {
      // Also on `break`: the iteration is over either way.
      end(failure);
    }
  };
  list[Symbol.asyncIterator] = async function* () {
    for await (const page of list.pages()) yield* (page as Record<string, Item[]>)[key];
  };
  return list;
}

type Call<Page> = (...args: never[]) => APIPromise<Page>;
type ItemOf<Page, K extends string> = Page extends { [P in K]: readonly (infer I)[] } ? I : never;

/** The operation function, made to return a PagePromise over its pages' `key` arrays. */
export type Paginated<F, K extends string> = F extends (...args: infer A) => APIPromise<infer Page>
  ? (...args: A) => PagePromise<Page, ItemOf<Page, K>>
  : never;

/**
 * Wraps a list operation (the generator writes the call for every paginated one). The pages of an
 * iteration are one group for the hooks (a tracer's parent span): the group opens with the first
 * page, since the call requests it before any iteration, and ends when the iteration does, or when
 * the first page settles if no iteration began by then (a later iteration opens its own).
 */
export function paginated<F extends Call<unknown>, K extends string>(
  op: F,
  key: K,
): Paginated<F, K> {
  let pages: GroupInfo | undefined;
  const list = (core: FeatherCore, args?: { params?: { query?: object } }, options?: never) => {
    // At the first call, as the operation reads its spec: importing builds nothing.
    const info = (pages ??= { kind: 'pages', name: nameOf(specOf(op)) });
    const requester = (c: FeatherCore) => (cursor?: string) =>
      op(
        c as never,
        (cursor === undefined ? args : withCursor(args, cursor)) as never,
        options as never,
      );
    const [scoped, end] = group(core, info);
    let waiting = scoped !== core; // a group is open, waiting for its iteration
    const first = requester(scoped)() as APIPromise<unknown>;
    if (waiting) {
      // Marks the first page handled, as withResponse() does; only when a hook opened a group.
      const settled = (error?: unknown) => waiting && ((waiting = false), end(error));
      first.then(() => settled(), settled);
    }
    const iteration = (): Iteration<unknown> => {
      if (waiting) return ((waiting = false), [requester(scoped), end]);
      const [again, close] = group(core, info);
      return [requester(again), close];
    };
    return iterable(first, iteration, key);
  };
  return Object.assign(list, { spec: (op as { spec?: unknown }).spec }) as never;
}

const nameOf = (spec: { method: string; path: string } | undefined) =>
  spec ? `${spec.method} ${spec.path}` : 'a list';

function withCursor(args: { params?: { query?: object } } | undefined, cursor: string) {
  return { ...args, params: { ...args?.params, query: { ...args?.params?.query, cursor } } };
}
