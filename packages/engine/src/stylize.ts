import { cancelledError } from '@impasto/errors';
import { type CaffeImage, caffeToRgba } from './image/caffe.js';
import { keepContentColors, matchColorStats } from './image/colors.js';
import { fitWithin, scaleToSide } from './image/resize.js';
import { type RgbaImage, validateRgba } from './image/rgba.js';
import type { LossProgram, LossSpec, LossTerms } from './loss-program.js';
import type { ConvLayerName } from './network/layers.js';
import { createOptimizer } from './optim/index.js';
import type { Objective, Optimizer } from './optim/types.js';
import { resolveOptions, type StylizeOptions } from './options.js';
import { planStages } from './schedule.js';
import {
  alphaAt,
  buildSpec,
  checkStyleMasks,
  initialImage,
  nextStageStart,
  normaliseStyles,
  toCaffe,
  type WeightedStyle,
} from './stylize-inputs.js';

export { NOISE_STD, type WeightedStyle } from './stylize-inputs.js';

/** One stage of a (coarse-to-fine) run: 1-based index of `count`, and the size it optimises at. */
export interface StageInfo {
  readonly index: number;
  readonly count: number;
  readonly width: number;
  readonly height: number;
  readonly iterations: number;
}

export interface StylizeRequest {
  readonly content: RgbaImage;
  /** One or more style images; a bare image has weight 1. */
  readonly styles: readonly (RgbaImage | WeightedStyle)[];
  readonly options?: Partial<StylizeOptions>;
}

export interface StylizeProgress {
  /** 1-based iteration just completed, of `iterations`, counted over all coarse-to-fine stages. */
  readonly iteration: number;
  readonly iterations: number;
  readonly loss: LossTerms;
  readonly elapsedMs: number;
  /** Estimated time to finish, from the mean time per iteration so far. */
  readonly remainingMs: number;
  /** The current image, every `previewEvery` iterations and at the last one when previews are on (stage size). */
  readonly preview?: RgbaImage;
  /** The coarse-to-fine stage running (one stage when coarse-to-fine is off). */
  readonly stage?: StageInfo;
}

export interface StylizeCallbacks {
  readonly onProgress?: (progress: StylizeProgress) => void;
  /** Aborting stops the run within one iteration; stylize then rejects with an AbortError and frees everything. */
  readonly signal?: AbortSignal;
}

export interface StylizeResult {
  readonly image: RgbaImage;
  /** Loss terms after each iteration, over all stages (each stage's at its own size). */
  readonly history: readonly LossTerms[];
  /** The stages run, smallest first. */
  readonly stages: readonly StageInfo[];
  readonly iterations: number;
  /** True when the optimiser stopped early because it could make no more progress. */
  readonly converged: boolean;
  readonly elapsedMs: number;
  readonly options: StylizeOptions;
}

/** Builds the loss of one run on a compute path (tfjs, ONNX Runtime); the caller disposes it. */
export type LossProgramFactory = (spec: LossSpec) => LossProgram;

/** A request whose options are resolved and whose images, style weights and masks passed the checks. */
export interface CheckedRequest extends StylizeRequest {
  readonly options: StylizeOptions;
  readonly styles: readonly WeightedStyle[];
}

const checkedRequests = new WeakSet<StylizeRequest>();

/**
 * The engine's boundary check of a request, cheap and before any heavy work: options resolved (defaults, ranges,
 * schedule), images, style weights, masks. A caller may run it early (the CLI does, before loading weights) and pass
 * the result on: a checked request is not checked again.
 */
export function checkStylizeRequest(request: StylizeRequest): CheckedRequest {
  if (checkedRequests.has(request)) return request as CheckedRequest;
  const options = resolveOptions(request.options);
  validateRgba(request.content, 'content image');
  const styles = normaliseStyles(request.styles);
  checkStyleMasks(styles, request.content);
  const checked: CheckedRequest = { content: request.content, styles, options };
  checkedRequests.add(checked);
  return checked;
}

/** Layers a run needs from the network, for checking them against the weights up front. */
export function layersNeeded(options: StylizeOptions): ConvLayerName[] {
  return [...new Set([...options.contentLayers, ...options.styleLayers])];
}

/**
 * One turn of the event loop. Browsers throttle timers in hidden pages (to 1 s or more), so there a message to
 * ourselves is used; Node has setImmediate.
 */
function nextTask(): Promise<void> {
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => void };
  if (setImmediate) return new Promise((resolve) => setImmediate(() => resolve()));
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

/** L-BFGS's first step moves the most-changed pixel channel by this much (0–255 units); the line search adapts it. */
const FIRST_STEP_MAX_MOVE = 8;

/** The memory a run aims at when the options name none (maxMemory: null); the compute paths tile within half. */
export const DEFAULT_MAX_MEMORY = 4 * 1024 ** 3;

/**
 * L-BFGS pairs that fit a quarter of the memory budget: each holds two float32 vectors of the image's size (at
 * 4096x3072, 302 MB a pair). At least 3, at most `lbfgsHistory`.
 */
export function lbfgsHistoryFor(options: StylizeOptions, values: number): number {
  const budget = (options.maxMemory ?? DEFAULT_MAX_MEMORY) / 4;
  return Math.min(options.lbfgsHistory, Math.max(3, Math.floor(budget / (2 * 4 * values))));
}

function makeOptimizer(options: StylizeOptions, values: number): Optimizer {
  return options.optimizer === 'lbfgs'
    ? createOptimizer('lbfgs', { history: lbfgsHistoryFor(options, values), firstStepMaxMove: FIRST_STEP_MAX_MOVE })
    : createOptimizer('adam', { learningRate: options.learningRate });
}

