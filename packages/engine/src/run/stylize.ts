import { cancelledError } from '@impasto/errors';
import type { LossProgram, LossProgramHooks, LossSpec, LossTerms, TilePass } from '../compute/loss-program.js';
import { type CaffeImage, caffeToRgba } from '../image/caffe.js';
import { keepContentColors, matchColorStats } from '../image/colors.js';
import { fitWithin, scaleToSide } from '../image/resize.js';
import { type RgbaImage, validateRgba } from '../image/rgba.js';
import { checkRunFitsMemory, type HostMemory } from '../memory/memory-policy.js';
import { runMemory } from '../memory/optimizer-memory.js';
import type { ConvLayerName } from '../network/layers.js';
import { resolveOptions, type StylizeOptions } from '../options.js';
import { checkImageFits } from './image-fit.js';
import { nextTask } from './next-task.js';
import { RunClock, type StageWork, stageBudget } from './run-clock.js';
import { planStages, type Stage } from './schedule.js';
import { makeOptimizer, optimiseStage, type StageStop } from './stage-loop.js';
import { expectedIterations, forecastStop } from './stop-forecast.js';
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

/** What a run carries from stage to stage and into its callbacks. */
interface RunState {
  readonly content: RgbaImage;
  readonly options: StylizeOptions;
  readonly styles: readonly WeightedStyle[];
  /** The output's size. */
  readonly final: { readonly width: number; readonly height: number };
  readonly memory: number;
  readonly callbacks: StylizeCallbacks;
  readonly clock: RunClock;
  /** Iterations the latest refining stage took (the expectation for the next one), null before one ended. */
  refined: number | null;
  readonly totalIterations: number;
  readonly history: LossTerms[];
  evaluations: number;
  initialLoss?: LossTerms;
  /** Iterations of the stages already finished. */
  doneBefore: number;
  /** The iteration whose evaluations run now (tile reports name it). */
  underWay: number;
  /** The image being optimised, and the stage and content it was optimised at. */
  x: Float32Array | null;
  previous: StageInfo | null;
  previousContent: Float32Array | null;
  /** The stage's content as RGBA when keepColors needs it, and the content's alpha at the stage's size. */
  contentRgba: RgbaImage | null;
  alpha: Uint8Array | undefined;
}

/** Reports a phase and gives the event loop a turn to show it. */
async function announce(run: RunState, phase: StylizePhase['phase'], stage: StageInfo): Promise<void> {
  const { onPhase, signal } = run.callbacks;
  if (!onPhase) return;
  onPhase({ phase, stage });
  await nextTask();
  if (signal?.aborted) throw cancelledError(signal);
}

/** The stage's image as the run's output: RGBA with the content's alpha, its colours kept when asked. */
function finish(run: RunState, image: CaffeImage): RgbaImage {
  const rgba = caffeToRgba(image, run.alpha);
  return run.options.keepColors ? keepContentColors(rgba, run.contentRgba ?? run.content) : rgba;
}

/** The stages of `plan` at the output's aspect ratio, the last one at the output's size. */
function stageInfos(plan: readonly Stage[], final: RunState['final']): StageInfo[] {
  return plan.map((s, k) => ({
    index: k + 1,
    count: plan.length,
    ...(k === plan.length - 1 ? final : fitWithin(final.width, final.height, s.side)),
    iterations: s.iterations,
  }));
}

type StageRule = Pick<Stage, 'tolerance' | 'window' | 'refines'>;

/** The stages as they are expected to run, for the clock: a refining stage as long as the last one took. */
function expectedPlan(stages: readonly StageInfo[], rules: readonly StageRule[], refined: number | null): StageWork[] {
  return stages.map((s, k) => ({
    ...s,
    iterations: expectedIterations((rules[k] as StageRule).refines, s.iterations, refined),
  }));
}

/** The iteration the current stage is expected to end after, once `i` are done: forecast from its curve. */
function expectedEnd(run: RunState, stage: StageInfo, rule: StageRule, i: number): number {
  const losses = run.history.slice(run.doneBefore).map((t) => t.total);
  const forecast = forecastStop(losses, rule.tolerance, rule.window, stage.iterations);
  if (forecast !== null) return forecast;
  const prior = expectedIterations(rule.refines, stage.iterations, run.refined);
  return prior > i ? prior : stage.iterations;
}

