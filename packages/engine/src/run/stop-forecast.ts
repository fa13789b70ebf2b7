/**
 * When a stage will stop: the time left is told to the stage's expected end, not to its iteration ceiling (a 1024 px
 * run that converges after ~100 of its 300 iterations would otherwise say three times too much).
 */
import { stoppedFalling } from './schedule.js';

/** The fewest recent falls the forecast fits a curve to. */
const FEWEST_FALLS = 3;

/**
 * A refining stage (Stage.refines: it only sharpens what a smaller stage settled) is expected to end after this
 * many iterations until one has: measured 27–32 at 1024 px after a 512 px stage (README: when a run stops).
 */
export const REFINING_STAGE_ITERATIONS = 30;

/**
 * The iteration at which the stopping rule (`stoppedFalling`) is expected to end a stage whose losses so far are
 * `losses`, at most `ceiling`. The relative fall per iteration, (L[j−1] − L[j]) / L[j], is fitted over the last
 * `window` iterations as a geometric decay and the curve extended with it until the rule holds. null where there is
 * nothing to forecast from: too few iterations, a curve that rose (Adam's noise) or one that does not slow down.
 */
export function forecastStop(
  losses: readonly number[],
  tolerance: number,
  window: number,
  ceiling: number,
): number | null {
  const n = losses.length;
  const falls: number[] = [];
  for (let j = Math.max(1, n - window); j < n; j++) {
    falls.push(((losses[j - 1] as number) - (losses[j] as number)) / Math.abs(losses[j] as number));
  }
  if (n >= ceiling) return ceiling;
  if (!(tolerance > 0) || falls.length < FEWEST_FALLS || falls.some((d) => !(d > 0))) return null;
  const { last, slowing } = geometricFit(falls);
  if (!(slowing < 1)) return null;
  const curve = [...losses];
  let fall = last * slowing;
  for (let j = n + 1; j <= ceiling; j++) {
    curve.push((curve.at(-1) as number) / (1 + fall));
    if (stoppedFalling(curve, tolerance, window)) return j;
    fall *= slowing;
  }
  return ceiling;
}

/** A geometric sequence fitted to positive `values` (least squares on their logarithms): its ratio and last value. */
function geometricFit(values: readonly number[]): { readonly last: number; readonly slowing: number } {
  const m = values.length;
  const meanX = (m - 1) / 2;
  const logs = values.map(Math.log);
  const meanY = logs.reduce((a, b) => a + b, 0) / m;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < m; i++) {
    sxy += (i - meanX) * ((logs[i] as number) - meanY);
    sxx += (i - meanX) ** 2;
  }
  const slope = sxy / sxx;
  return { last: Math.exp(meanY + slope * (m - 1 - meanX)), slowing: Math.exp(slope) };
}

/**
 * The iterations a stage that has not started yet is expected to take: a refining stage as many as the latest
 * refining stage took (`refined`), or REFINING_STAGE_ITERATIONS before any has; any other stage its ceiling.
 */
export function expectedIterations(refines: boolean, ceiling: number, refined: number | null): number {
  return refines ? Math.min(ceiling, refined ?? REFINING_STAGE_ITERATIONS) : ceiling;
}
