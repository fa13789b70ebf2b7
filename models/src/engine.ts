/**
 * The engine's weights module, which decides what a valid weights directory is (models:verify and the
 * engine load by the same rules). @impasto/engine's package exports do not list these modules yet, so
 * they are imported by path from the workspace package in this one place.
 */
export * from '../../packages/engine/src/network/layers.js';
export * from '../../packages/engine/src/network/weights.js';
export * from '../../packages/engine/src/node/weights-dir.js';
export { resolveWeightsLocation } from '../../packages/engine/src/node/weights-location.js';
