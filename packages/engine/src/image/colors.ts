import { cholesky3, invert3, type Mat3, mul3 } from './mat3.js';
import type { RgbaImage } from './rgba.js';

/** RGB → YIQ (NTSC): Y is luminance, I and Q the chroma. */
export const RGB_TO_YIQ: Mat3 = [0.299, 0.587, 0.114, 0.596, -0.274, -0.322, 0.211, -0.523, 0.312];
const YIQ_TO_RGB = invert3(RGB_TO_YIQ);

function apply(m: Mat3, r: number, g: number, b: number, k: number): number {
  return (m[k * 3] as number) * r + (m[k * 3 + 1] as number) * g + (m[k * 3 + 2] as number) * b;
}

/** The YIQ of each pixel, interleaved float [Y, I, Q]. */
export function toYiq(image: RgbaImage): Float32Array {
  const { data } = image;
  const out = new Float32Array(image.width * image.height * 3);
  for (let p = 0, q = 0; p < data.length; p += 4, q += 3) {
    const r = data[p] as number;
    const g = data[p + 1] as number;
    const b = data[p + 2] as number;
    for (let k = 0; k < 3; k++) out[q + k] = apply(RGB_TO_YIQ, r, g, b, k);
  }
  return out;
}

/**
 * "Keep original colours" (Gatys et al. 2017, luminance-only transfer): the stylized result's luminance with the
 * content's chroma. Both images must have the same size; the result's alpha is kept.
 */
export function keepContentColors(result: RgbaImage, content: RgbaImage): RgbaImage {
  if (result.width !== content.width || result.height !== content.height) {
    throw new Error(
      `keepColors: result ${result.width}x${result.height} and content ${content.width}x${content.height} differ in size`,
    );
  }
  const y = toYiq(result);
  const c = toYiq(content);
  const out = new Uint8ClampedArray(result.data.length);
  for (let p = 0, q = 0; p < out.length; p += 4, q += 3) {
    const Y = y[q] as number;
    const I = c[q + 1] as number;
    const Q = c[q + 2] as number;
    for (let k = 0; k < 3; k++) out[p + k] = Math.round(apply(YIQ_TO_RGB, Y, I, Q, k));
    out[p + 3] = result.data[p + 3] as number;
  }
  return { width: result.width, height: result.height, data: out };
}

/** Mean and covariance of the RGB values of all pixels. */
export function colorStats(image: RgbaImage): { mean: [number, number, number]; cov: Mat3 } {
  const { data } = image;
  const n = image.width * image.height;
  const sum = [0, 0, 0];
  for (let p = 0; p < data.length; p += 4)
    for (let k = 0; k < 3; k++) sum[k] = (sum[k] as number) + (data[p + k] as number);
  const mean: [number, number, number] = [(sum[0] as number) / n, (sum[1] as number) / n, (sum[2] as number) / n];
  const cov = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let p = 0; p < data.length; p += 4)
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        const da = (data[p + a] as number) - (mean[a] as number);
        const db = (data[p + b] as number) - (mean[b] as number);
        cov[a * 3 + b] = (cov[a * 3 + b] as number) + (da * db) / n;
      }
  return { mean, cov: cov as unknown as Mat3 };
}

/**
 * Colour matching (Gatys et al. 2017, §5.1, Cholesky variant): an affine map of `source`'s RGB so its mean and
 * covariance become `target`'s, x' = L_t L_s⁻¹ (x − μ_s) + μ_t. Values are clamped to 0–255; alpha is kept.
 */
export function matchColorStats(source: RgbaImage, target: RgbaImage): RgbaImage {
  const s = colorStats(source);
  const t = colorStats(target);
  const a = mul3(cholesky3(t.cov), invert3(cholesky3(s.cov)));
  const out = new Uint8ClampedArray(source.data.length);
  for (let p = 0; p < out.length; p += 4) {
    const r = (source.data[p] as number) - s.mean[0];
    const g = (source.data[p + 1] as number) - s.mean[1];
    const b = (source.data[p + 2] as number) - s.mean[2];
    for (let k = 0; k < 3; k++) out[p + k] = Math.round(apply(a, r, g, b, k) + (t.mean[k] as number));
    out[p + 3] = source.data[p + 3] as number;
  }
  return { width: source.width, height: source.height, data: out };
}
