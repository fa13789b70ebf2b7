import { cancelledError } from '@impasto/errors';
import type { LossProgram, LossProgramHooks, LossSpec, LossTerms, TilePass } from '../compute/loss-program.js';
import { type CaffeImage, caffeToRgba } from '../image/caffe.js';
import { keepContentColors, matchColorStats } from '../image/colors.js';
import { fitWithin, scaleToSide } from '../image/resize.js';
import { type RgbaImage, validateRgba } from '../image/rgba.js';
import { checkRunFitsMemory, type HostMemory } from '../memory/memory-policy.js';
import type { ConvLayerName } from '../network/layers.js';
import { resolveOptions, type StylizeOptions } from '../options.js';
import { checkImageFits } from './image-fit.js';
import { nextTask } from './next-task.js';
import { planStages } from './schedule.js';
import { makeOptimizer, optimiseStage, runMemory, type StageStop } from './stage-loop.js';
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

/**
 * Why a run ended: 'converged' once its picture stopped changing (the last stage's loss fell by less than
 * `tolerance` over STOP_WINDOW iterations, or the optimiser could make no more progress), 'iterations' when it
 * used all `iterations`, 'cancelled' when its signal aborted it (hosts report that one; stylize rejects then).
 */
export type StopReason = StageStop | 'cancelled';

export interface StylizeRequest {
  readonly content: RgbaImage;
  /** One or more style images; a bare image has weight 1. */
  readonly styles: readonly (RgbaImage | WeightedStyle)[];
  readonly options?: Partial<StylizeOptions>;
}

export interface StylizeProgress {
  /**
   * Iteration just completed, of `iterations`, counted over all coarse-to-fine stages (0 in `onStart`: the
   * starting image, before any step).
   */
  readonly iteration: number;
  readonly iterations: number;
  readonly loss: LossTerms;
  /** Loss-and-gradient evaluations so far, over all stages, the starting image's included (L-BFGS's line search may use more than one per iteration). */
  readonly evaluations: number;
  readonly elapsedMs: number;
  /**
   * Estimated time to finish, from measured step times: the first iteration of each stage (slow while a GPU compiles
   * its programs) counts only until later ones are measured; later stages cost more per iteration (pixels).
   */
  readonly remainingMs: number;
  /** The current image, every `previewEvery` iterations and at the last one when previews are on (stage size). */
  readonly preview?: RgbaImage;
  /** The coarse-to-fine stage running (one stage when coarse-to-fine is off). */
  readonly stage?: StageInfo;
  /** Set on the run's last iteration only: why the run ends there. */
  readonly stopReason?: StageStop;
}

/**
 * What a run is doing before its iterations report: 'style-targets' while each stage computes its content and
 * style targets, 'first-iteration' while the first step of a stage runs (on a GPU backend the slowest: its
 * programs compile). Each is reported before the work starts, and the event loop gets a turn to show it.
 */
export interface StylizePhase {
  readonly phase: 'style-targets' | 'first-iteration';
  readonly stage: StageInfo;
}

/**
 * A tile about to run, reported only when the image is tiled (above the memory budget, or `tileSize`): one
 * evaluation there takes minutes at 4096 px. `pass`: 'targets' (a stage's style and content targets),
 * 'style-statistics' (the image's Gram matrices), 'gradient' (the loss and its gradient).
 */
export interface StylizeTileProgress {
  readonly stage: StageInfo;
  /** The iteration under way, counted over all stages like StylizeProgress's (1 while the first step runs). */
  readonly iteration: number;
  readonly iterations: number;
  readonly pass: TilePass;
  /** 1-based, of `tiles` in this pass. */
  readonly tile: number;
  readonly tiles: number;
}

export interface StylizeCallbacks {
  readonly onProgress?: (progress: StylizeProgress) => void;
  readonly onPhase?: (phase: StylizePhase) => void;
  /** Each tile of a tiled evaluation, before it runs; never called when the image is not tiled. */
  readonly onTile?: (progress: StylizeTileProgress) => void;
  /**
   * After each loss-and-gradient evaluation, with the count so far (the starting image's included): a heartbeat
   * between progress reports, as an iteration may take several evaluations.
   */
  readonly onEvaluation?: (evaluations: number) => void;
  /** Called once, before any step, with the starting image's loss as iteration 0 (one evaluation). */
  readonly onStart?: (progress: StylizeProgress) => void;
  /**
   * Aborting stops the run within one iteration, or one tile when tiled; stylize then rejects with an AbortError
   * and frees everything.
   */
  readonly signal?: AbortSignal;
}

