import { describe, expect, it } from 'vitest';
import { addTotalVariation } from './total-variation.js';

/** Σ over every pixel and channel of its squared differences with the pixel below and to the right, in float64. */
function referenceTv(width: number, height: number, data: Float32Array, weight: number) {
  const gradient = new Float64Array(data.length);
  let sum = 0;
  const at = (x: number, y: number, c: number) => (y * width + x) * 3 + c;
  const pair = (a: number, b: number) => {
    const d = (data[b] as number) - (data[a] as number);
    sum += d * d;
    gradient[a] = (gradient[a] as number) - 2 * weight * d;
    gradient[b] = (gradient[b] as number) + 2 * weight * d;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        if (x + 1 < width) pair(at(x, y, c), at(x + 1, y, c));
        if (y + 1 < height) pair(at(x, y, c), at(x, y + 1, c));
      }
    }
  }
  return { loss: weight * sum, gradient };
}

describe('addTotalVariation', () => {
  it('gives a hand-computed 2x2 image its loss and gradient', () => {
    // One channel varies: red 0, 1 / 3, 7 (row-major); green and blue are flat.
    const data = new Float32Array([0, 5, 5, 1, 5, 5, 3, 5, 5, 7, 5, 5]);
    const gradient = new Float32Array(12).fill(1);
    // Pairs (1-0)², (3-0)², (7-1)², (7-3)² = 1 + 9 + 36 + 16 = 62.
    expect(addTotalVariation({ width: 2, height: 2, data }, 0.5, gradient)).toBe(31);
    // d/d red: at 0: -(1) - (3) = -4, at 1: +1 - 6 = -5, at 3: +3 - 4 = -1, at 7: +6 + 4 = 10 (×2·0.5), added to 1.
    expect([gradient[0], gradient[3], gradient[6], gradient[9]]).toEqual([-3, -4, 0, 11]);
    expect([gradient[1], gradient[2], gradient[10], gradient[11]]).toEqual([1, 1, 1, 1]);
  });

  it('matches a per-pair float64 sum and its finite differences on odd sizes', () => {
    for (const [width, height] of [
      [7, 5],
      [1, 4],
      [6, 1],
    ] as const) {
      const data = Float32Array.from({ length: width * height * 3 }, (_, i) => Math.sin(i * 1.7) * 40);
      const expected = referenceTv(width, height, data, 0.01);
      const gradient = new Float32Array(data.length);
      const loss = addTotalVariation({ width, height, data }, 0.01, gradient);
      expect(loss).toBeCloseTo(expected.loss, 6);
      for (let i = 0; i < data.length; i++) expect(gradient[i]).toBeCloseTo(expected.gradient[i] as number, 4);
      expect(addTotalVariation({ width, height, data }, 0.01, null)).toBe(loss);
      // A central difference on one entry (the loss is quadratic, so it is exact up to rounding).
      const i = Math.floor(data.length / 2);
      const h = 0.25;
      const moved = (by: number) => {
        const copy = data.slice();
        copy[i] = (copy[i] as number) + by;
        return addTotalVariation({ width, height, data: copy }, 0.01, null);
      };
      expect((moved(h) - moved(-h)) / (2 * h)).toBeCloseTo(gradient[i] as number, 3);
    }
  });

  it('is zero, and leaves the gradient alone, at weight 0', () => {
    const gradient = new Float32Array(12).fill(2);
    expect(addTotalVariation({ width: 2, height: 2, data: new Float32Array(12).map((_, i) => i) }, 0, gradient)).toBe(
      0,
    );
    expect([...gradient]).toEqual(new Array(12).fill(2));
  });
});
