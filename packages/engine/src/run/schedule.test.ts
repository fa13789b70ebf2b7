import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../options.js';
import {
  COARSE_TOLERANCE,
  DEFAULT_TOLERANCE,
  LARGE_TOLERANCE_FACTOR,
  planStages,
  STOP_WINDOW,
  splitIterations,
  stoppedFalling,
  toleranceFor,
} from './schedule.js';

/** The automatic schedule's cases start from noise: from the content image 'auto' is single-scale. */
const plan = (o: Partial<Parameters<typeof planStages>[0]>) => planStages({ ...DEFAULT_OPTIONS, init: 'noise', ...o });

describe('coarse-to-fine schedule', () => {
  it('auto from the content image (the default start): one stage below 2048 px; from there, halving down to 1024 px', () => {
    for (const size of [256, 512, 768, 1000, 1024, 1500]) {
      expect(planStages({ ...DEFAULT_OPTIONS, size }).map((s) => s.side)).toEqual([size]);
    }
    expect(planStages({ ...DEFAULT_OPTIONS, size: 3000 }).map((s) => s.side)).toEqual([1500, 3000]);
    expect(planStages({ ...DEFAULT_OPTIONS, size: 2048 }).map((s) => s.side)).toEqual([1024, 2048]);
    const big = planStages({ ...DEFAULT_OPTIONS, size: 4096, tolerance: 0.02 });
    expect(big.map((s) => s.side)).toEqual([1024, 2048, 4096]);
    // Every stage ends by ten times the run's tolerance (the first one too, not toleranceFor its size); costly stages
    // judge fewer iterations at the same rate.
    expect(big.map((s) => Number(s.tolerance.toPrecision(12)))).toEqual([0.2, 0.2, 0.2]);
    expect(big.map((s) => s.refines)).toEqual([false, true, true]);
    expect(planStages({ ...DEFAULT_OPTIONS, size: 2048, tolerance: 0 }).map((s) => s.tolerance)).toEqual([0, 0]);
    expect(big.map((s) => s.window)).toEqual([STOP_WINDOW, 5, 3]);
    // A short run gets as many stages as iterations.
    expect(planStages({ ...DEFAULT_OPTIONS, size: 4096, iterations: 2 }).map((s) => s.side)).toEqual([2048, 4096]);
    expect(planStages({ ...DEFAULT_OPTIONS, size: 512, coarseToFine: 'on' }).map((s) => s.side)).toEqual([
      64, 128, 256, 512,
    ]);
    expect(planStages({ ...DEFAULT_OPTIONS, size: 2048, coarseToFine: 'off' }).map((s) => s.side)).toEqual([2048]);
    // Stages asked for by count or size turn it on under 'auto' too.
    expect(planStages({ ...DEFAULT_OPTIONS, size: 512, scales: 2 }).map((s) => s.side)).toEqual([256, 512]);
    expect(planStages({ ...DEFAULT_OPTIONS, size: 512, stageIterations: [5, 5] }).map((s) => s.side)).toEqual([
      256, 512,
    ]);
  });

  it('auto from noise: one stage below 512 px; from there, halving down to ≥ 64 px (at most 4 stages)', () => {
    expect(plan({ size: 384, iterations: 300 })).toEqual([
      { side: 384, iterations: 300, tolerance: DEFAULT_TOLERANCE, refines: false, window: STOP_WINDOW },
    ]);
    expect(plan({ size: 512 }).map((s) => s.side)).toEqual([64, 128, 256, 512]);
    // A run shorter than the stage count gets as many stages as iterations.
    expect(plan({ size: 512, iterations: 2 })).toEqual([
      { side: 256, iterations: 1, tolerance: COARSE_TOLERANCE, refines: true, window: STOP_WINDOW },
      { side: 512, iterations: 1, tolerance: DEFAULT_TOLERANCE, refines: false, window: STOP_WINDOW },
    ]);
    expect(plan({ size: 768, iterations: 70 }).map((s) => s.side)).toEqual([96, 192, 384, 768]);
    expect(plan({ size: 1024 }).map((s) => s.side)).toEqual([128, 256, 512, 1024]);
    expect(plan({ size: 4096 }).map((s) => s.side)).toEqual([512, 1024, 2048, 4096]);
    expect(plan({ size: 1024, coarseToFine: 'off' }).map((s) => s.side)).toEqual([1024]);
    expect(plan({ size: 256, coarseToFine: 'on' }).map((s) => s.side)).toEqual([64, 128, 256]);
    expect(plan({ size: 100, coarseToFine: 'on' }).map((s) => s.side)).toEqual([100]);
  });

  it("a stage judged by the run's tolerance uses more of it the larger it is: 1x up to 512 px, 3x from 1024 px", () => {
    const rounded = (values: number[]) => values.map((v) => Number(v.toPrecision(12)));
    expect(rounded([256, 512, 768, 1024, 4096].map((side) => toleranceFor(side, 0.01)))).toEqual([
      0.01, 0.01, 0.02, 0.03, 0.03,
    ]);
    expect(toleranceFor(4096, 0)).toBe(0);
    // The default single-scale run at 1024 px ends at 3 % over 10 iterations; a content start's stages of several
    // (1500 and 3000 px for a 3000 px output) at ten times the run's tolerance, the first one too.
    expect(rounded(planStages({ ...DEFAULT_OPTIONS, size: 1024 }).map((s) => s.tolerance))).toEqual([0.03]);
    expect(rounded(planStages({ ...DEFAULT_OPTIONS, size: 3000 }).map((s) => s.tolerance))).toEqual([0.1, 0.1]);
    // Between 512 and 1024 px, linearly: a 768 px noise start's last stage at 2 %.
    expect(rounded(plan({ size: 768 }).map((s) => s.tolerance)).at(-1)).toBe(0.02);
    expect(rounded(plan({ size: 2048, coarseToFine: 'off', tolerance: 0.02 }).map((s) => s.tolerance))).toEqual([0.06]);
  });

  it('a count of scales or an explicit list of sizes', () => {
    expect(plan({ size: 600, coarseToFine: 'on', scales: 3 }).map((s) => s.side)).toEqual([150, 300, 600]);
    expect(plan({ size: 600, coarseToFine: 'on', scales: [200, 600] }).map((s) => s.side)).toEqual([200, 600]);
    expect(() => plan({ size: 600, coarseToFine: 'on', scales: [200, 500] })).toThrow(
      'scales must end at the output size 600',
    );
    expect(() => plan({ size: 64, coarseToFine: 'on', scales: 4 })).toThrow('make a stage under 16 px');
  });

  it('splits iterations halving per stage up, summing to the total', () => {
    // Shares 4/7, 2/7, 1/7 of 300: 171.43, 85.71, 42.86 → 171, 85, 42 and the 2 left to the largest fractions.
    expect(splitIterations(300, 3)).toEqual([171, 86, 43]);
    // 4 stages, 5 iterations: 2.67, 1.33, 0.67→1, 0.33→1 → 2, 1, 1, 1 = 5.
    expect(splitIterations(5, 4)).toEqual([2, 1, 1, 1]);
    expect(splitIterations(3, 3)).toEqual([1, 1, 1]);
    expect(splitIterations(10, 1)).toEqual([10]);
    expect(plan({ size: 600, iterations: 70, scales: 3 }).map((s) => s.iterations)).toEqual([40, 20, 10]);
    expect(() => splitIterations(2, 3)).toThrow('2 iterations cannot cover 3 coarse-to-fine stages');
  });

  it('per-stage iterations replace the split and must match the stage count', () => {
    // Stages given their own iterations run them, but the last one still ends by the run's tolerance.
    expect(plan({ size: 256, coarseToFine: 'on', scales: 2, stageIterations: [5, 9], tolerance: 0.02 })).toEqual([
      { side: 128, iterations: 5, tolerance: 0, refines: false, window: STOP_WINDOW },
      { side: 256, iterations: 9, tolerance: 0.02, refines: false, window: STOP_WINDOW },
    ]);
    // The automatic split's coarse stages stop at the coarse tolerance; the last one at the run's.
    expect(plan({ size: 1024, iterations: 300 }).map((s) => s.tolerance)).toEqual([
      COARSE_TOLERANCE,
      COARSE_TOLERANCE,
      COARSE_TOLERANCE,
      LARGE_TOLERANCE_FACTOR * DEFAULT_TOLERANCE,
    ]);
    expect(() => plan({ size: 256, coarseToFine: 'on', scales: 2, stageIterations: [5] })).toThrow(
      'stageIterations has 1 values for 2 stages (128, 256 px)',
    );
  });
});

