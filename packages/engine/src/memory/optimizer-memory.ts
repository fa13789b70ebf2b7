/**
 * The run's memory and the optimiser's share of it: the bytes a run aims at, L-BFGS's history that fits, and what the
 * optimiser holds. memory-policy.ts builds its budgets from these.
 */
import type { StylizeOptions } from '../options.js';

/** The memory a run aims at in Node when the options name none (maxMemory: null). */
export const DEFAULT_MAX_MEMORY = 4 * 1024 ** 3;

/**
 * Image-sized float32 vectors an optimiser holds besides L-BFGS's pairs, with the stage's x and the loss's gradient:
 * L-BFGS its point and gradient, direction, trial point and gradient, best gradient; Adam its two moments.
 */
const WORKING_VECTORS = { lbfgs: 8, adam: 4 } as const;
/** L-BFGS keeps at least this many pairs, however large the image (fewer make it little better than gradient descent). */
const MIN_LBFGS_HISTORY = 3;

/** The bytes a run aims at: the options' maxMemory, else the host's (a browser's device), else DEFAULT_MAX_MEMORY. */
export function runMemory(options: StylizeOptions, hostMemory?: number): number {
  return options.maxMemory ?? hostMemory ?? DEFAULT_MAX_MEMORY;
}

/**
 * L-BFGS pairs that fit a quarter of `memory`: each holds two float32 vectors of the image's size (at 4096x3072,
 * 302 MB a pair). At least MIN_LBFGS_HISTORY, at most `lbfgsHistory`.
 */
export function lbfgsHistoryFor(options: StylizeOptions, values: number, memory = runMemory(options)): number {
  return Math.min(options.lbfgsHistory, Math.max(MIN_LBFGS_HISTORY, Math.floor(memory / 4 / (2 * 4 * values))));
}

/** Bytes of an optimiser holding `pairs` L-BFGS pairs (none for Adam) and its working vectors, `values` long. */
function vectorBytes(options: StylizeOptions, pairs: number, values: number): number {
  const history = options.optimizer === 'lbfgs' ? 2 * pairs : 0;
  return (history + WORKING_VECTORS[options.optimizer]) * 4 * values;
}

/** Bytes the stage's optimiser holds for an image of `values` numbers (its history included). */
export function optimizerMemory(options: StylizeOptions, values: number, memory = runMemory(options)): number {
  return vectorBytes(options, lbfgsHistoryFor(options, values, memory), values);
}

/** The least the optimiser can do with: L-BFGS with MIN_LBFGS_HISTORY pairs (or fewer, if the options ask). */
export function leastOptimizerMemory(options: StylizeOptions, values: number): number {
  return vectorBytes(options, Math.min(options.lbfgsHistory, MIN_LBFGS_HISTORY), values);
}
