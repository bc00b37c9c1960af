/**
 * oasdiff's rule for a change inside a JSON schema ("breaking if code written against the old SDK
 * can fail to compile or fail at run time"), applied by the direction the data flows: which
 * schemas requests and responses reach, how a diff path inside a schema reads, the verdict on one
 * change, and the words for it.
 */
import { deref, operationsOf, schemaRefName, type Spec } from '../lib/spec.js';

export type Segment = string | number;
export type Direction = 'request' | 'response';

const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];

/** How the report words api-smart-diff's actions. */
export const VERBS: Record<string, string> = {
  add: 'added',
  remove: 'removed',
  replace: 'changed',
  rename: 'renamed',
};

/** A value as the report quotes it. */
export const code = (value: unknown) =>
  `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** Component schema names reached from requests and from responses, following $refs. */
export function schemaDirections(specs: Spec[]): Map<string, Set<Direction>> {
  const directions = new Map<string, Set<Direction>>();
  const walk = (node: unknown, direction: Direction, spec: Spec): void => {
    if (Array.isArray(node)) return node.forEach((child) => walk(child, direction, spec));
    if (!node || typeof node !== 'object') return;
    const name = schemaRefName(node);
    if (name) {
      const seen = directions.get(name) ?? new Set();
      if (seen.has(direction)) return;
      directions.set(name, seen.add(direction));
      walk(spec.components?.schemas?.[name], direction, spec);
    }
    for (const value of Object.values(node)) walk(value, direction, spec);
  };
  for (const spec of specs) {
    for (const { op, parameters } of operationsOf(spec)) {
      walk(parameters, 'request', spec);
      walk(deref(spec, op.requestBody), 'request', spec);
      for (const response of Object.values<Spec>(op.responses ?? {})) {
        walk(deref(spec, response), 'response', spec);
      }
    }
  }
  return directions;
}

const asSet = (type: unknown) => new Set(Array.isArray(type) ? type : [type]);
/** Every type in `narrow` is allowed by `wide` (an integer is a number). */
const typesWithin = (narrow: unknown, wide: unknown) => {
  const allowed = asSet(wide);
  return [...asSet(narrow)].every(
    (type) => allowed.has(type) || (type === 'integer' && allowed.has('number')),
  );
};

/**
 * A path inside a schema, read keyword by keyword (a property may well be called `type` or
 * `enum`): the field it is about, the keyword that changed, and whether an element of that
 * keyword's list or map was added or removed (a property, a `required` entry, an enum value).
 */
export interface SchemaPath {
  field: string;
  keyword: string;
  element: boolean;
  /** The property's name, for an added or removed property. */
  name?: string;
}

export function readSchemaPath(rel: Segment[]): SchemaPath {
  let field = '';
  for (let i = 0; i < rel.length; i++) {
    const segment = rel[i];
    const last = i === rel.length - 1;
    const nextIsLast = i === rel.length - 2;
    if (segment === 'properties' || segment === 'patternProperties') {
      if (last || nextIsLast) {
        return { field, keyword: 'properties', element: nextIsLast, name: String(rel[i + 1]) };
      }
      field += `${field ? '.' : ''}${rel[++i]}`;
    } else if (segment === 'items' || segment === 'additionalProperties') {
      if (last) return { field, keyword: segment, element: false };
      field += segment === 'items' ? '[]' : '{*}';
    } else if (segment === 'anyOf' || segment === 'oneOf' || segment === 'allOf') {
      if (last || nextIsLast) return { field, keyword: segment, element: nextIsLast };
      i++; // into the branch: same field
    } else {
      return { field, keyword: String(segment), element: !last };
    }
  }
  return { field, keyword: '', element: false };
}

/** An element added to or removed from a keyword's list or map (see `schemaVerdict`). */
function elementVerdict(request: boolean, action: string, keyword: string): boolean | undefined {
  const lists = ['properties', 'required', 'enum', 'type', 'anyOf', 'oneOf', 'allOf'];
  if (!lists.includes(keyword)) return undefined;
  if (action === 'replace' || action === 'rename') return true;
  const added = action === 'add';
  const removed = action === 'remove';
  if (keyword === 'properties') return request ? !added : removed;
  if (keyword === 'required') return request ? added : removed;
  // A wider list: enum values, types, anyOf/oneOf branches. allOf is the other way round.
  if (['enum', 'type', 'anyOf', 'oneOf'].includes(keyword)) return request ? removed : added;
  return request ? added : removed; // allOf: one more branch to satisfy is narrower
}

/** A bound moved: only a request can break, and only by accepting less. */
function boundVerdict(
  request: boolean,
  action: string,
  keyword: string,
  from: unknown,
  to: unknown,
) {
  if (!request || action === 'remove') return false;
  if (action === 'add') return true;
  return UPPER.includes(keyword) ? Number(to) < Number(from) : Number(to) > Number(from);
}

/**
 * oasdiff's verdict on a change inside a schema, for data flowing in `direction`; undefined where
 * the keyword is not one we judge. Requests break when they accept less (callers sending what
 * used to be fine get a compile error or a 422); responses break when they promise less or
 * differently (callers reading a field find it missing or of another type).
 */
export function schemaVerdict(
  direction: Direction,
  action: string,
  at: SchemaPath,
  before: unknown,
  after: unknown,
): boolean | undefined {
  const request = direction === 'request';
  const { keyword } = at;
  if (at.element) return elementVerdict(request, action, keyword);
  if (keyword === 'type') {
    if (action === 'add') return request;
    if (action === 'remove') return !request;
    return request ? !typesWithin(before, after) : !typesWithin(after, before);
  }
  if (['enum', 'const', 'format', 'pattern'].includes(keyword)) {
    return request ? action !== 'remove' : action !== 'add';
  }
  if (keyword === 'nullable') return request ? before === true : after === true;
  if (keyword === 'additionalProperties') return request && action !== 'remove' && after !== true;
  if (UPPER.includes(keyword) || LOWER.includes(keyword)) {
    return boundVerdict(request, action, keyword, before, after);
  }
  if (['items', 'properties', 'anyOf', 'oneOf', 'allOf', '$ref'].includes(keyword)) return true;
  return undefined;
}

/** The report's words for one change inside a schema. */
export function describeSchemaChange(
  action: string,
  at: SchemaPath,
  before: unknown,
  after: unknown,
): string {
  const verb = VERBS[action];
  const { field, keyword, element } = at;
  const of = field ? ` of ${code(field)}` : '';
  const value = action === 'remove' ? before : after;
  if (element && keyword === 'properties') {
    // The diff's value is the property's schema; its name is the last path segment.
    return `field ${code(field ? `${field}.${at.name}` : at.name)} ${verb}`;
  }
  if (element && keyword === 'required') {
    const full = field ? `${field}.${value}` : String(value);
    return action === 'remove' ? `${code(full)} no longer required` : `${code(full)} now required`;
  }
  if (element) {
    const what =
      keyword === 'enum' || keyword === 'type' ? `${keyword} value` : `${keyword} branch`;
    return `${what} ${code(value)}${of} ${verb}`;
  }
  if (action === 'replace') return `${keyword}${of}: ${code(before)} -> ${code(after)}`;
  return `${keyword}${of} ${verb}${action === 'add' ? `: ${code(after)}` : ''}`;
}

/** The path leads through a $ref of `schema`: the change is the referenced schema's. */
export function throughRef(schema: unknown, rel: Segment[]): boolean {
  let node = schema as Spec | undefined;
  for (const segment of rel) {
    if (node && typeof node === 'object' && typeof node.$ref === 'string') return true;
    node = node?.[segment];
  }
  return false;
}
