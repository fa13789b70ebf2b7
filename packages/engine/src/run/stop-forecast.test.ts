import { describe, expect, it } from 'vitest';
import { STOP_WINDOW, stoppedFalling } from './schedule.js';
import { expectedIterations, forecastStop, REFINING_STAGE_ITERATIONS } from './stop-forecast.js';

/** A loss curve whose relative fall per iteration decays geometrically: (L[j−1] − L[j]) / L[j] = first · slowing^(j−1). */
function curve(length: number, first: number, slowing: number): number[] {
  const losses = [1000];
  for (let j = 1; j < length; j++) losses.push((losses[j - 1] as number) / (1 + first * slowing ** (j - 1)));
  return losses;
}

/** Where the stopping rule itself first holds on the whole curve (its number of iterations), or null. */
function trueStop(losses: readonly number[], tolerance: number, window: number): number | null {
  for (let n = 1; n <= losses.length; n++) if (stoppedFalling(losses.slice(0, n), tolerance, window)) return n;
  return null;
}

describe('forecastStop', () => {
  it('on a geometrically slowing curve, forecasts the iteration at which the rule will hold', () => {
    for (const [first, slowing, window] of [
      [0.2, 0.85, STOP_WINDOW],
      [0.05, 0.95, STOP_WINDOW],
      [0.3, 0.7, 3],
    ] as const) {
      const whole = curve(400, first, slowing);
      const stop = trueStop(whole, 0.01, window) as number;
      expect(stop).toBeGreaterThan(15);
      // From the first 12 losses, and from any later point before the stop.
      for (const seen of [12, stop - 3]) {
        expect(forecastStop(whole.slice(0, seen), 0.01, window, 400)).toBe(stop);
      }
    }
  });

  it('says the ceiling when the forecast stop lies beyond it', () => {
    const whole = curve(400, 0.05, 0.95);
    const stop = trueStop(whole, 0.01, STOP_WINDOW) as number;
    expect(forecastStop(whole.slice(0, 12), 0.01, STOP_WINDOW, stop - 5)).toBe(stop - 5);
  });

  it('forecasts nothing from too few iterations, a curve that rose, one that does not slow, or tolerance 0', () => {
    const whole = curve(40, 0.2, 0.85);
    expect(forecastStop(whole.slice(0, 3), 0.01, STOP_WINDOW, 300)).toBeNull();
    const rose = whole.slice(0, 15);
    rose[12] = (rose[11] as number) * 1.01;
    expect(forecastStop(rose, 0.01, STOP_WINDOW, 300)).toBeNull();
    expect(forecastStop(curve(15, 0.01, 1.05), 0.01, STOP_WINDOW, 300)).toBeNull();
    expect(forecastStop(whole.slice(0, 15), 0, STOP_WINDOW, 300)).toBeNull();
  });
});

describe('expectedIterations', () => {
  it('expects a refining stage to take what the latest one took (a measured prior before), any other its ceiling', () => {
    expect(expectedIterations(true, 86, null)).toBe(REFINING_STAGE_ITERATIONS);
    expect(expectedIterations(true, 86, 17)).toBe(17);
    expect(expectedIterations(true, 12, 17)).toBe(12);
    expect(expectedIterations(false, 171, 17)).toBe(171);
  });
});