export interface StylizeResult {
  readonly image: RgbaImage;
  /** Loss terms after each iteration, over all stages (each stage's at its own size). */
  readonly history: readonly LossTerms[];
  /** The stages run, smallest first. */
  readonly stages: readonly StageInfo[];
  readonly iterations: number;
  /** Loss-and-gradient evaluations over all stages (each stage's starting image's included). */
  readonly evaluations: number;
  /** The loss of the starting image, before any step (first stage's size). */
  readonly initialLoss: LossTerms;
  /** Why the run ended: its picture stopped changing ('converged') or it used all its iterations. */
  readonly stopReason: StageStop;
  readonly elapsedMs: number;
  readonly options: StylizeOptions;
}

/** Where a run computes: the host's memory (a browser's share of the device) and the compute path's name (memory-policy.ts). */
export interface RunPlace {
  readonly host?: HostMemory;
  readonly backend?: string;
}

/** Builds the loss of one run on a compute path (tfjs, ONNX Runtime); the caller disposes it. */
export type LossProgramFactory = (spec: LossSpec, hooks?: LossProgramHooks) => LossProgram;

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
  checkImageFits(request.content, 'content', options);
  if (options.styleWeight > 0) {
    styles.forEach((s, i) => {
      if ((s.weight ?? 1) > 0) checkImageFits(s.image, 'style', options, `style image ${i + 1}`, request.content);
    });
  }
  const checked: CheckedRequest = { content: request.content, styles, options };
  checkedRequests.add(checked);
  return checked;
}

