/**
 * The mock server's route table, as `npm run generate` writes it (src/generated/mock.ts), and how
 * a request finds its route: as Starlette does, the first route whose path and method match; a
 * path that some route has with another method is a 405, any other a 404.
 */
import type { Check } from '../core/check.js';

/** How a parameter's text is read: its schema's type; `[]` for a repeated (array) parameter. */
export type ParamKind = string;

/** Where a created resource's field comes from. */
export type Fill =
  | 'uuid'
  | 'now'
  | 'null'
  | 'sample'
  | { body: string; default?: unknown; otherwise: 'uuid' | 'now' | 'null' | 'sample' };

export interface JsonBody {
  kind: 'json';
  check: Check;
  required?: true;
}

/** A form: `multipart/form-data`, or `application/x-www-form-urlencoded` (no files). */
export interface FormBody {
  kind: 'multipart' | 'form';
  check: Check;
  required?: true;
  /** The parts that carry files. */
  files: string[];
  /** How each other part reads. */
  fields: Record<string, ParamKind>;
}

/** A body read as its text (`text`) or taken as bytes (`binary`, which any bytes pass). */
export interface RawBody {
  kind: 'text' | 'binary';
  check: Check;
  required?: true;
}

export interface MockRoute {
  id: string;
  /** Upper case. */
  method: string;
  /** As the spec writes it: `/v1/simulation/runs/{sim_run_id}`. */
  path: string;
  /** The path, one group per path parameter. */
  match: RegExp;
  /** The path parameters, in the order of `match`'s groups. */
  pathNames?: string[];
  params?: {
    /** The generated check of `{ path, query, header, cookie }`. */
    check: Check;
    /** Each declared parameter by where it is, with how it reads. */
    in: Partial<Record<'path' | 'query' | 'header' | 'cookie', Record<string, ParamKind>>>;
  };
  body?: JsonBody | FormBody | RawBody;
  /** The 2xx status it answers. */
  status: number;
  response: 'object' | 'json' | 'empty' | 'stream' | 'text' | 'binary';
  /** The content type of a `text` or `binary` answer. */
  mediaType?: string;
  /** A 2xx body that the spec's schema accepts; shared: clone it before changing it. */
  sample?: unknown;
  /**
   * Why there is no sample: the generator found no value of the answer's schema (it warned,
   * naming the schema). Without a handler, the operation answers 501 with this reason.
   */
  unsampled?: string;
  /** The array property of a cursor-paginated page. */
  pagination?: string;
  /** It creates a resource of sdk.config.json's waiter `store`, each field filled as said. */
  creates?: { store: string; fields: Record<string, Fill> };
  /** It reads one back, by the path parameter `idParam` matched against the field `idField`. */
  reads?: { store: string; idParam: string; idField: string };
  /**
   * It answers one element of the array `to` per element of the request body's array `from`, in
   * order, its `index` key set to the position (sdk.config.json's corrections, `mock.items`).
   */
  items?: { from: string; to: string; index: string; set?: Record<string, unknown> };
  /** The events an event stream sends by default: the spec's example, or one of each kind. */
  events?: { event?: string; data: string }[];
}

export type RouteMatch =
  | { route: MockRoute; pathValues: Record<string, string> }
  | { route?: undefined; status: 404 | 405 };

/** Percent-decoded text; text that does not decode stays as it is. */
export const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

export function findRoute(routes: readonly MockRoute[], method: string, path: string): RouteMatch {
  let pathKnown = false;
  for (const route of routes) {
    const found = route.match.exec(path);
    if (!found) continue;
    if (route.method !== method) {
      pathKnown = true;
      continue;
    }
    const pathValues: Record<string, string> = {};
    route.pathNames?.forEach((name, i) => (pathValues[name] = decode(found[i + 1])));
    return { route, pathValues };
  }
  return { status: pathKnown ? 405 : 404 };
}
