import type { ConvWeights } from '../network/weights-types.js';

/** A 3x3 kernel from the weights' HWIO [3, 3, in, out] to ONNX Conv's OIHW [out, in, 3, 3]. */
export function kernelOIHW(w: ConvWeights): Float32Array {
  const [kh, kw, cin, cout] = w.kernelShape;
  const out = new Float32Array(w.kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++) {
        const src = ((y * kw + x) * cin + i) * cout;
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = w.kernel[src + o] as number;
      }
  return out;
}

/**
 * The kernel of a conv layer's input-gradient, as an ordinary same-padding Conv from `out` to `in` channels:
 * spatially flipped and in/out transposed, [in, out, 3, 3], times `scale` (a folded constant factor of the gradient).
 * Exact for stride 1 and symmetric padding; faster in ONNX Runtime than ConvTranspose (see the spike's figures).
 */
export function inputGradientKernel(w: ConvWeights, scale = 1): Float32Array {
  const [kh, kw, cin, cout] = w.kernelShape;
  const out = new Float32Array(w.kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++) {
        const src = ((y * kw + x) * cin + i) * cout;
        const fy = kh - 1 - y;
        const fx = kw - 1 - x;
        for (let o = 0; o < cout; o++)
          out[((i * cout + o) * kh + fy) * kw + fx] = (w.kernel[src + o] as number) * scale;
      }
  return out;
}
