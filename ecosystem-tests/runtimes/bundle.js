// The entry esbuild bundles for edge-runtime (IIFE, global `FeatherApp`), as Next bundles edge code.
export * as sdk from '@featherhq/sdk';
export { scenario } from './scenario.js';
