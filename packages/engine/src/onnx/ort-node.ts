/**
 * ONNX Runtime for Node, loaded on demand: `onnxruntime-node` is an optional dependency (native, Node only), so
 * nothing here imports it until asked, and its absence is a clear error rather than a failed module load.
 */

import { messageOf } from '@impasto/errors';
import { PATH_MEMORY, type PathMemory } from '../memory/memory-policy.js';
import type { Vgg19Weights } from '../network/weights-types.js';
import { createOrtLossProgramFactory, type OnnxLossProgramFactory } from './onnx-loss-program.js';
import type { OrtModule } from './ort-runtime.js';
import type { ConvAlgorithm } from './vgg-graph.js';

export type { OrtModule };

const PACKAGE = 'onnxruntime-node';
let loading: Promise<OrtModule> | null = null;

/** Imports the runtime from `specifier` (a parameter for tests; a variable also keeps bundlers off the addon). */
export async function importOrt(specifier: string = PACKAGE): Promise<OrtModule> {
  try {
    const name = specifier;
    const ort = (await import(name)) as OrtModule & { default?: OrtModule };
    const api = ort.InferenceSession ? ort : ort.default;
    if (!api?.InferenceSession || !api.Tensor) throw new Error('the module has no InferenceSession or Tensor');
    return api;
  } catch (e) {
    const why = messageOf(e);
    throw new Error(
      `the ONNX compute path needs the optional package ${specifier}, which could not be loaded (${why}); ` +
        `install it (pnpm add ${specifier}; its CPU library ships inside the package) or use the tfjs path`,
    );
  }
}

/** The runtime, loaded once; rejects with an Error that says what is missing and what to do. */
export function loadOrt(): Promise<OrtModule> {
  if (!loading) {
    loading = importOrt();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Whether the ONNX path can run here (Node with `onnxruntime-node` installed and loadable). */
export async function onnxAvailable(): Promise<boolean> {
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (!isNode) return false;
  try {
    await loadOrt();
    return true;
  } catch {
    return false;
  }
}

/**
 * ONNX Runtime's graph optimisation level. 'all' (which adds the blocked NCHWc conv layout) runs about 15% faster
 * than 'extended' but its convolutions round differently, so ReLU masks can flip where a pre-activation is within
 * ~1e-6 of zero; both are float32-accurate (see README).
 */
export type OnnxGraphOptimization = 'basic' | 'extended' | 'all';

export interface OnnxOptions {
  /** Default 'all'. */
  readonly graphOptimization?: OnnxGraphOptimization;
  /** Threads per operator; absent: ONNX Runtime's own default (createNodeEngine always sets it: computeThreads). */
  readonly threads?: number;
  /** How 3x3 convs are computed, untiled and in tiles; default NODE_CONV untiled, NODE_TILE_CONV in tiles. */
  readonly conv?: ConvAlgorithm;
}

/**
 * Node's convs: Winograd's F(4x4) where both channel counts are at least 128, ONNX Runtime's Conv elsewhere
 * (vgg-graph.ts says why), untiled and in tiles: 0.85x the time of an evaluation at 1024 px, 0.81x at 2048 px
 * (bench:tiling). The wide layers' kernels are few bytes beside a tile's activations, but a pass's peak rose to 3.2 ×
 * its activations (direct: 1.1; most of it with the gradient convs'), still within the memory model's 4
 * (memory-policy.ts).
 */
export const NODE_CONV: ConvAlgorithm = 'winograd-4x4-wide';

/**
 * Node's convs in tiles: Winograd on the wide layers in the forward pass only. A run tiles because memory is short, and
 * the gradient convs' Winograd holds most of Winograd's extra memory for little time: at 1024 px untiled 3.2 GiB peak
 * RSS and 3.0 s an evaluation with it, 2.0 GiB and 3.2 s without (direct convs: 1.7 GiB, 3.7 s). In the default tiles
 * (bench:tiling, AVX2, two threads) 19.0 → 20.4 s at 2048 px for 4.9 → 3.7 GiB, 77.1 → 78.0 s at 4096 px for 7.3 →
 * 6.1 GiB; default runs took 8:11 instead of 8:30 at 2048 px (4.2 GiB instead of 5.4), 24:48 instead of 23:44 at
 * 4096 px (5.4 GiB instead of 6.0; README: time to a finished picture).
 */
export const NODE_TILE_CONV: ConvAlgorithm = 'winograd-4x4-wide-forward';

/** Node's ONNX path computes in the process that holds the optimiser's vectors (memory-policy.ts). */
export const ONNX_NODE_MEMORY = PATH_MEMORY.onnx as PathMemory;

/** A factory of ONNX loss programs on onnxruntime-node. Rejects with a clear Error when the package is absent. */
export async function createOnnxLossProgramFactory(
  weights: Vgg19Weights,
  options: OnnxOptions = {},
): Promise<OnnxLossProgramFactory> {
  const ort = await loadOrt();
  return createOrtLossProgramFactory(ort, weights, {
    label: 'ONNX',
    memory: ONNX_NODE_MEMORY,
    tileArena: true,
    conv: options.conv ?? NODE_CONV,
    tileConv: options.conv ?? NODE_TILE_CONV,
    sessionOptions: {
      graphOptimizationLevel: options.graphOptimization ?? 'all',
      executionMode: 'sequential',
      logSeverityLevel: 3,
      // Without the memory pattern, a run's tensors come from the arena one by one and reuse its blocks: at 1024 px
      // (shallow) no 7 s second evaluation while the pattern's blocks are first touched, 1.3 GiB less peak RSS, and
      // ~5 % faster steps untiled and tiled (README: time to a finished picture).
      enableMemPattern: false,
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
    },
  });
}
