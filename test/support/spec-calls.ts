/**
 * Plain-fetch requests for any operation of a spec, built from its schemas (path, query and header
 * parameters, JSON and multipart bodies, each from a deterministic sample), one variant with a
 * bad parameter or body and the 422 `loc` and `type` FastAPI gives it, and ajv as an independent
 * judge of the answers (draft 2020-12, ajv-formats, `format: time` as its `iso-time`).
 */
import type { OperationModel } from '../../scripts/gen/model.js';
import { Sampler } from '../../scripts/gen/samples.js';
import { deref, type Spec } from '../../scripts/lib/spec.js';
import { specAjv } from './oracle.js';

export interface Call {
  method: string;
  /** Path and query string. */
  url: string;
  headers: Record<string, string>;
  body?: string | FormData;
}

/** What a bad call breaks, and the detail FastAPI answers it with. */
export interface BadCall extends Call {
  loc: (string | number)[];
  type: string;
}

type Values = Record<string, Record<string, unknown>>;

/** Where a value must be rewritten: a schema's first non-null branch, $refs resolved. */
function concrete(spec: Spec, schema: Spec | undefined): Spec {
  const s = deref(spec, schema) ?? {};
  const branches: Spec[] = (s.anyOf ?? s.oneOf ?? []).map((b: Spec) => deref(spec, b) ?? {});
  return branches.find((b) => b.type !== 'null') ?? s;
}

export class CallBuilder {
  private readonly sampler: Sampler;

  constructor(private readonly spec: Spec) {
    this.sampler = new Sampler(spec);
  }

  /** Every declared parameter, by where it goes, with a sample value. */
  params(op: OperationModel): Values {
    const values: Values = { path: {}, query: {}, header: {} };
    for (const p of op.parameters) {
      values[p.in][p.name] = this.sampler.sample(p.schema, `${op.id}.${p.name}`);
    }
    return values;
  }

  body(op: OperationModel): unknown {
    return op.body && this.sampler.sample(op.body.schema, `${op.id}.body`);
  }

  call(op: OperationModel, params = this.params(op), body = this.body(op)): Call {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      encodeURIComponent(String(params.path[name])),
    );
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params.query)) {
      for (const item of [value].flat()) if (item !== null) search.append(name, String(item));
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(params.header)) headers[name] = String(value);
    const query = search.size ? `?${search}` : '';
    const call: Call = { method: op.method, url: path + query, headers };
    if (op.body?.kind === 'json') {
      call.headers['content-type'] = 'application/json';
      call.body = JSON.stringify(body);
    } else if (op.body) {
      call.body = this.form(op, body as Record<string, unknown>);
    }
    return call;
  }

  private form(op: OperationModel, fields: Record<string, unknown>): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      if (op.body!.files.includes(name)) form.append(name, new Blob([`${name} bytes`]), name);
      else form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return form;
  }

  /** A call with one bad parameter (else a body missing a required field), if the spec allows one. */
  bad(op: OperationModel): BadCall | undefined {
    for (const p of op.parameters) {
      const broken = this.breakValue(p.schema, p.required && p.in !== 'path');
      if (!broken) continue;
      const params = this.params(op);
      if ('omit' in broken) delete params[p.in][p.name];
      else params[p.in][p.name] = broken.value;
      const loc = [p.in, p.name, ...(('index' in broken && broken.index) || [])];
      return { ...this.call(op, params), loc, type: broken.type };
    }
    const body = this.body(op) as Record<string, unknown> | undefined;
    const required: string[] = deref(this.spec, op.body?.schema)?.required ?? [];
    if (!body || !required.length) return undefined;
    delete body[required[0]];
    return { ...this.call(op, undefined, body), loc: ['body', required[0]], type: 'missing' };
  }

  /** A value of `schema` that the server refuses, with the Pydantic type it refuses it with. */
  private breakValue(
    schema: Spec,
    required: boolean,
  ): { value: unknown; type: string; index?: number[] } | { omit: true; type: string } | undefined {
    const s = concrete(this.spec, schema);
    if (s.type === 'array') {
      const inner = this.breakValue(s.items, false);
      return inner && 'value' in inner ? { ...inner, value: [inner.value], index: [0] } : undefined;
    }
    const byFormat: Record<string, string> = {
      uuid: 'uuid_parsing',
      date: 'date_from_datetime_parsing',
      'date-time': 'datetime_from_date_parsing',
    };
    if (byFormat[s.format]) return { value: 'not-a-value', type: byFormat[s.format] };
    const byType: Record<string, string> = {
      integer: 'int_parsing',
      number: 'float_parsing',
      boolean: 'bool_parsing',
    };
    if (byType[s.type]) return { value: 'not-a-value', type: byType[s.type] };
    if (Array.isArray(s.enum)) return { value: 'not-a-value', type: 'enum' };
    if (s.pattern && !new RegExp(s.pattern, 'u').test('!')) {
      return { value: '!', type: 'string_pattern_mismatch' };
    }
    if (required) return { omit: true, type: 'missing' };
    return undefined;
  }
}

/** ajv's verdict on values of the spec's schemas: null when valid, else its errors. */
export function ajvJudge(spec: Spec): (schema: Spec, value: unknown) => unknown[] | null {
  const ajv = specAjv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'spec', components: spec.components });
  const absolute = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(absolute)
      : node && typeof node === 'object'
        ? Object.fromEntries(
            Object.entries(node).map(([k, v]) => [
              k,
              k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `spec${v}` : absolute(v),
            ]),
          )
        : node;
  const compiled = new Map<Spec, ReturnType<typeof ajv.compile>>();
  return (schema, value) => {
    if (!compiled.has(schema)) compiled.set(schema, ajv.compile(absolute(schema) as Spec));
    const validate = compiled.get(schema)!;
    return validate(value) ? null : (validate.errors ?? []);
  };
}
