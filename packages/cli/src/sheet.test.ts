import type { RgbaImage } from '@impasto/engine/node';
import { describe, expect, it } from 'vitest';
import { cropAt, parseCropPoint } from './sheet.js';

/** A 10×6 picture whose red channel is its column and green its row. */
const ramp = {
  width: 10,
  height: 6,
  data: Uint8Array.from({ length: 10 * 6 * 4 }, (_, i) => {
    const [p, c] = [Math.floor(i / 4), i % 4];
    return c === 0 ? p % 10 : c === 1 ? Math.floor(p / 10) : 255;
  }),
};
const at = (image: RgbaImage, x: number, y: number) => {
  const i = (y * image.width + x) * 4;
  return [image.data[i], image.data[i + 1]];
};

describe('cropAt', () => {
  it('takes the window centred on the point, pixel for pixel', () => {
    const crop = cropAt(ramp, 5, 3, 4, 2); // columns 3..6, rows 2..3
    expect([crop.width, crop.height]).toEqual([4, 2]);
    expect(at(crop, 0, 0)).toEqual([3, 2]);
    expect(at(crop, 3, 1)).toEqual([6, 3]);
  });

  it('moves a window that would cross an edge inside the picture', () => {
    const crop = cropAt(ramp, 9, 0, 4, 2); // would start at column 7, row -1
    expect(at(crop, 0, 0)).toEqual([6, 0]);
    expect(at(crop, 3, 1)).toEqual([9, 1]);
  });

  it('narrows a window larger than the picture to the picture', () => {
    const crop = cropAt(ramp, 0, 0, 40, 4);
    expect([crop.width, crop.height]).toEqual([10, 4]);
    expect(at(crop, 9, 3)).toEqual([9, 3]);
  });
});

describe('parseCropPoint', () => {
  it('reads two fractions', () => {
    expect(parseCropPoint('0.5,0.3')).toEqual({ x: 0.5, y: 0.3 });
    expect(parseCropPoint('0,1')).toEqual({ x: 0, y: 1 });
  });

  it.each(['0.5,', ',0.3', '0.5', '0.5,0.3,0.1', '1.5,0.3', '-0.1,0.3', 'a,b', ''])('refuses "%s"', (text) => {
    expect(() => parseCropPoint(text)).toThrow(/--crop takes two fractions/);
  });
});
