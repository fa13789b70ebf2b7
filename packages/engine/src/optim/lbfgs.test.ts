import { describe, expect, it } from 'vitest';
import {
  counted,
  diagonalQuadratic,
  geometricDiagonal,
  maxDifference,
  multiply,
  quadratic,
  randomSpd,
  rosenbrock,
  rosenbrockObjective,
  seededRandom,
} from '../testing/optim-problems.js';
import { createLbfgs, type LbfgsOptions } from './lbfgs.js';
import type { Objective, StepResult } from './types.js';

/** Steps until converged or maxSteps; returns every step's result. */
async function minimise(
  x: Float32Array,
  objective: Objective,
  maxSteps: number,
  options?: LbfgsOptions,
): Promise<StepResult[]> {
  const optimizer = createLbfgs(options);
  const results: StepResult[] = [];
  while (results.length < maxSteps) {
    const result = await optimizer.step(x, objective);
    results.push(result);
    if (result.converged) break;
  }
  return results;
}

function expectMonotone(results: StepResult[], initialLoss: number): void {
  let previous = initialLoss;
  for (const { loss } of results) {
    expect(loss).toBeLessThanOrEqual(previous);
    previous = loss;
  }
}

const ill = (() => {
  const n = 100;
  const diagonal = geometricDiagonal(n, 1e3);
  const b = Float64Array.from({ length: n }, seededRandom(1));
  return {
    n,
    objective: diagonalQuadratic(diagonal, b),
    minimum: b.map((bi, i) => bi / (diagonal[i] as number)),
  };
})();

