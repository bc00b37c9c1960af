/**
 * The specs tests run on, each from one source, openapi.json:
 * - the vendored spec: the whole of Feather's current release, byte for byte as published;
 * - the seed: the vendored spec cut down to `dispatchSimulationRun` and its schemas
 *   (scripts/synthetic-spec.ts), small enough to regenerate, type-check and build a project in
 *   seconds. Tests that bump a spec or regenerate the SDK from another one start from it.
 */
import { readFileSync } from 'node:fs';
import { correctedModel, readSdkConfig } from '../../scripts/generate.js';
import type { SpecModel } from '../../scripts/gen/model.js';
import { SPEC_PATH, type Spec } from '../../scripts/lib/spec.js';
import { seedSpec } from '../../scripts/synthetic-spec.js';

export { seedSpec };
export const vendoredText = readFileSync(SPEC_PATH, 'utf8');
/** The seed as a file would hold it. */
export const seedText = `${JSON.stringify(seedSpec(), null, 2)}\n`;

/** A fresh copy of the vendored spec's document, to change. */
export const vendoredSpec = (): Spec => JSON.parse(vendoredText) as Spec;

/** The vendored spec with sdk.config.json's corrections applied: what the SDK is generated from. */
export const correctedSpec = (): Spec => correctedModel(vendoredSpec()).spec;

/** The model the generators read from the vendored spec (corrections and helpers applied). */
export const vendoredModel = (): SpecModel => correctedModel(vendoredSpec()).model;

/**
 * sdk.config.json for a spec that lacks the operations its corrections name: the repo's, without
 * them (what a project on the seed would declare). Its waiters stay: they are skipped where the
 * spec lacks their operations.
 */
export function configWithoutCorrections(): Spec {
  const { corrections: _, ...rest } = readSdkConfig();
  return rest;
}
