import { describe, expect, it } from 'vitest';
import { solidJpeg, solidPng } from '../testing/png-fixtures.js';
import { pngSize } from './png.js';

describe('pngSize', () => {
  it('reads the size of PNGs sharp wrote', async () => {
    expect(pngSize(await solidPng(37, 5))).toEqual({ width: 37, height: 5 });
    expect(pngSize(await solidPng(1, 300))).toEqual({ width: 1, height: 300 });
  });

  it('reads a PNG inside a larger buffer (a view with an offset)', async () => {
    const png = await solidPng(9, 4);
    const buffer = new Uint8Array(png.length + 10);
    buffer.set(png, 10);
    expect(pngSize(buffer.subarray(10))).toEqual({ width: 9, height: 4 });
  });

  it('refuses JPEGs, empty and truncated bytes', async () => {
    const jpeg = await solidJpeg(8, 8);
    const truncated = (await solidPng(8, 8)).subarray(0, 20);
    expect(() => pngSize(jpeg)).toThrow('the image is not a PNG');
    expect(() => pngSize(new Uint8Array())).toThrow('the image is not a PNG');
    expect(() => pngSize(truncated)).toThrow('the image is not a PNG');
  });
});
