import { EvaluatedPoint, evaluateInto } from './evaluated-point.js';
import { strongWolfeSearch } from './line-search.js';
import type { Objective, Optimizer, StepResult } from './types.js';
import { addScaledInto, axpyScaleDot, dot, maxAbs, scaleInto, sumAbs } from './vector.js';

export interface LbfgsOptions {
  /** Curvature pairs (s, y) remembered; default 10. */
  history?: number;
  /** First step length along -g when there is no history; default min(1, 1/|g|₁). */
  initialStep?: number;
  /**
   * Instead of initialStep: size the first step so the largest entry of x moves by this much (scale-aware: on
   * 0–255 pixels with a gradient of 1e6, min(1, 1/|g|₁) would start absurdly small and cost many evaluations).
   */
  firstStepMaxMove?: number;
  /** Converged once every |gradient entry| is at most this; default 1e-7. */
  gradientTolerance?: number;
  /** Converged once an accepted step moves no entry of x by more than this; default 1e-9. */
  stepTolerance?: number;
  /** Objective evaluations one line search may use; default 20. */
  maxLineSearchEvaluations?: number;
}

/** A curvature pair is skipped unless y·s > CURVATURE_EPSILON·|y||s| (keeps the inverse Hessian positive definite). */
const CURVATURE_EPSILON = 1e-8;

/**
 * Limited-memory BFGS: two-loop recursion over a ring buffer of (s, y) pairs and a strong-Wolfe line search.
 * One step normally evaluates the objective once (at the accepted point): the loss and gradient at the
 * current x are cached from the previous step. If x was changed from outside, the step re-evaluates it.
 */
export function createLbfgs(options: LbfgsOptions = {}): Optimizer {
  return new Lbfgs(resolveOptions(options));
}

type ResolvedOptions = Required<Omit<LbfgsOptions, 'initialStep' | 'firstStepMaxMove'>> &
  Pick<LbfgsOptions, 'initialStep' | 'firstStepMaxMove'>;

function resolveOptions(options: LbfgsOptions): ResolvedOptions {
  const {
    history = 10,
    initialStep,
    firstStepMaxMove,
    gradientTolerance = 1e-7,
    stepTolerance = 1e-9,
    maxLineSearchEvaluations = 20,
  } = options;
  if (!Number.isInteger(history) || history < 1) {
    throw new Error(`L-BFGS history must be a positive integer, got ${history}`);
  }
  if (initialStep !== undefined && !(initialStep > 0 && Number.isFinite(initialStep))) {
    throw new Error(`L-BFGS initialStep must be a positive number, got ${initialStep}`);
  }
  if (firstStepMaxMove !== undefined && !(firstStepMaxMove > 0 && Number.isFinite(firstStepMaxMove))) {
    throw new Error(`L-BFGS firstStepMaxMove must be a positive number, got ${firstStepMaxMove}`);
  }
  if (!(gradientTolerance >= 0)) {
    throw new Error(`L-BFGS gradientTolerance must be >= 0, got ${gradientTolerance}`);
  }
  if (!(stepTolerance >= 0)) throw new Error(`L-BFGS stepTolerance must be >= 0, got ${stepTolerance}`);
  if (!Number.isInteger(maxLineSearchEvaluations) || maxLineSearchEvaluations < 1) {
    throw new Error(`L-BFGS maxLineSearchEvaluations must be a positive integer, got ${maxLineSearchEvaluations}`);
  }
  return {
    history,
    initialStep,
    firstStepMaxMove,
    gradientTolerance,
    stepTolerance,
    maxLineSearchEvaluations,
  };
}

/** Buffers sized for one length of x; replaced when the length changes. */
class State {
  readonly point: EvaluatedPoint;
  readonly direction: Float32Array;
  readonly trialX: Float32Array;
  trialGradient: Float32Array;
  bestGradient: Float32Array;
  /** Ring buffer of curvature pairs; a slot's arrays are allocated the first time it is filled. */
  readonly s: Float32Array[] = [];
  readonly y: Float32Array[] = [];
  readonly rho: Float64Array;
  readonly alpha: Float64Array;
  count = 0;
  newest = -1;
  /** s·y / y·y of the newest pair: scales the initial inverse Hessian. */
  gamma = 1;
  /** The line search could not lower the loss from the cached point. */
  stalled = false;

  constructor(
    readonly size: number,
    history: number,
  ) {
    this.point = new EvaluatedPoint(size);
    this.direction = new Float32Array(size);
    this.trialX = new Float32Array(size);
    this.trialGradient = new Float32Array(size);
    this.bestGradient = new Float32Array(size);
    this.rho = new Float64Array(history);
    this.alpha = new Float64Array(history);
  }

  clearHistory(): void {
    this.count = 0;
    this.newest = -1;
    this.gamma = 1;
  }
}

class Lbfgs implements Optimizer {
  private state: State | undefined;

  constructor(private readonly options: ResolvedOptions) {}

  /** Length of the first step along -g, when there is no curvature history yet. */
  private firstStep(gradient: Float32Array): number {
    const { initialStep, firstStepMaxMove } = this.options;
    if (initialStep !== undefined) return initialStep;
    if (firstStepMaxMove !== undefined) return firstStepMaxMove / maxAbs(gradient);
    return Math.min(1, 1 / sumAbs(gradient));
  }

  reset(): void {
    this.state?.point.invalidate();
    this.state?.clearHistory();
  }

