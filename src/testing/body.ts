/**
 * Reading a request's body: JSON, or a form (`multipart/form-data`, parsed by the platform's own
 * `Request.formData()`, files as `File`s), as FastAPI reads what an operation declares.
 */
import type { MockRoute } from './routes.js';
import { readValues } from './params.js';

export interface ParsedBody {
  /** The JSON value or the form's parts by name (a name sent twice: its values in order). */
  body: unknown;
  /** The body was not what its content type says. */
  invalid?: 'json' | 'form';
  form?: boolean;
}

const FORM = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

async function formOf(bytes: Buffer, contentType: string): Promise<ParsedBody> {
  try {
    const request = new Request('http://mock.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: bytes as Uint8Array<ArrayBuffer>,
    });
    const parts: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
    (await request.formData()).forEach((value, name) => {
      const before = parts[name];
      parts[name] = before === undefined ? value : [before, value].flat();
    });
    return { body: parts, form: true };
  } catch {
    return { body: undefined, invalid: 'form' };
  }
}

export async function parseBody(bytes: Buffer, contentType = ''): Promise<ParsedBody> {
  if (FORM.test(contentType)) return formOf(bytes, contentType);
  if (bytes.length === 0) return { body: undefined };
  try {
    return { body: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { body: undefined, invalid: 'json' };
  }
}

/**
 * The declared parts of a form, as the body validator sees them: files as sent, other parts read
 * as their type says. A request that is not a form has no parts (FastAPI: each is missing).
 */
export function formFields(route: MockRoute, parsed: ParsedBody): Record<string, unknown> {
  const parts = (parsed.form ? parsed.body : {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const name of route.body?.files ?? []) {
    if (parts[name] !== undefined) fields[name] = [parts[name]].flat().at(-1);
  }
  for (const [name, kind] of Object.entries(route.body?.fields ?? {})) {
    const values = [parts[name] ?? []].flat();
    if (!values.length) continue;
    const texts = values.filter((v): v is string => typeof v === 'string');
    fields[name] = texts.length === values.length ? readValues(kind, texts) : values.at(-1);
  }
  return fields;
}
