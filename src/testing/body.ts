/**
 * Reading a request's body: JSON, or a form (`multipart/form-data`, parsed by the platform's own
 * `Request.formData()`, files as `File`s), as FastAPI reads what an operation declares.
 */
import type { FormBody } from './routes.js';
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

export async function parseBody(bytes: Buffer, contentType?: string): Promise<ParsedBody> {
  if (contentType?.match(FORM)) return formOf(bytes, contentType);
  try {
    return { body: bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined };
  } catch {
    return { body: undefined, invalid: 'json' };
  }
}

/**
 * The declared parts of a form, as the body validator sees them: text read as its part's kind
 * says, files as sent; a scalar part's last value, a list part's every value.
 * A request that is not a form has no parts (FastAPI: each is missing).
 */
export function formFields(declared: FormBody, parsed: ParsedBody): Record<string, unknown> {
  const parts = (parsed.form ? parsed.body : {}) as Record<
    string,
    FormDataEntryValue | FormDataEntryValue[]
  >;
  const fields: Record<string, unknown> = {};
  for (const name of [...declared.files, ...Object.keys(declared.fields)]) {
    const values = [parts[name] ?? []].flat();
    // A file part has no kind: read as sent.
    if (values.length) fields[name] = readValues(declared.fields[name], values);
  }
  return fields;
}
