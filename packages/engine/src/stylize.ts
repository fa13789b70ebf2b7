import { alphaOf, type CaffeImage, caffeToRgba, rgbaToCaffe } from './image/caffe.js';
import { fitWithin, resizeImage } from './image/resize.js';
import { hasTransparency, type RgbaImage, validateRgba } from './image/rgba.js';
import type { LossProgram, LossSpec, LossTerms } from './loss-program.js';
import type { ConvLayerName } from './network/layers.js';
import { createOptimizer } from './optim/index.js';
import type { Objective } from './optim/types.js';
import { resolveOptions, type StylizeOptions } from './options.js';
import { gaussianNoise } from './random.js';

/** A style image and its blend weight (relative; weights are normalised to sum to 1). */
export interface WeightedStyle {
  readonly image: RgbaImage;
  readonly weight?: number;
}

export interface StylizeRequest {
  readonly content: RgbaImage;
  /** One or more style images; a bare image has weight 1. */
  readonly styles: readonly (RgbaImage | WeightedStyle)[];
  readonly options?: Partial<StylizeOptions>;
}

export interface StylizeProgress {
  /** 1-based iteration just completed, of `iterations`. */
  readonly iteration: number;
  readonly iterations: number;
  readonly loss: LossTerms;
  readonly elapsedMs: number;
  /** Estimated time to finish, from the mean time per iteration so far. */
  readonly remainingMs: number;
  /** The current image, every `previewEvery` iterations and at the last one when previews are on. */
  readonly preview?: RgbaImage;
}

export interface StylizeCallbacks {
  readonly onProgress?: (progress: StylizeProgress) => void;
  /** Aborting stops the run within one iteration; stylize then rejects with an AbortError and frees everything. */
  readonly signal?: AbortSignal;
}

export interface StylizeResult {
  readonly image: RgbaImage;
  /** Loss terms after each iteration. */
  readonly history: readonly LossTerms[];
  readonly iterations: number;
  /** True when the optimiser stopped early because it could make no more progress. */
  readonly converged: boolean;
  readonly elapsedMs: number;
  readonly options: StylizeOptions;
}

/** Builds the loss of one run on a compute path (tfjs, ONNX Runtime); the caller disposes it. */
export type LossProgramFactory = (spec: LossSpec) => LossProgram;

/** Layers a run needs from the network, for checking them against the weights up front. */
export function layersNeeded(options: StylizeOptions): ConvLayerName[] {
  return [...new Set([...options.contentLayers, ...options.styleLayers])];
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('stylization cancelled');
  e.name = 'AbortError';
  return e;
}

/**
 * One turn of the event loop. Browsers throttle timers in hidden pages (to 1 s or more), so there a message to
 * ourselves is used; Node has setImmediate.
 */
function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function toCaffe(image: RgbaImage, width: number, height: number): CaffeImage {
  const c = rgbaToCaffe(image);
  const r = resizeImage({ ...c, channels: 3 }, width, height);
  return { width, height, data: r.data };
}

function normaliseStyles(styles: StylizeRequest['styles']): WeightedStyle[] {
  if (styles.length === 0) throw new Error('at least one style image is needed');
  const out = styles.map((s) => ('image' in s ? s : { image: s, weight: 1 }));
  out.forEach((s, i) => {
    validateRgba(s.image, `style image ${i + 1}`);
    const w = s.weight ?? 1;
    if (!Number.isFinite(w) || w < 0) throw new Error(`style image ${i + 1}: weight must be ≥ 0 (got ${w})`);
  });
  if (out.every((s) => (s.weight ?? 1) === 0)) throw new Error('style weights are all zero');
  return out;
}

function alphaAt(image: RgbaImage, width: number, height: number): Uint8Array | undefined {
  if (!hasTransparency(image)) return undefined;
  const a = alphaOf(image);
  const resized = resizeImage(
    { width: image.width, height: image.height, channels: 1, data: Float32Array.from(a) },
    width,
    height,
  );
  return Uint8Array.from(resized.data, (v) => Math.round(v));
}

