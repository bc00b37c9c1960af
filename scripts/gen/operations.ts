/**
 * The source of src/generated/operations.ts: one tree-shakeable function per operationId.
 */
import { deref, METHODS, schemaRefName, type Spec } from '../lib/spec.js';
import type { InlineSchema } from './validators.js';

function jsdoc(lines: (string | undefined)[]): string {
  const text = lines
    .filter((l): l is string => !!l)
    .join('\n\n')
    .replace(/\*\//g, '*\\/');
  return `/**\n${text
    .split('\n')
    .map((l) => ` *${l ? ` ${l}` : ''}`)
    .join('\n')}\n */`;
}

/** The JSON schemas of an operation's request body and first 2xx answer. */
function operationSchemas(spec: Spec, op: any): { body?: any; response?: any } {
  const success = Object.entries<any>(op.responses ?? {}).find(([status]) =>
    /^2\d\d$/.test(status),
  );
  return {
    body: deref(spec, op.requestBody)?.content?.['application/json']?.schema,
    response: deref(spec, success?.[1])?.content?.['application/json']?.schema,
  };
}

/** `updateAgent` + `Body` -> `UpdateAgentBody`: the name of an inline schema's validator. */
const inlineName = (id: string, what: 'Body' | 'Response') =>
  `${id[0].toUpperCase()}${id.slice(1)}${what}`;

/** Request bodies and 2xx answers written inline (not a $ref): they get validators too. */
export function inlineSchemas(spec: Spec): Record<string, InlineSchema> {
  const inline: Record<string, InlineSchema> = {};
  for (const item of Object.values<any>(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op?.operationId) continue;
      const { body, response } = operationSchemas(spec, op);
      if (body && !schemaRefName(body)) {
        inline[inlineName(op.operationId, 'Body')] = {
          schema: body,
          doc: `Request body of \`${op.operationId}\``,
        };
      }
      if (response && !schemaRefName(response)) {
        inline[inlineName(op.operationId, 'Response')] = {
          schema: response,
          doc: `2xx answer of \`${op.operationId}\``,
        };
      }
    }
  }
  return inline;
}

export function operationsSource(spec: Spec, validators: Map<string, string>): string {
  const imports = new Set<string>();
  const blocks: string[] = [];
  const seen = new Set<string>();
  const responseChecks: string[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const id: string | undefined = op.operationId;
      if (!id || !/^[A-Za-z_$][\w$]*$/.test(id)) {
        throw new Error(
          `${method.toUpperCase()} ${path}: every operation needs an operationId that is a JS identifier`,
        );
      }
      if (seen.has(id)) throw new Error(`operationId ${id} is used twice`);
      seen.add(id);

      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) =>
        deref(spec, p),
      );
      const hasParams = params.some((p: any) => p?.in === 'path' || p?.in === 'query');
      const hasQuery = params.some((p: any) => p?.in === 'query');
      const { body: bodySchema, response: responseSchema } = operationSchemas(spec, op);

      const fields = [`method: '${method.toUpperCase()}'`, `path: ${JSON.stringify(path)}`];
      fields.push(`input: '${hasParams ? 'params' : bodySchema ? 'body' : 'none'}'`);
      if (hasParams) {
        // Each operation builds its own URL, so an app whose operations take no parameters
        // ships no URL builder at all.
        const route = path.replace(
          /\{([^}]+)\}/g,
          (_, name) => `\${encodeURIComponent(String(p.path[${JSON.stringify(name)}]))}`,
        );
        if (hasQuery) imports.add('query');
        fields.push(`url: (p) => \`${route}${hasQuery ? '${query(p.query)}' : ''}\``);
      }
      const bodyName = bodySchema && (schemaRefName(bodySchema) ?? inlineName(id, 'Body'));
      if (bodyName && validators.has(bodyName)) {
        imports.add(validators.get(bodyName)!);
        fields.push(`body: ${validators.get(bodyName)}`);
        if (!deref(spec, op.requestBody)?.required) fields.push('bodyOptional: true');
      }
      const responseName =
        responseSchema && (schemaRefName(responseSchema) ?? inlineName(id, 'Response'));
      if (responseName && validators.has(responseName)) {
        imports.add(validators.get(responseName)!);
        responseChecks.push(
          `${JSON.stringify(`${method.toUpperCase()} ${path}`)}: ${validators.get(responseName)}`,
        );
      }
      const responseType = schemaRefName(responseSchema)
        ? spec.components?.schemas?.[responseName]?.type
        : responseSchema?.type;
      if (responseSchema)
        fields.push(`response: '${responseType === 'object' ? 'object' : 'json'}'`);
      const doc = jsdoc([
        op.summary,
        op.description,
        `\`${method.toUpperCase()} ${path}\``,
        op.deprecated ? '@deprecated' : undefined,
      ]);
      blocks.push(
        `${doc}\nexport const ${id} = /* @__PURE__ */ operation<operations[${JSON.stringify(id)}], ${JSON.stringify(id)}>({ ${fields.join(', ')} });`,
      );
    }
  }
  const fromTransport = imports.delete('query')
    ? 'operation, query, responseValidators as validators'
    : 'operation, responseValidators as validators';
  const lines = [
    `import { ${fromTransport} } from '../core/transport.js';`,
    `import type { operations } from './schema.js';`,
  ];
  if (imports.size)
    lines.push(`import { ${[...imports].sort().join(', ')} } from './validators.js';`);
  const names = [...seen];
  return [
    lines.join('\n'),
    ...blocks,
    `/** Every operation's name, in spec order. */\nexport const operationIds = ${JSON.stringify(names)} as const;`,
    `/** The 2xx validators of every operation, for \`validateResponses\` (see ClientOptions.responseValidators). */\nexport const responseValidators = /* @__PURE__ */ validators({ ${responseChecks.join(', ')} });`,
  ].join('\n\n');
}
