import { OptionError } from '../option-error.js';

/** One coarse-to-fine stage: the longest side it runs at and its iterations. */
export interface Stage {
  readonly side: number;
  /** The most iterations it may take; one that stops early leaves the rest to the last stage. */
  readonly iterations: number;
  /** The stage ends once its loss fell by less than this fraction over STOP_WINDOW iterations (0: never). */
  readonly tolerance: number;
  /** A refining stage only sharpens what a smaller stage settled (its time left is forecast as such). */
  readonly refines: boolean;
  /**
   * Iterations the stopping rule looks back over in this stage (STOP_WINDOW, fewer where an iteration is costly):
   * over `window` iterations the loss must fall by less than tolerance × window / STOP_WINDOW, the same rate.
   */
  readonly window: number;
}

/** Iterations over which the stopping rule judges whether a stage's loss still falls. */
export const STOP_WINDOW = 10;

/**
 * The last stage (the output's size) ends once its loss falls by less than this over STOP_WINDOW iterations: by
 * then the picture no longer changes visibly (measured with `pnpm bench:stopping`, README: when a run stops).
 */
export const DEFAULT_TOLERANCE = 0.01;

/**
 * The run's tolerance is the rate measured at this side (1 % over 10 iterations at 512 px); a stage judged by it
 * that is larger uses more of it (`toleranceFor`): the same fall changes a larger picture less, seen at one size.
 */
export const TOLERANCE_SIDE = 512;
/**
 * From twice TOLERANCE_SIDE on, a stage judged by the run's tolerance stops at this multiple of it (between, the
 * multiple grows linearly). Measured at 1024 px single-scale on three pairs (`pnpm bench:stopping --size 1024`,
 * README: when a run stops): at 3 % over 10 iterations the picture still changes by 2× the iterations less, seen at
 * 128 px, than a 512 px run's does at its 1 % stop.
 */
export const LARGE_TOLERANCE_FACTOR = 3;

/** The tolerance a stage of `side` px ends by when it is judged by the run's `tolerance`. */
export function toleranceFor(side: number, tolerance: number): number {
  const t = Math.min(1, Math.max(0, (side - TOLERANCE_SIDE) / TOLERANCE_SIDE));
  return tolerance * (1 + t * (LARGE_TOLERANCE_FACTOR - 1));
}

/**
 * A coarse stage of the automatic schedule has done its work once its loss fell by less than this over
 * STOP_WINDOW iterations: further iterations there refine detail the next, larger stage redoes anyway, at a
 * quarter of its cost per iteration. Chosen from the measured stage curves (pnpm bench:converge, README).
 */
export const COARSE_TOLERANCE = 0.1;

/**
 * A content start's refining stages (above CONTENT_BASE_STAGE) end once their loss falls by less than this multiple
 * of the run's tolerance (0.1 by default) over STOP_WINDOW iterations. Judged by the picture, not the loss: after a
 * 512 px stage, a 1024 px stage's loss still falls ~1 % per iteration for 60 iterations and more while its picture
 * changes as little per iteration as a 512 px run's at its 1 % stop (`pnpm bench:stopping --coarse 512:90`, README:
 * when a run stops). The base stage of such a schedule ends by it too, not by toleranceFor its size: at 2048 px the
 * full-size stage's head start from the base stage is spent within ~10 of its iterations on one pair of three
 * (tubingen × starry_night: from there the two runs' losses per full-size iteration are equal), so base iterations
 * past the 10 % rule mostly delay the picture (pnpm bench:result, README: time to a finished picture).
 */
export const REFINE_TOLERANCE_FACTOR = 10;

/**
 * True when the loss stopped falling: over the last `window` iterations of `losses` (one per iteration, oldest
 * first) it moved by less than tolerance × window / STOP_WINDOW of its latest value, measured as the range
 * (highest − lowest) of those window + 1 values. A falling curve's range is its fall; a noisy one (Adam's loss goes
 * up and down while the picture still changes) has a wide range, so noise never reads as flat. tolerance 0: never.
 */
export function stoppedFalling(losses: readonly number[], tolerance: number, window = STOP_WINDOW): boolean {
  const n = losses.length;
  if (!(tolerance > 0) || n <= window) return false;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = n - 1 - window; i < n; i++) {
    const loss = losses[i] as number;
    low = Math.min(low, loss);
    high = Math.max(high, loss);
  }
  return high - low < ((tolerance * window) / STOP_WINDOW) * Math.abs(losses[n - 1] as number);
}

