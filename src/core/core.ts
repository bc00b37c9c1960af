/**
 * A FeatherCore is the handle every operation takes: a plain object whose configuration (with the
 * key) lives in a WeakMap, so `JSON.stringify` and `util.inspect` never see it. Its hooks are
 * also reachable by a global symbol, so that another copy of this module (another entry point's
 * bundle, the CommonJS build) can add one.
 */
import { FeatherError } from './errors.js';
import type { GroupInfo, Hook } from './hooks.js';
import type { Config } from './options.js';

/** A configured connection to Feather; pass it to any operation function. */
export interface FeatherCore {
  /** Where its requests go: `https://api.featherhq.com`. */
  readonly baseUrl: string;
}

const configs = new WeakMap<FeatherCore, Config>();
const HOOKS = Symbol.for('@featherhq/sdk.hooks');

/** Makes `target` a FeatherCore that sends with `config` (both client styles build on this). */
export function attachConfig<T extends object>(target: T, config: Config): T & FeatherCore {
  const core = Object.assign(target, { baseUrl: config.baseUrl });
  configs.set(core, config);
  Object.defineProperty(core, HOOKS, { value: config.hooks });
  return core;
}

export function configOf(core: FeatherCore): Config {
  const config = configs.get(core);
  if (!config) {
    throw new FeatherError('Not a Feather client: create one with createFeatherClient()');
  }
  return config;
}

/**
 * Adds a hook to a client of either style: it sees every call that starts afterwards (logging,
 * tracing). `@featherhq/sdk/otel`'s `instrument` uses this.
 */
export function addHook(core: FeatherCore, hook: Hook): void {
  const hooks = (core as { [HOOKS]?: Hook[] })[HOOKS];
  if (!hooks) throw new FeatherError('Not a Feather client: create one with createFeatherClient()');
  hooks.push(hook);
}

/**
 * Opens a group of calls (a paginated iteration's pages, a waiter's polls): the calls made with
 * the returned core report to what each hook's `group` returned, and `end` closes the group.
 * When no hook opened one, it returns `core` itself (and an `end` that does nothing).
 */
export function group(
  core: FeatherCore,
  info: GroupInfo,
): [FeatherCore, (error?: unknown) => void] {
  const config = configOf(core);
  const opened = config.hooks.map((hook) => hook.group?.(info));
  if (!opened.some(Boolean)) return [core, () => {}];
  const hooks = opened.map((observer, i) => observer ?? config.hooks[i]);
  const end = (error?: unknown) => opened.forEach((observer) => observer?.end?.(error));
  return [attachConfig({}, { ...config, hooks }), end];
}
