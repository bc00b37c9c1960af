/**
 * The mock's default answer to a valid request: the route's sample 2xx body, several pages for a
 * paginated list, a few events for an event stream, an empty body where the spec declares none,
 * and the resources of sdk.config.json's waiters (dispatched runs), created and read back.
 */
import { create, read, type Stores } from './resources.js';
import type { MockRoute } from './routes.js';
import { errorReply } from './server.js';
import type { MockEvent, MockReply, MockRequest } from './types.js';

export interface AnswerSettings {
  stores: Stores;
  organizationId: string;
  pages: number;
  pageSize: number;
  /** The statuses a read moves a dispatched run through (MockServerOptions). */
  runStatuses: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID whose last 12 digits are `position`. */
const numbered = (uuid: string, position: number) =>
  uuid.slice(0, 24) + position.toString(16).padStart(12, '0');

/** The page's sample item, numbered: a UUID `id` ends with the item's position, so ids differ. */
function item(sample: unknown, position: number): unknown {
  const copy = structuredClone(sample);
  // Through Object(), null and primitives read as having no `id`.
  const id = String(Object(copy).id);
  if (UUID.test(id)) Object(copy).id = numbered(id, position);
  return copy;
}

/**
 * Page `cursor` of `pages`, chained by `next_cursor` (`page-2`, `page-3`...; null on the last,
 * where `has_more` is false). `limit` items a page where the request sets it.
 */
function page(route: MockRoute, request: MockRequest, settings: AnswerSettings): unknown {
  const body = structuredClone(route.sample) as Record<string, unknown>;
  const key = route.pagination!;
  const [first] = body[key] as unknown[];
  const { limit, cursor } = request.params.query; // a paginated list has a `cursor` query parameter
  const size = typeof limit === 'number' ? limit : settings.pageSize;
  const number = Number(/^page-(\d+)$/.exec(String(cursor))?.[1] ?? 1);
  const index = Math.min(Math.max(number, 1), settings.pages) - 1;
  const last = index === settings.pages - 1;
  body[key] =
    first === undefined
      ? []
      : Array.from({ length: size }, (_, i) => item(first, index * size + i));
  // Set even where the sample (a spec's example) left it out: the page's schema declares it.
  body.next_cursor = last ? null : `page-${index + 2}`;
  if ('has_more' in body) body.has_more = !last;
  return body;
}

/** The bytes of a binary answer: 16 of them, 0x00 to 0xff, most of them not UTF-8 text. */
export const SAMPLE_BYTES = /* @__PURE__ */ Uint8Array.from({ length: 16 }, (_, i) => i * 17);

/**
 * What an event stream sends unless a handler says otherwise: the events the spec declares (its
 * example, or one of each), else three `message` events naming the operation.
 */
const events = (route: MockRoute): MockEvent[] =>
  route.events?.map((event) => ({ ...event })) ??
  [0, 1, 2].map((index) => ({
    id: String(index + 1),
    event: 'message',
    data: JSON.stringify({ operation: route.id, index }),
  }));

/**
 * One answer item per item of the request's list, in order (`route.items`): the sample's first
 * item, each of its UUIDs ending with the position (so documents differ), its index key set to it.
 */
function perItem(route: MockRoute, request: MockRequest): unknown {
  const { from, to, index, set } = route.items!;
  const body = structuredClone(route.sample) as Record<string, unknown>;
  const raw = (request.body as Record<string, unknown>)[from];
  // A form's part is its text (validation parsed it already: it is JSON).
  const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as unknown[];
  const [first] = body[to] as Record<string, unknown>[];
  body[to] = list.map((_, i) => {
    const one = Object.entries(structuredClone(first)).map(([key, value]) => [
      key,
      typeof value === 'string' && UUID.test(value) ? numbered(value, i) : value,
    ]);
    return { ...Object.fromEntries(one), ...set, [index]: i };
  });
  return body;
}

export function defaultAnswer(
  route: MockRoute,
  request: MockRequest,
  settings: AnswerSettings,
): MockReply {
  const { status } = route;
  if (route.unsampled !== undefined) {
    const advice = `give startMockServer a handler for ${route.id}`;
    const message = `The mock has no sample answer for ${route.id}: ${route.unsampled}. To test it, ${advice}.`;
    return errorReply(501, 'no_sample', message);
  }
  if (route.reads) {
    return read({ ...route, reads: route.reads }, request, settings.stores, settings.runStatuses);
  }
  if (route.creates) {
    const creating = { ...route, creates: route.creates };
    return create(creating, request, settings.stores, settings.organizationId);
  }
  if (route.response === 'stream') return { status, events: events(route) };
  if (route.response === 'text' || route.response === 'binary') {
    const body = route.response === 'text' ? String(route.sample ?? '') : SAMPLE_BYTES;
    return { status, body, headers: { 'content-type': route.mediaType! } };
  }
  if (route.pagination) return { status, body: page(route, request, settings) };
  if (route.items) return { status, body: perItem(route, request) };
  // An `empty` answer has no sample: no body.
  return { status, body: structuredClone(route.sample) };
}