  async step(x: Float32Array, objective: Objective): Promise<StepResult> {
    if (x.length === 0) throw new Error('L-BFGS cannot optimise an empty x');
    if (this.state?.size !== x.length) this.state = new State(x.length, this.options.history);
    const state = this.state;
    const { point } = state;
    let evaluations = 0;
    if (!point.holds(x)) {
      await point.evaluate(x, objective);
      evaluations++;
      state.stalled = false;
    }
    point.assertFinite();
    if (state.stalled || maxAbs(point.gradient) <= this.options.gradientTolerance) {
      return { loss: point.loss, evaluations, converged: true };
    }

    let slope0 = this.computeDirection(state);
    if (!(slope0 < 0)) slope0 = this.steepestDescent(state);
    let search = await this.lineSearch(state, objective, slope0);
    evaluations += search.evaluations;
    if (search.step === 0 && state.count > 0) {
      // The quasi-Newton direction failed: retry once along -g before giving up.
      search = await this.lineSearch(state, objective, this.steepestDescent(state));
      evaluations += search.evaluations;
    }
    if (search.step === 0) {
      state.stalled = true;
      return { loss: point.loss, evaluations, converged: true };
    }
    const largestMove = this.acceptStep(state, x, search.step, search.loss);
    const converged =
      largestMove <= this.options.stepTolerance || maxAbs(point.gradient) <= this.options.gradientTolerance;
    return { loss: search.loss, evaluations, converged };
  }

  /**
   * direction = -H·g by the two-loop recursion; returns g·direction. Each pass updates the direction and
   * already takes the dot product that the next update needs, so h pairs cost 2h + 1 passes over x.
   */
  private computeDirection(state: State): number {
    const { direction: d, point, s, y, rho, alpha, count, newest } = state;
    const g = point.gradient;
    const m = rho.length;
    /** Ring index of the k-th newest pair. */
    const pair = (k: number) => (newest - k + m) % m;
    d.fill(0);
    if (count === 0) return axpyScaleDot(-1, g, d, 1, g);
    let next = axpyScaleDot(-1, g, d, 1, s[pair(0)] as Float32Array);
    for (let k = 0; k < count; k++) {
      const i = pair(k);
      const a = (rho[i] as number) * next;
      alpha[i] = a;
      const oldest = k === count - 1;
      // After the oldest pair, scale by gamma and begin the second loop, which starts at the oldest y.
      next = axpyScaleDot(
        -a,
        y[i] as Float32Array,
        d,
        oldest ? state.gamma : 1,
        (oldest ? y[i] : s[pair(k + 1)]) as Float32Array,
      );
    }
    for (let k = count - 1; k >= 0; k--) {
      const i = pair(k);
      const b = (rho[i] as number) * next;
      const z = k === 0 ? g : y[pair(k - 1)];
      next = axpyScaleDot((alpha[i] as number) - b, s[i] as Float32Array, d, 1, z as Float32Array);
    }
    return next;
  }

  /** Forgets history and sets direction = -g; returns g·direction. */
  private steepestDescent(state: State): number {
    state.clearHistory();
    scaleInto(-1, state.point.gradient, state.direction);
    return -dot(state.point.gradient, state.point.gradient);
  }

  private lineSearch(state: State, objective: Objective, slope0: number) {
    const { point, direction, trialX } = state;
    const initialStep = state.count > 0 ? 1 : this.firstStep(point.gradient);
    return strongWolfeSearch({
      probe: async (t) => {
        addScaledInto(point.x, t, direction, trialX);
        const loss = await evaluateInto(objective, trialX, state.trialGradient);
        return { loss, slope: dot(state.trialGradient, direction) };
      },
      keepLastProbe: () => {
        [state.trialGradient, state.bestGradient] = [state.bestGradient, state.trialGradient];
      },
      loss0: point.loss,
      slope0,
      initialStep,
      // Below this, no entry of x moves by more than stepTolerance.
      minStepWidth: this.options.stepTolerance / maxAbs(direction),
      maxEvaluations: this.options.maxLineSearchEvaluations,
    });
  }

  /**
   * Moves x (and the cached point) to x + t·d, whose gradient is in bestGradient, and records the curvature
   * pair unless y·s is too small. Returns the largest |s_i|.
   */
  private acceptStep(state: State, x: Float32Array, t: number, loss: number): number {
    const { point, direction: d, bestGradient: gNew } = state;
    const xOld = point.x;
    const gOld = point.gradient;
    // Same float32 rounding as the probe, so x is exactly the point that was evaluated.
    const toFloat32 = Math.fround;
    let ys = 0;
    let yy = 0;
    let ss = 0;
    let largestMove = 0;
    for (let i = 0; i < xOld.length; i++) {
      const si = toFloat32((xOld[i] as number) + t * (d[i] as number)) - (xOld[i] as number);
      const yi = (gNew[i] as number) - (gOld[i] as number);
      ys += yi * si;
      yy += yi * yi;
      ss += si * si;
      const move = Math.abs(si);
      if (move > largestMove) largestMove = move;
    }
    const storePair = ys > CURVATURE_EPSILON * Math.sqrt(yy * ss);
    const m = state.rho.length;
    const slot = (state.newest + 1) % m;
    let sSlot: Float32Array | undefined;
    let ySlot: Float32Array | undefined;
    if (storePair) {
      sSlot = state.s[slot] ??= new Float32Array(xOld.length);
      ySlot = state.y[slot] ??= new Float32Array(xOld.length);
    }
    for (let i = 0; i < xOld.length; i++) {
      const xi = toFloat32((xOld[i] as number) + t * (d[i] as number));
      if (sSlot && ySlot) {
        sSlot[i] = xi - (xOld[i] as number);
        ySlot[i] = (gNew[i] as number) - (gOld[i] as number);
      }
      xOld[i] = xi;
      x[i] = xi;
    }
    if (storePair) {
      state.rho[slot] = 1 / ys;
      state.gamma = ys / yy;
      state.newest = slot;
      state.count = Math.min(state.count + 1, m);
    }
    state.bestGradient = point.moveTo(loss, gNew);
    return largestMove;
  }
}
