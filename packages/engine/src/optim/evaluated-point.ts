import type { Objective } from './types.js';
import { allFinite, equal } from './vector.js';

/**
 * Calls the objective at x with gradientOut to write into; a gradient it returns elsewhere is copied there, so the
 * objective may reuse its own buffer. Returns the loss. The objective must not keep x after its promise resolves:
 * optimisers reuse it.
 */
export async function evaluateInto(objective: Objective, x: Float32Array, gradientOut: Float32Array): Promise<number> {
  const { loss, gradient } = await objective(x, gradientOut);
  if (gradient.length !== x.length) {
    throw new Error(`Objective returned a gradient of length ${gradient.length} for x of length ${x.length}`);
  }
  if (gradient !== gradientOut) gradientOut.set(gradient);
  return loss;
}

/**
 * The loss and gradient at the x an optimiser last left behind, so the next step need not evaluate it again.
 * The cache is keyed on x's values: if the caller changes x, the next step re-evaluates.
 */
export class EvaluatedPoint {
  readonly x: Float32Array;
  gradient: Float32Array;
  loss = Number.NaN;
  private valid = false;

  constructor(size: number) {
    this.x = new Float32Array(size);
    this.gradient = new Float32Array(size);
  }

  /** True when loss and gradient belong to exactly this x. */
  holds(x: Float32Array): boolean {
    return this.valid && equal(x, this.x);
  }

  invalidate(): void {
    this.valid = false;
  }

  async evaluate(x: Float32Array, objective: Objective): Promise<void> {
    this.valid = false;
    this.loss = await evaluateInto(objective, x, this.gradient);
    this.x.set(x);
    this.valid = true;
  }

  /** Records loss at this.x (already updated by the caller) with the gradient in `gradient`, returning the old gradient buffer. */
  moveTo(loss: number, gradient: Float32Array): Float32Array {
    const old = this.gradient;
    this.gradient = gradient;
    this.loss = loss;
    this.valid = true;
    return old;
  }

  /** Throws unless loss and gradient are finite: no optimiser can start from such a point. */
  assertFinite(): void {
    if (!Number.isFinite(this.loss) || !allFinite(this.gradient)) {
      throw new Error(
        `Objective returned a non-finite ${Number.isFinite(this.loss) ? 'gradient' : `loss (${this.loss})`} at the current x`,
      );
    }
  }
}
