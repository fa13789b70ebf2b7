import { ImpastoError } from '@impasto/errors';
import { resizeImage } from './resize.js';
import type { RgbaImage } from './rgba.js';

/** How far a mask's aspect ratio may stray from the content's before it is refused rather than stretched. */
const ASPECT_TOLERANCE = 0.02;

/** How much a mask pixel (RGBA bytes at `i`) says "here", 0–1: its luminance (Rec. 601) times its alpha. */
function coverageAt(data: RgbaImage['data'], i: number): number {
  const luminance = 0.299 * (data[i] as number) + 0.587 * (data[i + 1] as number) + 0.114 * (data[i + 2] as number);
  return (luminance / 255) * ((data[i + 3] as number) / 255);
}

/** Throws unless `mask` has the content's aspect ratio (within 2%): masks are drawn over the content image. */
export function checkMaskShape(mask: RgbaImage, content: { width: number; height: number }, what: string): void {
  const aspect = mask.width / mask.height / (content.width / content.height);
  if (Math.abs(aspect - 1) > ASPECT_TOLERANCE) {
    throw new ImpastoError(
      'bad-mask',
      `${what} is ${mask.width}x${mask.height}, which does not have the content image's shape ` +
        `(${content.width}x${content.height}); draw the mask over the content image`,
      {
        role: what,
        width: mask.width,
        height: mask.height,
        contentWidth: content.width,
        contentHeight: content.height,
      },
    );
  }
}

/**
 * A mask image as one value in [0, 1] per output position: its luminance (Rec. 601) times its alpha, so white or
 * opaque paint on transparency means "here", black or transparent "not here". Stretched to `width`×`height`
 * (area-weighted, so edges become soft).
 */
export function maskValues(mask: RgbaImage, width: number, height: number): Float32Array {
  const values = new Float32Array(mask.width * mask.height);
  for (let p = 0; p < values.length; p++) values[p] = coverageAt(mask.data, 4 * p);
  const resized = resizeImage({ width: mask.width, height: mask.height, channels: 1, data: values }, width, height);
  return resized.data.map((v) => Math.min(1, Math.max(0, v)));
}

/** The complement of a mask image (white where it is black): the region a second style takes. */
export function invertMask(mask: RgbaImage): RgbaImage {
  const data = new Uint8ClampedArray(mask.data.length);
  for (let i = 0; i < data.length; i += 4) {
    const off = 255 * (1 - coverageAt(mask.data, i));
    data.set([off, off, off, 255], i);
  }
  return { width: mask.width, height: mask.height, data };
}
