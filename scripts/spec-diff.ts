/**
 * What a spec bump changes for SDK callers: operations and schema fields added, removed and
 * changed, each classified breaking or not.
 *
 * The structural diff is api-smart-diff's (scripts/update/structural-diff.ts keeps it from pairing
 * paths crosswise and from reading repeated tags as added): it resolves $refs (also circular
 * ones), matches parameters by name, enum values and `required` entries by value, and classifies
 * changes with its OpenAPI rules. We keep its verdict except where it is wrong for an SDK caller:
 * - schema keywords, where we apply oasdiff's rule by the direction the data flows
 *   (scripts/update/schema-rules.ts): it calls a removed or retyped response field non-breaking,
 *   and judges component schemas with no direction at all;
 * - parameters, which we describe from their own fields (scripts/update/parameters.ts);
 * - servers, which become the client's `environment` option and its `baseUrl` default;
 * - a security scheme added to `components`, which asks nothing of a caller by itself;
 * - call shapes, idempotency keys and deprecation, read from whole operations
 *   (scripts/update/operation-notes.ts).
 */
import type { Diff } from 'api-smart-diff';
import {
  deref,
  isStrayMediaField,
  isStrayResponseField,
  METHODS,
  serverNames,
  type Spec,
} from './lib/spec.js';
import { Findings, type Change, type Detail, type SpecDiff } from './update/changes.js';
import { operationNotes, operationPairs } from './update/operation-notes.js';
import { parameterDetails, parameterName, type ParameterSides } from './update/parameters.js';
import { structuralDiffs } from './update/structural-diff.js';
import {
  code,
  describeSchemaChange,
  readSchemaPath,
  schemaDirections,
  schemaVerdict,
  throughRef,
  type Direction,
  type Segment,
  VERBS,
} from './update/schema-rules.js';

export type { Change, Detail, SpecDiff };

interface Context {
  before: Spec;
  after: Spec;
  /** Old path -> new path, for paths whose only change is a path parameter's name. */
  renamed: Map<string, string>;
  directions: Map<string, Set<Direction>>;
}

type Handler = (found: Findings, context: Context, d: Diff) => void;

const title = (spec: Spec) => `${spec?.info?.title ?? 'API'} ${spec?.info?.version ?? ''}`.trim();
const libBreaking = (d: Diff) => d.type === 'breaking' || d.type === 'unclassified';
/** Components that api-smart-diff resolves into each operation: reported there, once each. */
const REFERENCED = ['parameters', 'requestBodies', 'responses', 'headers', 'examples'];

export function diffSpecs(before: Spec, after: Spec): SpecDiff {
  const diffs = structuralDiffs(before, after);
  const context: Context = {
    before,
    after,
    renamed: renamedPaths(diffs),
    directions: schemaDirections([before, after]),
  };
  const found = new Findings();
  for (const d of diffs) handlerOf(d)(found, context, d);
  noteOperations(found, context);
  found.other.push(...serverDetails(before, after));
  return found.summary(title(before), title(after));
}

/** One handler per kind of diff entry, chosen by where in the document it is. */
function handlerOf(d: Diff): Handler {
  const [root, section] = d.path;
  if (root === 'paths') return d.path.length === 1 ? onPathsObject : onPathItem;
  if (root === 'components' && section === 'schemas') return onComponentSchema;
  if (root === 'components' && REFERENCED.includes(String(section))) return ignore;
  // `info` titles the report; servers are compared whole (serverDetails).
  if (root === 'info' || root === 'servers') return ignore;
  return onOther;
}

const ignore: Handler = () => {};

/**
 * Like oasdiff, api-smart-diff takes /a/{id} and /a/{a_id} for one path, renamed; the
 * parameter's new name comes as a change of its own.
 */
function renamedPaths(diffs: Diff[]): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const d of diffs) {
    if (d.path.length === 1 && d.path[0] === 'paths' && d.action === 'rename') {
      renamed.set(d.before as string, d.after as string);
    }
  }
  return renamed;
}

const onPathsObject: Handler = (found, _context, d) => {
  if (d.action !== 'rename')
    found.other.push({ text: `paths: ${d.action}`, breaking: libBreaking(d) });
};

/** The methods a diff under `paths/{url}` touches: its own, or all of a path item's. */
function methodsOf(context: Context, path: Segment[], url: string, newUrl: string): string[] {
  if (typeof path[2] === 'string' && METHODS.includes(path[2])) return [path[2]];
  return METHODS.filter(
    (m) => context.before.paths?.[url]?.[m] || context.after.paths?.[newUrl]?.[m],
  );
}

