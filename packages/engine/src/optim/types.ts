/** The objective the optimisers minimise: the loss and its gradient at x (flat float32, same length as x). */
export interface ObjectiveValue {
  readonly loss: number;
  readonly gradient: Float32Array;
}

/**
 * `gradientOut` (same length as x), when given, is where the objective may write the gradient and return it: the
 * optimiser's own buffer, so a large image's gradient needs no new array and no copy. Returning another array is fine.
 */
export type Objective = (x: Float32Array, gradientOut?: Float32Array) => Promise<ObjectiveValue>;

export interface StepResult {
  /** Loss at the updated x. */
  readonly loss: number;
  /** Objective evaluations this step used (L-BFGS's line search may use more than one). */
  readonly evaluations: number;
  /** True once the optimiser can make no further progress (gradient or step below tolerance). */
  readonly converged: boolean;
}

/** The loss alone at x, without its gradient: cheaper where the compute path can skip the backward pass. */
export type LossOnly = (x: Float32Array) => Promise<number>;

/** Every optimiser has the same small interface: one step updates x in place. */
export interface Optimizer {
  /**
   * `finalLoss`, given on a run's last step, is used where the step evaluates its new x only to report the loss
   * (Adam): no gradient is computed there that no later step would use.
   */
  step(x: Float32Array, objective: Objective, finalLoss?: LossOnly): Promise<StepResult>;
  /** Forgets curvature history (call when x is changed from outside, e.g. after upsampling). */
  reset(): void;
}