/**
 * From this output size on, 'auto' turns coarse-to-fine on for a noise start (at 512 px: 1.9–2.5× lower loss than
 * single-scale noise in equal time, README). A start from the content image already holds the picture's structure,
 * which is what the coarse stages supply: measured at 512 px on three pairs, single-scale was as good or better, so
 * 'auto' leaves such a run single-scale.
 */
export const COARSE_TO_FINE_AUTO_FROM = 512;
/**
 * From this output size on, 'auto' runs a content start coarse to fine too: a full-size evaluation costs 4x the
 * half-size one and more (tiles), so the look is settled where iterations are cheap and the large stages only
 * refine. Not at 1024 px: there single-scale reached a 10–20 % lower full-size loss than 512 → 1024 px in the time
 * the latter took to stop (pnpm bench:result, README: time to a finished picture); with the 512 px balance
 * (balanceSize) too, on one pair.
 */
export const CONTENT_COARSE_TO_FINE_FROM = 2048;
/**
 * A content start's automatic schedule halves the size down to this side, not below: the stage where single-scale
 * wins (above). At 2048 px, 1024 → 2048 px ended 2.3 % above single-scale's loss in the same time, 512 → 1024 →
 * 2048 px 5.5 % above (tubingen × starry_night, pnpm bench:result). With each stage's content weight scaled
 * (stageContentWeight), 1024 → 2048 px finished three pairs in 2:25–3:27, −1.2 to +1.0 % from single-scale's loss;
 * with the 512 px balance (balanceSize), in 4:14–6:01, at 1.044, 0.920 and 0.983 of it (bench:result --curve);
 * single-scale to its own stopping rule took 7:13–8:57 there for a 2–7 % lower loss. With the base stage ended by
 * the refining rule (REFINE_TOLERANCE_FACTOR; 19–26 iterations here, was 41–45): 1.023, 0.905 and 0.995, in
 * 6:31–8:56 on a slower (AVX2) machine; with Winograd convs in Node (ort-node.ts), tubingen × starry_night in 7:24
 * there (was 8:56), at 1.018.
 */
export const CONTENT_BASE_STAGE = 1024;
/**
 * Stages up to this side judge their curve over STOP_WINDOW iterations; larger ones over proportionally fewer (at
 * the same rate of fall), at least MIN_WINDOW: an iteration at 4096 px takes minutes.
 */
export const FULL_WINDOW_SIDE = 1024;
export const MIN_WINDOW = 3;

/** The stopping rule's window for a stage of `side` px. */
export function windowFor(side: number): number {
  return Math.max(MIN_WINDOW, Math.min(STOP_WINDOW, Math.round((STOP_WINDOW * FULL_WINDOW_SIDE) / side)));
}

/** The automatic schedule halves the size while the smallest stage stays at least this big. */
export const SMALLEST_AUTO_STAGE = 64;
const MAX_AUTO_STAGES = 4;
const SMALLEST_STAGE = 16;

export type CoarseToFine = 'auto' | 'on' | 'off';

/** The options a schedule is planned from (StylizeOptions, options.ts, holds them with their meaning). */
export interface ScheduleOptions {
  readonly size: number;
  readonly iterations: number;
  readonly tolerance: number;
  readonly coarseToFine: CoarseToFine;
  readonly scales: number | readonly number[] | null;
  readonly stageIterations: readonly number[] | null;
  /** Only whether the run starts from noise matters here. */
  readonly init: 'noise' | 'content' | object;
}

/** Sides halving from `size` while the smallest stays at least `smallest`, at most `most` stages. */
function halvings(size: number, smallest: number, most: number): number[] {
  let count = 1;
  while (count < most && size / 2 ** count >= smallest) count++;
  return Array.from({ length: count }, (_, k) => Math.round(size / 2 ** (count - 1 - k)));
}

