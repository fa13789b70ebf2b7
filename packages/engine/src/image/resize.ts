/**
 * Resampling of interleaved float images with a triangle (bilinear) filter whose support widens when shrinking,
 * so downscaling averages every source pixel (no aliasing) and upscaling is plain bilinear. Pure TS: the same
 * result on every backend.
 */

export interface FloatImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Float32Array;
}

/** The size whose longer side is at most `maxSide`, keeping the aspect ratio (never enlarges). */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The size scaled, up or down, so that its longest side is `side` (at least 1 px a side). */
export function scaleToSide(width: number, height: number, side: number): { width: number; height: number } {
  const scale = side / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

interface Taps {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float32Array;
  readonly stride: number;
}

/** For each output index along one axis, the source indices and normalised weights that form it. */
function computeTaps(src: number, dst: number): Taps {
  const scale = dst / src;
  const support = scale < 1 ? 1 / scale : 1;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const weights = new Float32Array(dst * stride);
  for (let o = 0; o < dst; o++) {
    const center = (o + 0.5) / scale - 0.5;
    const lo = Math.max(0, Math.ceil(center - support));
    const hi = Math.min(src - 1, Math.floor(center + support));
    let total = 0;
    let n = 0;
    for (let i = lo; i <= hi && n < stride; i++, n++) {
      const w = Math.max(0, 1 - Math.abs(i - center) / support);
      weights[o * stride + n] = w;
      total += w;
    }
    if (total === 0) {
      // Exactly between taps at the border: take the nearest source pixel.
      const nearest = Math.min(src - 1, Math.max(0, Math.round(center)));
      start[o] = nearest;
      count[o] = 1;
      weights[o * stride] = 1;
      continue;
    }
    for (let k = 0; k < n; k++) weights[o * stride + k] = (weights[o * stride + k] as number) / total;
    start[o] = lo;
    count[o] = n;
  }
  return { start, count, weights, stride };
}

export function resizeImage(image: FloatImage, width: number, height: number): FloatImage {
  const { width: sw, height: sh, channels: c, data } = image;
  if (sw === width && sh === height) return { width, height, channels: c, data: data.slice() };
  // Horizontal pass: [sh, width, c], then vertical: [height, width, c].
  const tx = computeTaps(sw, width);
  const mid = new Float32Array(sh * width * c);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < width; x++) {
      const s = tx.start[x] as number;
      const n = tx.count[x] as number;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < n; k++)
          acc += (tx.weights[x * tx.stride + k] as number) * (data[(y * sw + s + k) * c + ch] as number);
        mid[(y * width + x) * c + ch] = acc;
      }
    }
  }
  const ty = computeTaps(sh, height);
  const out = new Float32Array(height * width * c);
  const row = width * c;
  for (let y = 0; y < height; y++) {
    const s = ty.start[y] as number;
    const n = ty.count[y] as number;
    for (let k = 0; k < n; k++) {
      const w = ty.weights[y * ty.stride + k] as number;
      const srcRow = (s + k) * row;
      const dstRow = y * row;
      for (let i = 0; i < row; i++) out[dstRow + i] = (out[dstRow + i] as number) + w * (mid[srcRow + i] as number);
    }
  }
  return { width, height, channels: c, data: out };
}
