/** Row-major 3×3 matrices for colour-space work. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export function mul3(a: Mat3, b: Mat3): Mat3 {
  const o: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[r * 3 + k] as number) * (b[k * 3 + c] as number);
      o.push(s);
    }
  return o as unknown as Mat3;
}

export function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error('matrix is singular');
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** Lower-triangular L with L·Lᵀ = m, for a symmetric positive-definite m. */
export function cholesky3(m: Mat3): Mat3 {
  const l = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c <= r; c++) {
      let s = m[r * 3 + c] as number;
      for (let k = 0; k < c; k++) s -= (l[r * 3 + k] as number) * (l[c * 3 + k] as number);
      l[r * 3 + c] = r === c ? Math.sqrt(Math.max(s, 1e-9)) : s / (l[c * 3 + c] as number);
    }
  return l as unknown as Mat3;
}
