// The entry esbuild bundles for Chromium and edge-runtime (IIFE, global `FeatherApp`).
export * as sdk from '@featherhq/sdk';
export { scenario } from './scenario.js';
