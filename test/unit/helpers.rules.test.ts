/**
 * The prose rules of src/spec/rules.ts as built when their module loads. check.test.ts judges the
 * rule of the module every test shares; this builds a fresh copy inside the test, so a change to
 * the rule's declaration (which runs once, at load) is judged too, as an app loading it would be.
 */
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/check.js';

/** A fresh evaluation of rules.ts: the query makes it a module of its own. */
const freshRules = () =>
  import(/* @vite-ignore */ `../../src/spec/rules.js?fresh=${Date.now()}`) as Promise<
    typeof import('../../src/spec/rules.js')
  >;

describe('CannedToolResponse, freshly loaded', () => {
  it('an explicit null output is a result; an empty error is no error', async () => {
    const { CannedToolResponse } = await freshRules();
    const verdict = (value: unknown) => {
      const issues: Issue[] = [];
      return CannedToolResponse(value, [], issues) ? 'ok' : issues.map((i) => i.message);
    };
    expect(verdict({ output: null })).toBe('ok');
    expect(verdict({ output: null, error: null })).toBe('ok');
    expect(verdict({ error: 'boom' })).toBe('ok');
    expect(verdict({ error: '' })).toEqual(['must be a non-empty string']);
  });
});