function initialImage(options: StylizeOptions, content: CaffeImage): Float32Array {
  const { width, height } = content;
  if (options.init === 'content') return content.data.slice();
  if (options.init === 'noise') return gaussianNoise(width * height * 3, options.seed, NOISE_STD);
  validateRgba(options.init.image, 'init image');
  return toCaffe(options.init.image, width, height).data;
}

/** L-BFGS's first step moves the most-changed pixel channel by this much (0–255 units); the line search adapts it. */
const FIRST_STEP_MAX_MOVE = 8;

/** Standard deviation of the white-noise start, in pixel units around the ImageNet mean colour. */
export const NOISE_STD = 20;

/**
 * One stylization at one size: targets once, init, optimiser loop with progress and cancellation.
 * Compute-path agnostic: `makeProgram` supplies the loss (tfjs or ONNX Runtime).
 */
export async function runStylization(
  request: StylizeRequest,
  makeProgram: LossProgramFactory,
  callbacks: StylizeCallbacks = {},
): Promise<StylizeResult> {
  const { signal, onProgress } = callbacks;
  const options = resolveOptions(request.options);
  validateRgba(request.content, 'content image');
  const styles = normaliseStyles(request.styles);
  if (signal?.aborted) throw abortError(signal);

  const { width, height } = fitWithin(request.content.width, request.content.height, options.size);
  const content = toCaffe(request.content, width, height);
  const spec: LossSpec = {
    width,
    height,
    content,
    styles: styles.map((s) => {
      const target = fitWithin(s.image.width, s.image.height, Math.max(width, height));
      return { image: toCaffe(s.image, target.width, target.height), weight: s.weight ?? 1 };
    }),
    contentLayers: options.contentLayers,
    styleLayers: options.styleLayers,
    styleLayerWeights: options.styleLayerWeights ?? options.styleLayers.map(() => 1 / options.styleLayers.length),
    contentWeight: options.contentWeight,
    styleWeight: options.styleWeight,
    tvWeight: options.tvWeight,
    pooling: options.pooling,
  };
  const x = initialImage(options, content);
  const alpha = alphaAt(request.content, width, height);
  const optimizer =
    options.optimizer === 'lbfgs'
      ? createOptimizer('lbfgs', { history: options.lbfgsHistory, firstStepMaxMove: FIRST_STEP_MAX_MOVE })
      : createOptimizer('adam', { learningRate: options.learningRate });

  const started = Date.now();
  const history: LossTerms[] = [];
  let latest: LossTerms | null = null;
  let converged = false;
  const program = makeProgram(spec);
  try {
    const objective: Objective = async (point) => {
      if (signal?.aborted) throw abortError(signal);
      const { terms, gradient } = await program.evaluate(point);
      latest = terms;
      return { loss: terms.total, gradient };
    };
    for (let i = 1; i <= options.iterations; i++) {
      const step = await optimizer.step(x, objective);
      // On wasm and cpu every await above resolves at once: give the event loop a turn so a page can repaint and
      // a Cancel click (or Ctrl-C) can reach the signal before the next iteration.
      await nextTask();
      if (signal?.aborted) throw abortError(signal);
      const terms = latest ?? { total: step.loss, content: 0, style: 0, tv: 0 };
      history.push(terms);
      const elapsedMs = Date.now() - started;
      const last = i === options.iterations || step.converged;
      const wantPreview = options.previewEvery > 0 && (i % options.previewEvery === 0 || last);
      onProgress?.({
        iteration: i,
        iterations: options.iterations,
        loss: terms,
        elapsedMs,
        remainingMs: last ? 0 : (elapsedMs / i) * (options.iterations - i),
        ...(wantPreview ? { preview: caffeToRgba({ width, height, data: x }, alpha) } : {}),
      });
      if (step.converged) {
        converged = true;
        break;
      }
    }
  } finally {
    program.dispose();
  }
  return {
    image: caffeToRgba({ width, height, data: x }, alpha),
    history,
    iterations: history.length,
    converged,
    elapsedMs: Date.now() - started,
    options,
  };
}
