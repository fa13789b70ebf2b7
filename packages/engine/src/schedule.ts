import { OptionError } from './option-error.js';
import type { StylizeOptions } from './options.js';

/** One coarse-to-fine stage: the longest side it runs at and its iterations. */
export interface Stage {
  readonly side: number;
  readonly iterations: number;
}

/** Above this output size 'auto' turns coarse-to-fine on. */
export const COARSE_TO_FINE_AUTO_ABOVE = 512;
/** The automatic schedule halves the size while the smallest stage stays at least this big. */
export const SMALLEST_AUTO_STAGE = 64;
const MAX_AUTO_STAGES = 4;
const SMALLEST_STAGE = 16;

type ScheduleOptions = Pick<StylizeOptions, 'size' | 'iterations' | 'coarseToFine' | 'scales' | 'stageIterations'>;

function stageSides(o: ScheduleOptions): number[] {
  const on = o.coarseToFine === 'on' || (o.coarseToFine === 'auto' && o.size > COARSE_TO_FINE_AUTO_ABOVE);
  if (!on) return [o.size];
  if (Array.isArray(o.scales)) {
    if (o.scales.at(-1) !== o.size) {
      throw new OptionError(`scales must end at the output size ${o.size} (got ${o.scales.join(', ')})`, 'scales');
    }
    return [...o.scales];
  }
  let count = typeof o.scales === 'number' ? o.scales : 1;
  if (o.scales === null) {
    while (count < MAX_AUTO_STAGES && o.size / 2 ** count >= SMALLEST_AUTO_STAGE) count++;
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
  return sides.map((side, i) => ({ side, iterations: iterations[i] as number }));
}
