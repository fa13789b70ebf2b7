import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageSizeFromHeader } from './header-size.js';

const blank = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#808080' } });

describe('imageSizeFromHeader', () => {
  it.each([
    ['png', (s: Sharp) => s.png()],
    ['jpeg', (s: Sharp) => s.jpeg()],
    ['progressive jpeg with EXIF', (s: Sharp) => s.withMetadata({ orientation: 1 }).jpeg({ progressive: true })],
    ['lossy webp', (s: Sharp) => s.webp()],
    ['lossless webp', (s: Sharp) => s.webp({ lossless: true })],
    ['gif', (s: Sharp) => s.gif()],
  ])('reads the size of a %s without decoding it', async (_, encode) => {
    for (const [width, height] of [
      [37, 5],
      [3, 4000],
    ] as const) {
      const bytes = new Uint8Array(await encode(blank(width, height)).toBuffer());
      expect(imageSizeFromHeader(bytes)).toEqual({ width, height });
      // Only the header is needed: the first 2 kB are enough.
      expect(imageSizeFromHeader(bytes.subarray(0, 2048))).toEqual({ width, height });
    }
  });

  it('webp with alpha (VP8X) and unknown or broken bytes', async () => {
    const rgba = await sharp({ create: { width: 70, height: 9, channels: 4, background: '#8888' } })
      .webp()
      .toBuffer();
    expect(imageSizeFromHeader(new Uint8Array(rgba))).toEqual({ width: 70, height: 9 });
    expect(imageSizeFromHeader(new TextEncoder().encode('not an image at all, just text'))).toBeUndefined();
    expect(imageSizeFromHeader(new Uint8Array([0xff, 0xd8, 0x00, 0x00, 1, 2, 3, 4, 5, 6]))).toBeUndefined();
    expect(imageSizeFromHeader(new Uint8Array(0))).toBeUndefined();
  });
});
