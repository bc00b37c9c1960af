/**
 * Types that add to what openapi-typescript can derive: rules the spec states only in prose.
 * Everything else comes from src/generated/schema.ts, so a spec bump moves these types too.
 */
import type { components } from '../generated/schema.js';

type Schemas = components['schemas'];
type GeneratedCanned = Schemas['CannedToolResponse'];

/**
 * One canned tool response: exactly one of `output` (a success, `null` included) and `error` (a
 * failure, a non-empty string). `{ output: 1, error: 'x' }` does not compile.
 */
export type CannedToolResponse = Omit<GeneratedCanned, 'output' | 'error'> &
  (
    | { output: GeneratedCanned['output']; error?: null }
    | { output?: undefined; error: NonNullable<GeneratedCanned['error']> }
  );

/** The body of `dispatchSimulationRun`, with each tool override typed as a CannedToolResponse. */
export type SimulationRunDispatch = Omit<Schemas['SimulationRunDispatch'], 'tool_overrides'> & {
  tool_overrides?: { [tool: string]: CannedToolResponse } | null;
};

/** Request bodies that use the refined types above, by operationId. */
export interface RefinedBodies {
  dispatchSimulationRun: SimulationRunDispatch;
}
