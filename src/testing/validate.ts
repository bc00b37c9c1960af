/**
 * Whether a request to a route is one FastAPI would take: its parameters and body checked by the
 * generated validators, a 400 for a body that cannot be read, a 422 listing every problem.
 */
import type { Issue } from '../core/check.js';
import { formFields, type ParsedBody } from './body.js';
import { details, type Detail } from './pydantic.js';
import type { MockRoute } from './routes.js';
import { errorReply } from './server.js';
import type { MockReply, MockRequest } from './types.js';

/** The request's problems, as FastAPI answers them: a 400 for a body it cannot read, else a 422. */
export function problems(
  route: MockRoute,
  request: MockRequest,
  parsed: ParsedBody,
): MockReply | undefined {
  const declared = route.body;
  let body = parsed.body;
  if (declared?.kind === 'json' && (parsed.invalid || (declared.required && body === undefined))) {
    return errorReply(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (declared?.kind === 'text' || declared?.kind === 'binary') {
    // Text as sent (bytes pass any check: only their presence matters); an empty one is none.
    body = request.rawBody === '' ? undefined : request.rawBody;
  }
  if (declared?.kind === 'multipart' || declared?.kind === 'form') {
    if (parsed.invalid)
      return errorReply(400, 'invalid_body', 'There was an error parsing the body');
    // FastAPI reads each declared part, from whatever was sent (nothing, when it is not a form).
    body = formFields(declared, parsed);
  }
  const found: Detail[] = [];
  const check = (run: (issues: Issue[]) => unknown, root: unknown, inBody: boolean) => {
    const issues: Issue[] = [];
    run(issues);
    found.push(...details(issues, root, inBody));
  };
  if (route.params) check((o) => route.params!.check(request.params, [], o), request.params, false);
  if (declared && body !== undefined) check((o) => declared.check(body, [], o), body, true);
  else if (declared?.required && declared.kind !== 'json') {
    // FastAPI: a required body that was not sent is one missing field, `body`.
    const missing: Issue = { path: [], rule: 'required', params: {}, message: 'is required' };
    check((o) => o.push(missing), undefined, true);
  }
  return found.length ? { status: 422, body: { detail: found } } : undefined;
}