function stageSides(o: ScheduleOptions): number[] {
  // 'auto' with stages asked for (scales or per-stage iterations) means coarse-to-fine, whatever the start.
  const asked = o.scales !== null || o.stageIterations !== null;
  const fromContent = o.init !== 'noise';
  if (o.coarseToFine === 'auto' && !asked && fromContent) {
    // Never more stages than iterations: a short run gets fewer stages, not an error.
    return o.size >= CONTENT_COARSE_TO_FINE_FROM ? halvings(o.size, CONTENT_BASE_STAGE, o.iterations) : [o.size];
  }
  const on = o.coarseToFine === 'on' || (o.coarseToFine === 'auto' && (asked || o.size >= COARSE_TO_FINE_AUTO_FROM));
  if (!on) return [o.size];
  if (Array.isArray(o.scales)) {
    if (o.scales.at(-1) !== o.size) {
      throw new OptionError(`scales must end at the output size ${o.size} (got ${o.scales.join(', ')})`, 'scales');
    }
    return [...o.scales];
  }
  // A count of scales, else one stage per stageIterations entry, else automatic.
  let count = typeof o.scales === 'number' ? o.scales : (o.stageIterations?.length ?? 1);
  if (o.scales === null && o.stageIterations === null) {
    // Never more stages than iterations: a short run (e.g. -i 2 at 512 px) gets fewer stages, not an error.
    while (count < Math.min(MAX_AUTO_STAGES, o.iterations) && o.size / 2 ** count >= SMALLEST_AUTO_STAGE) count++;
  }
  const sides = Array.from({ length: count }, (_, k) => Math.round(o.size / 2 ** (count - 1 - k)));
  if ((sides[0] as number) < SMALLEST_STAGE) {
    throw new OptionError(
      `${count} scales from ${o.size} px make a stage under ${SMALLEST_STAGE} px; use fewer`,
      'scales',
    );
  }
  return sides;
}

/**
 * `total` split over `count` stages, each stage getting half the iterations of the one before (the small stages
 * are cheap and do most of the work; the last one refines detail). Largest-remainder rounding, at least 1 each.
 */
export function splitIterations(total: number, count: number): number[] {
  if (total < count) {
    throw new OptionError(`${total} iterations cannot cover ${count} coarse-to-fine stages`, 'iterations');
  }
  const shares = Array.from({ length: count }, (_, k) => 2 ** (count - 1 - k));
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (s / sum) * total);
  const out = exact.map((e) => Math.max(1, Math.floor(e)));
  let left = total - out.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  // Stages raised to 1 iteration are paid for by the biggest share.
  while (left < 0) {
    const biggest = out.indexOf(Math.max(...out));
    out[biggest] = (out[biggest] as number) - 1;
    left++;
  }
  return out;
}

/** The stages of a run: one at `size` when coarse-to-fine is off. */
export function planStages(o: ScheduleOptions): Stage[] {
  const sides = stageSides(o);
  let iterations: number[];
  const automatic = !o.stageIterations;
  if (o.stageIterations) {
    if (o.stageIterations.length !== sides.length) {
      throw new OptionError(
        `stageIterations has ${o.stageIterations.length} values for ${sides.length} stages (${sides.join(', ')} px)`,
      );
    }
    iterations = [...o.stageIterations];
  } else {
    iterations = splitIterations(o.iterations, sides.length);
  }
  // A content start's automatic schedule of several stages ends each, its first too, by REFINE_TOLERANCE_FACTOR × the
  // run's tolerance; as one stage, it ends by toleranceFor its size. Otherwise the last stage ends by the run's
  // tolerance (toleranceFor its size), a noise start's automatic coarse stages by COARSE_TOLERANCE (they only rough
  // out the structure), and stages given their own iterations run them.
  const last = sides.length - 1;
  const contentAuto = automatic && o.init !== 'noise' && o.coarseToFine === 'auto' && o.scales === null;
  const refines = (i: number) => (contentAuto ? i > 0 : automatic && i < last);
  const tolerance = (i: number, side: number) => {
    if (contentAuto) return last === 0 ? toleranceFor(side, o.tolerance) : o.tolerance * REFINE_TOLERANCE_FACTOR;
    if (i === last) return toleranceFor(side, o.tolerance);
    return automatic ? COARSE_TOLERANCE : 0;
  };
  return sides.map((side, i) => ({
    side,
    iterations: iterations[i] as number,
    tolerance: tolerance(i, side),
    refines: refines(i),
    window: windowFor(side),
  }));
}
