import { describe, expect, it } from 'vitest';
import { cubicMinimizer, type Probe, strongWolfeSearch } from './line-search.js';

/** A 1-D line search problem phi(t) with its derivative; counts probes. */
function problem(phi: (t: number) => Probe, initialStep: number) {
  const probed: number[] = [];
  const start = phi(0);
  return {
    probed,
    search: () =>
      strongWolfeSearch({
        probe: async (t) => {
          probed.push(t);
          return phi(t);
        },
        keepLastProbe: () => {},
        loss0: start.loss,
        slope0: start.slope,
        initialStep,
        minStepWidth: 1e-12,
        maxEvaluations: 20,
      }),
  };
}

/** phi(t) = (t - 3)²: minimum at t = 3. */
const parabola = (t: number): Probe => ({
  loss: (t - 3) ** 2,
  slope: 2 * (t - 3),
});

function expectStrongWolfe(phi: (t: number) => Probe, t: number): void {
  const [at0, atT] = [phi(0), phi(t)];
  expect(atT.loss).toBeLessThanOrEqual(at0.loss + 1e-4 * t * at0.slope);
  expect(Math.abs(atT.slope)).toBeLessThanOrEqual(0.9 * Math.abs(at0.slope));
}

describe('cubicMinimizer', () => {
  it('recovers the minimiser of a cubic exactly from two points', () => {
    // t³ - 3t has its local minimum at t = 1; points at 0 and 2 determine it.
    const cubic = (t: number) => ({
      t,
      loss: t ** 3 - 3 * t,
      slope: 3 * t * t - 3,
    });
    expect(cubicMinimizer(cubic(0), cubic(2))).toBeCloseTo(1, 12);
    expect(cubicMinimizer(cubic(2), cubic(0))).toBeCloseTo(1, 12);
    expect(cubicMinimizer({ t: 0, ...parabola(0) }, { t: 5, ...parabola(5) })).toBeCloseTo(3, 12);
  });
});

describe('strongWolfeSearch', () => {
  it('accepts the first step when it already satisfies the strong Wolfe conditions', async () => {
    const { search, probed } = problem(parabola, 3.5);
    const result = await search();
    expect(result).toEqual({ step: 3.5, loss: 0.25, evaluations: 1 });
    expect(probed).toEqual([3.5]);
  });

  it('expands a too-short first step and shrinks a too-long one to a strong-Wolfe point', async () => {
    for (const initialStep of [0.01, 50]) {
      const result = await problem(parabola, initialStep).search();
      expect(result.step).toBeGreaterThan(0);
      expectStrongWolfe(parabola, result.step);
      expect(result.loss).toBe(parabola(result.step).loss);
    }
  });

  it('treats NaN and Infinity as too far and backtracks to a finite, lower point', async () => {
    const cliff = (t: number): Probe => (t > 1 ? { loss: Number.NaN, slope: Number.NaN } : parabola(t));
    const result = await problem(cliff, 10).search();
    expect(result.step).toBeGreaterThan(0);
    expect(result.step).toBeLessThanOrEqual(1);
    expect(result.loss).toBeLessThan(9);
    const infinite = (t: number): Probe => (t > 1 ? { loss: Number.POSITIVE_INFINITY, slope: 1 } : parabola(t));
    expect((await problem(infinite, 10).search()).step).toBe(result.step);
  });

  it('never keeps a point whose slope is NaN, however low its loss', async () => {
    const brokenGradient = (t: number): Probe => (t > 1 ? { loss: -100, slope: Number.NaN } : parabola(t));
    const result = await problem(brokenGradient, 2).search();
    expect(result.step).toBeGreaterThan(0);
    expect(result.step).toBeLessThanOrEqual(1);
  });

  it('returns step 0 when no step lowers the loss', async () => {
    // The reported slope says "descend", but the loss only rises: a wrong gradient.
    const liar = (t: number): Probe => ({
      loss: t * t + t,
      slope: t === 0 ? -1 : 2 * t + 1,
    });
    const result = await problem(liar, 1).search();
    expect(result.step).toBe(0);
    expect(result.loss).toBe(0);
    expect(result.evaluations).toBeLessThanOrEqual(20);
  });

  it('rejects a direction that does not descend', async () => {
    await expect(problem((t) => parabola(t + 4), 1).search()).rejects.toThrow(/descent direction/);
  });
});
