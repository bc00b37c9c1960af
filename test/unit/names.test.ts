/**
 * The names the generator makes up (scripts/gen/names.ts): operation functions from operationIds
 * that are not identifiers, validators that never clash, type aliases that never shadow
 * TypeScript's lib. Each name is also compiled, where it could fail to be an identifier.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  inlineKey,
  operationName,
  operationNames,
  typeAliases,
  validatorName,
} from '../../scripts/gen/names.js';
import { compileInMemory } from '../support/oracle.js';

/** Whether `name` can be declared as a constant and a type (TypeScript's parser says). */
function declarable(name: string): boolean {
  const source = `export const ${name} = 1;\nexport type ${name}T = 1;`;
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, true);
  return (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0;
}

describe('operation names', () => {
  it.each([
    ['listAgents', 'listAgents'],
    ['organizations:list', 'organizationsList'],
    ['agents.search', 'agentsSearch'],
    ['agents.search_deployed', 'agentsSearch_deployed'],
    ['get-user by id', 'getUserById'],
    ['v2/files::upload', 'v2FilesUpload'],
    ['2fa.verify', '_2faVerify'],
    ['delete', 'delete_'],
    ['class', 'class_'],
    ['client', 'client_'],
    ['use', 'use_'],
    ['constructor', 'constructor_'],
    ['__proto__', '__proto___'],
    // Names the generated module imports from the runtime.
    ['textBody', 'textBody_'],
    ['withCookies', 'withCookies_'],
    ['...', 'operation_'],
  ])('%s -> %s', (id, name) => {
    expect(operationName(id, 'get', '/x')).toBe(name);
    expect(declarable(name)).toBe(true);
  });

  it('come from the method and path without an operationId', () => {
    expect(operationName(undefined, 'get', '/v1/agents/{agent_id}')).toBe('getV1AgentsAgent_id');
    expect(operationName(undefined, 'delete', '/')).toBe('delete_');
  });

  it('are distinct, in spec order, an exact identifier keeping its own name', () => {
    const ops = [
      { id: 'agents.search', method: 'get', path: '/a' },
      { id: 'agentsSearch', method: 'get', path: '/b' },
      { id: 'agents:search', method: 'get', path: '/c' },
      { id: 'delete', method: 'get', path: '/d' },
      { id: 'delete_', method: 'get', path: '/e' },
    ];
    expect(operationNames(ops)).toEqual([
      'agentsSearch_2',
      'agentsSearch',
      'agentsSearch_3',
      'delete__2',
      'delete_',
    ]);
  });
});

describe('validator names', () => {
  it('keep identifier characters, and escape the rest so that no two names meet', () => {
    expect(validatorName('AgentResponse')).toBe('validateAgentResponse');
    expect(validatorName('letta_Agent')).toBe('validateletta_Agent');
    const names = ['Foo-Input', 'Foo_Input', 'Foo.Input', 'Foo$Input', 'Foo$2d$Input', 'Fü'];
    const validators = names.map(validatorName);
    expect(new Set(validators).size).toBe(names.length);
    expect(validators[0]).toBe('validateFoo$2d$Input');
    for (const name of validators) expect(declarable(name)).toBe(true);
  });

  it('inline keys skip every component name and every key given before', () => {
    const taken = new Set(['UpdateAgentBody', 'UpdateAgentBody_2']);
    const key = inlineKey('updateAgent', 'Body', (k) => taken.has(k));
    expect(key).toBe('UpdateAgentBody_3');
    expect(inlineKey('organizationsList', 'Params', () => false)).toBe('OrganizationsListParams');
  });
});

describe('validators of names that used to clash', () => {
  it('compile side by side: a component named like an inline body, and A-B beside A_B', async () => {
    const spec = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          post: {
            operationId: 'updateAgent',
            requestBody: {
              content: { 'application/json': { schema: { type: 'integer', maximum: 3 } } },
            },
            responses: { '204': { description: 'ok' } },
          },
        },
      },
      components: {
        schemas: {
          UpdateAgentBody: { type: 'string' },
          'A-B': { type: 'string' },
          A_B: { type: 'number' },
        },
      },
    };
    const { validators, names } = await compileInMemory(spec);
    expect(names.get('UpdateAgentBody_2')).toBe('validateUpdateAgentBody_2');
    const check = (name: string, value: unknown) => validators[validatorName(name)](value, [], []);
    expect([check('UpdateAgentBody', 'x'), check('UpdateAgentBody', 1)]).toEqual([true, false]);
    expect([check('UpdateAgentBody_2', 2), check('UpdateAgentBody_2', 4)]).toEqual([true, false]);
    expect([check('A-B', 'x'), check('A_B', 'x'), check('A_B', 1)]).toEqual([true, false, true]);
  });
});

describe('type aliases', () => {
  it('never shadow TypeScript lib types or schema.ts names, and never clash', () => {
    const names = ['Record', 'RecordSchema', 'Agent', 'Agent-Input', 'Agent_Input', 'paths'];
    const aliases = typeAliases([...names, 'Promise', 'string', '1st', 'Refined'], ['Refined']);
    expect(Object.fromEntries(aliases)).toEqual({
      Record: 'RecordSchema',
      RecordSchema: 'RecordSchema_2',
      Agent: 'Agent',
      'Agent-Input': 'Agent_Input',
      Agent_Input: 'Agent_Input_2',
      paths: 'pathsSchema',
      Promise: 'PromiseSchema',
      string: 'stringSchema',
      '1st': '_1st',
      Refined: 'RefinedSchema',
    });
  });
});