const onPathItem: Handler = (found, context, d) => {
  const path = d.path as Segment[];
  const url = String(path[1]);
  const newUrl = context.renamed.get(url) ?? url;
  for (const method of methodsOf(context, path, url, newUrl)) {
    const old = context.before.paths?.[url]?.[method];
    const now = context.after.paths?.[newUrl]?.[method];
    if (!old && !now) continue;
    const target = `${method.toUpperCase()} ${now ? newUrl : url}`;
    const id = (now ?? old).operationId;
    if (!old || !now) {
      // The operation (or its whole path) was added or removed.
      found.operation(target, now ? 'added' : 'removed', id).breaking = !now;
      continue;
    }
    const change = found.operation(target, 'changed', id);
    if (url !== newUrl) found.note(change, { text: `path was \`${url}\``, breaking: false });
    // Path-level parameters apply to every method of the path: same location, one level up.
    const onOperation = path[2] === method;
    const oldList: Spec[] | undefined = (onOperation ? old : context.before.paths[url]).parameters;
    onOperationDiff(found, change, d, path.slice(onOperation ? 3 : 2), {
      before: context.before,
      after: context.after,
      oldList,
    });
  }
};

/** A diff inside one operation, at `rest` below it. */
function onOperationDiff(
  found: Findings,
  change: Change,
  d: Diff,
  rest: Segment[],
  sides: ParameterSides,
) {
  if (rest[0] === 'operationId') {
    const text = `renamed: ${code(d.before)} -> ${code(d.after)} (the SDK function is renamed)`;
    return found.note(change, { text, breaking: true });
  }
  // Said once per operation by noteOperations, from the whole operation.
  if (rest[0] === 'deprecated') return;
  const params = rest[0] === 'parameters' ? parameterDetails(d, rest, sides) : undefined;
  if (params) return params.forEach((detail) => found.note(change, detail));
  if (isStrayField(rest)) return found.note(change);
  const { direction, where, rel } = locate(rest, sides);
  const at = rel?.length ? readSchemaPath(rel) : undefined;
  const verdict =
    direction && at ? schemaVerdict(direction, d.action, at, d.before, d.after) : undefined;
  if (verdict === undefined && d.type === 'annotation') return found.note(change);
  const text =
    verdict !== undefined
      ? `${where}: ${describeSchemaChange(d.action, at!, d.before, d.after)}`
      : (d.description ?? `${where}: ${d.action} ${rest.join('/')}`);
  found.note(change, { text, breaking: verdict ?? libBreaking(d) });
}

/** A field OpenAPI does not define, on a Media Type Object or a Response Object: documentation. */
function isStrayField(rest: Segment[]): boolean {
  const content = rest.indexOf('content');
  if (content >= 0) {
    return rest.length === content + 3 && isStrayMediaField(String(rest[content + 2]));
  }
  return rest[0] === 'responses' && rest.length === 3 && isStrayResponseField(String(rest[2]));
}

/** Where a path under an operation points: which direction, what to call it, and the schema part. */
function locate(
  rest: Segment[],
  sides: ParameterSides,
): { direction?: Direction; where: string; rel?: Segment[] } {
  const schemaAt = rest.indexOf('schema');
  const rel = schemaAt >= 0 ? rest.slice(schemaAt + 1) : undefined;
  if (rest[0] === 'parameters') {
    // api-smart-diff indexes a change inside a parameter by the old list.
    const param = deref(sides.before, sides.oldList?.[rest[1] as number]);
    return { direction: 'request', where: parameterName(param), rel };
  }
  if (rest[0] === 'requestBody') return { direction: 'request', where: 'request body', rel };
  if (rest[0] === 'responses') {
    return { direction: 'response', where: `response ${rest[1] ?? ''}`.trim(), rel };
  }
  return { where: rest.join('/') || 'operation' };
}

const onComponentSchema: Handler = (found, context, d) => {
  const path = d.path as Segment[];
  if (path.length <= 3) {
    // A new schema breaks no caller; a removed one removes an exported type.
    const names = path.length === 3 ? [String(path[2])] : Object.keys(d.after ?? d.before ?? {});
    for (const name of names) {
      found.schema(name, d.action === 'add' ? 'added' : 'removed').breaking = d.action !== 'add';
    }
    return;
  }
  const name = String(path[2]);
  const rel = path.slice(3);
  // api-smart-diff resolves $refs inside schemas too: report each change once, at its schema.
  const side = d.action === 'remove' ? context.before : context.after;
  if (throughRef(side.components?.schemas?.[name], rel)) return;
  const change = found.schema(name, 'changed');
  // A schema no operation reaches is still an exported type: judge it both ways.
  const used = context.directions.get(name) ?? new Set<Direction>(['request', 'response']);
  const at = readSchemaPath(rel);
  const verdicts = [...used].map((dir) => schemaVerdict(dir, d.action, at, d.before, d.after));
  if (verdicts.every((v) => v === undefined)) {
    if (d.type === 'annotation') return found.note(change);
    return found.note(change, { text: `${d.action} ${rel.join('/')}`, breaking: libBreaking(d) });
  }
  const text = `${describeSchemaChange(d.action, at, d.before, d.after)} (${[...used].sort().join(' and ')})`;
  found.note(change, { text, breaking: verdicts.some((v) => v === true) });
};

