/**
 * The source of src/generated/operations.ts (one tree-shakeable function per operationId, and the
 * waiters of sdk.config.json) and of src/generated/responses.ts (the 2xx checks, apart, so that
 * only apps that validate answers ship them), rendered from the spec's model (model.ts).
 */
import type { OperationModel, SpecModel } from './model.js';
import { eventsSpec, eventsType } from './streams.js';
import { validatorName } from './validators.js';
import type { WaiterSource } from './waiters.js';

/** Names the generated module imports or exports itself: no operationId may take one. */
export const TAKEN = [
  'operation',
  'encoded',
  'withParams',
  'paginated',
  'eventStream',
  'events',
  'multipart',
  'waiter',
  'createAndWait',
  'idempotencyKey',
  'clientMethods',
  'operations',
  'v',
  // Members of a FeatherClient besides its methods.
  'client',
  'use',
  'baseUrl',
];

function jsdoc(lines: (string | undefined | false)[]): string {
  const text = lines
    .filter((line): line is string => !!line)
    .join('\n\n')
    .replace(/\*\//g, '*\\/');
  const body = text
    .split('\n')
    .map((line) => ` *${line ? ` ${line}` : ''}`)
    .join('\n');
  return `/**\n${body}\n */`;
}

const lit = (value: unknown) => JSON.stringify(value);

/** A multipart body's type: the spec's, its file fields taking Uploadables (a list: several). */
function multipartType(op: OperationModel & { body: { kind: 'multipart' } }): string {
  const content = `NonNullable<operations[${lit(op.id)}]['requestBody']>['content']['multipart/form-data']`;
  const { files, listed = [], schema } = op.body;
  if (!files.length) return content;
  const required: string[] = schema.required ?? [];
  const fields = files.map(
    (name) =>
      `${lit(name)}${required.includes(name) ? '' : '?'}: Uploadable${listed.includes(name) ? '[]' : ''}`,
  );
  return `Omit<${content}, ${files.map(lit).join(' | ')}> & { ${fields.join('; ')} }`;
}

/** The type overrides of `operation<Op, Shape>` for one operation. */
function shapeType(op: OperationModel): string {
  const parts = [`input: ${lit(op.input)}`];
  if (op.body?.kind === 'multipart') {
    parts.push(`body: ${multipartType(op as OperationModel & { body: { kind: 'multipart' } })}`);
  }
  const { stream } = op.response;
  if (op.response.kind === 'stream') {
    parts.push(stream ? `result: Stream<${eventsType(stream)}>` : 'result: Stream');
  }
  return `{ ${parts.join('; ')} }`;
}

/** The runtime spec of one operation: only what it needs, so apps ship only that. */
function specFields(op: OperationModel, imports: Set<string>): string[] {
  const fields = [`id: ${lit(op.id)}`, `method: ${lit(op.method)}`, `path: ${lit(op.path)}`];
  fields.push(`input: ${lit(op.input)}`);
  if (op.params) {
    imports.add('withParams');
    fields.push(`params: v.${validatorName(op.params.validator)}`, 'withParams');
  }
  if (op.body) {
    fields.push(`body: v.${validatorName(op.body.validator)}`);
    if (!op.body.required) fields.push('bodyOptional: true');
    if (op.body.kind === 'multipart') {
      imports.add('multipart');
      fields.push(
        `encode: /* @__PURE__ */ encoded(/* @__PURE__ */ multipart(${lit(op.body.files)}, ${lit(op.id)}))`,
      );
    }
  }
  if (op.response.stream) {
    imports.add('events');
    fields.push(`response: /* @__PURE__ */ events(${eventsSpec(op.response.stream)})`);
  } else if (op.response.kind === 'stream') {
    imports.add('eventStream');
    fields.push('response: eventStream');
  } else {
    fields.push(`response: ${lit(op.response.kind)}`);
  }
  if (op.idempotencyKey) {
    imports.add('idempotencyKey');
    const { in: where, name } = op.idempotencyKey;
    fields.push(`idempotencyKey: /* @__PURE__ */ idempotencyKey(${lit(where)}, ${lit(name)})`);
  }
  if (op.deprecated) fields.push('deprecated: true');
  return fields;
}

function operationSource(op: OperationModel, imports: Set<string>): string {
  const doc = jsdoc([
    op.summary,
    op.description,
    ...(op.corrections ?? []).map((c) => `Corrected by sdk.config.json: ${c.name} (${c.source}).`),
    `\`${op.method} ${op.path}\``,
    op.pagination &&
      `Paginated: iterate it with \`for await\` for every \`${op.pagination.items}\` item.`,
    op.deprecated && '@deprecated',
  ]);
  // The spec as a function: it is built at the operation's first call, not when the SDK loads.
  let call = `operation<operations[${lit(op.id)}], ${shapeType(op)}>(() => ({ ${specFields(op, imports).join(', ')} }))`;
  if (op.pagination) {
    imports.add('paginated');
    // Each call is marked pure, the inner one too: a bundler keeps neither unless the app uses it.
    call = `paginated(/* @__PURE__ */ ${call}, ${lit(op.pagination.items)})`;
  }
  return `${doc}\nexport const ${op.id} = /* @__PURE__ */ ${call};`;
}

const IMPORTS: Record<string, string> = {
  withParams: `import { withParams } from '../core/params.js';`,
  paginated: `import { paginated } from '../core/pagination.js';`,
  multipart: `import { multipart, type Uploadable } from '../core/uploads.js';`,
  waiter: `import { createAndWait, waiter } from '../core/polling.js';`,
  idempotencyKey: `import { idempotencyKey } from '../core/idempotency.js';`,
};

/** The one import of src/core/streaming.ts: raw and typed streams may both be in a spec. */
function streamingImport(imports: Set<string>): string[] {
  const [raw, typed] = [imports.has('eventStream'), imports.has('events')];
  if (!raw && !typed) return [];
  const names = [
    raw && 'eventStream',
    typed && 'events',
    'type Stream',
    typed && 'type StreamEvent',
  ];
  return [`import { ${names.filter(Boolean).join(', ')} } from '../core/streaming.js';`];
}

export function operationsSource(model: SpecModel, waiters: WaiterSource[]): string {
  const clashes = model.operations.filter((op) => TAKEN.includes(op.id)).map((op) => op.id);
  if (clashes.length) {
    throw new Error(`operationIds that clash with the generated module's own names: ${clashes}`);
  }
  const imports = new Set<string>();
  const blocks = model.operations.map((op) => operationSource(op, imports));
  for (const w of waiters) {
    imports.add('waiter');
    blocks.push(w.source);
  }
  const names = [...model.operations.map((op) => op.id), ...waiters.flatMap((w) => w.names)];
  const head = [
    `import { ${imports.has('multipart') ? 'encoded, ' : ''}operation } from '../core/operation.js';`,
    ...Object.keys(IMPORTS)
      .filter((name) => imports.has(name))
      .map((name) => IMPORTS[name]),
    ...streamingImport(imports),
    imports.has('events')
      ? `import type { components, operations } from './schema.js';`
      : `import type { operations } from './schema.js';`,
    `import * as v from './validators.js';`,
  ];
  const table = `/** Every operation and helper by name: createFeatherClient binds each as a method. */\nexport const clientMethods = { ${names.join(', ')} };`;
  return [head.join('\n'), ...blocks, table].join('\n\n') + '\n';
}

export function responsesSource(model: SpecModel): string {
  const checks = model.operations.map(
    (op) =>
      `${op.id}: ${op.response.validator ? `v.${validatorName(op.response.validator)}` : 'any'}`,
  );
  const anyUsed = model.operations.some((op) => !op.response.validator);
  return [
    ...(anyUsed ? [`import { any } from '../core/check.js';`] : []),
    `import { withChecks } from '../core/response.js';`,
    `import * as v from './validators.js';`,
    '',
    '/**',
    " * The check of each operation's 2xx body, by operationId, for `validateResponses`",
    ' * (`any` where the spec declares no JSON body). Pass it to createFeatherCore as',
    ' * `responseChecks`; createFeatherClient includes it.',
    ' */',
    `export const responseChecks = /* @__PURE__ */ withChecks({ ${checks.join(', ')} });`,
    '',
  ].join('\n');
}

/**
 * The source of src/generated/headers.ts: the header parameters each operation declares, lower
 * case, for the operations that declare any. A server that declares a header accepts it, so a
 * browser may send it past a CORS preflight: `@featherhq/sdk/otel` sends trace context there.
 */
export function headersSource(model: SpecModel): string {
  const entries = model.operations.flatMap((op) => {
    const names = op.parameters
      .filter((p) => p.in === 'header')
      .map((p) => lit(p.name.toLowerCase()));
    return names.length ? [`${op.id}: [${names.join(', ')}]`] : [];
  });
  return [
    '/** The header parameters each operation declares (lower case), by operationId. */',
    `export const headerParameters: Readonly<Record<string, readonly string[]>> = { ${entries.join(', ')} };`,
    '',
  ].join('\n');
}
