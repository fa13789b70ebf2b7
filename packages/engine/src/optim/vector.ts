/**
 * Tight loops over flat Float32Arrays for the optimisers. Sums are accumulated in float64 (a JS number);
 * callers guarantee equal lengths.
 */

/** a · b. */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += (a[i] as number) * (b[i] as number);
    s1 += (a[i + 1] as number) * (b[i + 1] as number);
  }
  if (i < n) s0 += (a[i] as number) * (b[i] as number);
  return s0 + s1;
}

/**
 * y = c · (y + alpha · x), then returns z · y (z may be x). One pass where an axpy followed by a dot product
 * would take two: the L-BFGS two-loop recursion is made of these.
 */
export function axpyScaleDot(alpha: number, x: Float32Array, y: Float32Array, c: number, z: Float32Array): number {
  const n = y.length;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const v0 = Math.fround(c * ((y[i] as number) + alpha * (x[i] as number)));
    const v1 = Math.fround(c * ((y[i + 1] as number) + alpha * (x[i + 1] as number)));
    y[i] = v0;
    y[i + 1] = v1;
    s0 += (z[i] as number) * v0;
    s1 += (z[i + 1] as number) * v1;
  }
  if (i < n) {
    const v = Math.fround(c * ((y[i] as number) + alpha * (x[i] as number)));
    y[i] = v;
    s0 += (z[i] as number) * v;
  }
  return s0 + s1;
}

/** out = alpha · x. */
export function scaleInto(alpha: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = alpha * (x[i] as number);
}

/** out = x + alpha · d (out may not alias d). */
export function addScaledInto(x: Float32Array, alpha: number, d: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = (x[i] as number) + alpha * (d[i] as number);
}

/** Largest absolute entry (NaN if any entry is NaN). */
export function maxAbs(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i] as number);
    if (a > m) m = a;
    else if (Number.isNaN(a)) return Number.NaN;
  }
  return m;
}

/** Sum of absolute entries (the L1 norm). */
export function sumAbs(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] as number);
  return s;
}

/** True when every entry is finite. */
export function allFinite(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) {
    // x - x is 0 for finite numbers and NaN for ±Infinity and NaN.
    if ((x[i] as number) - (x[i] as number) !== 0) return false;
  }
  return true;
}

/** True when a and b hold the same values (NaN never equals anything). */
export function equal(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