/** The optimiser loop's reports for one stage: evaluations, the starting loss, each iteration's progress. */
function stageReports(run: RunState, stage: StageInfo, rule: StageRule, x: Float32Array) {
  const { onEvaluation, onStart, onProgress } = run.callbacks;
  const { options, clock, totalIterations: iterations } = run;
  return {
    evaluated: () => {
      run.evaluations++;
      onEvaluation?.(run.evaluations);
    },
    started: (terms: LossTerms) => {
      if (run.initialLoss) return;
      run.initialLoss = terms;
      const elapsedMs = clock.elapsedMs();
      const remainingMs = clock.remainingAtStart(stage);
      onStart?.({ iteration: 0, iterations, loss: terms, evaluations: run.evaluations, elapsedMs, remainingMs, stage });
    },
    after: (i: number, terms: LossTerms, stop: StageStop | null) => {
      run.history.push(terms);
      const iteration = run.doneBefore + i;
      run.underWay = iteration + 1;
      const elapsedMs = clock.stepEnded(stage, i);
      const last = stage.index === stage.count && stop !== null;
      const wantPreview = options.previewEvery > 0 && (iteration % options.previewEvery === 0 || last);
      onProgress?.({
        iteration,
        iterations,
        loss: terms,
        evaluations: run.evaluations,
        elapsedMs,
        remainingMs: last ? 0 : clock.remainingMs(stage, i, expectedEnd(run, stage, rule, i)),
        stage,
        ...(last && stop ? { stopReason: stop } : {}),
        ...(wantPreview ? { preview: finish(run, { width: stage.width, height: stage.height, data: x }) } : {}),
      });
    },
  };
}

/** One stage: its inputs at its size, its starting image, its loss program and the optimiser loop. */
async function runStage(run: RunState, stage: StageInfo, rule: StageRule, make: LossProgramFactory) {
  const { width, height } = stage;
  const { options, callbacks } = run;
  const { signal, onTile } = callbacks;
  await announce(run, 'style-targets', stage);
  const content = toCaffe(run.content, width, height);
  run.contentRgba = options.keepColors ? caffeToRgba(content) : null;
  run.alpha = alphaAt(run.content, width, height);
  const x =
    run.previous && run.x && run.previousContent
      ? nextStageStart({ ...run.previous, data: run.x }, { ...run.previous, data: run.previousContent }, content)
      : initialImage(options, content);
  run.x = x;
  run.previousContent = content.data;
  run.underWay = run.doneBefore + 1;
  const hooks: LossProgramHooks = {
    ...(signal ? { signal } : {}),
    ...(onTile
      ? { onTile: (t) => onTile({ ...t, stage, iteration: run.underWay, iterations: run.totalIterations }) }
      : {}),
  };
  const program = make(buildSpec(content, run.styles, options, run.final, run.memory), hooks);
  try {
    await announce(run, 'first-iteration', stage);
    run.clock.stepStarts();
    const loop = { program, x, iterations: stage.iterations, ...rule, signal, ...stageReports(run, stage, rule, x) };
    return await optimiseStage(loop, makeOptimizer(options, x.length, run.memory));
  } finally {
    program.dispose();
  }
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
  const { signal } = callbacks;
  const checked = checkStylizeRequest(request);
  const { options } = checked;
  const memory = runMemory(options, host?.bytes);
  checkRunFitsMemory(options, request.content, memory, backend, host);
  if (signal?.aborted) throw cancelledError(signal);
  const styles = options.colorMatch
    ? checked.styles.map((s) => ({ ...s, image: matchColorStats(s.image, request.content) }))
    : checked.styles;

  // The output's longest side is `size`: a smaller content image is upsampled (hosts say so), never silently kept.
  const final = scaleToSide(request.content.width, request.content.height, options.size);
  const plan = planStages(options);
  let stages = stageInfos(plan, final);
  const run: RunState = {
    content: request.content,
    options,
    styles,
    final,
    memory,
    callbacks,
    clock: new RunClock(expectedPlan(stages, plan, null)),
    refined: null,
    totalIterations: stages.reduce((n, s) => n + s.iterations, 0),
    history: [],
    evaluations: 0,
    doneBefore: 0,
    underWay: 1,
    x: null,
    previous: null,
    previousContent: null,
    contentRgba: null,
    alpha: undefined,
  };
  let stopReason: StageStop = 'iterations';
  for (const [k, rule] of plan.entries()) {
    const stage = stages[k] as StageInfo;
    const outcome = await runStage(run, stage, rule, makeProgram);
    stopReason = outcome.stop;
    stages = stageBudget(stages, k, outcome.iterations);
    if (rule.refines) run.refined = outcome.iterations;
    run.clock.stageEnded(expectedPlan(stages, plan, run.refined));
    run.doneBefore += outcome.iterations;
    run.previous = stage;
  }
  const last = stages.at(-1) as StageInfo;
  return {
    image: finish(run, { width: last.width, height: last.height, data: run.x as Float32Array }),
    history: run.history,
    stages,
    iterations: run.history.length,
    evaluations: run.evaluations,
    initialLoss: run.initialLoss as LossTerms,
    stopReason,
    elapsedMs: run.clock.elapsedMs(),
    options,
  };
}
