import { EvaluatedPoint } from './evaluated-point.js';
import type { LossOnly, Objective, Optimizer, StepResult } from './types.js';
import { maxAbs } from './vector.js';

export interface AdamOptions {
  /**
   * Step size; default 0.001, a generic value for parameters of order 1. Each step moves every entry of x
   * by about learningRate at most, so callers with other scales (stylize on 0–255 pixels) pass their own.
   */
  learningRate?: number;
  /** Decay of the gradient's running mean; default 0.9. */
  beta1?: number;
  /** Decay of the squared gradient's running mean; default 0.999. */
  beta2?: number;
  /** Added to the root-mean-square in the denominator; default 1e-8. */
  epsilon?: number;
  /** Converged once every |gradient entry| is at most this; default 1e-7. */
  gradientTolerance?: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias-corrected moments, kept in float64.
 *
 * StepResult.loss is the loss at the updated x, as the Optimizer interface promises: each step evaluates the
 * objective once, after its update, and caches that gradient for the next step. Only the first step (or the
 * first after x was changed from outside) also evaluates the starting point, so it reports 2 evaluations.
 */
export function createAdam(options: AdamOptions = {}): Optimizer {
  const { learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, gradientTolerance = 1e-7 } = options;
  if (!(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new Error(`Adam learningRate must be a positive number, got ${learningRate}`);
  }
  if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`Adam beta1 must be in [0, 1), got ${beta1}`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new Error(`Adam beta2 must be in [0, 1), got ${beta2}`);
  if (!(epsilon > 0)) throw new Error(`Adam epsilon must be positive, got ${epsilon}`);
  if (!(gradientTolerance >= 0)) {
    throw new Error(`Adam gradientTolerance must be >= 0, got ${gradientTolerance}`);
  }

  let point: EvaluatedPoint | undefined;
  let mean = new Float64Array(0);
  let meanSquare = new Float64Array(0);
  let steps = 0;

  const forgetMoments = () => {
    mean.fill(0);
    meanSquare.fill(0);
    steps = 0;
  };

  return {
    reset() {
      point?.invalidate();
      forgetMoments();
    },

    async step(x: Float32Array, objective: Objective, finalLoss?: LossOnly): Promise<StepResult> {
      if (x.length === 0) throw new Error('Adam cannot optimise an empty x');
      if (point?.x.length !== x.length) {
        point = new EvaluatedPoint(x.length);
        mean = new Float64Array(x.length);
        meanSquare = new Float64Array(x.length);
        steps = 0;
      }
      let evaluations = 0;
      if (!point.holds(x)) {
        await point.evaluate(x, objective);
        evaluations++;
      }
      point.assertFinite();

      steps++;
      const meanCorrection = 1 - beta1 ** steps;
      const squareCorrection = 1 - beta2 ** steps;
      const g = point.gradient;
      for (let i = 0; i < x.length; i++) {
        const gi = g[i] as number;
        const m = beta1 * (mean[i] as number) + (1 - beta1) * gi;
        const v = beta2 * (meanSquare[i] as number) + (1 - beta2) * gi * gi;
        mean[i] = m;
        meanSquare[i] = v;
        x[i] = (x[i] as number) - (learningRate * (m / meanCorrection)) / (Math.sqrt(v / squareCorrection) + epsilon);
      }

      if (finalLoss) {
        // The last step: its x is evaluated only for the loss it reports; no later step needs the gradient.
        point.invalidate();
        const loss = await finalLoss(x);
        return { loss, evaluations: evaluations + 1, converged: false };
      }
      await point.evaluate(x, objective);
      evaluations++;
      // A non-finite loss is reported here; the next step refuses to continue from it.
      const converged = Number.isFinite(point.loss) && maxAbs(point.gradient) <= gradientTolerance;
      return { loss: point.loss, evaluations, converged };
    },
  };
}