interface StageRun {
  readonly program: LossProgram;
  readonly x: Float32Array;
  readonly iterations: number;
  readonly signal: AbortSignal | undefined;
  /** Called after each iteration with its terms; returns nothing. */
  readonly after: (i: number, terms: LossTerms, converged: boolean) => void;
}

/** The optimiser loop of one stage, in place on `x`. Returns true when the optimiser converged early. */
async function optimiseStage(run: StageRun, optimizer: Optimizer): Promise<boolean> {
  const { program, x, signal } = run;
  let latest: LossTerms | null = null;
  const objective: Objective = async (point) => {
    if (signal?.aborted) throw cancelledError(signal);
    const { terms, gradient } = await program.evaluate(point);
    latest = terms;
    return { loss: terms.total, gradient };
  };
  for (let i = 1; i <= run.iterations; i++) {
    const step = await optimizer.step(x, objective);
    // On wasm and cpu every await above resolves at once: give the event loop a turn so a page can repaint and
    // a Cancel click (or Ctrl-C) can reach the signal before the next iteration.
    await nextTask();
    if (signal?.aborted) throw cancelledError(signal);
    run.after(i, latest ?? { total: step.loss, content: 0, style: 0, tv: 0 }, step.converged);
    if (step.converged) return true;
  }
  return false;
}

/**
 * A stylization: coarse-to-fine stages (or one at `size`), each starting from the last one's result upsampled;
 * targets once per stage, progress and cancellation throughout. Compute-path agnostic: `makeProgram` supplies the
 * loss (tfjs or ONNX Runtime).
 */
export async function runStylization(
  request: StylizeRequest,
  makeProgram: LossProgramFactory,
  callbacks: StylizeCallbacks = {},
): Promise<StylizeResult> {
  const { signal, onProgress } = callbacks;
  const checked = checkStylizeRequest(request);
  const { options } = checked;
  let styles = checked.styles;
  if (signal?.aborted) throw cancelledError(signal);
  if (options.colorMatch) styles = styles.map((s) => ({ ...s, image: matchColorStats(s.image, request.content) }));

  // The output's longest side is `size`: a smaller content image is upsampled (hosts say so), never silently kept.
  const final = scaleToSide(request.content.width, request.content.height, options.size);
  const plan = planStages(options);
  const stages: StageInfo[] = plan.map((s, k) => ({
    index: k + 1,
    count: plan.length,
    ...(k === plan.length - 1 ? final : fitWithin(final.width, final.height, s.side)),
    iterations: s.iterations,
  }));
  const totalIterations = stages.reduce((n, s) => n + s.iterations, 0);
  // Time left is estimated from work (iterations × pixels), as later stages cost more per iteration.
  const work = (s: StageInfo, iterations: number) => iterations * s.width * s.height;
  const totalWork = stages.reduce((n, s) => n + work(s, s.iterations), 0);

  const started = Date.now();
  const history: LossTerms[] = [];
  let converged = false;
  let x: Float32Array | null = null;
  let previous: StageInfo | null = null;
  let previousContent: Float32Array | null = null;
  let doneBefore = 0;
  let workBefore = 0;
  let contentRgba: RgbaImage | null = null;
  let alpha: Uint8Array | undefined;
  const finish = (image: CaffeImage, content: RgbaImage): RgbaImage => {
    const rgba = caffeToRgba(image, alpha);
    return options.keepColors ? keepContentColors(rgba, content) : rgba;
  };
  for (const stage of stages) {
    const { width, height } = stage;
    const content = toCaffe(request.content, width, height);
    contentRgba = options.keepColors ? caffeToRgba(content) : null;
    alpha = alphaAt(request.content, width, height);
    x =
      previous && x && previousContent
        ? nextStageStart({ ...previous, data: x }, { ...previous, data: previousContent }, content)
        : initialImage(options, content);
    previousContent = content.data;
    const stageX = x;
    const program = makeProgram(buildSpec(content, styles, options));
    try {
      converged = await optimiseStage(
        {
          program,
          x: stageX,
          iterations: stage.iterations,
          signal,
          after: (i, terms, stepConverged) => {
            history.push(terms);
            const iteration = doneBefore + i;
            const elapsedMs = Date.now() - started;
            const last = stage.index === stage.count && (i === stage.iterations || stepConverged);
            const wantPreview = options.previewEvery > 0 && (iteration % options.previewEvery === 0 || last);
            const workDone = workBefore + work(stage, i);
            onProgress?.({
              iteration,
              iterations: totalIterations,
              loss: terms,
              elapsedMs,
              remainingMs: last ? 0 : (elapsedMs / workDone) * (totalWork - workDone),
              stage,
              ...(wantPreview
                ? { preview: finish({ width, height, data: stageX }, contentRgba ?? request.content) }
                : {}),
            });
          },
        },
        makeOptimizer(options, stageX.length),
      );
    } finally {
      program.dispose();
    }
    // A stage that converged early still counts as done, so the next starts at its planned iteration.
    doneBefore += stage.iterations;
    workBefore += work(stage, stage.iterations);
    previous = stage;
  }
  const last = stages.at(-1) as StageInfo;
  return {
    image: finish({ width: last.width, height: last.height, data: x as Float32Array }, contentRgba ?? request.content),
    history,
    stages,
    iterations: history.length,
    converged,
    elapsedMs: Date.now() - started,
    options,
  };
}
