/**
 * readEnv in the runtimes the SDK supports: Node's process.env, Deno.env where there is no
 * process (or a bundler's process shim without env), and Deno without --allow-env.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readEnv } from '../../src/internal/env.js';

afterEach(() => vi.unstubAllGlobals());

/** Deno's env, holding `vars`; `denied` throws as Deno does without --allow-env. */
const deno = (vars: Record<string, string>, denied = false) => ({
  env: {
    get(name: string) {
      if (denied) throw new Error('Requires env access to "FEATHER_X", run again with --allow-env');
      return vars[name];
    },
  },
});

describe('readEnv', () => {
  it('reads process.env in Node', () => {
    vi.stubEnv('FEATHER_X', 'from-node');
    try {
      expect(readEnv('FEATHER_X')).toBe('from-node');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reads Deno.env where there is no process', () => {
    vi.stubGlobal('Deno', deno({ FEATHER_X: 'from-deno' }));
    const { process } = globalThis;
    // Swapped out and back within one synchronous call: nothing else runs in between.
    (globalThis as { process?: unknown }).process = undefined;
    let value: string | undefined;
    try {
      value = readEnv('FEATHER_X');
    } finally {
      globalThis.process = process;
    }
    expect(value).toBe('from-deno');
  });

  it("reads Deno.env past a bundler's process shim that has no env", () => {
    vi.stubGlobal('Deno', deno({ FEATHER_X: 'from-deno' }));
    const { env } = process;
    (process as { env?: unknown }).env = undefined;
    let value: string | undefined;
    try {
      value = readEnv('FEATHER_X');
    } finally {
      process.env = env;
    }
    expect(value).toBe('from-deno');
  });

  it('is undefined when Deno denies env access', () => {
    vi.stubGlobal('Deno', deno({ FEATHER_X: 'hidden' }, true));
    expect(readEnv('FEATHER_X_UNSET_IN_NODE')).toBeUndefined();
  });
});
