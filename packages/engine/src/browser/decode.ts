import { ImpastoError, type ImpastoErrorDetails } from '@impasto/errors';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, type RgbaImage } from '../image/rgba.js';

/** Thrown for bytes that are not a decodable image ('bad-image'), or an image beyond the size limit. */
export class ImageDecodeError extends ImpastoError {
  override name = 'ImageDecodeError';
  constructor(message: string, code: 'bad-image' | 'image-too-large' = 'bad-image', details: ImpastoErrorDetails = {}) {
    super(code, message, details);
  }
}

function canvas2d(width: number, height: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot create a 2D canvas');
  return ctx;
}

/**
 * Decodes image bytes (PNG, JPEG, WebP, GIF, …: whatever the browser reads) to RGBA, EXIF orientation applied.
 * `name` appears in error messages.
 */
export async function decodeImage(bytes: Blob | ArrayBuffer | Uint8Array, name = 'the file'): Promise<RgbaImage> {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart]);
  if (blob.size === 0) throw new ImageDecodeError(`${name} is empty`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
  } catch {
    throw new ImageDecodeError(`${name} is not an image this browser can read`);
  }
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) throw new ImageDecodeError(`${name} has no pixels`);
    if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
      throw new ImageDecodeError(
        `${name} is too large (${width}x${height}; the limit is ${MAX_IMAGE_SIDE} px a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels)`,
        'image-too-large',
        { role: name, width, height, maxSide: MAX_IMAGE_SIDE, maxPixels: MAX_IMAGE_PIXELS },
      );
    }
    const ctx = canvas2d(width, height);
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, width, height).data;
    return { width, height, data };
  } finally {
    bitmap.close();
  }
}

/** Draws an RGBA image into a canvas 2D context (for previews). */
export function imageDataOf(image: RgbaImage): ImageData {
  return new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
}