/** Security schemes and the like, in api-smart-diff's words and verdict. */
const onOther: Handler = (found, _context, d) => {
  if (d.type === 'annotation') return;
  const text = d.description ?? `${code(d.path.join('/'))} ${VERBS[d.action] ?? d.action}`;
  found.other.push({ text, breaking: addsSecurityScheme(d) ? false : libBreaking(d) });
};

/**
 * A security scheme added to `components` asks nothing of a caller until an operation requires
 * it, which is reported on that operation (api-smart-diff calls the addition itself breaking).
 * Its other verdicts stand: a scheme changed is breaking (its header, say), one removed is not.
 */
const addsSecurityScheme = (d: Diff) =>
  d.action === 'add' &&
  d.path[0] === 'components' &&
  d.path[1] === 'securitySchemes' &&
  d.path.length <= 3;

/** Call shape, idempotency key and deprecation of every operation the bump keeps or adds. */
function noteOperations(found: Findings, context: Context) {
  const oldPath = new Map([...context.renamed].map(([from, to]) => [to, from]));
  const pairs = operationPairs(context.before, context.after, (p) => oldPath.get(p) ?? p);
  for (const [before, after] of pairs) {
    const details = operationNotes(before, after);
    if (!details.length) continue;
    const target = `${after.entry.method.toUpperCase()} ${after.entry.path}`;
    const change = found.operation(
      target,
      before ? 'changed' : 'added',
      after.entry.op.operationId,
    );
    for (const detail of details) found.note(change, detail);
  }
}

/**
 * Servers become the client's `environment` option (named as the generator names them), and the
 * first one its default `baseUrl`: a removed name stops compiling, and with none left every
 * client needs a `baseUrl`.
 */
function serverDetails(before: Spec, after: Spec): Detail[] {
  const [old, now] = [serverNames(before), serverNames(after)];
  const details: Detail[] = [];
  for (const [name, url] of old) {
    if (!now.has(name)) {
      details.push({ text: `environment ${code(name)} (${url}) removed`, breaking: true });
    } else if (now.get(name) !== url) {
      details.push({
        text: `environment ${code(name)}: ${url} -> ${now.get(name)}`,
        breaking: false,
      });
    }
  }
  for (const [name, url] of now) {
    if (!old.has(name))
      details.push({ text: `environment ${code(name)} (${url}) added`, breaking: false });
  }
  if (old.size && !now.size) {
    details.push({
      text: 'no servers left: the `environment` option goes away, and `createFeatherClient()` needs a `baseUrl` (or `FEATHER_BASE_URL`)',
      breaking: true,
    });
  }
  return details;
}

/** The report as Markdown: printed by `npm run spec:update` and appended to CHANGELOG.md. */
export function renderReport(diff: SpecDiff, date = new Date().toISOString().slice(0, 10)): string {
  const lines = [`## ${diff.from} -> ${diff.to} (${date})`, ''];
  if (!diff.operations.length && !diff.schemas.length && !diff.other.length) {
    lines.push('No changes to operations or schemas.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `Breaking for SDK callers: ${diff.breaking}. Not breaking: ${diff.nonBreaking}. (Counted per operation, schema and other item.)`,
  );
  const operationName = (c: Change) =>
    c.operationId ? `\`${c.target}\` (\`${c.operationId}\`)` : `\`${c.target}\``;
  lines.push(...section('Operations', diff.operations, operationName));
  lines.push(...section('Schemas', diff.schemas, (c) => `\`${c.target}\``));
  if (diff.other.length) {
    lines.push('', '### Other', '');
    for (const d of diff.other) lines.push(`- ${tag(d.breaking)}${d.text}`);
  }
  return `${lines.join('\n')}\n`;
}

const tag = (breaking: boolean) => (breaking ? '**BREAKING** ' : '');

function section(heading: string, changes: Change[], name: (c: Change) => string): string[] {
  if (!changes.length) return [];
  const lines = ['', `### ${heading}`, ''];
  for (const c of changes) {
    const docs = c.docs ? ` (${c.docs} documentation change${c.docs === 1 ? '' : 's'})` : '';
    const headBreaking = c.action !== 'changed' && c.breaking;
    lines.push(`- ${tag(headBreaking)}${c.action} ${name(c)}${docs}`);
    for (const d of c.details) lines.push(`  - ${tag(d.breaking)}${d.text}`);
  }
  return lines;
}