describe('createLbfgs', () => {
  it('finds the 2-D Rosenbrock minimum (1, 1) from (-1.2, 1) in under 100 steps, loss never rising', async () => {
    const x = Float32Array.of(-1.2, 1);
    const results = await minimise(x, rosenbrockObjective, 100);
    expect(results.length).toBeLessThan(100);
    expect(results.at(-1)?.converged).toBe(true);
    expect(maxDifference(x, [1, 1])).toBeLessThan(1e-4);
    expectMonotone(results, rosenbrock(Float32Array.of(-1.2, 1)).loss);
  });

  it('finds the 10-D Rosenbrock minimum (all ones)', async () => {
    const x = Float32Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const results = await minimise(x, rosenbrockObjective, 300);
    expect(results.at(-1)?.converged).toBe(true);
    expect(maxDifference(x, new Float64Array(10).fill(1))).toBeLessThan(1e-4);
  });

  it('finds A⁻¹b for a diagonal quadratic with condition number 1e3 (N = 100), loss never rising', async () => {
    const x = new Float32Array(ill.n);
    const results = await minimise(x, ill.objective, 1000);
    expect(results.at(-1)?.converged).toBe(true);
    expect(maxDifference(x, ill.minimum)).toBeLessThan(1e-5);
    expectMonotone(results, 0);
  });

  it('finds the known minimum of a dense SPD quadratic', async () => {
    const n = 50;
    const a = randomSpd(n, 0.01, 7);
    const minimum = Float64Array.from({ length: n }, seededRandom(3));
    const x = new Float32Array(n);
    const results = await minimise(x, quadratic(a, multiply(a, minimum)), 500);
    expect(results.at(-1)?.converged).toBe(true);
    expect(maxDifference(x, minimum)).toBeLessThan(1e-4);
  });

  it('uses the configured history: more curvature pairs, fewer steps on the ill-conditioned quadratic', async () => {
    const stepsToReach = async (history: number) => {
      const x = new Float32Array(ill.n);
      const optimizer = createLbfgs({ history });
      for (let steps = 1; steps <= 1000; steps++) {
        await optimizer.step(x, ill.objective);
        if (maxDifference(x, ill.minimum) < 1e-4) return steps;
      }
      return Number.POSITIVE_INFINITY;
    };
    const [one, ten, fifty] = [await stepsToReach(1), await stepsToReach(10), await stepsToReach(50)];
    // scipy's L-BFGS-B on the same problem needs 199, 166 and 117 iterations.
    expect(one).toBeGreaterThan(ten + 30);
    expect(ten).toBeGreaterThan(fifty + 30);
    expect(fifty).toBeLessThan(150);
  });

  it('evaluates the objective once per step after the first on a well-conditioned quadratic', async () => {
    const n = 20;
    const diagonal = geometricDiagonal(n, 10);
    const b = Float64Array.from({ length: n }, seededRandom(5));
    const objective = counted(diagonalQuadratic(diagonal, b));
    const optimizer = createLbfgs();
    const x = new Float32Array(n);
    const first = await optimizer.step(x, objective);
    // The starting point, then at least one line-search probe.
    expect(first.evaluations).toBeGreaterThanOrEqual(2);
    const later: number[] = [];
    for (let i = 0; i < 10; i++) later.push((await optimizer.step(x, objective)).evaluations);
    expect(later).toEqual(new Array(10).fill(1));
    expect(objective.calls).toBe(first.evaluations + 10);
  });

  it('hands the objective a buffer for its gradient; writing there gives the same steps as returning its own', async () => {
    const given: (Float32Array | undefined)[] = [];
    const writesInto: Objective = async (x, gradientOut) => {
      given.push(gradientOut);
      const { loss, gradient } = await ill.objective(x);
      if (!gradientOut) return { loss, gradient };
      gradientOut.set(gradient);
      return { loss, gradient: gradientOut };
    };
    const [a, b] = [new Float32Array(ill.n), new Float32Array(ill.n)];
    const own = await minimise(a, ill.objective, 60);
    const into = await minimise(b, writesInto, 60);
    expect(into.map((r) => r.loss)).toEqual(own.map((r) => r.loss));
    expect(b).toEqual(a);
    expect(given.length).toBeGreaterThan(own.length);
    for (const buffer of given) {
      expect(buffer?.length).toBe(ill.n);
      expect(buffer).not.toBe(b);
    }
  });

  it('never evaluates the same point twice and reports every evaluation', async () => {
    const seen = new Set<string>();
    const objective = counted(async (x) => {
      const key = Array.from(x).join(',');
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      return rosenbrock(x);
    });
    const results = await minimise(Float32Array.of(-1.2, 1), objective, 100);
    expect(results.reduce((sum, r) => sum + r.evaluations, 0)).toBe(objective.calls);
  });

  it('survives an objective that returns NaN for large steps, by backtracking', async () => {
    let nanReturned = 0;
    const nanOutside =
      (bad: 'loss' | 'gradient' | 'both'): Objective =>
      async (x) => {
        const value = await ill.objective(x);
        if (!x.some((xi) => Math.abs(xi) > 1)) return value;
        nanReturned++;
        const gradient = bad === 'loss' ? value.gradient : value.gradient.fill(Number.NaN);
        // A NaN gradient comes with a tempting, much lower loss: it must still be refused.
        return { loss: bad === 'gradient' ? -1e6 : Number.NaN, gradient };
      };
    for (const bad of ['loss', 'gradient', 'both'] as const) {
      nanReturned = 0;
      const x = new Float32Array(ill.n);
      // A first step of 100 along -g lands far outside |x| <= 1.
      const results = await minimise(x, nanOutside(bad), 1000, {
        initialStep: 100,
      });
      expect(x.every(Number.isFinite)).toBe(true);
      expect(results.every((r) => Number.isFinite(r.loss))).toBe(true);
      expectMonotone(results, 0);
      expect(results.at(-1)?.converged).toBe(true);
      expect(maxDifference(x, ill.minimum)).toBeLessThan(1e-5);
      expect(nanReturned).toBeGreaterThan(0);
    }
  });

  it('stays finite through flat-gradient (y = 0) and concave (y·s < 0) stretches', async () => {
    // Huber: linear beyond |x| = 1, so steps there see no change in gradient.
    const huber: Objective = async (x) => {
      let loss = 0;
      const gradient = x.map((xi) => Math.max(-1, Math.min(1, xi)));
      for (const xi of x) loss += Math.abs(xi) <= 1 ? 0.5 * xi * xi : Math.abs(xi) - 0.5;
      return { loss, gradient };
    };
    const x = Float32Array.from({ length: 8 }, (_, i) => 10 + i);
    let results = await minimise(x, huber, 200);
    expect(results.at(-1)?.converged).toBe(true);
    expect(maxDifference(x, new Float64Array(8))).toBeLessThan(1e-4);
    // Double well x⁴/4 − x²: concave near 0, minimum −1 per coordinate at ±√2.
    const doubleWell: Objective = async (x) => {
      let loss = 0;
      for (const xi of x) loss += xi ** 4 / 4 - xi * xi;
      return { loss, gradient: x.map((xi) => xi ** 3 - 2 * xi) };
    };
    const y = Float32Array.from({ length: 8 }, (_, i) => 0.01 * (i + 1));
    results = await minimise(y, doubleWell, 200, {
      initialStep: 1,
      maxLineSearchEvaluations: 2,
    });
    expectMonotone(results, Number.POSITIVE_INFINITY);
    expect(results.at(-1)?.converged).toBe(true);
    expect(results.at(-1)?.loss).toBeCloseTo(-8, 6);
    expect(maxDifference(y.map(Math.abs), new Float64Array(8).fill(Math.SQRT2))).toBeLessThan(1e-4);
  });

  it('reports convergence at once, without moving, when started at the minimum', async () => {
    const x = Float32Array.of(1, 1, 1);
    const result = await createLbfgs().step(x, rosenbrockObjective);
    expect(result).toEqual({ loss: 0, evaluations: 1, converged: true });
    expect(Array.from(x)).toEqual([1, 1, 1]);
  });

  it('keeps converging, monotone, when the loss is rounded to float32 as tfjs computes it', async () => {
    const x = Float32Array.of(-1.2, 1);
    const float32Loss: Objective = async (x) => {
      const { loss, gradient } = rosenbrock(x);
      return { loss: Math.fround(loss), gradient };
    };
    const results = await minimise(x, float32Loss, 200);
    expect(results.at(-1)?.converged).toBe(true);
    expectMonotone(results, Number.POSITIVE_INFINITY);
    expect(maxDifference(x, [1, 1])).toBeLessThan(1e-3);
  });

  it('re-evaluates when x is changed from outside or reset() is called', async () => {
    const optimizer = createLbfgs();
    const x = Float32Array.of(-1.2, 1);
    for (let i = 0; i < 5; i++) await optimizer.step(x, rosenbrockObjective);
    const objective = counted(rosenbrockObjective);
    x[0] = 3;
    const edited = rosenbrock(x).loss;
    const afterEdit = await optimizer.step(x, objective);
    expect(objective.calls).toBe(afterEdit.evaluations);
    expect(afterEdit.evaluations).toBeGreaterThanOrEqual(2);
    expect(afterEdit.loss).toBeLessThan(edited);

    optimizer.reset();
    const afterReset = await optimizer.step(x, objective);
    expect(afterReset.evaluations).toBeGreaterThanOrEqual(2);
    expect(objective.calls).toBe(afterEdit.evaluations + afterReset.evaluations);
  });

  it('rejects bad options and bad objectives with clear messages', async () => {
    expect(() => createLbfgs({ history: 0 })).toThrow(/history must be a positive integer/);
    expect(() => createLbfgs({ initialStep: -1 })).toThrow(/initialStep/);
    expect(() => createLbfgs({ maxLineSearchEvaluations: 1.5 })).toThrow(/maxLineSearchEvaluations/);
    const optimizer = createLbfgs();
    await expect(optimizer.step(new Float32Array(0), rosenbrockObjective)).rejects.toThrow(/empty x/);
    const short: Objective = async () => ({
      loss: 0,
      gradient: new Float32Array(1),
    });
    await expect(optimizer.step(new Float32Array(3), short)).rejects.toThrow(/gradient of length 1 for x of length 3/);
    const nan: Objective = async (x) => ({
      loss: Number.NaN,
      gradient: new Float32Array(x.length),
    });
    await expect(createLbfgs().step(new Float32Array(3), nan)).rejects.toThrow(/non-finite loss/);
  });
});

