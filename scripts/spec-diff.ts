/**
 * What a spec bump changes for SDK callers: operations and schema fields added, removed and
 * changed, each classified breaking or not.
 *
 * The structural diff is api-smart-diff's: it resolves $refs (also circular ones), matches
 * parameters by name, enum values and `required` entries by value, and classifies changes with
 * its OpenAPI rules. We keep its verdict except for schema keywords, where we apply oasdiff's rule
 * ("breaking if code written against the old SDK can fail to compile or fail at run time") by the
 * direction the data flows, because api-smart-diff disagrees with it in places: it calls a removed
 * or retyped response field non-breaking, and it judges component schemas with no direction at all.
 */
import { apiCompare } from 'api-smart-diff';

type Spec = Record<string, any>;
type Segment = string | number;
type Direction = 'request' | 'response';

export interface Detail {
  text: string;
  breaking: boolean;
}

export interface Change {
  /** `GET /v1/agents` for an operation, the schema's name for a schema. */
  target: string;
  operationId?: string;
  action: 'added' | 'removed' | 'changed';
  breaking: boolean;
  details: Detail[];
  /** Changes to descriptions, examples, titles: listed as a count only. */
  docs: number;
}

export interface SpecDiff {
  from: string;
  to: string;
  operations: Change[];
  schemas: Change[];
  /** Servers, security schemes and the like, in api-smart-diff's words and verdict. */
  other: Detail[];
  breaking: number;
  nonBreaking: number;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];

const title = (spec: Spec) => `${spec?.info?.title ?? 'API'} ${spec?.info?.version ?? ''}`.trim();
const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** Component schema names reached from requests and from responses, following $refs. */
function schemaDirections(specs: Spec[]): Map<string, Set<Direction>> {
  const directions = new Map<string, Set<Direction>>();
  const walk = (node: unknown, direction: Direction, spec: Spec) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, direction, spec));
    if (!node || typeof node !== 'object') return;
    const ref = (node as any).$ref;
    const name = typeof ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1] : null;
    if (name) {
      const seen = directions.get(name) ?? new Set();
      if (seen.has(direction)) return;
      directions.set(name, seen.add(direction));
      walk(spec.components?.schemas?.[name], direction, spec);
    }
    for (const value of Object.values(node)) walk(value, direction, spec);
  };
  for (const spec of specs) {
    for (const item of Object.values<any>(spec.paths ?? {})) {
      walk(item?.parameters, 'request', spec);
      for (const method of METHODS) {
        const op = item?.[method];
        if (!op) continue;
        walk(op.parameters, 'request', spec);
        walk(op.requestBody, 'request', spec);
        walk(op.responses, 'response', spec);
      }
    }
  }
  return directions;
}

const asSet = (type: unknown) => new Set(Array.isArray(type) ? type : [type]);
/** Every type in `a` is allowed by `b` (an integer is a number). */
const typesWithin = (a: unknown, b: unknown) => {
  const wide = asSet(b);
  return [...asSet(a)].every((t) => wide.has(t) || (t === 'integer' && wide.has('number')));
};

/**
 * A path inside a schema, read keyword by keyword (a property may well be called `type` or
 * `enum`): the field it is about, the keyword that changed, and whether an element of that
 * keyword's list or map was added or removed (a property, a `required` entry, an enum value).
 */
interface SchemaPath {
  field: string;
  keyword: string;
  element: boolean;
  /** The property's name, for an added or removed property. */
  name?: string;
}

