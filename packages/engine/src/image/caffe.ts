import type { RgbaImage } from './rgba.js';

/**
 * The input convention of the Caffe-origin VGG19 weights: BGR order, 0-255, ImageNet mean subtracted.
 * A "Caffe image" here is interleaved float32 [h, w, 3] in that convention.
 */
export const IMAGENET_MEAN_BGR = [103.939, 116.779, 123.68] as const;

export interface CaffeImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** RGBA bytes to the network's input. Transparent pixels are composited over `background` (RGB, default white). */
export function rgbaToCaffe(
  image: RgbaImage,
  background: readonly [number, number, number] = [255, 255, 255],
): CaffeImage {
  const { width, height, data } = image;
  const out = new Float32Array(width * height * 3);
  const [mb, mg, mr] = IMAGENET_MEAN_BGR;
  for (let p = 0, q = 0; p < data.length; p += 4, q += 3) {
    const a = (data[p + 3] as number) / 255;
    const r = (data[p] as number) * a + background[0] * (1 - a);
    const g = (data[p + 1] as number) * a + background[1] * (1 - a);
    const b = (data[p + 2] as number) * a + background[2] * (1 - a);
    out[q] = b - mb;
    out[q + 1] = g - mg;
    out[q + 2] = r - mr;
  }
  return { width, height, data: out };
}

/** The network's input space back to RGBA bytes, rounded and clamped to 0-255. `alpha` (one byte a pixel) is kept. */
export function caffeToRgba(image: CaffeImage, alpha?: Uint8Array): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(width * height * 4);
  const [mb, mg, mr] = IMAGENET_MEAN_BGR;
  for (let p = 0, q = 0, i = 0; q < data.length; p += 4, q += 3, i++) {
    out[p] = Math.round((data[q + 2] as number) + mr);
    out[p + 1] = Math.round((data[q + 1] as number) + mg);
    out[p + 2] = Math.round((data[q] as number) + mb);
    out[p + 3] = alpha ? (alpha[i] as number) : 255;
  }
  return { width, height, data: out };
}

/** The alpha channel of an image, one byte a pixel. */
export function alphaOf(image: RgbaImage): Uint8Array {
  const out = new Uint8Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) out[i] = image.data[i * 4 + 3] as number;
  return out;
}
