/**
 * A 3x3 same-padding Conv (stride 1, no bias) as Winograd's minimal filtering F(m x m, 3x3) in plain ONNX ops (m = 2
 * or 4): each m x m block of outputs from an n x n window of inputs (n = m + 2) with n² multiplications per channel
 * pair instead of 9m²: 2.25x fewer for F(2x2), 4x for F(4x4). Where the conv algorithm is im2col and a GEMM without
 * FMA (onnxruntime-web's 128-bit SIMD) the GEMM is the whole cost, so much of that factor is won back; see the onnx
 * README for the measurements.
 *
 *   V = Bᵀ d B    the input windows, an n x n-to-n² Conv with stride m over each channel (a batch of 1-channel images)
 *   M = U V       one [out, in] x [in, windows] MatMul per each of the n² positions, U = G g Gᵀ (winogradKernel)
 *   Y = Aᵀ M A    n² values to an m x m block, an [m², n²] MatMul, then DepthToSpace
 *
 * Both sides must be multiples of m (the caller falls back otherwise). The transient V and M are (n/m)² times the
 * input and output activations (4x for F(2x2), 2.25x for F(4x4)). F(4x4)'s transforms have larger entries, so its
 * float32 rounding is larger (measured in conv-winograd.test.ts).
 */
import type { GraphBuilder } from './graph-builder.js';

/** The output block's side m. */
export type WinogradTile = 2 | 4;

/** A variant's transforms, row-major: G [n, 3], Bᵀ [n, n], Aᵀ [m, n] (Lavin & Gray 2015, points 0, ±1, ±2, ∞). */
interface Transforms {
  readonly m: number;
  readonly n: number;
  readonly G: readonly number[];
  readonly B_T: readonly number[];
  readonly A_T: readonly number[];
}

const F2: Transforms = {
  m: 2,
  n: 4,
  G: [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1],
  B_T: [1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1],
  A_T: [1, 1, 1, 0, 0, 1, -1, -1],
};

const F4: Transforms = {
  m: 4,
  n: 6,
  // biome-ignore format: a matrix
  G: [
    1 / 4, 0, 0,
    -1 / 6, -1 / 6, -1 / 6,
    -1 / 6, 1 / 6, -1 / 6,
    1 / 24, 1 / 12, 1 / 6,
    1 / 24, -1 / 12, 1 / 6,
    0, 0, 1,
  ],
  // biome-ignore format: a matrix
  B_T: [
    4, 0, -5, 0, 1, 0,
    0, -4, -4, 1, 1, 0,
    0, 4, -4, -1, 1, 0,
    0, -2, -1, 2, 1, 0,
    0, 2, -1, -2, 1, 0,
    0, 4, 0, -5, 0, 1,
  ],
  // biome-ignore format: a matrix
  A_T: [
    1, 1, 1, 1, 1, 0,
    0, 1, -1, 2, -2, 0,
    0, 1, 1, 4, 4, 0,
    0, 1, -1, 8, -8, 1,
  ],
};

const transformsOf = (tile: WinogradTile): Transforms => (tile === 2 ? F2 : F4);
const at = (m: readonly number[], cols: number, row: number, col: number) => m[row * cols + col] as number;

/** U = G g Gᵀ for every (out, in) pair of an OIHW [out, in, 3, 3] kernel, as [n², out, in]. */
export function winogradKernel(oihw: Float32Array, out: number, inn: number, tile: WinogradTile = 2): Float32Array {
  const { n, G } = transformsOf(tile);
  const u = new Float32Array(n * n * out * inn);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inn; i++) {
      const k = (o * inn + i) * 9;
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          let s = 0;
          for (let r = 0; r < 3; r++)
            for (let c = 0; c < 3; c++) s += at(G, 3, a, r) * (oihw[k + r * 3 + c] as number) * at(G, 3, b, c);
          u[((a * n + b) * out + o) * inn + i] = s;
        }
    }
  return u;
}

/** The n² input transforms Bᵀ d B as an [n², 1, n, n] Conv kernel. */
function inputTransformKernel({ n, B_T }: Transforms): Float32Array {
  const k = new Float32Array(n ** 4);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++)
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++) k[((a * n + b) * n + r) * n + c] = at(B_T, n, a, r) * at(B_T, n, b, c);
  return k;
}

/** Aᵀ M A as an [m², n²] matrix: row r·m+c gives output (r, c) of a block from its n² values. */
function outputTransformMatrix({ m, n, A_T }: Transforms): Float32Array {
  const out = new Float32Array(m * m * n * n);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++)
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) out[((r * m + c) * n + a) * n + b] = at(A_T, n, r, a) * at(A_T, n, c, b);
  return out;
}

export interface WinogradConv {
  /** NCHW [1, inChannels, height, width]. */
  readonly input: string;
  /** The conv's OIHW [out, in, 3, 3] kernel. */
  readonly kernel: Float32Array;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly name: string;
}

/** conv3x3(input) with same padding, NCHW [1, outChannels, height, width]; height and width multiples of `tile`. */
export function winogradConv3x3(g: GraphBuilder, conv: WinogradConv, tile: WinogradTile = 2): string {
  const { input, inChannels: cin, outChannels: cout, height, width, name } = conv;
  const t = transformsOf(tile);
  const { m, n } = t;
  if (height % m !== 0 || width % m !== 0) {
    throw new Error(`winograd ${name}: ${width}x${height} is not a multiple of ${m} on both sides`);
  }
  const [h, w] = [height / m, width / m];
  const images = g.op('Reshape', [input, g.ints(`${name}_wg_images`, [cin, 1, height, width])]);
  const transform = g.floats(`winograd${m}_bt`, inputTransformKernel(t), [n * n, 1, n, n]);
  const v = g.op('Conv', [images, transform], { kernel_shape: [n, n], strides: [m, m], pads: [1, 1, 1, 1] });
  const flat = g.op('Reshape', [v, g.ints(`${name}_wg_v`, [cin, n * n, h * w])]);
  const byPosition = g.op('Transpose', [flat], { perm: [1, 0, 2] }, `${name}_wg_V`);
  const u = g.floats(`${name}_wg_U`, winogradKernel(conv.kernel, cout, cin, tile), [n * n, cout, cin]);
  const product = g.op('MatMul', [u, byPosition], {}, `${name}_wg_M`);
  const a = g.floats(`winograd${m}_at`, outputTransformMatrix(t), [m * m, n * n]);
  const blocks = g.op('MatMul', [a, g.op('Reshape', [product, g.ints(`${name}_wg_m`, [n * n, cout * h * w])])]);
  // Rows are (r, c) offsets within a block, then channels: DepthToSpace's DCR layout as it stands.
  const stacked = g.op('Reshape', [blocks, g.ints(`${name}_wg_s`, [1, m * m * cout, h, w])]);
  return g.op('DepthToSpace', [stacked], { blocksize: m, mode: 'DCR' }, `${name}_wg`);
}
