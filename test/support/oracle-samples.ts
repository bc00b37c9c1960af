/**
 * fast-check samples for any JSON Schema of a spec:
 * - values drawn from the schema, valid as far as a generator can tell, often at their edges that
 *   are still valid (lengths in emoji at maxLength, leap days, leap seconds, every offset form,
 *   bounds, `null` where allowed);
 * - near-misses: one such value with one edit at one node (a wrong type, a key dropped, added or
 *   renamed, a bound crossed, a day or hour that does not exist, an offset removed).
 * Whole values must be mostly valid so that one edit decides the verdict. The samples only aim:
 * ajv is the judge of each one.
 */
import fc from 'fast-check';

type Json = any;

const json = fc.jsonValue({ maxDepth: 1 });
const wrongValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 3 }),
  fc.constant([]),
  fc.constant({}),
);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A leap second is 23:59:60 in UTC, at whatever local time the offset makes it. */
const LEAP_SECONDS = ['23:59:60Z', '15:59:60-08:00', '05:29:60+0530'];

/** hh:mm:ss[.frac] and one of `offsets`; leap seconds sometimes. */
const timeWith = (offsets: string[]) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 59 }),
          fc.constantFrom('', '', '.5', '.123456'),
          fc.constantFrom(...offsets),
        )
        .map(([h, m, s, frac, offset]) => `${pad(h)}:${pad(m)}:${pad(s)}${frac}${offset}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(...LEAP_SECONDS) },
  );

/** A real calendar day; leap days of leap years and month ends sometimes. */
const date = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('2024-02-29', '2000-02-29', '2023-01-31', '2023-04-30'),
  },
);

const OFFSETS = ['Z', 'z', '+00:00', '-08:00', '+0530', '+05', '+23:59'];

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.oneof(
    fc.uuid(),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.uuid().map((u) => `urn:uuid:${u}`),
  ),
  date,
  // `time` is iso-time: the offset is optional.
  time: timeWith(['', '', ...OFFSETS]),
  'date-time': fc
    .tuple(date, fc.constantFrom('T', 'T', 't', ' '), timeWith(OFFSETS))
    .map(([d, sep, t]) => `${d}${sep}${t}`),
};

/** Samples of the schemas of one spec, resolving its `#/components/schemas/...` refs. */
export class SchemaSamples {
  private readonly cache = new Map<string, fc.Arbitrary<unknown>>();

  constructor(
    private readonly spec: Json,
    private readonly maxDepth = 3,
  ) {}

  /** Values drawn from the schema. */
  valid(schema: Json, depth = 0): fc.Arbitrary<unknown> {
    if (schema === true || schema === undefined) return json;
    if (schema === false) return wrongValue;
    if (typeof schema.$ref === 'string') return this.ref(schema.$ref, depth);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    if ('const' in schema) return fc.constant(schema.const);
    const branches = schema.anyOf ?? schema.oneOf ?? schema.allOf;
    if (Array.isArray(branches)) {
      const options = branches.map((b: Json) => this.valid(b, depth + 1));
      // Keywords beside the branches (`{ anyOf, maxLength: 64 }`) get values at their edges.
      const [type, ...more] = guessTypes(schema);
      if (schema.type === undefined && more.length === 0) {
        options.push(this.ofType(type, schema, depth));
      }
      return fc.oneof(...options);
    }
    const types: string[] = schema.type === undefined ? guessTypes(schema) : [schema.type].flat();
    return fc.oneof(...types.map((type) => this.ofType(type, schema, depth)));
  }

  /** A drawn value with one edit somewhere in it. */
  nearMiss(schema: Json): fc.Arbitrary<unknown> {
    return fc
      .tuple(this.valid(schema), fc.nat(), fc.nat(), wrongValue)
      .map(([value, where, how, wrong]) => edit(value, where, how, wrong));
  }

  private ref(ref: string, depth: number): fc.Arbitrary<unknown> {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    const schema = name === undefined ? undefined : this.spec.components.schemas[name];
    if (schema === undefined) return json;
    const key = `${name} ${Math.min(depth, this.maxDepth + 1)}`;
    let arbitrary = this.cache.get(key);
    if (!arbitrary) {
      // Too deep: the smallest value the schema may take, so recursive schemas end.
      arbitrary = depth > this.maxDepth ? smallest(schema) : this.valid(schema, depth + 1);
      this.cache.set(key, arbitrary);
    }
    return arbitrary;
  }

  private ofType(type: string, schema: Json, depth: number): fc.Arbitrary<unknown> {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
      case 'number':
        return numberOf(type, schema);
      case 'string':
        return stringOf(schema);
      case 'array':
        return this.arrayOf(schema, depth);
      case 'object':
        return this.objectOf(schema, depth);
      default:
        return json;
    }
  }

  private arrayOf(schema: Json, depth: number): fc.Arbitrary<unknown> {
    if (Array.isArray(schema.prefixItems)) {
      return fc.tuple(...schema.prefixItems.map((s: Json) => this.valid(s, depth + 1)));
    }
    const minLength = schema.minItems ?? 0;
    const maxLength = Math.min(schema.maxItems ?? Infinity, minLength + (depth > 2 ? 1 : 3));
    const item = this.valid(schema.items ?? true, depth + 1);
    // Items mostly, so that edits reach them; empty lists sometimes.
    const filled = fc.array(item, { minLength: Math.min(minLength + 1, maxLength), maxLength });
    const least = fc.array(item, { minLength, maxLength: minLength });
    return fc.oneof({ weight: 3, arbitrary: filled }, { weight: 1, arbitrary: least });
  }

  private objectOf(schema: Json, depth: number): fc.Arbitrary<unknown> {
    const properties: Record<string, Json> = schema.properties ?? {};
    const required: string[] = schema.required ?? [];
    const deep = depth > this.maxDepth;
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, sub] of Object.entries(properties)) {
      if (!deep || required.includes(key)) model[key] = this.valid(sub, depth + 1);
    }
    const declared = fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    const extra = schema.additionalProperties;
    if (extra === false || deep) return declared;
    const keys = schema.propertyNames
      ? this.valid(schema.propertyNames, depth + 1)
      : fc.string({ maxLength: 6 });
    const values = extra === undefined || extra === true ? json : this.valid(extra, depth + 1);
    const more = fc.dictionary(keys as fc.Arbitrary<string>, values, { maxKeys: 2 });
    return fc.tuple(declared, more).map(([own, added]) => ({ ...added, ...own }));
  }
}

