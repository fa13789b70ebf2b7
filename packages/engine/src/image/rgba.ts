/** An image as hosts pass it around: 8-bit RGBA, row-major, no padding. */
import { ImpastoError } from '@impasto/errors';
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** The largest image the engine accepts on either side (Figma's and most GPUs' texture limit). */
export const MAX_IMAGE_SIDE = 16384;

/** The most pixels the engine accepts (50 MP: 200 MB as RGBA); larger photos are refused before decoding. */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Throws a clear error for an image that cannot be processed. `what` names it in the message. */
export function validateRgba(image: RgbaImage, what: string): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ImpastoError('bad-image', `${what} has no pixels (${width}x${height})`, { role: what, width, height });
  }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImpastoError(
      'image-too-large',
      `${what} is too large (${width}x${height}); the limit is ${MAX_IMAGE_SIDE} px a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels`,
      { role: what, width, height, maxSide: MAX_IMAGE_SIDE, maxPixels: MAX_IMAGE_PIXELS },
    );
  }
  if (data.length !== width * height * 4) {
    throw new ImpastoError(
      'bad-image',
      `${what}: expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${data.length}`,
      { role: what, width, height },
    );
  }
}

/** True when any pixel is not fully opaque. */
export function hasTransparency(image: RgbaImage): boolean {
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i] !== 255) return true;
  return false;
}
