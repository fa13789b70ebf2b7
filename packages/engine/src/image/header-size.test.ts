import { describe, expect, it } from 'vitest';
import { imageSizeFromHeader } from './header-size.js';

// Headers written by hand from each format's specification (PNG IHDR, GIF89a, JFIF/SOF, RIFF WebP chunks).
const be16 = (v: number) => [v >> 8, v & 0xff];
const be32 = (v: number) => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const le16 = (v: number) => [v & 0xff, v >> 8];
const le24 = (v: number) => [v & 0xff, (v >> 8) & 0xff, v >> 16];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const bytes = (...parts: number[][]) => new Uint8Array(parts.flat());
const riff = (chunk: string, body: number[]) =>
  bytes(ascii('RIFF'), [0, 0, 0, 0], ascii('WEBP'), ascii(chunk), [body.length, 0, 0, 0], body, new Array(16).fill(0));

const png = (w: number, h: number) =>
  bytes([0x89], ascii('PNG\r\n\x1a\n'), be32(13), ascii('IHDR'), be32(w), be32(h), [8, 6, 0, 0, 0], [0, 0, 0, 0]);
const gif = (w: number, h: number) => bytes(ascii('GIF89a'), le16(w), le16(h), [0, 0, 0]);
/** SOI, an APP0 segment, a DHT segment, then a baseline or progressive frame header. */
const jpeg = (w: number, h: number, sof: number) =>
  bytes(
    [0xff, 0xd8],
    [0xff, 0xe0],
    be16(16),
    ascii('JFIF\0'),
    new Array(9).fill(0),
    [0xff, 0xc4],
    be16(5),
    [0, 1, 2],
    [0xff, sof],
    be16(17),
    [8],
    be16(h),
    be16(w),
    [3],
    new Array(9).fill(0),
  );
const webpLossy = (w: number, h: number) => riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(w), ...le16(h)]);
const webpLossless = (w: number, h: number) => {
  const bits = (w - 1) | ((h - 1) << 14);
  return riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]);
};
const webpExtended = (w: number, h: number) => riff('VP8X', [0x10, 0, 0, 0, ...le24(w - 1), ...le24(h - 1)]);

describe('imageSizeFromHeader: the size without decoding', () => {
  it.each([
    ['PNG', png],
    ['GIF', gif],
    ['baseline JPEG', (w: number, h: number) => jpeg(w, h, 0xc0)],
    ['progressive JPEG', (w: number, h: number) => jpeg(w, h, 0xc2)],
    ['lossy WebP', webpLossy],
    ['lossless WebP', webpLossless],
    ['extended WebP', webpExtended],
  ])('%s', (_, make) => {
    expect(imageSizeFromHeader(make(4000, 3))).toEqual({ width: 4000, height: 3 });
    expect(imageSizeFromHeader(make(1, 16383))).toEqual({ width: 1, height: 16383 });
  });

  it('PNG and WebP headers hold sizes past any limit (a 20000x20000 photo is refused at once)', () => {
    expect(imageSizeFromHeader(png(20000, 20000))).toEqual({ width: 20000, height: 20000 });
    expect(imageSizeFromHeader(webpExtended(20000, 20000))).toEqual({ width: 20000, height: 20000 });
  });

  it('other or broken bytes: undefined, and the decoder decides', () => {
    expect(imageSizeFromHeader(new TextEncoder().encode('not an image at all, just some text'))).toBeUndefined();
    expect(imageSizeFromHeader(bytes([0xff, 0xd8], [0x00, 0x00, 1, 2, 3, 4, 5, 6, 7]))).toBeUndefined();
    expect(imageSizeFromHeader(jpeg(10, 10, 0xc0).subarray(0, 30))).toBeUndefined(); // cut before the frame
    expect(imageSizeFromHeader(new Uint8Array(0))).toBeUndefined();
  });
});
