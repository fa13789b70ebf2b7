/** @impasto/weights/testing: synthetic weights and a seeded generator, for tests and benchmarks (browser-safe). */
export { type SyntheticWeightsOptions, seededRandom, syntheticWeights } from './synthetic-weights.js';
