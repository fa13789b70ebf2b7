import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunClock, stageBudget, workOf } from './run-clock.js';

const stages = [
  { width: 10, height: 10, iterations: 4 },
  { width: 20, height: 20, iterations: 6 },
  { width: 40, height: 40, iterations: 10 },
];

describe('stageBudget', () => {
  it('gives the iterations a stage left unused to the last stage', () => {
    const next = stageBudget(stages, 0, 1);
    expect(next.map((s) => s.iterations)).toEqual([1, 6, 13]);
  });

  it('leaves the plan as it is when the stage used all its iterations, or is the last', () => {
    expect(stageBudget(stages, 1, 6).map((s) => s.iterations)).toEqual([4, 6, 10]);
    expect(stageBudget(stages, 2, 3).map((s) => s.iterations)).toEqual([4, 6, 10]);
  });
});

describe('RunClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('estimates time left from steady steps, per unit of work (iterations × pixels)', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new RunClock(stages);
    vi.advanceTimersByTime(50);
    // Before any step: the first evaluation's time (50 ms for one 10×10 iteration), scaled to the whole plan.
    const total = stages.reduce((n, s) => n + workOf(s, s.iterations), 0);
    expect(clock.remainingAtStart(stages[0] as (typeof stages)[0])).toBeCloseTo((50 / 100) * total);
    const first = stages[0] as (typeof stages)[0];
    clock.stepStarts();
    vi.advanceTimersByTime(500); // the first iteration compiles: slow, counted only until a steady one is measured
    expect(clock.stepEnded(first, 1)).toBe(550);
    expect(clock.remainingMs(first, 1)).toBeCloseTo(5 * (total - 100));
    vi.advanceTimersByTime(100); // a steady iteration: 1 ms per unit of work
    clock.stepEnded(first, 2);
    expect(clock.remainingMs(first, 2)).toBeCloseTo(total - 200);
    // The first stage stopped after 2 of its 4: its 2 go to the last stage (40×40), and the time left grows.
    const next = stageBudget(stages, 0, 2);
    clock.stageEnded(first, 2, next);
    const nextTotal = next.reduce((n, s) => n + workOf(s, s.iterations), 0);
    expect(nextTotal).toBe(total - 200 + 2 * 1600);
    expect(clock.remainingMs(next[1] as (typeof stages)[1], 0)).toBeCloseTo(nextTotal - 200);
  });
});