describe('L-BFGS first step on a badly scaled problem', () => {
  it('firstStepMaxMove sizes the first trial by its largest move, and needs fewer evaluations than min(1, 1/|g|₁)', async () => {
    // f = 1e4/2 Σ (x_i − i)², n = 1000, from 0: |g|₁ ≈ 5e9, so the default first trial barely moves.
    const n = 1000;
    const target = Float64Array.from({ length: n }, (_, i) => i);
    const make = () => {
      const trials: Float32Array[] = [];
      const objective = counted(async (x: Float32Array) => {
        trials.push(x.slice());
        let loss = 0;
        const gradient = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const d = (x[i] as number) - (target[i] as number);
          loss += 5e3 * d * d;
          gradient[i] = 1e4 * d;
        }
        return { loss, gradient };
      });
      return { trials, objective };
    };
    const scaled = make();
    await createLbfgs({ firstStepMaxMove: 10 }).step(new Float32Array(n), scaled.objective);
    const firstTrial = scaled.trials[1] as Float32Array;
    expect(Math.max(...Array.from(firstTrial, Math.abs))).toBeCloseTo(10, 3);
    const plain = make();
    const a = await createLbfgs().step(new Float32Array(n), plain.objective);
    const b = scaled.objective.calls;
    expect(b).toBeLessThan(a.evaluations);
    expect(() => createLbfgs({ firstStepMaxMove: 0 })).toThrow('firstStepMaxMove must be a positive number');
  });
});

