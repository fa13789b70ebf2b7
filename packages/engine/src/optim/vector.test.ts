import { describe, expect, it } from 'vitest';
import { addScaledInto, allFinite, axpyScaleDot, dot, equal, maxAbs, scaleInto, sumAbs } from './vector.js';

describe('vector', () => {
  it('dot accumulates in float64 (float32 sums would lose the 1 against 1e8)', () => {
    const a = Float32Array.of(1e8, 0, 1, 0, -1e8);
    expect(dot(a, new Float32Array(5).fill(1))).toBe(1);
    expect(dot(Float32Array.of(1, 2, 3), Float32Array.of(4, -5, 6))).toBe(12);
  });

  it('axpyScaleDot updates y = c(y + αx) and returns z·y, also when z is x', () => {
    const x = Float32Array.of(1, 2, 3);
    const y = Float32Array.of(4, 5, 6);
    expect(axpyScaleDot(2, x, y, 0.5, Float32Array.of(1, 0, -1))).toBe(-3);
    expect(Array.from(y)).toEqual([3, 4.5, 6]);
    expect(axpyScaleDot(0, x, y, 1, x)).toBe(3 + 9 + 18);
  });

  it('scaleInto and addScaledInto write into the output', () => {
    const out = new Float32Array(3);
    scaleInto(-2, Float32Array.of(1, -2, 0.5), out);
    expect(Array.from(out)).toEqual([-2, 4, -1]);
    addScaledInto(Float32Array.of(1, 1, 1), 0.5, Float32Array.of(2, -4, 0), out);
    expect(Array.from(out)).toEqual([2, -1, 1]);
  });

  it('norms and checks see signs, NaN and Infinity', () => {
    expect(maxAbs(Float32Array.of(1, -7, 3))).toBe(7);
    expect(maxAbs(Float32Array.of(1, Number.NaN, 3))).toBeNaN();
    expect(sumAbs(Float32Array.of(1, -7, 3))).toBe(11);
    expect(allFinite(Float32Array.of(1, -7, 3))).toBe(true);
    expect(allFinite(Float32Array.of(1, Number.NEGATIVE_INFINITY))).toBe(false);
    expect(allFinite(Float32Array.of(Number.NaN))).toBe(false);
    expect(equal(Float32Array.of(1, 2), Float32Array.of(1, 2))).toBe(true);
    expect(equal(Float32Array.of(1, 2), Float32Array.of(1, 2.5))).toBe(false);
    expect(equal(Float32Array.of(1), Float32Array.of(1, 2))).toBe(false);
    expect(equal(Float32Array.of(Number.NaN), Float32Array.of(Number.NaN))).toBe(false);
  });
});