function guessTypes(schema: Json): string[] {
  if (schema.properties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items || schema.prefixItems) return ['array'];
  if (schema.format || schema.maxLength !== undefined || schema.pattern) return ['string'];
  return ['string', 'integer', 'object', 'null'];
}

/** The value of a schema that needs the least: `null` if allowed, else an empty one of its type. */
function smallest(schema: Json): fc.Arbitrary<unknown> {
  const types: string[] = [schema.type ?? []].flat();
  const nullable = types.includes('null') || schema.anyOf?.some((b: Json) => b.type === 'null');
  if (nullable) return fc.constant(null);
  if (types.includes('array')) return fc.constant([]);
  return fc.constant({});
}

/** Within the bounds, and at each (inclusive) bound often. */
function numberOf(type: 'integer' | 'number', schema: Json): fc.Arbitrary<number> {
  const integer = type === 'integer';
  // A whole step inside an exclusive bound, so that an edit of -1 or +1 lands on it.
  const step = 1;
  const low = schema.minimum ?? (schema.exclusiveMinimum ?? -1e6 - step) + step;
  const high = schema.maximum ?? (schema.exclusiveMaximum ?? 1e6 + step) - step;
  const [min, max] = low <= high ? [low, high] : [high, low];
  const inside = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  const edges = [min, max].filter((n) => !integer || Number.isInteger(n));
  if (edges.length === 0) return inside;
  return fc.oneof(
    { weight: 3, arbitrary: inside },
    { weight: 1, arbitrary: fc.constantFrom(...edges) },
  );
}

