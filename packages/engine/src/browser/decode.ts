import { ImpastoError } from '@impasto/errors';
import { imageSizeFromHeader } from '../image/header-size.js';
import { isTooLarge, type RgbaImage, tooLargeError } from '../image/rgba.js';

/** The bytes a header needs: enough for PNG, GIF, WebP and JPEGs with a large EXIF block before the frame. */
const HEADER_BYTES = 256 * 1024;

function badImage(name: string, reason: 'empty' | 'unreadable', message: string): ImpastoError {
  return new ImpastoError('bad-image', message, { role: name, name, reason });
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
 * An image beyond the size limits is refused from its header, before decoding. Errors are ImpastoErrors
 * ('bad-image', 'image-too-large') whose details carry `name` as given (a file name, or a role).
 */
export async function decodeImage(bytes: Blob | ArrayBuffer | Uint8Array, name = 'the file'): Promise<RgbaImage> {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart]);
  if (blob.size === 0) throw badImage(name, 'empty', `${name} is empty`);
  const header = imageSizeFromHeader(new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer()));
  if (header && isTooLarge(header.width, header.height)) throw tooLargeError(name, header.width, header.height);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
  } catch {
    throw badImage(name, 'unreadable', `${name} is not an image this browser can read`);
  }
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) throw badImage(name, 'empty', `${name} has no pixels`);
    if (isTooLarge(width, height)) throw tooLargeError(name, width, height);
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
