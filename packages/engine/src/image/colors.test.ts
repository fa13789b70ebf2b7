import { describe, expect, it } from 'vitest';
import { colorStats, keepContentColors, matchColorStats, toYiq } from './colors.js';
import type { RgbaImage } from './rgba.js';

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      data.set([...pixel(x, y), 255], (y * width + x) * 4);
    }
  return { width, height, data };
}

describe('colour preservation', () => {
  it('YIQ of pure colours matches the NTSC table (hand values)', () => {
    const white = toYiq(image(1, 1, () => [255, 255, 255]));
    expect(white[0]).toBeCloseTo(255, 3);
    expect(white[1]).toBeCloseTo(0, 3);
    expect(white[2]).toBeCloseTo(0, 3);
    const red = toYiq(image(1, 1, () => [255, 0, 0]));
    expect([red[0], red[1], red[2]].map((v) => Math.round(v as number))).toEqual([76, 152, 54]);
  });

  it("keeps the result's luminance and the content's chroma (grey result + red content → a red of that brightness)", () => {
    const content = image(4, 3, (x) => [200, 60 + x * 10, 40]);
    const result = image(4, 3, (_x, y) => [90 + y * 20, 90 + y * 20, 90 + y * 20]);
    const kept = keepContentColors(result, content);
    const k = toYiq(kept);
    const c = toYiq(content);
    const r = toYiq(result);
    for (let i = 0; i < 12; i++) {
      expect(Math.abs((k[i * 3] as number) - (r[i * 3] as number))).toBeLessThan(1);
      expect(Math.abs((k[i * 3 + 1] as number) - (c[i * 3 + 1] as number))).toBeLessThan(1.5);
      expect(Math.abs((k[i * 3 + 2] as number) - (c[i * 3 + 2] as number))).toBeLessThan(1.5);
    }
    expect(() =>
      keepContentColors(
        result,
        image(2, 2, () => [0, 0, 0]),
      ),
    ).toThrow('differ in size');
  });

  it("colour matching gives the style the content's mean and covariance", () => {
    const style = image(16, 16, (x, y) => [40 + x * 5, 30 + y * 3, 120 + ((x * y) % 7) * 4]);
    const content = image(16, 16, (x, y) => [100 + y * 4, 90 + x * 3 + y, 60 + x * 2]);
    const matched = matchColorStats(style, content);
    const m = colorStats(matched);
    const c = colorStats(content);
    for (let k = 0; k < 3; k++) expect(Math.abs((m.mean[k] as number) - (c.mean[k] as number))).toBeLessThan(0.5);
    for (let k = 0; k < 9; k++)
      expect(Math.abs((m.cov[k] as number) - (c.cov[k] as number))).toBeLessThan(0.05 * c.cov[0] + 1);
    expect(colorStats(style).mean[2]).toBeGreaterThan(c.mean[2] + 40); // it really moved
  });
});