/** Layers a run needs from the network, for checking them against the weights up front. */
export function layersNeeded(options: StylizeOptions): ConvLayerName[] {
  return [...new Set([...options.contentLayers, ...options.styleLayers])];
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
  where: RunPlace = {},
): Promise<StylizeResult> {
  const { host, backend = 'unknown' } = where;
  const { signal, onProgress, onStart, onPhase, onTile, onEvaluation } = callbacks;
  const announce = async (phase: StylizePhase['phase'], stage: StageInfo) => {
    if (!onPhase) return;
    onPhase({ phase, stage });
    await nextTask();
    if (signal?.aborted) throw cancelledError(signal);
  };
  const checked = checkStylizeRequest(request);
  const { options } = checked;
  const memory = runMemory(options, host?.bytes);
  checkRunFitsMemory(options, request.content, memory, backend, host);
  let styles = checked.styles;
  if (signal?.aborted) throw cancelledError(signal);
  if (options.colorMatch) styles = styles.map((s) => ({ ...s, image: matchColorStats(s.image, request.content) }));

  // The output's longest side is `size`: a smaller content image is upsampled (hosts say so), never silently kept.
  const final = scaleToSide(request.content.width, request.content.height, options.size);
  const plan = planStages(options);
  let stages: StageInfo[] = plan.map((s, k) => ({
    index: k + 1,
    count: plan.length,
    ...(k === plan.length - 1 ? final : fitWithin(final.width, final.height, s.side)),
    iterations: s.iterations,
  }));
  const totalIterations = stages.reduce((n, s) => n + s.iterations, 0);
  // Time left is estimated from work (iterations × pixels), as later stages cost more per iteration.
  const work = (s: StageInfo, iterations: number) => iterations * s.width * s.height;
  let totalWork = stages.reduce((n, s) => n + work(s, s.iterations), 0);

  const started = Date.now();
  // Steady-state step time per unit of work (iterations after each stage's first), and the latest first iteration's.
  let steadyMs = 0;
  let steadyWork = 0;
  let firstRate = 0;
  const history: LossTerms[] = [];
  let stopReason: StageStop = 'iterations';
  let x: Float32Array | null = null;
  let previous: StageInfo | null = null;
  let previousContent: Float32Array | null = null;
  let evaluations = 0;
  const initial: { loss?: LossTerms } = {};
  let doneBefore = 0;
  /** The iteration whose evaluations run now (tile reports name it). */
  let underWay = 1;
  let workBefore = 0;
  let contentRgba: RgbaImage | null = null;
  let alpha: Uint8Array | undefined;
  const finish = (image: CaffeImage, content: RgbaImage): RgbaImage => {
    const rgba = caffeToRgba(image, alpha);
    return options.keepColors ? keepContentColors(rgba, content) : rgba;
  };
  for (const [k, { tolerance, window }] of plan.entries()) {
    const stage = stages[k] as StageInfo;
    const { width, height } = stage;
    await announce('style-targets', stage);
    const content = toCaffe(request.content, width, height);
    contentRgba = options.keepColors ? caffeToRgba(content) : null;
    alpha = alphaAt(request.content, width, height);
    x =
      previous && x && previousContent
        ? nextStageStart({ ...previous, data: x }, { ...previous, data: previousContent }, content)
        : initialImage(options, content);
    previousContent = content.data;
    const stageX = x;
    underWay = doneBefore + 1;
    const hooks: LossProgramHooks = {
      ...(signal ? { signal } : {}),
      ...(onTile ? { onTile: (t) => onTile({ ...t, stage, iteration: underWay, iterations: totalIterations }) } : {}),
    };
    const program = makeProgram(buildSpec(content, styles, options, final, memory), hooks);
    let stepStarted = 0;
    let outcome: Awaited<ReturnType<typeof optimiseStage>>;
    try {
      await announce('first-iteration', stage);
      stepStarted = Date.now();
      outcome = await optimiseStage(
        {
          program,
          x: stageX,
          iterations: stage.iterations,
          tolerance,
          window,
          signal,
          evaluated: () => {
            evaluations++;
            onEvaluation?.(evaluations);
          },
          started: (terms) => {
            if (initial.loss) return;
            initial.loss = terms;
            // Nothing done yet: the time left is the first evaluation's time, scaled to the whole plan's work.
            const elapsedMs = Date.now() - started;
            const remainingMs = (elapsedMs / work(stage, 1)) * totalWork;
            onStart?.({
              iteration: 0,
              iterations: totalIterations,
              loss: terms,
              evaluations,
              elapsedMs,
              remainingMs,
              stage,
            });
          },
          after: (i, terms, stop) => {
            history.push(terms);
            const iteration = doneBefore + i;
            underWay = iteration + 1;
            const now = Date.now();
            const elapsedMs = now - started;
            const stepRate = (now - stepStarted) / work(stage, 1);
            stepStarted = now;
            if (i === 1) firstRate = stepRate;
            else {
              steadyMs += stepRate * work(stage, 1);
              steadyWork += work(stage, 1);
            }
            const last = stage.index === stage.count && stop !== null;
            const wantPreview = options.previewEvery > 0 && (iteration % options.previewEvery === 0 || last);
            const workDone = workBefore + work(stage, i);
            onProgress?.({
              iteration,
              iterations: totalIterations,
              loss: terms,
              evaluations,
              elapsedMs,
              remainingMs: last ? 0 : (steadyWork > 0 ? steadyMs / steadyWork : firstRate) * (totalWork - workDone),
              stage,
              ...(last && stop ? { stopReason: stop } : {}),
              ...(wantPreview
                ? { preview: finish({ width, height, data: stageX }, contentRgba ?? request.content) }
                : {}),
            });
          },
        },
        makeOptimizer(options, stageX.length, memory),
      );
    } finally {
      program.dispose();
    }
    stopReason = outcome.stop;
    // Iterations a stage left unused (it stopped falling, or converged) go to the last stage.
    const unused = stage.iterations - outcome.iterations;
    if (unused > 0 && k < stages.length - 1) {
      const last = stages.at(-1) as StageInfo;
      stages = stages.map((s) =>
        s === stage
          ? { ...s, iterations: outcome.iterations }
          : s === last
            ? { ...s, iterations: s.iterations + unused }
            : s,
      );
      totalWork = stages.reduce((n, s) => n + work(s, s.iterations), 0);
    }
    doneBefore += outcome.iterations;
    workBefore += work(stage, outcome.iterations);
    previous = stage;
  }
  const last = stages.at(-1) as StageInfo;
  return {
    image: finish({ width: last.width, height: last.height, data: x as Float32Array }, contentRgba ?? request.content),
    history,
    stages,
    iterations: history.length,
    evaluations,
    initialLoss: initial.loss as LossTerms,
    stopReason,
    elapsedMs: Date.now() - started,
    options,
  };
}