function readSchemaPath(rel: Segment[]): SchemaPath {
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

/**
 * oasdiff's verdict on a change inside a schema, for data flowing in `direction`; undefined where
 * the keyword is not one we judge. Requests break when they accept less (callers sending what
 * used to be fine get a compile error or a 422); responses break when they promise less or
 * differently (callers reading a field find it missing or of another type).
 */
function schemaVerdict(
  direction: Direction,
  action: string,
  at: SchemaPath,
  before: unknown,
  after: unknown,
): boolean | undefined {
  const request = direction === 'request';
  const added = action === 'add';
  const removed = action === 'remove';
  const { keyword, element } = at;
  if (element) {
    const lists = ['properties', 'required', 'enum', 'type', 'anyOf', 'oneOf', 'allOf'];
    if (!lists.includes(keyword)) return undefined;
    if (action === 'replace' || action === 'rename') return true;
    if (keyword === 'properties') return request ? !added : removed;
    if (keyword === 'required') return request ? added : removed;
    // A wider list: enum values, types, anyOf/oneOf branches. allOf is the other way round.
    if (['enum', 'type', 'anyOf', 'oneOf'].includes(keyword)) return request ? removed : added;
    return request ? added : removed; // allOf: one more branch to satisfy is narrower
  }
  if (keyword === 'type') {
    if (added) return request;
    if (removed) return !request;
    return request ? !typesWithin(before, after) : !typesWithin(after, before);
  }
  if (['enum', 'const', 'format', 'pattern'].includes(keyword)) return request ? !removed : !added;
  if (keyword === 'nullable') return request ? before === true : after === true;
  if (keyword === 'additionalProperties') return request && !removed && after !== true;
  if (UPPER.includes(keyword) || LOWER.includes(keyword)) {
    if (!request || removed) return false;
    if (added) return true;
    return UPPER.includes(keyword)
      ? Number(after) < Number(before)
      : Number(after) > Number(before);
  }
  if (['items', 'properties', 'anyOf', 'oneOf', 'allOf', '$ref'].includes(keyword)) return true;
  return undefined;
}

function describe(action: string, at: SchemaPath, before: unknown, after: unknown): string {
  const verb = { add: 'added', remove: 'removed', replace: 'changed', rename: 'renamed' }[action];
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

/** Where a path under an operation points: which direction, what to call it, and the schema part. */
function locate(
  rest: Segment[],
  parameters: Spec[] | undefined,
): { direction?: Direction; where: string; rel?: Segment[] } {
  const schemaAt = rest.indexOf('schema');
  if (rest[0] === 'parameters') {
    const param = parameters?.[rest[1] as number];
    const where = param ? `${param.in} parameter ${code(param.name)}` : 'parameter';
    return {
      direction: 'request',
      where,
      rel: schemaAt >= 0 ? rest.slice(schemaAt + 1) : undefined,
    };
  }
  if (rest[0] === 'requestBody') {
    return {
      direction: 'request',
      where: 'request body',
      rel: schemaAt >= 0 ? rest.slice(schemaAt + 1) : undefined,
    };
  }
  if (rest[0] === 'responses') {
    return {
      direction: 'response',
      where: `response ${rest[1] ?? ''}`.trim(),
      rel: schemaAt >= 0 ? rest.slice(schemaAt + 1) : undefined,
    };
  }
  return { where: rest.join('/') || 'operation' };
}

function environments(spec: Spec): Map<string, string> {
  const names = new Map<string, string>();
  for (const server of spec.servers ?? []) {
    const name = String(server.description ?? `server${names.size}`)
      .split(/\s+/)[0]
      .toLowerCase();
    names.set(name, server.url);
  }
  return names;
}

/** The path leads through a $ref of `schema`: the change is the referenced schema's. */
function throughRef(schema: unknown, rel: Segment[]): boolean {
  let node: any = schema;
  for (const segment of rel) {
    if (node && typeof node === 'object' && typeof node.$ref === 'string') return true;
    node = node?.[segment];
  }
  return false;
}

export function diffSpecs(before: Spec, after: Spec): SpecDiff {
  const { diffs } = apiCompare(structuredClone(before), structuredClone(after));
  const directions = schemaDirections([before, after]);
  const operations = new Map<string, Change>();
  const schemas = new Map<string, Change>();
  const other: Detail[] = [];

  const entry = (
    map: Map<string, Change>,
    target: string,
    action: Change['action'],
    id?: string,
  ) => {
    let change = map.get(target);
    if (!change)
      map.set(target, (change = { target, action, breaking: false, details: [], docs: 0 }));
    if (id) change.operationId = id;
    if (action !== 'changed') change.action = action;
    return change;
  };
  /** A detail, or without one a documentation-only change. */
  const note = (change: Change, detail?: Detail) => {
    if (!detail) return void change.docs++;
    change.details.push(detail);
    if (detail.breaking) change.breaking = true;
  };
  const libBreaking = (type: string) => type === 'breaking' || type === 'unclassified';

  // Like oasdiff, api-smart-diff takes /a/{id} and /a/{a_id} for one path, renamed; the
  // parameter's new name comes as a change of its own.
  const renamed = new Map<string, string>();
  for (const d of diffs) {
    if (d.path.length === 1 && d.path[0] === 'paths' && d.action === 'rename') {
      renamed.set(d.before as string, d.after as string);
    }
  }

  for (const d of diffs) {
    const path = d.path as Segment[];
    const lib = { breaking: libBreaking(d.type) };
    if (path[0] === 'paths' && path.length === 1) {
      if (d.action !== 'rename') other.push({ text: `paths: ${d.action}`, breaking: lib.breaking });
    } else if (path[0] === 'paths') {
      const url = path[1] as string;
      const newUrl = renamed.get(url) ?? url;
      const methods =
        typeof path[2] === 'string' && METHODS.includes(path[2])
          ? [path[2]]
          : METHODS.filter((m) => before.paths?.[url]?.[m] || after.paths?.[newUrl]?.[m]);
      for (const method of methods) {
        const old = before.paths?.[url]?.[method];
        const now = after.paths?.[newUrl]?.[method];
        if (!old && !now) continue;
        const target = `${method.toUpperCase()} ${now ? newUrl : url}`;
        const id = (now ?? old).operationId;
        if (!old || !now) {
          // The operation (or its whole path) was added or removed.
          const change = entry(operations, target, now ? 'added' : 'removed', id);
          change.breaking = !now;
          continue;
        }
        const change = entry(operations, target, 'changed', id);
        if (url !== newUrl && !change.details.some((x) => x.text.startsWith('path was'))) {
          note(change, { text: `path was \`${url}\``, breaking: false });
        }
        // Path-level parameters apply to every method of the path: same location, one level up.
        const onOperation = path[2] === method;
        const rest = onOperation ? path.slice(3) : path.slice(2);
        if (rest[0] === 'operationId') {
          note(change, {
            text: `renamed: ${code(d.before)} -> ${code(d.after)} (the SDK function is renamed)`,
            breaking: true,
          });
          continue;
        }
        const side = d.action === 'remove' ? old : now;
        const parameters = onOperation
          ? side.parameters
          : (d.action === 'remove' ? before.paths[url] : after.paths[newUrl]).parameters;
        const { direction, where, rel } = locate(rest, parameters);
        if (rest[0] === 'parameters' && rest[2] === 'name') {
          // Callers pass parameters by name: `params.path.id` stops compiling.
          note(change, {
            text: `parameter renamed: ${code(d.before)} -> ${code(d.after)}`,
            breaking: true,
          });
          continue;
        }
        const at = rel?.length ? readSchemaPath(rel) : undefined;
        const verdict =
          direction && at ? schemaVerdict(direction, d.action, at, d.before, d.after) : undefined;
        if (d.type === 'annotation' && verdict === undefined) {
          note(change);
          continue;
        }
        const text =
          verdict !== undefined
            ? `${where}: ${describe(d.action, at!, d.before, d.after)}`
            : (d.description ?? `${where}: ${d.action} ${rest.join('/')}`);
        note(change, { text, breaking: verdict ?? lib.breaking });
      }
    } else if (path[0] === 'components' && path[1] === 'schemas') {
      const name = path[2] as string;
      if (path.length === 3) {
        // A new schema breaks no caller; a removed one removes an exported type.
        const change = entry(schemas, name, d.action === 'add' ? 'added' : 'removed');
        change.breaking = d.action !== 'add';
        continue;
      }
      const rel = path.slice(3);
      // api-smart-diff resolves $refs inside schemas too: report each change once, at its schema.
      const raw = (d.action === 'remove' ? before : after).components?.schemas?.[name];
      if (throughRef(raw, rel)) continue;
      const change = entry(schemas, name, 'changed');
      // A schema no operation reaches is still an exported type: judge it both ways.
      const used = directions.get(name) ?? new Set<Direction>(['request', 'response']);
      const at = readSchemaPath(rel);
      const verdicts = [...used].map((dir) => schemaVerdict(dir, d.action, at, d.before, d.after));
      if (verdicts.every((v) => v === undefined)) {
        if (d.type === 'annotation') note(change);
        else note(change, { text: `${d.action} ${rel.join('/')}`, breaking: lib.breaking });
        continue;
      }
      const breaking = verdicts.some((v) => v === true);
      const text = `${describe(d.action, at, d.before, d.after)} (${[...used].sort().join(' and ')})`;
      note(change, { text, breaking });
    } else if (d.type !== 'annotation' && path[0] !== 'info' && path[0] !== 'servers') {
      other.push({
        text: d.description ?? `${d.action} ${path.join('/')}`,
        breaking: lib.breaking,
      });
    }
  }

  // Servers become the `environment` option (named as scripts/generate.ts names them).
  const [envBefore, envAfter] = [environments(before), environments(after)];
  for (const [name, url] of envBefore) {
    if (!envAfter.has(name)) {
      other.push({ text: `environment ${code(name)} (${url}) removed`, breaking: true });
    } else if (envAfter.get(name) !== url) {
      other.push({
        text: `environment ${code(name)}: ${url} -> ${envAfter.get(name)}`,
        breaking: false,
      });
    }
  }
  for (const [name, url] of envAfter) {
    if (!envBefore.has(name)) {
      other.push({ text: `environment ${code(name)} (${url}) added`, breaking: false });
    }
  }

  const list = (map: Map<string, Change>) =>
    [...map.values()]
      .filter((c) => c.action !== 'changed' || c.details.length || c.docs)
      .sort((a, b) => a.target.localeCompare(b.target));
  const ops = list(operations);
  const sch = list(schemas);
  const all = [...ops, ...sch];
  // Counted per operation and schema (and other item), not per detail: one removed response field
  // is one breaking change of its schema and of each operation that returns it.
  const count = (breaking: boolean) =>
    [...all, ...other].filter(
      (c) =>
        c.breaking === breaking &&
        ('action' in c ? c.action !== 'changed' || c.details.length : true),
    ).length;
  return {
    from: title(before),
    to: title(after),
    operations: ops,
    schemas: sch,
    other,
    breaking: count(true),
    nonBreaking: count(false),
  };
}

/** The report as Markdown: printed by `npm run spec:update` and appended to CHANGELOG.md. */
export function renderReport(diff: SpecDiff, date = new Date().toISOString().slice(0, 10)): string {
  const tag = (breaking: boolean) => (breaking ? '**BREAKING** ' : '');
  const lines = [`## ${diff.from} -> ${diff.to} (${date})`, ''];
  if (!diff.operations.length && !diff.schemas.length && !diff.other.length) {
    lines.push('No changes to operations or schemas.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `Breaking for SDK callers: ${diff.breaking}. Not breaking: ${diff.nonBreaking}. (Counted per operation, schema and other item.)`,
  );
  const section = (heading: string, changes: Change[], describeTarget: (c: Change) => string) => {
    if (!changes.length) return;
    lines.push('', `### ${heading}`, '');
    for (const c of changes) {
      const docs = c.docs ? ` (${c.docs} documentation change${c.docs === 1 ? '' : 's'})` : '';
      const headBreaking = c.action !== 'changed' && c.breaking;
      lines.push(`- ${tag(headBreaking)}${c.action} ${describeTarget(c)}${docs}`);
      for (const d of c.details) lines.push(`  - ${tag(d.breaking)}${d.text}`);
    }
  };
  section('Operations', diff.operations, (c) =>
    c.operationId ? `\`${c.target}\` (\`${c.operationId}\`)` : `\`${c.target}\``,
  );
  section('Schemas', diff.schemas, (c) => `\`${c.target}\``);
  if (diff.other.length) {
    lines.push('', '### Other', '');
    for (const d of diff.other) lines.push(`- ${tag(d.breaking)}${d.text}`);
  }
  return `${lines.join('\n')}\n`;
}