/**
 * Iterations and evaluations to a gradient tolerance, against a reference implementation on the same problems from
 * the same starts: scipy 1.17.1's L-BFGS-B (`minimize(..., method='L-BFGS-B', options={maxcor: 10, gtol, ftol: 0})`,
 * Byrd, Lu, Nocedal & Zhu's Fortran code with a Moré–Thuente line search), run once by hand; its counts are
 * written here. Ours must stay within 15 % of them (it is a different line search, not a copy of that code).
 */
describe('L-BFGS against the reference iteration counts', () => {
  async function toTolerance(x: Float32Array, objective: Objective, gradientTolerance: number) {
    const f = counted(objective);
    const results = await minimise(x, f, 5000, { history: 10, gradientTolerance, stepTolerance: 0 });
    const { gradient } = await objective(x);
    return {
      iterations: results.length,
      evaluations: f.calls,
      gradient: Math.max(...Array.from(gradient, Math.abs)),
      results,
    };
  }
  const cases = [
    {
      name: '2-D Rosenbrock from (-1.2, 1), |g|∞ ≤ 1e-4',
      x: () => Float32Array.of(-1.2, 1),
      objective: rosenbrockObjective,
      tolerance: 1e-4,
      reference: { iterations: 36, evaluations: 44 },
    },
    {
      name: '10-D Rosenbrock from (-1.2, 1, -1.2, …), |g|∞ ≤ 1e-4',
      x: () => Float32Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1)),
      objective: rosenbrockObjective,
      tolerance: 1e-4,
      reference: { iterations: 71, evaluations: 88 },
    },
    {
      name: 'diagonal quadratic, condition 1e3, N = 100, from 0, |g|∞ ≤ 1e-5',
      x: () => new Float32Array(ill.n),
      objective: ill.objective,
      tolerance: 1e-5,
      reference: { iterations: 213, evaluations: 223 },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: within 15 % of scipy's ${c.reference.iterations} iterations / ${c.reference.evaluations} evaluations`, async () => {
      const x = c.x();
      const initial = (await c.objective(x)).loss;
      const run = await toTolerance(x, c.objective, c.tolerance);
      expect(run.gradient).toBeLessThanOrEqual(c.tolerance);
      expect(run.iterations).toBeLessThanOrEqual(Math.ceil(1.15 * c.reference.iterations));
      expect(run.evaluations).toBeLessThanOrEqual(Math.ceil(1.15 * c.reference.evaluations));
      expectMonotone(run.results, initial);
    });
  }
});
