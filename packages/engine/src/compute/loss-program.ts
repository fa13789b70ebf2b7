import type { CaffeImage } from '../image/caffe.js';
import type { ConvLayerName } from '../network/layers.js';
import type { Pooling } from '../network/pool.js';

/** Each weighted term of the total loss (α·content, β·style, tv), and their sum. */
export interface LossTerms {
  readonly total: number;
  readonly content: number;
  readonly style: number;
  readonly tv: number;
}

export interface Evaluation {
  readonly terms: LossTerms;
  /** d total / d x, same layout as x. */
  readonly gradient: Float32Array;
}

/**
 * One style image and its blend weight; styles with the same mask (or none) blend, weights normalised among them.
 * `mask` limits where the style applies: one value in [0, 1] per output position, row-major (see style-regions.ts).
 */
export interface StyleTarget {
  readonly image: CaffeImage;
  readonly weight: number;
  readonly mask?: Float32Array;
}

/** Everything that defines the loss of one run at one size. Targets are computed once from it. */
export interface LossSpec {
  readonly width: number;
  readonly height: number;
  readonly content: CaffeImage;
  readonly styles: readonly StyleTarget[];
  readonly contentLayers: readonly ConvLayerName[];
  readonly styleLayers: readonly ConvLayerName[];
  /** w_l, one per style layer. */
  readonly styleLayerWeights: readonly number[];
  readonly contentWeight: number;
  readonly styleWeight: number;
  readonly tvWeight: number;
  readonly pooling: Pooling;
  /**
   * Bytes the run may hold in all (absent: the compute path's default); one loss evaluation gets what the optimiser's
   * `reservedMemory` leaves of it (tiling/budget.ts lossBudget) and tiles above that.
   */
  readonly maxMemory?: number;
  /** Bytes the whole run may hold: maxMemory, else the host's share of the device, else the default (4 GiB). */
  readonly runMemory?: number;
  /**
   * Bytes the run holds in the page's (or process's) own memory besides the loss: the optimiser's vectors, the
   * images, a tiled run's content features (memory-policy.ts runBytes). A path that computes in that memory (a wasm
   * heap, ONNX Runtime, tfjs-cpu) leaves them free; a GPU's memory is apart from it. Absent: 0.
   */
  readonly reservedMemory?: number;
  /** Tiles of at most this many pixels a side, margins included, whenever the image is larger (experts). */
  readonly tileSize?: number;
}

/**
 * The loss and its gradient with respect to the image, on some compute path (tfjs here; ONNX Runtime in Node).
 * x is interleaved float32 [height, width, 3] in the Caffe convention (see image/caffe.ts).
 */
export interface LossProgram {
  /**
   * The loss and its gradient at x. `gradientInto` (x's length, not x), when given, receives the gradient and is the
   * evaluation's `gradient`: a caller that keeps its own buffer (the optimisers) saves a new image-sized array per
   * evaluation. Without it the gradient is a new array the caller owns.
   */
  evaluate(x: Float32Array, gradientInto?: Float32Array): Promise<Evaluation>;
  /**
   * The loss alone, equal to evaluate's terms, where the path can skip the gradient pass (tfjs: no backward pass;
   * tiled: the style statistics and the content term, no gradient pass). Absent: evaluate is as cheap.
   */
  evaluateLoss?(x: Float32Array): Promise<LossTerms>;
  dispose(): void;
}

/** A gradient the runtime handed back, delivered as evaluate's `gradientInto` asks: copied there, or as it is. */
export function deliverGradient(gradient: Float32Array, into: Float32Array | undefined): Float32Array {
  if (!into) return gradient;
  if (into.length !== gradient.length) {
    throw new Error(`gradientInto has ${into.length} values, the gradient ${gradient.length}`);
  }
  into.set(gradient);
  return into;
}

/**
 * The passes of a tiled evaluation: 'targets' (the style images' Grams and the content's features, once per
 * program), 'style-statistics' (pass 1: the image's Grams), 'gradient' (pass 2: loss and gradient), 'content'
 * (a loss-only evaluation's content term, instead of pass 2).
 */
export type TilePass = 'targets' | 'style-statistics' | 'gradient' | 'content';

/** A tile about to run: its pass, and `tile` of `tiles` (1-based) in that pass. */
export interface TileStep {
  readonly pass: TilePass;
  readonly tile: number;
  readonly tiles: number;
}

/** What the run that builds a loss program asks of it beyond the loss; only a tiled program uses either. */
export interface LossProgramHooks {
  /** Called before each tile runs (never when the image is not tiled). */
  readonly onTile?: (step: TileStep) => void;
  /** Checked between tiles (after a turn of the event loop, so an abort can arrive): aborting rejects with the cancellation error. */
  readonly signal?: AbortSignal;
}
