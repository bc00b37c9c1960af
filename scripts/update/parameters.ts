/**
 * What a change to an operation's parameters means for callers, in our own words, read from the
 * parameter's own fields. api-smart-diff's text cannot be passed through: it calls a header with
 * `required: false` a "required header parameter", and a first parameter list an "annotation".
 */
import type { Diff } from 'api-smart-diff';
import { deref, type Spec } from '../lib/spec.js';
import type { Detail } from './changes.js';
import { code, type Segment } from './schema-rules.js';

export interface ParameterSides {
  before: Spec;
  after: Spec;
  /** The parameter list the diff's index points into (api-smart-diff indexes the old list). */
  oldList: Spec[] | undefined;
}

/** `query parameter \`limit\``: how the report names a parameter. */
export const parameterName = (param: Spec | undefined) =>
  param ? `${param.in} parameter ${code(param.name)}` : 'parameter';

function added(param: Spec): Detail {
  // Callers must now pass a required one; an optional one changes nothing for them.
  const required = param.required === true;
  return {
    text: `${parameterName(param)} added (${required ? 'required' : 'optional'})`,
    breaking: required,
  };
}

/** A removed parameter breaks callers that pass it: the object literal stops compiling. */
const removed = (param: Spec): Detail => ({
  text: `${parameterName(param)} removed`,
  breaking: true,
});

/** Parameters added or removed as a whole: one, or the whole list. */
function wholeParameters(d: Diff, sides: ParameterSides): Detail[] {
  const adding = d.action === 'add';
  const spec = adding ? sides.after : sides.before;
  const value: unknown = adding ? d.after : d.before;
  const params = (Array.isArray(value) ? value : [value]).map((p: Spec) => deref(spec, p));
  return params.filter((p): p is Spec => !!p).map((p) => (adding ? added(p) : removed(p)));
}

function flagChange(d: Diff, where: string, flag: 'required' | 'deprecated'): Detail[] {
  const was = d.action !== 'add' && d.before === true;
  const now = d.action !== 'remove' && d.after === true;
  if (was === now) return []; // `required: false` written out, say: nothing changed
  // Only a parameter that becomes required breaks callers (they must now pass it).
  const breaking = flag === 'required' && now;
  return [{ text: `${where} ${now ? 'now' : 'no longer'} ${flag}`, breaking }];
}

/**
 * The details of a parameter diff at `rest` (the path below the operation or path item), or
 * undefined when it is a change inside the parameter's schema, which the schema rules judge.
 */
export function parameterDetails(
  d: Diff,
  rest: Segment[],
  sides: ParameterSides,
): Detail[] | undefined {
  if (rest.length <= 2) return wholeParameters(d, sides);
  const param = deref(sides.before, sides.oldList?.[rest[1] as number]);
  const where = parameterName(param);
  switch (rest[2]) {
    case 'name':
      // Callers pass parameters by name: `params.path.id` stops compiling.
      return [{ text: `parameter renamed: ${code(d.before)} -> ${code(d.after)}`, breaking: true }];
    case 'in':
      return [{ text: `${where} moved to ${code(d.after)}`, breaking: true }];
    case 'required':
    case 'deprecated':
      return flagChange(d, where, rest[2]);
    default:
      return undefined;
  }
}
