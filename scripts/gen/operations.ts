/**
 * The source of src/generated/operations.ts (one tree-shakeable function per operationId, and the
 * waiters of sdk.config.json) and of src/generated/responses.ts (the 2xx checks, apart, so that
 * only apps that validate answers ship them), rendered from the spec's model (model.ts).
 */
import type { OperationModel, SpecModel } from './model.js';
import { RUNTIME_IMPORTS, validatorName } from './names.js';
import { answerField, bodyCheck, bodyEncoder, mediaShape, type Use } from './operation-media.js';
import type { WaiterSource } from './waiters.js';

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

/** The type overrides of `operation<Op, Shape>` for one operation. */
function shapeType(op: OperationModel, use: Use): string {
  return `{ ${[`input: ${lit(op.input)}`, ...mediaShape(op, use)].join('; ')} }`;
}

/** The runtime spec of one operation: only what it needs, so apps ship only that. */
function specFields(op: OperationModel, use: Use): string[] {
  const fields = [`id: ${lit(op.id)}`, `method: ${lit(op.method)}`, `path: ${lit(op.path)}`];
  fields.push(`input: ${lit(op.input)}`);
  if (op.params) {
    // Cookie parameters go in a header that withParams does not set.
    const cookies = op.parameters.some((p) => p.in === 'cookie');
    const apply = cookies ? `withParams: ${use('withCookies')}` : use('withParams');
    fields.push(`params: v.${validatorName(op.params.validator)}`, apply);
  }
  if (op.body) {
    fields.push(`body: ${bodyCheck(op.body, use)}`);
    if (!op.body.required) fields.push('bodyOptional: true');
    const encode = bodyEncoder(op, use);
    if (encode) fields.push(`encode: ${encode}`);
  }
  fields.push(`response: ${answerField(op, use)}`);
  if (op.idempotencyKey) {
    const { in: where, name } = op.idempotencyKey;
    fields.push(
      `idempotencyKey: /* @__PURE__ */ ${use('idempotencyKey')}(${lit(where)}, ${lit(name)})`,
    );
  }
  if (op.deprecated) fields.push('deprecated: true');
  return fields;
}

function operationSource(op: OperationModel, use: Use): string {
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
  let call = `operation<${op.type}, ${shapeType(op, use)}>(() => ({ ${specFields(op, use).join(', ')} }))`;
  if (op.pagination) {
    // Each call is marked pure, the inner one too: a bundler keeps neither unless the app uses it.
    call = `${use('paginated')}(/* @__PURE__ */ ${call}, ${lit(op.pagination.items)})`;
  }
  return `${doc}\nexport const ${op.name} = /* @__PURE__ */ ${call};`;
}

/** `import { ... } from '../core/<module>.js';` for each module whose names `used` holds. */
function importLines(used: Set<string>): string[] {
  return RUNTIME_IMPORTS.flatMap(([module, names]) => {
    const taken = names.filter((name) => used.has(name));
    if (!taken.length) return [];
    // Only types: an `import type`, which leaves nothing behind in JavaScript.
    const types = taken.every((name) => name.startsWith('type '));
    const list = types ? taken.map((name) => name.slice('type '.length)) : taken;
    return [`import ${types ? 'type ' : ''}{ ${list.join(', ')} } from '../core/${module}.js';`];
  });
}

/** The types of schema.ts the module names: `operations`, `paths`, `components`. */
const typesUsed = (model: SpecModel) =>
  [
    model.operations.some((op) => op.type.startsWith('operations[')) && 'operations',
    model.operations.some((op) => op.type.startsWith('paths[')) && 'paths',
    // Typed stream events name their data's component schemas.
    model.operations.some((op) => op.response.stream) && 'components',
  ]
    .filter(Boolean)
    .join(', ') || 'operations';

export function operationsSource(model: SpecModel, waiters: WaiterSource[]): string {
  const imports = new Set<string>();
  const use: Use = (name) => (imports.add(name), name.replace(/^type /, ''));
  const blocks = model.operations.map((op) => operationSource(op, use));
  for (const w of waiters) {
    use('waiter');
    use('createAndWait');
    blocks.push(w.source);
  }
  const names = [...model.operations.map((op) => op.name), ...waiters.flatMap((w) => w.names)];
  const head = [
    `import { ${imports.has('encoded') ? 'encoded, ' : ''}operation } from '../core/operation.js';`,
    ...importLines(imports),
    `import type { ${typesUsed(model)} } from './schema.js';`,
    `import * as v from './validators.js';`,
  ];
  const table = `/** Every operation and helper by name: createFeatherClient binds each as a method. */\nexport const clientMethods = { ${names.join(', ')} };`;
  return [head.join('\n'), ...blocks, table].join('\n\n') + '\n';
}

export function responsesSource(model: SpecModel): string {
  const checks = model.operations.map(
    (op) =>
      `${lit(op.id)}: ${op.response.validator ? `v.${validatorName(op.response.validator)}` : 'any'}`,
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
