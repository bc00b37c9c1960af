/**
 * Event streams whose events the spec declares, as OpenAPI 3.2 declares sequential media types: a
 * `text/event-stream` media type with an `itemSchema`, one schema per event (a `oneOf`), each told
 * apart by a constant `event`, its `data` a JSON string (`contentMediaType: application/json`)
 * typed by its `contentSchema`. Any spec that declares its events so gets typed events; a stream
 * without an `itemSchema` stays a stream of raw `ServerSentEvent`s.
 *
 * sdk.config.json's `streams` add what no spec can say: which event ends a stream as it should
 * (`final`: a stream that ends without it failed) and which reports a failure (`error`). Checked
 * against the spec like the waiters: skipped where the spec lacks the operation, refused where it
 * contradicts it.
 */
import { deref, type Json, type Spec } from '../lib/spec.js';

/** One event a stream declares. */
export interface EventModel {
  /** The `event` field's value. */
  name: string;
  /** Its `data` is JSON text, parsed for the caller. */
  json: boolean;
  /** The schema of the parsed data (`contentSchema`), as the spec writes it ($refs kept). */
  data?: Spec;
}

export interface StreamModel {
  events: EventModel[];
  /** sdk.config.json: the event that ends the stream as it should. */
  final?: string;
  /** sdk.config.json: the event that reports a failure. */
  error?: string;
  /** The media type's `example`: a stream's text, which the mock serves. */
  example?: string;
}

/** The events of a `text/event-stream` media type, or undefined when it declares none. */
export function declaredStream(spec: Spec, mediaType: Spec): StreamModel | undefined {
  const item = deref(spec, mediaType.itemSchema);
  if (!item) return undefined;
  const branches: Spec[] = (item.oneOf ?? item.anyOf ?? [item]).map((b: Spec) => deref(spec, b));
  const events: EventModel[] = [];
  for (const branch of branches) {
    const event = deref(spec, branch?.properties?.event);
    const name = event?.const ?? (event?.enum?.length === 1 ? event.enum[0] : undefined);
    // An event told apart by something other than its name: no typed events for this stream.
    if (typeof name !== 'string') return undefined;
    const data = deref(spec, branch.properties.data) ?? {};
    const json = typeof data.contentMediaType === 'string' && /json/i.test(data.contentMediaType);
    events.push({ name, json, data: json ? data.contentSchema : undefined });
  }
  const example = typeof mediaType.example === 'string' ? mediaType.example : undefined;
  return { events, ...(example && { example }) };
}

export interface StreamConfig {
  operation: string;
  final?: string;
  error?: string;
  source?: string;
}

/** What applyStreamConfig reads of the model's operations (model.ts). */
interface Streaming {
  id: string;
  response: { stream?: StreamModel };
}

/**
 * Adds sdk.config.json's `final` and `error` events to the streams of the model; throws listing
 * every entry that contradicts the spec.
 */
export function applyStreamConfig(
  model: { operations: Streaming[] },
  config: Spec | undefined,
): void {
  const problems: string[] = [];
  for (const [i, entry] of ((config?.streams ?? []) as StreamConfig[]).entries()) {
    const at = `sdk.config.json streams[${i}]`;
    if (typeof entry?.operation !== 'string') {
      problems.push(`${at}: needs operation`);
      continue;
    }
    const op = model.operations.find((o) => o.id === entry.operation);
    if (!op) continue; // this spec lacks it
    const stream = op.response.stream;
    if (!stream) {
      problems.push(`${at}: ${op.id} does not answer an event stream whose events it declares`);
      continue;
    }
    const names = stream.events.map((e) => e.name);
    for (const key of ['final', 'error'] as const) {
      const name = entry[key];
      if (name === undefined) continue;
      if (names.includes(name)) stream[key] = name;
      else problems.push(`${at}: ${key} event ${name} is not one ${op.id} declares (${names})`);
    }
  }
  if (problems.length) {
    throw new Error(`sdk.config.json contradicts the spec:\n  ${problems.join('\n  ')}`);
  }
}

const lit = (value: unknown) => JSON.stringify(value);

/**
 * The type of a stream's events, `data` parsed: `StreamEvent<'delta', ...> | ...`. The error event
 * is thrown, never given, so it is not among them.
 */
export function eventsType(stream: StreamModel): string {
  return stream.events
    .filter(({ name }) => name !== stream.error)
    .map(({ name, json, data }) => {
      const component =
        typeof data?.$ref === 'string' && /^#\/components\/schemas\/(.+)$/.exec(data.$ref)?.[1];
      const type = !json
        ? 'string'
        : component
          ? `components['schemas'][${lit(component)}]`
          : 'unknown';
      return `StreamEvent<${lit(name)}, ${type}>`;
    })
    .join(' | ');
}

/** The runtime declaration of a stream's events, for `events({...})` (src/core/streaming.ts). */
export function eventsSpec(stream: StreamModel): string {
  const fields = [
    `json: ${lit(stream.events.filter((e) => e.json).map((e) => e.name))}`,
    `text: ${lit(stream.events.filter((e) => !e.json).map((e) => e.name))}`,
  ];
  if (stream.final) fields.push(`final: ${lit(stream.final)}`);
  if (stream.error) fields.push(`error: ${lit(stream.error)}`);
  return `{ ${fields.join(', ')} }`;
}

/** The events of an event-stream text (an example's), as the mock sends them. */
export function parseEvents(text: string): { event?: string; data: string }[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((block) => {
      const lines = block.split(/\r?\n/).filter(Boolean);
      const value = (field: string) =>
        lines
          .filter((l) => l.startsWith(`${field}:`))
          .map((l) => l.slice(field.length + 1).replace(/^ /, ''));
      const [event] = value('event');
      return { ...(event !== undefined && { event }), data: value('data').join('\n') };
    })
    .filter((e) => e.data !== '');
}

/**
 * The events the mock sends by default: the spec's example where it gives one, else one event of
 * each declared kind with a sample of its data (the final one last, no error event).
 */
export function defaultEvents(
  op: Streaming,
  sample: (schema: Spec | undefined, at: string) => Json,
): { event?: string; data: string }[] | undefined {
  const stream = op.response.stream;
  if (!stream) return undefined;
  if (stream.example) return parseEvents(stream.example);
  const kinds = stream.events.filter((e) => e.name !== stream.error);
  kinds.sort((a, b) => Number(a.name === stream.final) - Number(b.name === stream.final));
  return kinds.map((e) => ({
    event: e.name,
    data: e.json ? JSON.stringify(sample(e.data, `${op.id}.${e.name}`)) : e.name,
  }));
}
