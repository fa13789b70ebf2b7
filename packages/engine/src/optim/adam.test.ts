import { describe, expect, it } from 'vitest';
import {
  counted,
  diagonalQuadratic,
  geometricDiagonal,
  maxDifference,
  multiply,
  quadratic,
  rosenbrockObjective,
  seededRandom,
} from '../testing/optim-problems.js';
import { createAdam } from './adam.js';
import type { Objective } from './types.js';

/** Steps until converged or maxSteps; returns the number of steps taken. */
async function minimise(x: Float32Array, objective: Objective, maxSteps: number, learningRate: number) {
  const optimizer = createAdam({ learningRate });
  for (let steps = 1; steps <= maxSteps; steps++) {
    if ((await optimizer.step(x, objective)).converged) return steps;
  }
  return maxSteps;
}

/** f(x) = g·x: the gradient is g everywhere. */
const linear =
  (g: number[]): Objective =>
  async (x) => ({
    loss: g.reduce((sum, gi, i) => sum + gi * (x[i] as number), 0),
    gradient: Float32Array.from(g),
  });

describe('createAdam', () => {
  it("a run's final step reports its loss through the loss-only evaluation, equal to the full one, without a gradient", async () => {
    const g = [2, -1, 0.5];
    const full = linear(g);
    const [a, b] = [new Float32Array(3), new Float32Array(3)];
    const withGradient = createAdam({ learningRate: 0.1 });
    const lossOnly = createAdam({ learningRate: 0.1 });
    let fullCalls = 0;
    const countedFull: Objective = async (x) => {
      fullCalls++;
      return full(x);
    };
    const finalLoss = async (x: Float32Array) => (await full(x)).loss;
    await withGradient.step(a, full);
    await lossOnly.step(b, countedFull);
    fullCalls = 0;
    const expected = await withGradient.step(a, full);
    const last = await lossOnly.step(b, countedFull, finalLoss);
    expect(fullCalls).toBe(0); // the cached gradient served the update; the new point was evaluated loss-only
    expect(last.loss).toBe(expected.loss);
    expect(last.evaluations).toBe(1);
    expect(Array.from(b)).toEqual(Array.from(a));
    // Its gradient was never computed: a later step evaluates the point afresh.
    await lossOnly.step(b, countedFull);
    expect(fullCalls).toBe(2);
  });

  it('moves each coordinate by about learningRate·sign(g) on the first step (bias correction)', async () => {
    const g = [1000, -0.01, 3, -2e-5];
    const x = new Float32Array(4);
    await createAdam({ learningRate: 0.05 }).step(x, linear(g));
    // m̂ = g and v̂ = g², so the move is lr·g/(|g| + ε); without bias correction it would be about
    // lr·0.1/√0.001 ≈ 3.16·lr.
    const expected = g.map((gi) => (-0.05 * gi) / (Math.abs(gi) + 1e-8));
    expect(maxDifference(x, expected)).toBeLessThan(1e-8);
    expect(x[3]).toBeCloseTo(0.05 * (1 - 5e-4), 6);
  });

  it('keeps moving by learningRate per step under a constant gradient', async () => {
    const x = new Float32Array(2);
    const optimizer = createAdam({ learningRate: 0.1 });
    for (let i = 0; i < 5; i++) await optimizer.step(x, linear([4, -7]));
    expect(maxDifference(x, [-0.5, 0.5])).toBeLessThan(1e-6);
  });

  it('matches two Adam steps worked by hand on f(x) = x²/2 from x = 1', async () => {
    const x = Float32Array.of(1);
    const optimizer = createAdam({ learningRate: 0.1 });
    const square: Objective = async (x) => ({
      loss: 0.5 * (x[0] as number) ** 2,
      gradient: Float32Array.of(x[0] as number),
    });
    const first = await optimizer.step(x, square);
    expect(x[0]).toBeCloseTo(0.9, 6);
    // The loss is reported at the updated x.
    expect(first.loss).toBeCloseTo(0.405, 6);
    // m = 0.09 + 0.09 = 0.18, m̂ = 0.18/0.19; v = 0.000999 + 0.00081, v̂ = 0.001809/0.001999.
    await optimizer.step(x, square);
    expect(x[0]).toBeCloseTo(0.8004122, 6);
  });

  it('evaluates the objective twice on the first step and once per step after', async () => {
    const objective = counted(rosenbrockObjective);
    const optimizer = createAdam();
    const x = Float32Array.of(-1.2, 1);
    const evaluations: number[] = [];
    for (let i = 0; i < 5; i++) evaluations.push((await optimizer.step(x, objective)).evaluations);
    expect(evaluations).toEqual([2, 1, 1, 1, 1]);
    expect(objective.calls).toBe(6);
  });

  it('forgets its moments on reset()', async () => {
    const x = new Float32Array(1);
    const optimizer = createAdam({ learningRate: 0.1 });
    for (let i = 0; i < 3; i++) await optimizer.step(x, linear([1]));
    optimizer.reset();
    // After reset the first step is again a full learningRate against the (new) gradient.
    const before = x[0] as number;
    await optimizer.step(x, linear([-1]));
    expect((x[0] as number) - before).toBeCloseTo(0.1, 6);
  });

  it('converges on an ill-conditioned diagonal quadratic (condition 1e3, N = 100)', async () => {
    const n = 100;
    const diagonal = geometricDiagonal(n, 1e3);
    const b = Float64Array.from({ length: n }, seededRandom(1));
    const x = new Float32Array(n);
    expect(await minimise(x, diagonalQuadratic(diagonal, b), 1000, 0.03)).toBeLessThan(1000);
    expect(
      maxDifference(
        x,
        b.map((bi, i) => bi / (diagonal[i] as number)),
      ),
    ).toBeLessThan(1e-5);
  });

  it('converges on a dense SPD quadratic', async () => {
    const a = Float64Array.of(4, 1, 0, 1, 3, -1, 0, -1, 2);
    const minimum = Float64Array.of(1, -2, 0.5);
    const x = new Float32Array(3);
    await minimise(x, quadratic(a, multiply(a, minimum)), 3000, 0.03);
    expect(maxDifference(x, minimum)).toBeLessThan(1e-5);
  });

  it('reaches the 2-D Rosenbrock minimum with a small learning rate', async () => {
    const x = Float32Array.of(-1.2, 1);
    await minimise(x, rosenbrockObjective, 6000, 0.01);
    expect(maxDifference(x, [1, 1])).toBeLessThan(1e-3);
  });

  it('reaches the 10-D Rosenbrock minimum', async () => {
    const x = Float32Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    await minimise(x, rosenbrockObjective, 6000, 0.03);
    expect(maxDifference(x, new Float64Array(10).fill(1))).toBeLessThan(1e-3);
  });

  it('rejects bad options and a non-finite start with clear messages', async () => {
    expect(() => createAdam({ learningRate: 0 })).toThrow(/learningRate must be a positive number/);
    expect(() => createAdam({ beta1: 1 })).toThrow(/beta1/);
    expect(() => createAdam({ beta2: -0.1 })).toThrow(/beta2/);
    expect(() => createAdam({ epsilon: 0 })).toThrow(/epsilon/);
    const infinite: Objective = async (x) => ({
      loss: Number.POSITIVE_INFINITY,
      gradient: new Float32Array(x.length),
    });
    await expect(createAdam().step(new Float32Array(2), infinite)).rejects.toThrow(/non-finite loss/);
  });
});