function stringOf(schema: Json): fc.Arbitrary<string> {
  const format = FORMATS[schema.format];
  if (format) return format;
  if (typeof schema.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(schema.pattern, 'u'), { size: 'small' });
    } catch {
      // A pattern fast-check cannot draw from: plain strings, which ajv mostly refuses.
    }
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? Infinity, minLength + 12);
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: 'binary' }) },
  ];
  if (schema.maxLength !== undefined && schema.maxLength >= minLength) {
    // At the bound in code points, past it in UTF-16 units: where counting goes wrong.
    options.push({ weight: 1, arbitrary: fc.constant('😀'.repeat(schema.maxLength)) });
  }
  return fc.oneof(...options);
}

type Node = [value: unknown, parent: Json, key: string | number | undefined];

/** Every node of a value, with where it hangs (no parent for the root). */
function nodes(value: unknown, out: Node[] = [], parent?: Json, key?: string | number): Node[] {
  out.push([value, parent, key]);
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, out, value, i));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) nodes(v, out, value, k);
  }
  return out;
}

const REMOVE = Symbol('remove');

/** One edit of a copy of `value`: at node `where % n`, the `how`-th edit that fits the node. */
function edit(original: unknown, where: number, how: number, wrong: unknown): unknown {
  const value = structuredClone(original);
  const all = nodes(value);
  const [node, parent, key] = all[where % all.length];
  const edits = editsOf(node, wrong);
  const next = edits[how % edits.length]();
  if (parent === undefined) return next === REMOVE ? wrong : next;
  if (next === REMOVE && Array.isArray(parent)) parent.splice(key as number, 1);
  else if (next === REMOVE) delete parent[key as string];
  else parent[key as string] = next;
  return value;
}

function editsOf(node: unknown, wrong: unknown): (() => unknown)[] {
  const edits: (() => unknown)[] = [() => wrong, () => wrong, () => REMOVE];
  if (typeof node === 'string') {
    edits.push(
      () => `${node}x`,
      () => node.slice(0, -1),
      () => `${node}😀`,
      () => node.toUpperCase(),
      () => '',
    );
    if (/\d\d:\d\d:\d\d|^\d{4}-\d\d-\d\d/.test(node)) edits.push(...calendarEdits(node));
  } else if (typeof node === 'number') {
    edits.push(
      () => node + 1,
      () => node - 1,
      () => node + 0.5,
      () => -node,
      () => 0,
      () => 1e21,
    );
  } else if (Array.isArray(node)) {
    edits.push(
      () => [...node, node[0] ?? wrong],
      () => node.slice(1),
      () => [],
    );
  } else if (typeof node === 'object' && node !== null) {
    edits.push(...objectEdits(node as Record<string, unknown>, wrong));
  }
  return edits;
}

function objectEdits(node: Record<string, unknown>, wrong: unknown): (() => unknown)[] {
  const [first = 'k'] = Object.keys(node);
  return [
    () => ({ ...node, unexpected_key: wrong }),
    () => ({ ...node, [first]: undefined }),
    () => ({ ...node, [first]: null }),
    () => Object.fromEntries(Object.entries(node).slice(1)),
    // The same value under another name: for `propertyNames` and closed objects.
    () => Object.fromEntries(Object.entries(node).map(([k, v], i) => [i ? k : `${k}x`, v])),
  ];
}

const DAYS = ['2023-02-29', '1900-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '2000-02-29'];
const TIMES = ['24:00:00', '23:60:00', '12:00:60', '23:59:60', '23:59:61', '7:00:00'];
const ZONES = ['', 'Z', '+24:00', '-00:60', '+05', '-0800'];

/** Edits of a date, time or date-time: days and hours that do not exist, offsets, separators. */
function calendarEdits(text: string): (() => string)[] {
  const day = /^\d{4}-\d\d-\d\d/;
  const time = /\d\d:\d\d:\d\d(?:\.\d+)?/;
  const zone = /(?:z|[+-]\d\d(?::?\d\d)?)$/i;
  return [
    ...DAYS.map((d) => () => text.replace(day, d)),
    ...TIMES.map((t) => () => text.replace(time, t)),
    ...ZONES.map((z) => () => (zone.test(text) ? text.replace(zone, z) : `${text}${z}`)),
    () => text.replace(/[Tt ]/, 'x'),
    () => text.replace(/[Tt]/, ' '),
    () => `${text} `,
  ];
}
