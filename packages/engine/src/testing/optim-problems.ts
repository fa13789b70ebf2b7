/** Test objectives with known minima, shared by the optimiser tests. Computed in float64. */
import type { Objective } from '../optim/types.js';

/** Wraps an objective to count its evaluations. */
export function counted(objective: Objective): Objective & { calls: number } {
  const wrapped = Object.assign(
    async (x: Float32Array) => {
      wrapped.calls++;
      return objective(x);
    },
    { calls: 0 },
  );
  return wrapped;
}

/** Sum over i of 100(x[i+1] - x[i]²)² + (1 - x[i])²; minimum 0 at all ones. */
export function rosenbrock(x: Float32Array): {
  loss: number;
  gradient: Float32Array;
} {
  const gradient = new Float32Array(x.length);
  let loss = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i] as number;
    const b = x[i + 1] as number;
    const bend = b - a * a;
    loss += 100 * bend * bend + (1 - a) * (1 - a);
    gradient[i] = (gradient[i] as number) - 400 * a * bend - 2 * (1 - a);
    gradient[i + 1] = (gradient[i + 1] as number) + 200 * bend;
  }
  return { loss, gradient };
}

export const rosenbrockObjective: Objective = async (x) => rosenbrock(x);

/** 1/2 xᵀAx − bᵀx for a dense symmetric A (row-major, n×n); gradient Ax − b. */
export function quadratic(a: Float64Array, b: Float64Array): Objective {
  const n = b.length;
  return async (x) => {
    const gradient = new Float32Array(n);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += (a[i * n + j] as number) * (x[j] as number);
      loss += (x[i] as number) * (0.5 * ax - (b[i] as number));
      gradient[i] = ax - (b[i] as number);
    }
    return { loss, gradient };
  };
}

/** 1/2 Σ d_i x_i² − b_i x_i; minimum at b_i / d_i. */
export function diagonalQuadratic(d: Float64Array, b: Float64Array): Objective {
  return async (x) => {
    const gradient = new Float32Array(d.length);
    let loss = 0;
    for (let i = 0; i < d.length; i++) {
      const xi = x[i] as number;
      loss += 0.5 * (d[i] as number) * xi * xi - (b[i] as number) * xi;
      gradient[i] = (d[i] as number) * xi - (b[i] as number);
    }
    return { loss, gradient };
  };
}

/** Diagonal entries spaced geometrically from 1 to `condition`. */
export function geometricDiagonal(n: number, condition: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => condition ** (i / (n - 1)));
}

/** Deterministic pseudo-random numbers in [-1, 1) (a 32-bit LCG), so tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

/** A dense SPD matrix MᵀM/n + shift·I (row-major) with a seeded random M. */
export function randomSpd(n: number, shift: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const m = Float64Array.from({ length: n * n }, random);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += (m[k * n + i] as number) * (m[k * n + j] as number);
      a[i * n + j] = sum / n + (i === j ? shift : 0);
    }
  }
  return a;
}

/** A·x for a dense row-major n×n A. */
export function multiply(a: Float64Array, x: Float64Array): Float64Array {
  const n = x.length;
  return Float64Array.from({ length: n }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (a[i * n + j] as number) * (x[j] as number);
    return sum;
  });
}

/** Largest |a_i − b_i|. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
