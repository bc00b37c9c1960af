/**
 * Cursor pagination: a list operation's call still resolves to its first page, and is also
 * async-iterable over every item of every page, fetching each page only when iteration reaches
 * it. Only list operations import this module.
 */
import type { APIPromise } from './promise.js';

/** The page shape the generator recognises: `next_cursor`, `has_more`, and one array. */
interface CursorPage {
  next_cursor?: string | null;
  has_more?: boolean;
}

export interface PagePromise<Page, Item> extends APIPromise<Page>, AsyncIterable<Item> {
  /** Every page, this one first; stops when `next_cursor` is null or absent, or `has_more` is false. */
  pages(): AsyncGenerator<Page, void, undefined>;
}

/** The first page's promise, made iterable over the pages after it. */
function iterable<Page, Item>(
  first: APIPromise<Page>,
  /** Requests the page after `cursor`, with the caller's other arguments and options. */
  after: (cursor: string) => APIPromise<Page>,
  /** The page's array property: `items`, `steps`... */
  key: string,
): PagePromise<Page, Item> {
  const list = first as PagePromise<Page, Item>;
  /** The page after `page`, or undefined after the last one. */
  const next = (page: Page) => {
    const { next_cursor: cursor, has_more: more } = page as CursorPage;
    return cursor == null || more === false ? undefined : after(cursor);
  };
  list.pages = async function* () {
    for (let page: Page | undefined = await first; page; page = await next(page)) yield page;
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

/** Wraps a list operation (the generator writes the call for every paginated one). */
export function paginated<F extends Call<unknown>, K extends string>(
  op: F,
  key: K,
): Paginated<F, K> {
  const list = (core: never, args?: { params?: { query?: object } }, options?: never) => {
    const page = (cursor?: string) =>
      op(core, (cursor === undefined ? args : withCursor(args, cursor)) as never, options as never);
    return iterable(page(), page, key);
  };
  return Object.assign(list, { spec: (op as { spec?: unknown }).spec }) as never;
}

function withCursor(args: { params?: { query?: object } } | undefined, cursor: string) {
  return { ...args, params: { ...args?.params, query: { ...args?.params?.query, cursor } } };
}
