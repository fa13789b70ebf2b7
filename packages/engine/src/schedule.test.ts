import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from './options.js';
import { planStages, splitIterations } from './schedule.js';

const plan = (o: Partial<Parameters<typeof planStages>[0]>) => planStages({ ...DEFAULT_OPTIONS, ...o });

describe('coarse-to-fine schedule', () => {
  it('auto: one stage up to 512 px; above, halving down to ≥ 64 px (at most 4 stages)', () => {
    expect(plan({ size: 512, iterations: 300 })).toEqual([{ side: 512, iterations: 300 }]);
    expect(plan({ size: 768, iterations: 70 }).map((s) => s.side)).toEqual([96, 192, 384, 768]);
    expect(plan({ size: 1024 }).map((s) => s.side)).toEqual([128, 256, 512, 1024]);
    expect(plan({ size: 4096 }).map((s) => s.side)).toEqual([512, 1024, 2048, 4096]);
    expect(plan({ size: 1024, coarseToFine: 'off' }).map((s) => s.side)).toEqual([1024]);
    expect(plan({ size: 256, coarseToFine: 'on' }).map((s) => s.side)).toEqual([64, 128, 256]);
    expect(plan({ size: 100, coarseToFine: 'on' }).map((s) => s.side)).toEqual([100]);
    // A short run gets no more automatic stages than it has iterations (never an error).
    expect(plan({ size: 1024, iterations: 2 })).toEqual([
      { side: 512, iterations: 1 },
      { side: 1024, iterations: 1 },
    ]);
    expect(plan({ size: 1024, iterations: 1 })).toEqual([{ side: 1024, iterations: 1 }]);
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
    expect(plan({ size: 256, coarseToFine: 'on', scales: 2, stageIterations: [5, 9] })).toEqual([
      { side: 128, iterations: 5 },
      { side: 256, iterations: 9 },
    ]);
    expect(() => plan({ size: 256, coarseToFine: 'on', scales: 2, stageIterations: [5] })).toThrow(
      'stageIterations has 1 values for 2 stages (128, 256 px)',
    );
  });
});
