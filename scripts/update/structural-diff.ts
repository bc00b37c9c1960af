/**
 * api-smart-diff's structural diff of two specs, kept from two mistakes it makes on specs as
 * published, so that a bump that changes nothing reports nothing:
 * - It pairs path items by their template, parameter names aside, and takes the first match for
 *   each: two path items of one spec that differ only in a parameter's name (Feather 1.21.0 has
 *   two such pairs, `.../versions/{version_id}` and `.../versions/{ref}`, and Letta two) are
 *   paired crosswise, even with themselves, and reported as removed, added and renamed. Those
 *   keys are given to it spelled out (`/a/{id}` as `/a/<id>`, which no URL path holds), so that
 *   only the same key pairs, and its diffs are read back with their own keys. A parameter renamed
 *   in such a path is then reported as the path removed and another added.
 * - It pairs array items by value, so a tag listed twice on an operation (18 of Feather's) reads
 *   as added. A tag is there or not: tags are given to it without repeats.
 */
import { apiCompare, type Diff } from 'api-smart-diff';
import { METHODS, type Spec } from '../lib/spec.js';

const template = (path: string) => path.replace(/\{[^}]*\}/g, '*');
const spelled = (path: string) => path.replace(/\{([^}]*)\}/g, '<$1>');

/** Path keys whose template another key of the same spec shares: spelled -> as published. */
function twinPaths(specs: Spec[]): Map<string, string> {
  const twins = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const spec of specs) {
    const seen = new Set<string>();
    for (const path of Object.keys(spec.paths ?? {})) {
      if (seen.has(template(path))) ambiguous.add(template(path));
      seen.add(template(path));
    }
  }
  for (const spec of specs) {
    for (const path of Object.keys(spec.paths ?? {})) {
      if (ambiguous.has(template(path))) twins.set(spelled(path), path);
    }
  }
  return twins;
}

/** A copy of `spec` as api-smart-diff is to read it: twin paths spelled out, tags without repeats. */
function comparable(spec: Spec, twins: Map<string, string>): Spec {
  const copy = structuredClone(spec);
  const paths: Spec = {};
  for (const [path, item] of Object.entries<Spec>(copy.paths ?? {})) {
    const key = spelled(path);
    paths[twins.has(key) ? key : path] = item;
    for (const method of METHODS) {
      const tags = item?.[method]?.tags;
      if (Array.isArray(tags)) item[method].tags = [...new Set(tags)];
    }
  }
  if (copy.paths) copy.paths = paths;
  return copy;
}

/** A diff as if the twin paths had been compared by their own keys. */
function unspelled(d: Diff, twins: Map<string, string>): Diff {
  if (d.path[0] !== 'paths') return d;
  const back = (v: unknown) => (typeof v === 'string' ? (twins.get(v) ?? v) : v);
  const path = d.path.length > 1 ? ['paths', back(d.path[1]), ...d.path.slice(2)] : d.path;
  const renamed = d.path.length === 1 && d.action === 'rename';
  let { description } = d;
  for (const [key, published] of twins) description = description?.split(key).join(published);
  return {
    ...d,
    path: path as Diff['path'],
    ...(renamed ? { before: back(d.before), after: back(d.after) } : {}),
    description,
  };
}

/** api-smart-diff's diffs of `before` to `after`, neither of which it changes. */
export function structuralDiffs(before: Spec, after: Spec): Diff[] {
  const twins = twinPaths([before, after]);
  const { diffs } = apiCompare(comparable(before, twins), comparable(after, twins));
  return twins.size ? diffs.map((d) => unspelled(d, twins)) : diffs;
}
