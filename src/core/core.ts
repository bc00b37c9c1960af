/**
 * A FeatherCore is the handle every operation takes: a plain object whose configuration (with the
 * key) lives in a WeakMap, so `JSON.stringify` and `util.inspect` never see it.
 */
import { FeatherError } from './errors.js';
import type { Config } from './options.js';

/** A configured connection to Feather; pass it to any operation function. */
export interface FeatherCore {
  /** Where its requests go, without a trailing slash. */
  readonly baseUrl: string;
}

const configs = new WeakMap<FeatherCore, Config>();

/** Makes `target` a FeatherCore that sends with `config` (both client styles build on this). */
export function attachConfig<T extends object>(target: T, config: Config): T & FeatherCore {
  const core = Object.assign(target, { baseUrl: config.baseUrl });
  configs.set(core, config);
  return core;
}

export function configOf(core: FeatherCore): Config {
  const config = configs.get(core);
  if (!config) {
    throw new FeatherError('Not a Feather client: create one with createFeatherClient()');
  }
  return config;
}
