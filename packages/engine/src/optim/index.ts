import { type AdamOptions, createAdam } from './adam.js';
import { createLbfgs, type LbfgsOptions } from './lbfgs.js';
import type { Optimizer } from './types.js';

export { type AdamOptions, createAdam } from './adam.js';
export { createLbfgs, type LbfgsOptions } from './lbfgs.js';
export type {
  Objective,
  ObjectiveValue,
  Optimizer,
  StepResult,
} from './types.js';

export const OPTIMIZER_NAMES = ['lbfgs', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerOptions {
  lbfgs: LbfgsOptions;
  adam: AdamOptions;
}

/** Creates the named optimiser; throws for an unknown name (e.g. from a CLI flag). */
export function createOptimizer<Name extends OptimizerName>(name: Name, options?: OptimizerOptions[Name]): Optimizer {
  switch (name) {
    case 'lbfgs':
      return createLbfgs(options as LbfgsOptions | undefined);
    case 'adam':
      return createAdam(options as AdamOptions | undefined);
    default:
      throw new Error(`Unknown optimizer "${String(name)}"; expected one of: ${OPTIMIZER_NAMES.join(', ')}`);
  }
}
