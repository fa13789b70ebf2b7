/**
 * Strong-Wolfe line search along a descent direction (bracketing, then zoom with safeguarded cubic
 * interpolation; Nocedal & Wright, Numerical Optimization, algorithms 3.5 and 3.6).
 *
 * phi(t) is the loss at x + t·d and slope(t) its derivative g(x + t·d)·d. A probe with a non-finite loss or
 * slope counts as "too far": the search shrinks the step towards the best point so far. Every point it keeps
 * satisfies the Armijo condition, so an accepted step never raises the loss.
 */

export interface Probe {
  readonly loss: number;
  readonly slope: number;
}

export interface LineSearchProblem {
  /** Evaluates the objective at x + t·d. */
  probe(t: number): Promise<Probe>;
  /** Called right after a probe that becomes the best point so far: the caller saves its gradient. */
  keepLastProbe(): void;
  /** Loss and slope at t = 0 (slope must be negative). */
  readonly loss0: number;
  readonly slope0: number;
  /** First step to try. */
  readonly initialStep: number;
  /** Steps whose bracket is narrower than this cannot change x meaningfully: stop. */
  readonly minStepWidth: number;
  readonly maxEvaluations: number;
}

export interface LineSearchResult {
  /** Accepted step (0 when no step lowered the loss). */
  readonly step: number;
  readonly loss: number;
  readonly evaluations: number;
}

const ARMIJO = 1e-4;
const CURVATURE = 0.9;
/** Shrink factor towards the last good point when a probe was non-finite. */
const NON_FINITE_SHRINK = 0.2;

interface Point {
  t: number;
  loss: number;
  slope: number;
}

export async function strongWolfeSearch(problem: LineSearchProblem): Promise<LineSearchResult> {
  const { loss0, slope0, maxEvaluations } = problem;
  if (!(slope0 < 0)) throw new Error(`Line search needs a descent direction, got slope ${slope0}`);
  let evaluations = 0;
  let best: Point = { t: 0, loss: loss0, slope: slope0 };

  const evaluate = async (t: number): Promise<Point> => {
    evaluations++;
    const { loss, slope } = await problem.probe(t);
    if (!Number.isFinite(loss) || !Number.isFinite(slope)) {
      return { t, loss: Number.POSITIVE_INFINITY, slope: Number.NaN };
    }
    return { t, loss, slope };
  };
  const sufficientDecrease = (p: Point) => p.loss < loss0 && p.loss <= loss0 + ARMIJO * p.t * slope0;
  const flatEnough = (p: Point) => Math.abs(p.slope) <= -CURVATURE * slope0;
  const keep = (p: Point) => {
    if (p.loss < best.loss) {
      best = p;
      problem.keepLastProbe();
    }
  };
  const done = (): LineSearchResult => ({
    step: best.t,
    loss: best.loss,
    evaluations,
  });

  // Zoom: lo is the best point with sufficient decrease; the minimiser lies between lo and hi.
  const zoom = async (lo: Point, hi: Point): Promise<LineSearchResult> => {
    while (evaluations < maxEvaluations && Math.abs(hi.t - lo.t) > problem.minStepWidth) {
      const p = await evaluate(interpolateInside(lo, hi));
      if (!sufficientDecrease(p) || p.loss >= lo.loss) {
        hi = p;
        continue;
      }
      keep(p);
      if (flatEnough(p)) break;
      if (p.slope * (hi.t - lo.t) >= 0) hi = lo;
      lo = p;
    }
    return done();
  };

  // Bracketing: grow the step until it overshoots the minimiser along d.
  let previous: Point = best;
  let t = problem.initialStep;
  while (evaluations < maxEvaluations) {
    const p = await evaluate(t);
    if (!sufficientDecrease(p) || p.loss >= previous.loss) return zoom(previous, p);
    keep(p);
    if (flatEnough(p)) return done();
    if (p.slope >= 0) return zoom(p, previous);
    t = extrapolate(previous, p);
    previous = p;
  }
  return done();
}

/** Minimiser of the cubic through (a, fa, fa') and (b, fb, fb'), or NaN when it has none. */
export function cubicMinimizer(a: Point, b: Point): number {
  const d1 = a.slope + b.slope - (3 * (a.loss - b.loss)) / (a.t - b.t);
  const discriminant = d1 * d1 - a.slope * b.slope;
  if (!(discriminant >= 0)) return Number.NaN;
  const d2 = Math.sign(b.t - a.t) * Math.sqrt(discriminant);
  return b.t - ((b.t - a.t) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
}

/** Next trial inside (lo, hi): the cubic minimiser kept away from the ends, else the midpoint. */
function interpolateInside(lo: Point, hi: Point): number {
  if (!Number.isFinite(hi.loss)) return lo.t + NON_FINITE_SHRINK * (hi.t - lo.t);
  const low = Math.min(lo.t, hi.t);
  const high = Math.max(lo.t, hi.t);
  const margin = 0.1 * (high - low);
  const t = cubicMinimizer(lo, hi);
  return t >= low + margin && t <= high - margin ? t : 0.5 * (lo.t + hi.t);
}

/** Next, longer trial while bracketing: the cubic's guess, limited to 2..10 times the current step. */
function extrapolate(previous: Point, current: Point): number {
  const t = cubicMinimizer(previous, current);
  const low = 2 * current.t;
  const high = 10 * current.t;
  if (!Number.isFinite(t)) return 4 * current.t;
  return Math.min(high, Math.max(low, t));
}
