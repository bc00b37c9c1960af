/** An environment variable, where the runtime has them and lets us read them. */
export function readEnv(name: string): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string> }; Deno?: any };
  try {
    return g.process?.env?.[name] ?? g.Deno?.env.get(name);
  } catch {
    // Deno without --allow-env: undefined, as for a variable that is not set.
  }
}
