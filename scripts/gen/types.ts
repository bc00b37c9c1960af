/**
 * The TypeScript types of the spec: openapi-typescript's `paths`, `components` and `operations`,
 * and the spec's servers by environment name.
 */
import openapiTS, { astToString } from 'openapi-typescript';
import { serverNames, type Spec } from '../lib/spec.js';

export async function typesSource(spec: Spec): Promise<string> {
  const ast = await openapiTS(spec as never, {
    // Fields with a default (channel, delay_ms) stay optional in what callers send.
    defaultNonNullable: false,
    alphabetize: false,
  });
  return astToString(ast) + serversSource(spec);
}

function serversSource(spec: Spec): string {
  const servers = Object.fromEntries(serverNames(spec));
  return `\n\n/** The spec's \`servers\`, by the first word of each description. */\nexport const servers = ${JSON.stringify(servers)} as const;\n`;
}
