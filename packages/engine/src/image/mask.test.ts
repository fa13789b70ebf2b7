import { describe, expect, it } from 'vitest';
import { checkMaskShape, invertMask, maskValues } from './mask.js';
import type { RgbaImage } from './rgba.js';

/** One row of RGBA pixels. */
const row = (...pixels: number[][]): RgbaImage => ({
  width: pixels.length,
  height: 1,
  data: Uint8Array.from(pixels.flat()),
});

describe('style masks from images', () => {
  it('reads luminance times alpha: white 1, black 0, grey in between, half-transparent white 1/2', () => {
    const mask = row([255, 255, 255, 255], [0, 0, 0, 255], [51, 51, 51, 255], [255, 255, 255, 128]);
    const values = Array.from(maskValues(mask, 4, 1));
    expect(values.map((v) => Number(v.toFixed(4)))).toEqual([1, 0, 0.2, Number((128 / 255).toFixed(4))]);
    // Pure red is its Rec. 601 luminance.
    expect(maskValues(row([255, 0, 0, 255]), 1, 1)[0]).toBeCloseTo(0.299, 5);
  });

  it('shrinks by averaging (soft edges), staying within [0, 1]', () => {
    const mask = row([255, 255, 255, 255], [255, 255, 255, 255], [0, 0, 0, 255], [0, 0, 0, 255]);
    // The resampler's triangle filter overlaps neighbours: a soft step, symmetric about the edge.
    const [left, right] = Array.from(maskValues(mask, 2, 1)) as [number, number];
    expect(left).toBeGreaterThan(0.75);
    expect(left).toBeLessThan(1);
    expect(left + right).toBeCloseTo(1, 5);
    const one = maskValues(mask, 1, 1);
    expect(one[0]).toBeCloseTo(0.5, 5);
  });

  it('invertMask swaps here and not here (transparent becomes here)', () => {
    const inverse = invertMask(row([255, 255, 255, 255], [0, 0, 0, 255], [255, 255, 255, 0]));
    expect(Array.from(maskValues(inverse, 3, 1))).toEqual([0, 1, 1]);
  });

  it("accepts a mask of the content's shape at another size, and refuses another shape", () => {
    expect(() =>
      checkMaskShape({ width: 64, height: 48, data: new Uint8Array() }, { width: 640, height: 480 }, 'm'),
    ).not.toThrow();
    expect(() =>
      checkMaskShape({ width: 10, height: 30, data: new Uint8Array() }, { width: 32, height: 24 }, 'the mask'),
    ).toThrow(
      "the mask is 10x30, which does not have the content image's shape (32x24); draw the mask over the content image",
    );
  });
});
