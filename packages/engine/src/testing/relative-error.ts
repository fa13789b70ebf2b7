/** Error measures the tests share (the ONNX path's, the tiled loss's, in Node and in browsers). */

export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** ‖a − b‖₂ / ‖b‖₂. */
export function relativeL2(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    diff += d * d;
    norm += (b[i] as number) ** 2;
  }
  return Math.sqrt(diff / norm);
}