describe('stoppedFalling (the stopping rule)', () => {
  const falling = (rate: number, n: number) => Array.from({ length: n }, (_, i) => 1000 * (1 - rate) ** i);
  /** The per-iteration rate r at which the window's fall, relative to its last value, is `share` of tolerance t. */
  const rateFor = (t: number, share: number) => 1 - (1 + share * t) ** (-1 / STOP_WINDOW);

  it('is true once the loss fell by less than the tolerance of its latest value over the last STOP_WINDOW iterations', () => {
    for (const t of [0.01, 0.1]) {
      // A geometric fall: first/last = (1 − r)^−W, so the fall relative to the last is (1 − r)^−W − 1 = share·t.
      expect(stoppedFalling(falling(rateFor(t, 0.9), STOP_WINDOW + 1), t)).toBe(true);
      expect(stoppedFalling(falling(rateFor(t, 1.1), STOP_WINDOW + 1), t)).toBe(false);
    }
    // Too few iterations to judge, however flat.
    expect(stoppedFalling(new Array(STOP_WINDOW).fill(5), 0.01)).toBe(false);
    // Only the last window counts: a fast start does not keep a stage going.
    expect(stoppedFalling([...falling(0.3, 20), ...new Array(STOP_WINDOW + 1).fill(1)], 0.01)).toBe(true);
  });

  it('never stops on a noisy curve whose ends happen to match, and never with tolerance 0', () => {
    // Adam-like: up and down by 5% around a level, same value at both ends of the window: the picture still moves.
    const noisy = Array.from({ length: 30 }, (_, i) => 1000 * (1 + 0.05 * Math.sin(i * 1.3)));
    noisy[noisy.length - 1] = noisy[noisy.length - 1 - STOP_WINDOW] as number;
    expect(stoppedFalling(noisy, 0.01)).toBe(false);
    // Noise far below the tolerance is flat.
    const quiet = noisy.map((v) => 1000 + (v - 1000) / 1000);
    expect(stoppedFalling(quiet, 0.01)).toBe(true);
    expect(stoppedFalling(new Array(STOP_WINDOW + 5).fill(5), 0)).toBe(false);
  });

  it('over a shorter window, the same rate: a fall under tolerance × window / STOP_WINDOW', () => {
    const window = 3;
    const t = 0.01;
    // Per iteration r: over 3 iterations the fall relative to the last is (1 − r)^−3 − 1; the bound is 0.003.
    const rate = (share: number) => 1 - (1 + (share * t * window) / STOP_WINDOW) ** (-1 / window);
    expect(stoppedFalling(falling(rate(0.9), window + 1), t, window)).toBe(true);
    expect(stoppedFalling(falling(rate(1.1), window + 1), t, window)).toBe(false);
    expect(stoppedFalling(falling(rate(0.9), window), t, window)).toBe(false); // too few to judge
  });
});
